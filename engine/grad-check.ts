/**
 * Gradient checking by central differences in float64.
 *
 * The default mode checks one inner-product identity per trial, `<v, Jᵀu> = <u, J v>`: the left
 * side from one backward pass with random `u`, the right side from two forward passes at
 * `x ± eps·v`. It costs the same at any size. The full mode builds both Jacobians entry by entry,
 * for small inputs where a failure should point at one entry.
 */
import { gradientsOf, noGrad } from './autograd.js';
import type { Differentiable } from './autograd.js';
import { describe } from './errors.js';
import { custom, number, oneOf, parseOptions } from './options.js';
import { Rng, seedArg } from './random.js';
import { Tensor } from './tensor.js';

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** `'vjp'` (default): random inner products; `'full'`: every Jacobian entry. */
  mode?: 'vjp' | 'full';
  /** Random directions per input in `'vjp'` mode (default 3). */
  trials?: number;
  /** Seed for the random directions (default 0). */
  seed?: number;
}

export interface GradCheckFailure {
  /** Which input (position in `inputs`). */
  input: number;
  /** Flat index of the entry in full mode; the trial number in vjp mode. */
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradCheckReport {
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  mode: 'vjp' | 'full';
  /** How many scalar comparisons were made. */
  checks: number;
  failures: GradCheckFailure[];
  /** Set when `fn` threw or returned something other than a Tensor. */
  error?: string;
}

function randomLike(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Compares the analytic gradients of `fn` at `inputs` (those with `requiresGrad`) with central
 * differences. Never throws: a failure or an exception is reported in the result. The inputs'
 * data and existing gradients are left as they were.
 */
export function gradCheck(fn: Differentiable, inputs: readonly Tensor[], opts?: GradCheckOptions): GradCheckReport {
  const mode = (opts as { mode?: unknown } | undefined)?.mode === 'full' ? 'full' : 'vjp';
  const report: GradCheckReport = { ok: false, maxAbsError: 0, maxRelError: 0, mode, checks: 0, failures: [] };
  const list: readonly unknown[] = Array.isArray(inputs) ? inputs : [];
  // Restored in `finally`: `fn` may throw while an input is perturbed.
  const data = list.map((t) => (t instanceof Tensor ? t.data.slice() : null));
  try {
    const o = parseOptions('gradCheck', opts, {
      eps: number({ default: 1e-6, above: 0 }),
      atol: number({ default: 1e-6, min: 0 }),
      rtol: number({ default: 1e-5, min: 0 }),
      mode: oneOf(['vjp', 'full'], 'vjp'),
      trials: number({ default: 3, integer: true, min: 1 }),
      seed: custom((f, name, v) => (v === undefined ? 0 : seedArg(f, name, v))),
    });
    if (typeof fn !== 'function') throw new Error(`gradCheck: fn must be a function, got ${describe(fn)}`);
    if (!Array.isArray(inputs)) throw new Error(`gradCheck: inputs must be an array of Tensors, got ${describe(inputs)}`);
    inputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new Error(`gradCheck: inputs[${i}] must be a Tensor, got ${describe(t)}`);
    });
    const { eps, atol, rtol } = o;
    const checked = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
    if (checked.length === 0) throw new Error('gradCheck: no input has requiresGrad: true');
    // `fn` sees fresh leaves (sharing the inputs' data) in place of the checked inputs, and the
    // gradients come from `gradientsOf`: no `.grad` anywhere is read or written, and a non-leaf
    // input is checked like a leaf.
    const args = inputs.map((t) => (t.requiresGrad ? new Tensor(t.data, t.shape, true) : t));
    const leaves = checked.map((i) => args[i]);
    const evalAt = (): Float64Array => noGrad(() => output(fn, args)).data.slice();
    const record = (input: number, index: number, analytic: number, numeric: number): void => {
      const abs = Math.abs(analytic - numeric);
      const rel = abs / Math.max(Math.abs(analytic), Math.abs(numeric), Number.MIN_VALUE);
      report.checks++;
      if (!(abs <= report.maxAbsError)) report.maxAbsError = abs;
      if (!(rel <= report.maxRelError)) report.maxRelError = rel;
      if (!(abs <= atol + rtol * Math.abs(numeric))) report.failures.push({ input, index, analytic, numeric });
    };
    const rng = new Rng(o.seed);
    const y0 = output(fn, args);
    if (o.mode === 'vjp') {
      const u = randomLike(rng, y0.size);
      const grads = gradientsOf('gradCheck', y0, leaves, u.slice());
      checked.forEach((i, c) => {
        const x = inputs[i].data;
        for (let trial = 0; trial < o.trials; trial++) {
          const v = randomLike(rng, x.length);
          const orig = x.slice();
          for (let k = 0; k < x.length; k++) x[k] = orig[k] + eps * v[k];
          const fp = dot(u, evalAt());
          for (let k = 0; k < x.length; k++) x[k] = orig[k] - eps * v[k];
          const fm = dot(u, evalAt());
          x.set(orig);
          record(i, trial, dot(v, grads[c]), (fp - fm) / (2 * eps));
        }
      });
    } else {
      const m = y0.size;
      const rows: Float64Array[][] = [];
      for (let k = 0; k < m; k++) {
        const e = new Float64Array(m);
        e[k] = 1;
        rows.push(gradientsOf('gradCheck', y0, leaves, e));
      }
      checked.forEach((i, c) => {
        const x = inputs[i].data;
        for (let j = 0; j < x.length; j++) {
          const orig = x[j];
          x[j] = orig + eps;
          const fp = evalAt();
          x[j] = orig - eps;
          const fm = evalAt();
          x[j] = orig;
          for (let k = 0; k < m; k++) record(i, j, rows[k][c][j], (fp[k] - fm[k]) / (2 * eps));
        }
      });
    }
    report.ok = report.failures.length === 0 && report.checks > 0;
  } catch (e) {
    report.ok = false;
    report.error = e instanceof Error ? e.message : String(e);
  } finally {
    list.forEach((t, i) => {
      if (t instanceof Tensor) t.data.set(data[i]!);
    });
  }
  return report;
}

function output(fn: Differentiable, inputs: readonly Tensor[]): Tensor {
  const y = fn(...inputs);
  if (!(y instanceof Tensor)) throw new Error(`gradCheck: fn must return a Tensor, got ${describe(y)}`);
  return y;
}
