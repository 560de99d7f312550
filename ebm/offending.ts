/**
 * The most offending incorrect answer over a discrete answer set: the lowest-energy answer
 * other than the correct one (LeCun et al. 2006, Section 2.2.3; ties go to the lowest index).
 */
import { where } from '../engine/ops/elementwise.js';
import { Tensor } from '../engine/tensor.js';
import { energiesArg, targetsArg } from './args.js';

/**
 * `E(Y^i)` and `Ē = E(Ȳ^i)` as differentiable `[P]` tensors: one gather, and one min over dim 1
 * with the correct answer masked to +Infinity, so the engine's min sends its gradient to the
 * lowest index among ties, the answer `mostOffendingIncorrect` returns.
 */
export function correctAndOffending(energies: Tensor, targets: readonly number[]): [Tensor, Tensor] {
  const [p, k] = energies.shape;
  const idx = new Float64Array(p);
  let plain = true;
  for (let i = 0; i < p; i++) {
    idx[i] = targets[i];
    if (!(energies.data[i * k + targets[i]] > -Infinity)) plain = false;
  }
  const e = energies.gather(1, new Tensor(idx, [p, 1])).reshape([p]); // [P]
  const mask = new Float64Array(p * k);
  // Adding +Infinity is the cheap mask (its backward passes the gradient through untouched), but
  // it turns a correct energy of -Infinity or NaN into NaN, which would then win the min; those
  // tables take `where`, which replaces the entry instead.
  if (plain) {
    for (let i = 0; i < p; i++) mask[i * k + targets[i]] = Infinity;
    return [e, energies.add(new Tensor(mask, [p, k])).min(1)]; // [P, K] -> [P]
  }
  for (let i = 0; i < p; i++) mask[i * k + targets[i]] = 1;
  return [e, where(new Tensor(mask, [p, k]), Infinity, energies).min(1)]; // [P, K] -> [P]
}

/**
 * The most offending incorrect answer `Ȳ^i = argmin_{y ≠ Y^i} E(W, y, X^i)` of each sample.
 *
 * Parameters: `energies` `[P, K]` (Tensor or nested arrays, `K >= 2`), `targets` `[P]` (the
 * correct answers, integers in [0, K)). Returns `number[]` of length `P`.
 *
 * Ties go to the lowest index; a NaN energy among the incorrect answers is chosen first (NaN
 * propagates, as in the engine's min); when every incorrect answer is +Infinity the lowest
 * incorrect index is returned. Margin class: not a loss. Reference: LeCun et al., "A Tutorial on
 * Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.mostOffendingIncorrect([[0.5, 0.2, 0.2], [1, 3, 2]], [1, 0]); // => [2, 2]
 */
export function mostOffendingIncorrect(energies: Tensor | number[][], targets: Tensor | number[]): number[] {
  const fn = 'mostOffendingIncorrect';
  const e = energiesArg(fn, energies);
  const t = targetsArg(fn, targets, e);
  const [p, k] = e.shape;
  const out: number[] = new Array(p);
  for (let i = 0; i < p; i++) {
    let best = -1;
    let bv = Infinity;
    for (let y = 0; y < k; y++) {
      if (y === t[i]) continue;
      const v = e.data[i * k + y];
      if (v !== v) {
        best = y;
        break;
      }
      if (best < 0 || v < bv) {
        best = y;
        bv = v;
      }
    }
    out[i] = best;
  }
  return out;
}
