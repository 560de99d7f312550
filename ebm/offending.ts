/**
 * The most offending incorrect answer over a discrete answer set: the lowest-energy answer
 * other than the correct one (LeCun et al. 2006, Section 2.2.3; ties go to the lowest index).
 */
import type { TensorLike } from '../engine/index.js';
import { Tensor } from '../engine/index.js';
import { energiesArg, targetsArg } from './args.js';

/**
 * `E(Y^i)` and `Ē = E(Ȳ^i)` as differentiable `[P]` tensors: a gather, and the engine's
 * `minExcluding` over dim 1, which leaves the correct answer out and sends its gradient to the
 * lowest index among ties, the answer `mostOffendingIncorrect` returns. Both backward rules are
 * sparse, so the gradient costs one `[P, K]` buffer.
 */
export function correctAndOffending(energies: Tensor, targets: readonly number[]): [Tensor, Tensor] {
  const p = energies.shape[0];
  const idx = new Tensor(Float64Array.from(targets), [p, 1]);
  const e = energies.gather(1, idx).reshape([p]); // [P]
  return [e, energies.minExcluding(1, idx, true).reshape([p])]; // [P, K] -> [P]
}

/**
 * The most offending incorrect answer of each sample: its lowest-energy wrong answer.
 *
 * `Ȳ^i = argmin_{y ≠ Y^i} E(W, y, X^i)`
 *
 * @param energies `[P, K]` energies of `K >= 2` answers per sample (a Tensor or nested arrays).
 * @param targets `[P]` the correct answers, integers in `[0, K)`.
 * @returns `number[]` of length `P`: the index of `Ȳ^i` for each sample (no graph).
 *
 * PyTorch: none (`energies.scatter(1, targets[:, None], inf).argmin(1)`, up to ties).
 *
 * Numerics: ties go to the lowest index; a NaN energy among the incorrect answers is chosen
 * first (NaN propagates, as in the engine's min); when every incorrect answer is +Infinity the
 * lowest incorrect index is returned. Not a loss: the discrete losses find `Ȳ^i` the same way.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.mostOffendingIncorrect([[0.5, 0.2, 0.2], [1, 3, 2]], [1, 0]); // => [2, 2]
 */
export function mostOffendingIncorrect(energies: TensorLike, targets: TensorLike): number[] {
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
