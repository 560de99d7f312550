/**
 * The CTC loss as one graph node: its forward is the alpha recursion of each sample, its backward
 * the beta recursion, and it returns the per-sample losses −log P(l_n | x_n) (the caller, ctc/,
 * reduces them with `reduce`).
 *
 * Why fused: composing the recursion from elementwise ops would record T·L nodes per sample and
 * run the backward pass through all of them. Composed twin: none can be built from engine ops at
 * a useful size; spec/ctc checks this node against brute-force enumeration of every path, a
 * textbook log-space recursion and PyTorch.
 *
 * Each sample takes the cheapest recursion that holds it exactly: the one-scale fast path
 * (ctc-scaled.ts), handing over at the frame where a state leaves its range to the per-state
 * exponent path (ctc-exact.ts), in alpha and in beta; a sample whose classes lie too far apart in
 * some frame, or hold NaN or +Infinity, runs in log space (ctc-log-space.ts).
 */
import { apply, isGradEnabled, primitive } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import type { SavedAlpha } from './ctc-exact.js';
import { MAX_SPREAD, alphaExact, alphaRows, betaExactGrad } from './ctc-exact.js';
import { logSpaceSample } from './ctc-log-space.js';
import type { CtcSample } from './ctc-sample.js';
import { CtcScratch, minFrames, rowsBuffer } from './ctc-sample.js';
import { alphaScaled, betaScaledGrad } from './ctc-scaled.js';

/** The shape of logProbs: `[T, N, C]`, or `[T, C]` read as N = 1 (`batched` false). */
export interface CtcDims {
  readonly T: number;
  readonly N: number;
  readonly C: number;
  readonly batched: boolean;
}

/** Targets as flat concatenated labels: sample n owns `labels[offsets[n] .. offsets[n + 1])`. */
export interface CtcTargets {
  readonly labels: Int32Array;
  readonly offsets: Int32Array;
}

/** A checked CTC problem: ctc/ has validated every field (labels in [0, C), never the blank; lengths ≤ T). */
export interface CtcLossAttrs {
  readonly dims: CtcDims;
  readonly blank: number;
  readonly targets: CtcTargets;
  readonly inputLengths: Int32Array;
  /** Replace an infinite loss and its gradient by 0. */
  readonly zeroInfinity: boolean;
}

/** What the node itself carries beside the problem. */
export interface CtcNodeAttrs extends CtcLossAttrs {
  /** Keep every alpha row and the exponentiated frames for the backward pass. */
  readonly store: boolean;
}

/** What the forward pass keeps for the backward pass. */
export interface CtcSaved {
  /** −log P per sample before zeroInfinity. */
  readonly raw: Float64Array;
  /** Per sample, the alpha rows kept; null for a log-space sample (or one with nothing to keep). */
  readonly alpha: (SavedAlpha | null)[];
  /** exp(logProbs − shift) at the classes each sample uses, sample-major [N, T, C] so a sample's frames are contiguous. */
  readonly probs: Float64Array;
}

function maxTargetLength(t: CtcTargets): number {
  let m = 0;
  for (let n = 0; n + 1 < t.offsets.length; n++) m = Math.max(m, t.offsets[n + 1] - t.offsets[n]);
  return m;
}

function sample(a: CtcNodeAttrs, ws: CtcScratch, n: number, probs: Float64Array): CtcSample {
  const { T, N, C } = a.dims;
  const { labels, offsets } = a.targets;
  const L = ws.extend(labels, offsets[n], offsets[n + 1] - offsets[n], a.blank);
  return { Tn: a.inputLengths[n], L, C, ext: ws.ext, skip: ws.skip, probs, from: a.store ? n * T * C : 0, at: n * C, stride: N * C };
}

/**
 * Exponentiates each frame of sample `x` once, at the classes it uses (the blank and its labels),
 * after subtracting their maximum, so that nothing overflows and the most likely is exactly 1.
 * Returns the sum of the shifts, or NaN where the recursion over probabilities cannot hold the
 * sample: NaN or +Infinity there, or a finite log-probability more than MAX_SPREAD below its frame's maximum.
 */
function exponentiate(x: CtcSample, lp: Float64Array, ws: CtcScratch): number {
  const { Tn, L, C, probs, from, at, stride } = x;
  const { used } = ws;
  const K = ws.usedClasses(L);
  let shift = 0;
  for (let t = 0; t < Tn; t++) {
    const base = at + t * stride;
    const dst = from + t * C;
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = lp[base + used[k]];
      if (v > m || v !== v) m = v;
    }
    if (m === -Infinity) m = 0;
    else if (!Number.isFinite(m)) return NaN;
    shift += m;
    for (let k = 0; k < K; k++) {
      const d = lp[base + used[k]] - m;
      if (d < -MAX_SPREAD && d !== -Infinity) return NaN;
      probs[dst + used[k]] = Math.exp(d);
    }
  }
  return shift;
}

export const CTC_LOSS = primitive<CtcNodeAttrs, CtcSaved>({
  name: 'ctcLoss',
  forward([logProbs], a) {
    const { T, N, C, batched } = a.dims;
    const lp = logProbs.data; // [T, N, C]
    const { labels, offsets } = a.targets;
    const ws = new CtcScratch(maxTargetLength(a.targets), C);
    // Without a backward pass, one sample's block of frames serves every sample.
    const probs = new Float64Array((a.store ? N : 1) * T * C); // [N, T, C] or [1, T, C]
    // The fast path's alpha rows of the sample at hand; a sample's rows are copied out for the
    // backward pass once it is known how many of them the fast path completed.
    let maxRows = 0;
    for (let n = 0; n < N; n++) maxRows = Math.max(maxRows, a.inputLengths[n] * (2 * (offsets[n + 1] - offsets[n]) + 3));
    const rows = rowsBuffer('ctcLoss', Float64Array, maxRows);
    const raw = new Float64Array(N);
    const alpha = new Array<SavedAlpha | null>(N).fill(null);
    for (let n = 0; n < N; n++) {
      const Tn = a.inputLengths[n];
      if (minFrames(labels, offsets[n], offsets[n + 1]) > Tn) {
        raw[n] = Infinity;
        continue;
      }
      if (Tn === 0) continue;
      const x = sample(a, ws, n, probs);
      const shift = exponentiate(x, lp, ws);
      if (shift !== shift) {
        raw[n] = -logSpaceSample(x, lp, null, 0);
        continue;
      }
      const W = x.L + 2;
      const logP = alphaScaled(x, rows, ws.stop); // rows: [Tn, L + 2]
      if (logP === logP) {
        raw[n] = -(logP + shift);
        if (a.store) alpha[n] = { fast: rows.slice(0, Tn * W), exact: null };
        continue;
      }
      // A state left the fast path's range at frame t0: the exact path carries on from the row
      // before it, which both paths then hold.
      const { frame: t0, logScale } = ws.stop;
      const exact = a.store ? alphaRows(Tn, x.L, t0 - 1) : null; // [Tn - t0 + 1, L + 2]
      raw[n] = -(alphaExact(x, ws, exact, { frame: t0, fast: rows }) + logScale + shift);
      if (a.store) alpha[n] = { fast: rows.slice(0, t0 * W), exact };
    }
    const data = a.zeroInfinity ? raw.map((v) => (v === Infinity ? 0 : v)) : raw.slice(); // [N]
    return { data, shape: batched ? [N] : [], saved: { raw, alpha, probs } };
  },
  // d(−log P)/d logProbs[t, n, k] = −Σ_{s: l'_s = k} γ_t(s): minus the posterior of class k at t.
  backward(g, { attrs: a, saved, inputs }) {
    const { N, C } = a.dims;
    const lp = inputs[0].data; // [T, N, C]
    const ws = new CtcScratch(maxTargetLength(a.targets), C);
    const grad = new Float64Array(lp.length); // [T, N, C]
    for (let n = 0; n < N; n++) {
      const Tn = a.inputLengths[n];
      if (Tn === 0) continue;
      const gn = g[n];
      if (saved.raw[n] === Infinity) {
        // NOTE: an infinite loss has no derivative; like PyTorch, its frames get NaN (or 0 with zeroInfinity).
        if (!a.zeroInfinity) for (let t = 0; t < Tn; t++) grad.fill(NaN, (t * N + n) * C, (t * N + n + 1) * C);
        continue;
      }
      const x = sample(a, ws, n, saved.probs);
      const kept = saved.alpha[n];
      if (kept === null) logSpaceSample(x, lp, grad, gn);
      else if (kept.exact !== null || kept.fast === null) betaExactGrad(x, ws, kept, gn, grad);
      else {
        // Beta may leave the fast path's range although alpha did not: the exact path then
        // carries on below the last frame the fast pass completed.
        const handover = betaScaledGrad(x, ws, kept.fast, gn, grad);
        if (handover !== null) betaExactGrad(x, ws, kept, gn, grad, handover);
      }
    }
    return [{ shape: inputs[0].shape, data: grad }];
  },
});

/**
 * Applies the CTC node: the per-sample losses `[N]` (`[]` unbatched) of a problem ctc/ has checked.
 *
 * @param logProbs `[T, N, C]` or `[T, C]`, as `attrs.dims` describes it
 * @param attrs the checked problem
 * @returns `[N]`, or `[]` when `attrs.dims.batched` is false
 */
export function ctcLossNode(logProbs: Tensor, attrs: CtcLossAttrs): Tensor {
  return apply(CTC_LOSS, [logProbs], { ...attrs, store: isGradEnabled() && logProbs.requiresGrad });
}
