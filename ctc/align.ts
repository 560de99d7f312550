/** Viterbi forced alignment of a target to the frames. */
import type { TensorLike } from '../engine/index.js';
import { ctcKernels, fail, parseOptions } from '../engine/internal.js';
import type { IndexInput, LengthsInput } from './args.js';
import { blankOption, problemArgs } from './args.js';

export interface CtcAlignOptions {
  /** Index of the blank class (default 0). */
  blank?: number;
}

/**
 * CTC forced alignment: for each sample, the single most likely path π (a class per frame,
 * blank included) that collapses to its target, by the Viterbi recursion over the same extended
 * label sequence l' = (blank, l_1, blank, …, l_U, blank) as ctcLoss.
 *
 * `argmax_{π ∈ B⁻¹(l_n)} Σ_{t < Tn} logProbs[t, n, π_t]`, by
 * `δ_t(s) = logProbs[t, n, l'_s] + max(δ_{t−1}(s), δ_{t−1}(s − 1), δ_{t−1}(s − 2) where l'_s ≠ blank, l'_{s−2})`.
 *
 * @param logProbs `[T, N, C]` (time first), or `[T, C]` for one sample.
 * @param targets padded `[N, S]` or concatenated 1-D, as for ctcLoss (for `[T, C]`, 1-D of
 *   length targetLength).
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number for `[T, C]`).
 * @param targetLengths `[N]` labels per sample (a number for `[T, C]`).
 * @param opts `blank = 0`.
 * @returns `number[][]`: per sample, the class of each of its `inputLengths[n]` frames (one row
 *   for `[T, C]`).
 *
 * PyTorch: `torchaudio.functional.forced_align` (later versions; not in PyTorch 1.13).
 *
 * Numerics: log space, sums and comparisons only. Only states that can start and finish a path
 * in the sample's frames are considered, so the result always collapses to the target, even when
 * every path has probability 0. Ties prefer staying in a state, then advancing one state, and
 * ending on the final blank. A sample too short for its target (see `ctcFeasible`) throws.
 *
 * References: A. Graves et al., "Connectionist Temporal Classification", ICML 2006;
 * A. J. Viterbi, "Error bounds for convolutional codes", IEEE Trans. Inf. Theory, 1967.
 *
 * @example
 * const lp = tensor([[-0.2, -2, -3], [-1, -0.5, -3], [-0.4, -1.5, -2], [-2, -2, -0.3]]);
 * ctcAlign(lp, [1, 2], 4, 2); // => [[0, 1, 0, 2]]
 */
export function ctcAlign(logProbs: TensorLike, targets: IndexInput, inputLengths: LengthsInput, targetLengths: LengthsInput, opts: CtcAlignOptions = {}): number[][] {
  const fn = 'ctcAlign';
  const o = parseOptions(fn, opts, { blank: blankOption });
  const p = problemArgs(fn, logProbs, targets, inputLengths, targetLengths, o.blank);
  const { N, C } = p.dims;
  const { labels, offsets } = p.targets;
  for (let n = 0; n < N; n++) {
    const need = ctcKernels.minFrames(labels, offsets[n], offsets[n + 1]);
    if (need > p.inputLengths[n]) {
      fail(fn, `inputLengths[${n}] is ${p.inputLengths[n]}, below the ${need} frames target ${n} needs (its length plus one blank per adjacent repeat); no alignment exists`);
    }
  }
  const lp = p.lp.data; // [T, N, C]
  let maxLen = 0;
  for (let n = 0; n < N; n++) maxLen = Math.max(maxLen, offsets[n + 1] - offsets[n]);
  const ws = new ctcKernels.CtcScratch(maxLen, C);
  const out: number[][] = [];
  for (let n = 0; n < N; n++) {
    const Tn = p.inputLengths[n];
    const L = ws.extend(labels, offsets[n], offsets[n + 1] - offsets[n], p.blank);
    const { ext, skip } = ws;
    // first[s]: frames needed to reach state s from the start; last[s]: frames needed from s
    // (inclusive) to the end. State s is usable at frame t iff first[s] ≤ t + 1 and last[s] ≤ Tn − t.
    const first = new Int32Array(L);
    const last = new Int32Array(L);
    for (let s = 0; s < L; s++) {
      first[s] = s < 2 ? 1 : 1 + (skip[s] === 1 ? Math.min(first[s - 1], first[s - 2]) : first[s - 1]);
    }
    for (let s = L - 1; s >= 0; s--) {
      last[s] = s >= L - 2 ? 1 : 1 + (skip[s + 2] === 1 ? Math.min(last[s + 1], last[s + 2]) : last[s + 1]);
    }
    const delta = ctcKernels.rowsBuffer(fn, Float64Array, Tn * L).fill(-Infinity); // [Tn, L]
    const from = ctcKernels.rowsBuffer(fn, Uint8Array, Tn * L); // [Tn, L]: 0 stay, 1 from s − 1, 2 from s − 2
    for (let t = 0; t < Tn; t++) {
      const base = (t * N + n) * C;
      for (let s = 0; s < L; s++) {
        if (first[s] > t + 1 || last[s] > Tn - t) continue;
        if (t === 0) {
          delta[s] = lp[base + ext[s]];
          continue;
        }
        const row = (t - 1) * L;
        let best = -1;
        let score = -Infinity;
        for (let k = 0; k <= 2; k++) {
          const q = s - k;
          if (q < 0 || (k === 2 && skip[s] !== 1) || first[q] > t || last[q] > Tn - t + 1) continue;
          if (best < 0 || delta[row + q] > score) {
            best = k;
            score = delta[row + q];
          }
        }
        delta[t * L + s] = score + lp[base + ext[s]];
        from[t * L + s] = best;
      }
    }
    const path = new Array<number>(Tn);
    if (Tn > 0) {
      const end = (Tn - 1) * L;
      let s = L - 1;
      if (L >= 2 && (first[L - 1] > Tn || delta[end + L - 2] > delta[end + L - 1])) s = L - 2;
      for (let t = Tn - 1; t >= 0; t--) {
        path[t] = ext[s];
        s -= from[t * L + s];
      }
    }
    out.push(path);
  }
  return out;
}
