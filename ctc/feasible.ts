/** Which samples a CTC loss can score at all. */
import type { IndexInput, LengthsInput } from './args.js';
import { lengthsArg, targetsArg } from './args.js';
import { ctcKernels, describe, fail } from '../engine/internal.js';

export interface CtcFeasibility {
  /** Frames the target needs: its length plus one blank per pair of equal adjacent labels. */
  minFrames: number;
  inputLength: number;
  /** minFrames ≤ inputLength; otherwise ctcLoss is Infinity (0 with zeroInfinity). */
  feasible: boolean;
}

/**
 * Reports, per sample, the minimum number of frames its target needs and whether its input
 * has that many, so that bad samples can be found before training.
 *
 * `minFrames_n = U_n + #{i : l_i = l_{i−1}}`; `feasible_n = minFrames_n ≤ inputLengths[n]`.
 *
 * @param targets padded `[N, S]` or concatenated 1-D; for one sample (number lengths), 1-D of
 *   length targetLengths.
 * @param inputLengths `[N]` frames per sample (a number for one sample).
 * @param targetLengths `[N]` labels per sample (a number for one sample).
 * @returns `{ minFrames, inputLength, feasible }[]`, one per sample.
 *
 * PyTorch: no equivalent (ctc_loss silently returns inf, or 0 with zero_infinity).
 *
 * Numerics: integers only. Labels are checked to be non-negative integers; without logProbs the
 * class count and blank are unknown, so ctcLoss checks those.
 *
 * References: A. Graves et al., "Connectionist Temporal Classification", ICML 2006.
 *
 * @example
 * const r = ctcFeasible([[1, 1, 2], [3, 4, 0]], [3, 2], [3, 2]);
 * r.map((x) => x.minFrames); // => [4, 2]
 * r.map((x) => x.feasible); // => [false, true]
 */
export function ctcFeasible(targets: IndexInput, inputLengths: LengthsInput, targetLengths: LengthsInput): CtcFeasibility[] {
  const fn = 'ctcFeasible';
  const batched = typeof targetLengths !== 'number';
  if (!batched && typeof inputLengths !== 'number') fail(fn, `inputLengths must be a number when targetLengths is a number (one sample), got ${Array.isArray(inputLengths) ? 'an array' : typeof inputLengths}`);
  const N = batched ? lengthCount(targetLengths) : 1;
  if (N < 0) fail(fn, `targetLengths must be a number, a number[] or a 1-D Tensor, got ${describe(targetLengths)}`);
  const tl = lengthsArg(fn, 'targetLengths', targetLengths, N, batched);
  const il = lengthsArg(fn, 'inputLengths', inputLengths, tl.length, batched);
  const { labels, offsets } = targetsArg(fn, targets, tl, batched);
  return Array.from(tl, (_len, n) => {
    const need = ctcKernels.minFrames(labels, offsets[n], offsets[n + 1]);
    return { minFrames: need, inputLength: il[n], feasible: need <= il[n] };
  });
}

function lengthCount(x: unknown): number {
  if (Array.isArray(x)) return x.length;
  if (x !== null && typeof x === 'object' && 'shape' in x) {
    const shape = (x as { shape: readonly number[] }).shape;
    return shape.length === 1 ? shape[0] : -1;
  }
  return -1;
}
