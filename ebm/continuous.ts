/**
 * The most offending incorrect answer over a continuous answer space: the lowest-energy answer
 * at least ε away from the correct one (LeCun et al. 2006, Section 2.2.3), found by projected
 * gradient descent on Y with ∇_Y E from the engine's autograd.
 */
import type { TensorLike } from '../engine/index.js';
import { Rng, Tensor, valueAndGrad } from '../engine/index.js';
import { describe, fail, number, parseOptions, toTensor } from '../engine/internal.js';

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

/**
 * E(y) and ∇_Y E(y), by the engine's functional gradient: no tensor's `.grad` is read or written,
 * so the energy's own parameters keep theirs (the search must not train the model).
 */
function energyAndGrad(fn: (y: Tensor) => Tensor, data: Float64Array, shape: readonly number[]): { f: number; g: Float64Array } {
  const { value, grads } = valueAndGrad((y) => energyOf(fn, y), [new Tensor(data, shape, false)]);
  return { f: value.data[0], g: grads[0].data };
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
 * The most offending incorrect answer over a continuous space, by projected gradient descent.
 *
 * `Ȳ^i = argmin_{‖Y - Y^i‖ >= ε} E(W, Y, X^i)`
 *
 * @param energyFn `(y) => Tensor`: the energy of answer `y` (a one-element Tensor; it may depend
 *   on parameters that require grad).
 * @param yTrue the correct answer `Y^i`, any shape `[*]` (a Tensor or nested number arrays).
 * @param opts `epsilon` (required, > 0), `starts = 8` (at most 10,000), `steps = 300` (at most
 *   1,000,000), `lr = 0.1`, `seed = 0`.
 * @returns a detached Tensor of `yTrue`'s shape `[*]` with `‖Ȳ - yTrue‖ >= ε`.
 *
 * PyTorch: none.
 *
 * Each start is a seeded random point on the sphere of radius ε around `yTrue`. A step moves
 * against ∇_Y E (the engine's `valueAndGrad`) and projects back radially onto ‖Y - Y^i‖ >= ε;
 * a step that does not lower the energy is retried at half the size, an accepted one grows the
 * next by half. The lowest final energy over all starts wins (ties: the first start).
 *
 * Numerics: a local method: it finds the constrained minimum of a convex energy (the minimum
 * then lies on the sphere when the unconstrained one is inside the ball); for others it returns
 * the best local minimum reached. No tensor's `.grad` is read or written, so the parameters'
 * gradients stay as they were. Not a loss; feed `E(Ȳ)` to the `ebm.pair` forms.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * const c = tensor([0.2, 0]);
 * const energy = (y) => y.sub(c).pow(2).sum();
 * const yBar = ebm.mostOffendingIncorrectContinuous(energy, tensor([0, 0]), { epsilon: 1 });
 * yBar.toArray(); // => [1.000, 0.000]
 */
export function mostOffendingIncorrectContinuous(energyFn: (y: Tensor) => Tensor, yTrue: TensorLike, opts: ContinuousOptions): Tensor {
  if (typeof energyFn !== 'function') fail(FN, `energyFn must be a function (y: Tensor) => Tensor, got ${describe(energyFn)}`);
  const { epsilon: eps, starts, steps, lr, seed } = parseOptions(FN, opts, {
    epsilon: number({ above: 0 }),
    // Caps far above any useful search, so that a mistaken count fails at once instead of hanging.
    starts: number({ default: 8, integer: true, min: 1, max: 10_000 }),
    steps: number({ default: 300, integer: true, min: 0, max: 1_000_000 }),
    lr: number({ default: 0.1, above: 0 }),
    // Seeds are integers in [0, 2³²), as every seed of the library.
    seed: number({ default: 0, integer: true, min: 0, max: 2 ** 32 - 1 }),
  });
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
    let { f, g } = energyAndGrad(energyFn, y, shape);
    let step = lr;
    for (let it = 0; it < steps && step > 1e-15; it++) {
      const trial = new Float64Array(n);
      for (let i = 0; i < n; i++) trial[i] = y[i] - step * g[i];
      const cand = project(trial, y0, eps, y);
      const next = energyAndGrad(energyFn, cand, shape);
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
