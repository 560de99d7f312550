/**
 * ctcLoss: one fused primitive whose forward is the alpha recursion and whose backward is the
 * beta recursion. Fused because composing the recursion from elementwise ops would record
 * T·L nodes per sample and run the backward pass through all of them.
 */
import type { Reduction, Tensor } from '../engine/index.js';
import { apply, isGradEnabled, primitive } from '../engine/index.js';
import { boolean, parseOptions, reduction } from '../engine/internal.js';
import type { Dims, IndexInput, LengthsInput, Targets } from './args.js';
import { blankOption, minFrames, problemArgs } from './args.js';
import { logSpaceSample } from './log-space.js';
import type { AlphaRows, Workspace } from './recursion.js';
import { MAX_SPREAD, alphaExtended, alphaRows, betaExtendedGrad, extend, workspace } from './recursion.js';
import type { Stop } from './scaled.js';
import { alphaScaled, betaScaledGrad } from './scaled.js';

export interface CtcLossOptions {
  /** `'none'`: the per-sample losses; `'mean'` (default): each over its target length, averaged; `'sum'`: their sum. */
  reduction?: Reduction;
  /** Index of the blank class (default 0). */
  blank?: number;
  /** Replace an infinite loss (an infeasible or impossible target) and its gradient by 0 (default false). */
  zeroInfinity?: boolean;
}

interface Attrs {
  dims: Dims;
  blank: number;
  targets: Targets;
  inputLengths: Int32Array;
  reduction: Reduction;
  zeroInfinity: boolean;
  /** Keep every alpha row and the exponentiated frames for the backward pass. */
  store: boolean;
}

interface Saved {
  /** −log P per sample before zeroInfinity. */
  raw: Float64Array;
  /** Per sample, the alpha rows of L + 2 the fast path completed; null for a log-space sample. */
  fast: (Float64Array | null)[];
  /** Per sample, the alpha rows of the frames past those, from the exact path; null where there are none. */
  exact: (AlphaRows | null)[];
  /** exp(logProbs − shift) at the classes each sample uses, sample-major [N, T, C] so a sample's frames are contiguous. */
  probs: Float64Array;
}

/**
 * Scratch shared by every call and grown as needed; nothing in it outlives one forward or one
 * backward, so calls never allocate per sample.
 */
let ws: Workspace = workspace(0);
let seen = new Uint8Array(0);
/**
 * The fast path's alpha rows for the sample at hand: a sample's rows are copied out for the
 * backward pass once it is known how many of them the fast path completed.
 */
let fastRows = new Float64Array(0);
const stop: Stop = { frame: 0, logScale: 0 };

function scratch(targets: Targets, C: number, maxRows = 0): Workspace {
  const m = maxTargetLength(targets);
  if (ws.ext.length < 2 * m + 3) ws = workspace(m);
  if (seen.length < C) seen = new Uint8Array(C);
  if (fastRows.length < maxRows) fastRows = new Float64Array(maxRows);
  return ws;
}

function maxTargetLength(t: Targets): number {
  let m = 0;
  for (let n = 0; n + 1 < t.offsets.length; n++) m = Math.max(m, t.offsets[n + 1] - t.offsets[n]);
  return m;
}

/** Writes the distinct classes of l'[0 .. L) into `used` and returns how many there are. */
function usedClasses(ext: Int32Array, L: number, used: Int32Array): number {
  let K = 0;
  for (let s = 0; s < L; s++) {
    if (seen[ext[s]] === 0) {
      seen[ext[s]] = 1;
      used[K++] = ext[s];
    }
  }
  for (let k = 0; k < K; k++) seen[used[k]] = 0;
  return K;
}

/** Per-sample weight of the reduced loss: 1 for 'sum', 1 / (max(U_n, 1) · N) for 'mean'. */
function weight(a: Attrs, n: number): number {
  if (a.reduction === 'sum') return 1;
  return 1 / (Math.max(a.targets.offsets[n + 1] - a.targets.offsets[n], 1) * a.dims.N);
}

const CTC = primitive<Attrs, Saved>({
  name: 'ctcLoss',
  forward([logProbs], a) {
    const { T, N, C, batched } = a.dims;
    const lp = logProbs.data; // [T, N, C]
    const { labels, offsets } = a.targets;
    let maxRows = 0;
    for (let n = 0; n < N; n++) maxRows = Math.max(maxRows, a.inputLengths[n] * (2 * (offsets[n + 1] - offsets[n]) + 3));
    const ws = scratch(a.targets, C, maxRows);
    // Without a backward pass one sample's block is reused by every sample.
    const probs = new Float64Array((a.store ? N : 1) * T * C); // [N, T, C] or [1, T, C]
    const raw = new Float64Array(N);
    const fast: (Float64Array | null)[] = new Array<Float64Array | null>(N).fill(null);
    const exact: (AlphaRows | null)[] = new Array<AlphaRows | null>(N).fill(null);
    const used = new Int32Array(C);
    for (let n = 0; n < N; n++) {
      const Tn = a.inputLengths[n];
      const len = offsets[n + 1] - offsets[n];
      if (minFrames(labels, offsets[n], offsets[n + 1]) > Tn) {
        raw[n] = Infinity;
        continue;
      }
      if (Tn === 0) continue;
      const L = extend(labels, offsets[n], len, a.blank, ws);
      // Each frame is exponentiated once, and only at the classes the sample uses (the blank and
      // its labels), after subtracting their maximum so that nothing overflows and the most
      // likely is exactly 1; the shifts are added back to log P.
      const K = usedClasses(ws.ext, L, used);
      let shift = 0;
      let extreme = false;
      const from = a.store ? n * T * C : 0;
      for (let t = 0; t < Tn; t++) {
        const base = (t * N + n) * C;
        const dst = from + t * C;
        let m = -Infinity;
        for (let k = 0; k < K; k++) {
          const v = lp[base + used[k]];
          if (v > m || v !== v) m = v;
        }
        if (m === -Infinity) m = 0;
        else if (!Number.isFinite(m)) extreme = true;
        shift += m;
        for (let k = 0; k < K; k++) {
          const d = lp[base + used[k]] - m;
          if (d < -MAX_SPREAD && d !== -Infinity) extreme = true;
          probs[dst + used[k]] = Math.exp(d);
        }
      }
      if (extreme) {
        raw[n] = -logSpaceSample(lp, N, C, n, Tn, L, ws, null, 0);
        continue;
      }
      const logP = alphaScaled(probs, from, C, Tn, L, ws.ext, ws.skip, fastRows, stop); // [Tn, L + 2]
      if (logP === logP) {
        raw[n] = -(logP + shift);
        if (a.store) fast[n] = fastRows.slice(0, Tn * (L + 2));
      } else {
        // A state left the fast path's range at frame stop.frame: the exact path carries on from
        // the row before it, which both paths then hold.
        const t0 = stop.frame;
        if (a.store) {
          fast[n] = fastRows.slice(0, t0 * (L + 2)); // [t0, L + 2]
          exact[n] = alphaRows(Tn, L, t0 - 1); // [Tn - t0 + 1, L + 2]
        }
        raw[n] = -(alphaExtended(probs, from, C, Tn, L, ws, exact[n], fastRows, t0) + stop.logScale + shift);
      }
    }
    const loss = a.zeroInfinity ? raw.map((v) => (v === Infinity ? 0 : v)) : raw; // [N]
    let data: Float64Array;
    if (a.reduction === 'none') data = loss;
    else {
      let s = 0;
      for (let n = 0; n < N; n++) s += a.reduction === 'mean' ? loss[n] / Math.max(offsets[n + 1] - offsets[n], 1) : loss[n];
      data = new Float64Array([a.reduction === 'mean' ? s / N : s]);
    }
    return { data, shape: a.reduction === 'none' && batched ? [N] : [], saved: { raw, fast, exact, probs } };
  },
  // d(−log P)/d logProbs[t, n, k] = −Σ_{s: l'_s = k} γ_t(s): minus the posterior of class k at t.
  backward(g, { attrs: a, saved, inputs }) {
    const { T, N, C } = a.dims;
    const lp = inputs[0].data; // [T, N, C]
    const { labels, offsets } = a.targets;
    const ws = scratch(a.targets, C);
    const grad = new Float64Array(lp.length); // [T, N, C]
    for (let n = 0; n < N; n++) {
      const Tn = a.inputLengths[n];
      if (Tn === 0) continue;
      const gn = a.reduction === 'none' ? g[n] : g[0] * weight(a, n);
      if (saved.raw[n] === Infinity) {
        // NOTE: an infinite loss has no derivative; like PyTorch, its frames get NaN (or 0 with zeroInfinity).
        if (!a.zeroInfinity) for (let t = 0; t < Tn; t++) grad.fill(NaN, (t * N + n) * C, (t * N + n + 1) * C);
        continue;
      }
      const L = extend(labels, offsets[n], offsets[n + 1] - offsets[n], a.blank, ws);
      const from = n * T * C;
      const rows = saved.fast[n];
      const alpha = saved.exact[n];
      if (rows === null) logSpaceSample(lp, N, C, n, Tn, L, ws, grad, gn);
      else if (alpha !== null) betaExtendedGrad(saved.probs, from, C, Tn, L, ws, alpha, gn, grad, n * C, N * C, rows);
      else {
        const W = L + 2;
        const b = ws.fb.subarray(0, W);
        if (betaScaledGrad(saved.probs, from, C, Tn, L, ws.ext, ws.skip, rows, b, ws.fb.subarray(W, 2 * W), gn, grad, n * C, N * C, stop)) continue;
        // Beta left the fast path's range although alpha did not: the exact path carries on
        // below the last frame the fast pass completed.
        betaExtendedGrad(saved.probs, from, C, Tn, L, ws, null, gn, grad, n * C, N * C, rows, stop.frame, b);
      }
    }
    return [{ shape: inputs[0].shape, data: grad }];
  },
});

/**
 * Connectionist temporal classification loss: −log of the total probability of every
 * alignment (path) of `targets` to the frames of `logProbs`.
 *
 * Formula: loss_n = −log Σ_{π ∈ B⁻¹(l_n)} Π_{t < Tn} exp(logProbs[t, n, π_t]), where B collapses
 * repeats and then drops blanks, computed by the forward (alpha) recursion; the backward pass is
 * the beta recursion, ∂loss_n/∂logProbs[t, n, k] = −Σ_{s: l'_s = k} α_t(s) β_t(s) / P.
 *
 * @param logProbs `[T, N, C]`, or `[T, C]` unbatched: per-frame log-probabilities (usually a
 *   `logSoftmax` over C; any values are accepted).
 * @param targets padded `[N, S]` (positions past a sample's length are ignored), or 1-D
 *   concatenated of length Σ targetLengths, or `[S]` unbatched: labels in [0, C), never the blank.
 *   A Tensor or nested number arrays.
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number or a one-element array when
 *   unbatched). Frames past a sample's length get zero gradient.
 * @param targetLengths `[N]` labels per sample (≤ S when padded).
 * @param opts `blank = 0`, `reduction = 'mean'`, `zeroInfinity = false`.
 * @returns `'none'`: `[N]` (`[]` unbatched); `'sum'`: `[]`; `'mean'` (default): `[]`, each loss
 *   divided by max(targetLength, 1), then averaged over the batch.
 *
 * PyTorch: `torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths,
 * blank, reduction, zero_infinity)`.
 *
 * NOTE: the gradient is the true derivative with respect to `logProbs`: minus the posterior of
 * each class at each frame. PyTorch's ctc_loss backward returns softmax − posterior instead,
 * which equals the true gradient only once composed with `logSoftmax` (its extra softmax term
 * sums to one per frame and `logSoftmax`'s backward removes it). Compare with PyTorch through the
 * logits (logits → logSoftmax → ctcLoss), never on `logProbs` directly.
 *
 * NOTE: a sample with inputLength 0 has loss 0 for an empty target and Infinity otherwise;
 * PyTorch 1.13 returns unspecified values there.
 *
 * Numerical notes: the recursion runs over probabilities, each frame exponentiated once after
 * subtracting its maximum, with one scale per frame while every live state stays within 2^900 of
 * it (scaled.ts); from the frame where one does not, alpha (or, below it, beta) carries on with a
 * power-of-two exponent per state (recursion.ts), so no state underflows however far apart the
 * states drift: stable for any T (tested at T = 10,000 against a log-space reference). A sample whose blank or labels have, in
 * some frame, log-probabilities more than 550 apart, or NaN or +Infinity, is computed in log space. An
 * infeasible sample (inputLength < targetLength + adjacent repeats, see `ctcFeasible`) has loss
 * Infinity and NaN gradient on its frames, or 0 and 0 with `zeroInfinity`. NaN propagates.
 *
 * References: A. Graves, S. Fernández, F. Gomez, J. Schmidhuber, "Connectionist Temporal
 * Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks", ICML 2006.
 *
 * @example
 * const logits = tensor([[0.5, 1, -1], [0, 2, 0.3], [1, -0.5, 0.2]], { requiresGrad: true });
 * const loss = ctcLoss(logits.logSoftmax(1), [1, 2], 3, 2);
 * loss.item(); // => 0.6495166
 * loss.backward();
 * logits.grad.toArray()[0]; // => [0.0440094, -0.0828572, 0.0388478]
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: IndexInput,
  inputLengths: LengthsInput,
  targetLengths: LengthsInput,
  opts: CtcLossOptions = {},
): Tensor {
  const fn = 'ctcLoss';
  const o = parseOptions(fn, opts, { blank: blankOption, reduction: reduction(), zeroInfinity: boolean(false) });
  const p = problemArgs(fn, logProbs, targets, inputLengths, targetLengths, o.blank);
  const attrs: Attrs = {
    dims: p.dims,
    blank: p.blank,
    targets: p.targets,
    inputLengths: p.inputLengths,
    reduction: o.reduction,
    zeroInfinity: o.zeroInfinity,
    store: isGradEnabled() && p.lp.requiresGrad,
  };
  return apply(CTC, [p.lp], attrs);
}
