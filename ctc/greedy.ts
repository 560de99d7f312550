/** Best-path (greedy) CTC decoding. */
import type { TensorLike } from '../engine/index.js';
import { parseOptions } from '../engine/internal.js';
import type { LengthsInput } from './args.js';
import { blankArg, blankOption, lengthsArg, logProbsArg } from './args.js';

export interface CtcDecodeOptions {
  /** Index of the blank class (default 0). */
  blank?: number;
}

/** Reads the decoders' shared arguments; `inputLengths` may be omitted (every sample uses all T frames). */
export function decoderArgs(fn: string, logProbs: unknown, inputLengths: unknown, blank: number): { lp: Float64Array; T: number; N: number; C: number; lengths: Int32Array; blank: number } {
  const { lp, dims } = logProbsArg(fn, logProbs);
  const b = blankArg(fn, blank, dims.C);
  const lengths = inputLengths === undefined
    ? new Int32Array(dims.N).fill(dims.T)
    : lengthsArg(fn, 'inputLengths', inputLengths, dims.N, dims.batched, dims, true);
  return { lp: lp.data, T: dims.T, N: dims.N, C: dims.C, lengths, blank: b };
}

/**
 * Greedy CTC decoding: the most likely class at each frame (the best path), with repeats
 * collapsed and blanks dropped.
 *
 * `B(argmax_c logProbs[0, n, c], …, argmax_c logProbs[Tn − 1, n, c])`, where B merges runs of
 * equal classes and then removes the blank.
 *
 * @param logProbs `[T, N, C]` (time first), or `[T, C]` for one sample.
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number for `[T, C]`); omitted: all T.
 * @param opts `blank = 0`.
 * @returns `number[][]`: one label sequence per sample (one row for `[T, C]`).
 *
 * PyTorch: no built-in; equivalent to `log_probs.argmax(-1)` followed by
 * `torch.unique_consecutive` and removing the blank.
 *
 * Numerics: comparisons only. Ties go to the lowest class index; a NaN in a frame wins its frame
 * (as in `torch.argmax`). The best path's labelling need not be the most likely labelling; see
 * `ctcBeamSearch`.
 *
 * References: A. Graves et al., "Connectionist Temporal Classification", ICML 2006, §3.2.
 *
 * @example
 * const lp = tensor([[-0.1, -3, -3], [-3, -0.1, -3], [-3, -0.1, -3], [-0.1, -3, -3], [-3, -0.1, -3]]);
 * ctcGreedyDecode(lp, 5); // => [[1, 1]]
 */
export function ctcGreedyDecode(logProbs: TensorLike, inputLengths?: LengthsInput, opts: CtcDecodeOptions = {}): number[][] {
  const fn = 'ctcGreedyDecode';
  const o = parseOptions(fn, opts, { blank: blankOption });
  const { lp, N, C, lengths, blank } = decoderArgs(fn, logProbs, inputLengths, o.blank);
  const out: number[][] = [];
  for (let n = 0; n < N; n++) {
    const labels: number[] = [];
    let prev = -1;
    for (let t = 0; t < lengths[n]; t++) {
      const base = (t * N + n) * C;
      let best = 0;
      for (let c = 1; c < C; c++) {
        const v = lp[base + c];
        if (v > lp[base + best] || (v !== v && lp[base + best] === lp[base + best])) best = c;
      }
      if (best !== prev && best !== blank) labels.push(best);
      prev = best;
    }
    out.push(labels);
  }
  return out;
}
