/**
 * The most offending incorrect answer over a continuous answer space: the lowest-energy answer
 * at least ε away from the correct one (LeCun et al. 2006, Section 2.2.3), found by projected
 * gradient descent on Y with ∇_Y E from the engine's autograd.
 */
import { describe, fail } from '../engine/errors.js';
import { Rng } from '../engine/random.js';
import { Tensor } from '../engine/tensor.js';
import { checkOpts, toTensor } from '../losses/common.js';
import { intOpt, numberOpt } from './args.js';

export interface ContinuousOptions {
  /** The exclusion radius ε > 0: answers with ‖Y - Y^i‖ < ε count as correct. */
  epsilon: number;
  /** Random starting points on the sphere of radius ε around `yTrue` (default 8). */
  starts?: number;
  /** Gradient steps per start (default 300). */
  steps?: number;
  /** Initial step size, adapted as the search runs (default 0.1). */
  lr?: number;
  /** Seed of the starting directions (default 0). */
  seed?: number;
}

const FN = 'mostOffendingIncorrectContinuous';

function energyOf(fn: (y: Tensor) => Tensor, y: Tensor): Tensor {
  const out = fn(y);
  if (!(out instanceof Tensor) || out.size !== 1) fail(FN, `energyFn must return a one-element Tensor, got ${describe(out)}`);
  return out;
}

/** Every leaf of `out`'s graph that requires grad, other than `y`. */
function otherLeaves(out: Tensor, y: Tensor): Tensor[] {
  const leaves: Tensor[] = [];
  const seen = new Set<Tensor>([out]);
  const todo = [out];
  while (todo.length > 0) {
    const t = todo.pop() as Tensor;
    if (t.node === null) {
      if (t !== y && t.requiresGrad) leaves.push(t);
      continue;
    }
    for (const c of t.node.inputs) {
      if (c.requiresGrad && !seen.has(c)) {
        seen.add(c);
        todo.push(c);
      }
    }
  }
  return leaves;
}

/**
 * E(y) and ∇_Y E(y). The engine's backward accumulates into every leaf, so the gradients of the
 * energy's own parameters are put back as they were: the search must not train the model.
 */
function valueAndGrad(fn: (y: Tensor) => Tensor, data: Float64Array, shape: readonly number[]): { f: number; g: Float64Array } {
  const y = new Tensor(data.slice(), shape, true);
  const out = energyOf(fn, y);
  if (!out.requiresGrad) return { f: out.data[0], g: new Float64Array(data.length) };
  const leaves = otherLeaves(out, y);
  const saved = leaves.map((t) => (t.grad === null ? null : t.grad.data.slice()));
  out.backward();
  leaves.forEach((t, i) => {
    const s = saved[i];
    if (s === null) t.grad = null;
    else (t.grad as Tensor).data.set(s);
  });
  return { f: out.data[0], g: y.grad === null ? new Float64Array(data.length) : y.grad.data };
}

/** Projects `y` onto {‖y - y0‖ >= ε} radially; a point at y0 itself keeps the direction `fallback`. */
function project(y: Float64Array, y0: Float64Array, eps: number, fallback: Float64Array): Float64Array {
  let r2 = 0;
  for (let i = 0; i < y.length; i++) r2 += (y[i] - y0[i]) ** 2;
  const r = Math.sqrt(r2);
  if (r >= eps) return y;
  const out = new Float64Array(y.length);
  if (r === 0) {
    let f2 = 0;
    for (let i = 0; i < y.length; i++) f2 += (fallback[i] - y0[i]) ** 2;
    const s = eps / Math.sqrt(f2);
    for (let i = 0; i < y.length; i++) out[i] = y0[i] + s * (fallback[i] - y0[i]);
    return out;
  }
  for (let i = 0; i < y.length; i++) out[i] = y0[i] + (eps / r) * (y[i] - y0[i]);
  return out;
}

/**
 * The most offending incorrect answer over a continuous space:
 * `Ȳ^i = argmin_{‖Y - Y^i‖ >= ε} E(W, Y, X^i)`, by projected gradient descent on Y.
 *
 * Parameters: `energyFn(y)` returns the energy of answer `y` (a one-element Tensor; it may
 * depend on parameters that require grad); `yTrue` the correct answer (a Tensor or number array
 * of any shape); options `epsilon` (required, > 0), `starts = 8`, `steps = 300`, `lr = 0.1`,
 * `seed = 0`. Returns a detached Tensor of `yTrue`'s shape with `‖Ȳ - yTrue‖ >= ε`.
 *
 * Each start is a seeded random point on the sphere of radius ε around `yTrue`. A step moves
 * against ∇_Y E (from the engine's autograd) and projects back radially onto ‖Y - Y^i‖ >= ε;
 * a step that does not lower the energy is retried at half the size, an accepted one grows the
 * next by half. The lowest final energy over all starts wins (ties: the first start).
 * Numerical notes: a local method: it finds the constrained minimum of a convex energy (the
 * minimum then lies on the sphere when the unconstrained one is inside the ball); for others it
 * returns the best local minimum reached. The parameters' `.grad` are left as they were.
 * Margin class: not a loss; feed `E(Ȳ)` to the `ebm.pair` forms.
 * Reference: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * const c = tensor([0.2, 0]);
 * const energy = (y) => y.sub(c).pow(2).sum();
 * const yBar = ebm.mostOffendingIncorrectContinuous(energy, tensor([0, 0]), { epsilon: 1 });
 * yBar.toArray(); // => [1.000, 0.000]
 */
export function mostOffendingIncorrectContinuous(energyFn: (y: Tensor) => Tensor, yTrue: Tensor | number[], opts: ContinuousOptions): Tensor {
  if (typeof energyFn !== 'function') fail(FN, `energyFn must be a function (y: Tensor) => Tensor, got ${describe(energyFn)}`);
  if (opts === undefined) fail(FN, 'options with epsilon (> 0) are required, got undefined');
  const o = checkOpts(FN, opts, ['epsilon', 'starts', 'steps', 'lr', 'seed']);
  if (o.epsilon === undefined) fail(FN, 'epsilon (> 0) is required, got undefined');
  const eps = numberOpt(FN, 'epsilon', o.epsilon, 0, 'positive');
  const starts = intOpt(FN, 'starts', o.starts, 8);
  const steps = intOpt(FN, 'steps', o.steps, 300, 0);
  const lr = numberOpt(FN, 'lr', o.lr, 0.1, 'positive');
  const seed = intOpt(FN, 'seed', o.seed, 0, -(2 ** 31));
  const t = toTensor(FN, 'yTrue', yTrue);
  if (t.size === 0) fail(FN, 'yTrue must hold at least one value, got an empty Tensor');
  const y0 = t.data.slice();
  const shape = t.shape.slice();
  const n = y0.length;
  const rng = new Rng(seed);
  let best: { f: number; y: Float64Array } | null = null;
  for (let s = 0; s < starts; s++) {
    const dir = new Float64Array(n);
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += (dir[i] = rng.normal()) ** 2;
    let y: Float64Array = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = y0[i] + (eps * dir[i]) / Math.sqrt(d2);
    let { f, g } = valueAndGrad(energyFn, y, shape);
    let step = lr;
    for (let it = 0; it < steps && step > 1e-15; it++) {
      const trial = new Float64Array(n);
      for (let i = 0; i < n; i++) trial[i] = y[i] - step * g[i];
      const cand = project(trial, y0, eps, y);
      const next = valueAndGrad(energyFn, cand, shape);
      if (next.f < f) {
        y = cand;
        ({ f, g } = next);
        step *= 1.5;
      } else step *= 0.5;
    }
    if (best === null || f < best.f || (best.f !== best.f && f === f)) best = { f, y };
  }
  const yBar = (best as { y: Float64Array }).y;
  return new Tensor(yBar, shape, false);
}
