/** CTC prefix beam search in log space. */
import type { TensorLike } from '../engine/index.js';
import { fail, number, numerics, optionalNumber, parseOptions } from '../engine/internal.js';
import type { LengthsInput } from './args.js';
import { blankOption } from './args.js';
import { decoderArgs } from './greedy.js';

export interface CtcBeamSearchOptions {
  /** Prefixes kept after each frame (default 10). */
  beamWidth?: number;
  /** Index of the blank class (default 0). */
  blank?: number;
}

export interface CtcBeamSearchDetailedOptions extends CtcBeamSearchOptions {
  /** Hypotheses returned per sample, best first (default: beamWidth). */
  topK?: number;
}

/** One hypothesis: a label sequence and the log of its total probability over the paths the beam kept. */
export interface CtcHypothesis {
  labels: number[];
  logProb: number;
}

interface Beam {
  labels: number[];
  /** log P(prefix, path ends in blank) */
  pb: number;
  /** log P(prefix, path ends in its last label) */
  pnb: number;
}

const { logAddExp } = numerics;

const total = (b: Beam): number => logAddExp(b.pb, b.pnb);

const searchOptions = { beamWidth: number({ default: 10, integer: true, min: 1 }), blank: blankOption };

function search(fn: string, logProbs: unknown, inputLengths: unknown, o: { beamWidth: number; blank: number; topK?: number }): CtcHypothesis[][] {
  const { beamWidth } = o;
  const k = o.topK ?? beamWidth;
  if (k > beamWidth) fail(fn, `topK must be at most beamWidth = ${beamWidth}, got ${k}`);
  const { lp, N, C, lengths, blank } = decoderArgs(fn, logProbs, inputLengths, o.blank);
  const out: CtcHypothesis[][] = [];
  for (let n = 0; n < N; n++) {
    let beams: Beam[] = [{ labels: [], pb: 0, pnb: -Infinity }];
    for (let t = 0; t < lengths[n]; t++) {
      const base = (t * N + n) * C;
      // Prefixes are merged by their labels: every path that collapses to the same prefix adds up.
      const next = new Map<string, Beam>();
      const entry = (labels: number[]): Beam => {
        const key = labels.join(',');
        let b = next.get(key);
        if (b === undefined) {
          b = { labels, pb: -Infinity, pnb: -Infinity };
          next.set(key, b);
        }
        return b;
      };
      for (const beam of beams) {
        const all = total(beam);
        const stay = entry(beam.labels);
        stay.pb = logAddExp(stay.pb, all + lp[base + blank]);
        const last = beam.labels.length > 0 ? beam.labels[beam.labels.length - 1] : -1;
        for (let c = 0; c < C; c++) {
          if (c === blank) continue;
          const p = lp[base + c];
          const grown = entry([...beam.labels, c]);
          if (c === last) {
            // A repeated label extends the prefix only after a blank; otherwise it merges into the last label.
            grown.pnb = logAddExp(grown.pnb, beam.pb + p);
            stay.pnb = logAddExp(stay.pnb, beam.pnb + p);
          } else {
            grown.pnb = logAddExp(grown.pnb, all + p);
          }
        }
      }
      // A prefix of probability zero (a repeat with no blank before it) is no hypothesis.
      const ranked = [...next.values()].sort((a, b) => total(b) - total(a));
      const live = ranked.filter((b) => total(b) !== -Infinity);
      beams = (live.length > 0 ? live : ranked).slice(0, beamWidth);
    }
    out.push(beams.slice(0, k).map((b) => ({ labels: b.labels, logProb: total(b) })));
  }
  return out;
}

/**
 * CTC prefix beam search: an approximation of the most likely labelling, keeping the
 * `beamWidth` best prefixes after each frame, each with the log-probability of its paths ending
 * in a blank and in a label.
 *
 * `argmax_l P(l | x) = argmax_l Σ_{π ∈ B⁻¹(l)} Π_t p_t(π_t)`, the sum restricted to the paths
 * whose prefixes stayed in the beam.
 *
 * @param logProbs `[T, N, C]` (time first), or `[T, C]` for one sample.
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number for `[T, C]`); omitted: all T.
 * @param opts `beamWidth = 10` (an integer ≥ 1), `blank = 0`.
 * @returns `number[][]`: the best label sequence per sample (one row for `[T, C]`). For the
 *   top hypotheses with their log-probabilities, see `ctcBeamSearchDetailed`.
 *
 * PyTorch: no built-in (torchaudio's `ctc_decoder` without a lexicon or language model).
 *
 * Numerics: log space throughout (`logAddExp`). With a beam wide enough never to prune (every
 * prefix of length ≤ T), the result is the exact most likely labelling. Ties keep the earlier prefix.
 *
 * References: A. Y. Hannun, A. L. Maas, D. Jurafsky, A. Y. Ng, "First-Pass Large Vocabulary
 * Continuous Speech Recognition using Bi-Directional Recurrent DNNs", arXiv:1408.2873 (2014).
 *
 * @example
 * const lp = tensor([[-0.9, -0.6, -3], [-0.7, -0.8, -3], [-0.9, -0.6, -3]]);
 * ctcGreedyDecode(lp, 3); // => [[1, 1]]
 * ctcBeamSearch(lp, 3, { beamWidth: 4 }); // => [[1]]
 */
export function ctcBeamSearch(logProbs: TensorLike, inputLengths?: LengthsInput, opts: CtcBeamSearchOptions = {}): number[][] {
  const o = parseOptions('ctcBeamSearch', opts, searchOptions);
  return search('ctcBeamSearch', logProbs, inputLengths, { ...o, topK: 1 }).map((h) => h[0].labels);
}

/**
 * `ctcBeamSearch` returning, per sample, the `topK` best hypotheses with their log-probabilities.
 *
 * `logProb(l) = log Σ_{π ∈ B⁻¹(l), kept} Π_t p_t(π_t)` over the paths of l the beam kept.
 *
 * @param logProbs `[T, N, C]` (time first), or `[T, C]` for one sample.
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number for `[T, C]`); omitted: all T.
 * @param opts `beamWidth = 10`, `blank = 0`, `topK = beamWidth` (an integer in [1, beamWidth]).
 * @returns `{ labels, logProb }[][]`: per sample (one row for `[T, C]`), at most topK hypotheses,
 *   best first; `logProb` is the exact log P(labels | x) when nothing was pruned.
 *
 * PyTorch: no built-in (torchaudio's `ctc_decoder` returns the same kind of n-best list).
 *
 * Numerics: as `ctcBeamSearch`.
 *
 * References: as `ctcBeamSearch`.
 *
 * @example
 * const lp = tensor([[-0.9, -0.6, -3], [-0.7, -0.8, -3], [-0.9, -0.6, -3]]);
 * const [best] = ctcBeamSearchDetailed(lp, 3, { beamWidth: 4, topK: 1 })[0];
 * best.labels; // => [1]
 * best.logProb; // => -0.4592887
 */
export function ctcBeamSearchDetailed(logProbs: TensorLike, inputLengths?: LengthsInput, opts: CtcBeamSearchDetailedOptions = {}): CtcHypothesis[][] {
  const o = parseOptions('ctcBeamSearchDetailed', opts, { ...searchOptions, topK: optionalNumber({ integer: true, min: 1 }) });
  return search('ctcBeamSearchDetailed', logProbs, inputLengths, o);
}
