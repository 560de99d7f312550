/**
 * The gradient check for modules: `<v, Jᵀu> = <u, J v>` with `J v` from central differences, as
 * `gradCheck`, but through tensors the module itself holds. (`gradCheck` hands `fn` fresh leaves
 * in place of its inputs, and a module's parameters cannot be swapped for them.)
 */
import { Rng, Tensor, noGrad } from '../../index.js';

function randomLike(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, x, i) => s + x * b[i], 0);

/** Asserts the identity for every tensor in `tensors` (leaves with requiresGrad that `fn` reads), three random directions each. */
export function expectModuleGradOk(fn: () => Tensor, tensors: Tensor[], { eps = 1e-6, atol = 1e-6, rtol = 1e-5, seed = 0 } = {}): void {
  const rng = new Rng(seed);
  for (const t of tensors) t.grad = null;
  const y0 = fn();
  const u = randomLike(rng, y0.size);
  y0.backward(new Tensor(u.slice(), y0.shape));
  const failures: string[] = [];
  tensors.forEach((t, i) => {
    const g = t.grad ? t.grad.data : new Float64Array(t.size);
    const x = t.data;
    const orig = x.slice();
    for (let trial = 0; trial < 3; trial++) {
      const v = randomLike(rng, x.length);
      const at = (s: number): number => {
        for (let k = 0; k < x.length; k++) x[k] = orig[k] + s * eps * v[k];
        return dot(u, noGrad(fn).data);
      };
      const numeric = (at(1) - at(-1)) / (2 * eps);
      x.set(orig);
      const analytic = dot(v, g);
      if (!(Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric))) failures.push(`tensor ${i} (shape [${t.shape.join(', ')}]) trial ${trial}: analytic ${analytic}, numeric ${numeric}`);
    }
    t.grad = null;
  });
  if (failures.length > 0) throw new Error(`module gradient check failed: ${failures.slice(0, 5).join('; ')}`);
}
