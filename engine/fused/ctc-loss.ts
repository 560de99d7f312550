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
import { Arena, SPLIT_MIN, runShares, threadsFor, transferables } from '../threads/pool.js';
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

/** One share of the forward: samples [n0, n1). */
interface AlphaShare {
  lp: Float64Array;
  a: CtcNodeAttrs;
  /** [N, T, C], written at the share's samples, when the backward pass needs it; else null. */
  probs: Float64Array | null;
  n0: number;
  n1: number;
}

interface AlphaResult {
  /** −log P of samples n0 .. n1 - 1. */
  raw: Float64Array;
  alpha: (SavedAlpha | null)[];
}

/**
 * The alpha recursion of samples [n0, n1). A worker task too (engine/threads/worker.ts): samples
 * are independent, so each one's values do not depend on which thread computes it.
 * @internal
 */
export function ctcAlphaRange({ lp, a, probs: kept, n0, n1 }: AlphaShare): AlphaResult {
  const { T, C } = a.dims;
  const { labels, offsets } = a.targets;
  const ws = new CtcScratch(maxTargetLength(a.targets), C);
  // Without a backward pass, one sample's block of frames serves every sample.
  const probs = kept ?? new Float64Array(T * C);
  // The fast path's alpha rows of the sample at hand; a sample's rows are copied out for the
  // backward pass once it is known how many of them the fast path completed.
  let maxRows = 0;
  for (let n = n0; n < n1; n++) maxRows = Math.max(maxRows, a.inputLengths[n] * (2 * (offsets[n + 1] - offsets[n]) + 3));
  const rows = rowsBuffer('ctcLoss', Float64Array, maxRows);
  const raw = new Float64Array(n1 - n0);
  const alpha = new Array<SavedAlpha | null>(n1 - n0).fill(null);
  for (let n = n0; n < n1; n++) {
    const i = n - n0;
    const Tn = a.inputLengths[n];
    if (minFrames(labels, offsets[n], offsets[n + 1]) > Tn) {
      raw[i] = Infinity;
      continue;
    }
    if (Tn === 0) continue;
    const x = sample(a, ws, n, probs);
    const shift = exponentiate(x, lp, ws);
    if (shift !== shift) {
      raw[i] = -logSpaceSample(x, lp, null, 0);
      continue;
    }
    const W = x.L + 2;
    const logP = alphaScaled(x, rows, ws.stop); // rows: [Tn, L + 2]
    if (logP === logP) {
      raw[i] = -(logP + shift);
      if (a.store) alpha[i] = { fast: rows.slice(0, Tn * W), exact: null };
      continue;
    }
    // A state left the fast path's range at frame t0: the exact path carries on from the row
    // before it, which both paths then hold.
    const { frame: t0, logScale } = ws.stop;
    const exact = a.store ? alphaRows(Tn, x.L, t0 - 1) : null; // [Tn - t0 + 1, L + 2]
    raw[i] = -(alphaExact(x, ws, exact, { frame: t0, fast: rows }) + logScale + shift);
    if (a.store) alpha[i] = { fast: rows.slice(0, t0 * W), exact };
  }
  return { raw, alpha };
}

/** One share of the backward: samples [n0, n1), their gradient written into `grad`. */
interface BetaShare {
  lp: Float64Array;
  a: CtcNodeAttrs;
  /** The incoming gradient, the forward's raw losses, and its [N, T, C] frames. */
  g: Float64Array;
  raw: Float64Array;
  probs: Float64Array;
  /** The alpha rows of samples n0 .. n1 - 1. */
  alpha: (SavedAlpha | null)[];
  /** [T, N, C], written at the share's samples only. */
  grad: Float64Array;
  n0: number;
  n1: number;
}

/**
 * The beta recursion of samples [n0, n1) and their gradient. A worker task too
 * (engine/threads/worker.ts), which returns the alpha rows it was handed (moved, not copied) so
 * that they go back to the graph.
 * @internal
 */
export function ctcBetaRange({ lp, a, g, raw, probs, alpha, grad, n0, n1 }: BetaShare): (SavedAlpha | null)[] {
  const { N, C } = a.dims;
  const ws = new CtcScratch(maxTargetLength(a.targets), C);
  for (let n = n0; n < n1; n++) {
    const Tn = a.inputLengths[n];
    if (Tn === 0) continue;
    const gn = g[n];
    if (raw[n] === Infinity) {
      // NOTE: an infinite loss has no derivative; like PyTorch, its frames get NaN (or 0 with zeroInfinity).
      if (!a.zeroInfinity) for (let t = 0; t < Tn; t++) grad.fill(NaN, (t * N + n) * C, (t * N + n + 1) * C);
      continue;
    }
    const x = sample(a, ws, n, probs);
    const kept = alpha[n - n0];
    if (kept === null) logSpaceSample(x, lp, grad, gn);
    else if (kept.exact !== null || kept.fast === null) betaExactGrad(x, ws, kept, gn, grad);
    else {
      // Beta may leave the fast path's range although alpha did not: the exact path then
      // carries on below the last frame the fast pass completed.
      const handover = betaScaledGrad(x, ws, kept.fast, gn, grad);
      if (handover !== null) betaExactGrad(x, ws, kept, gn, grad, handover);
    }
  }
  return alpha;
}

/**
 * Cuts samples 0 .. N - 1 into `threads` runs of about equal work (frames × states), so that a
 * batch of unequal lengths still keeps every thread busy. Each sample's values do not depend on
 * the cut.
 */
function cuts(a: CtcNodeAttrs, threads: number): number[] {
  const { N } = a.dims;
  // Each sample counts one more than its states, so that empty samples still spread out.
  const work = (n: number) => sampleWork(a, n) + 1;
  let total = 0;
  for (let n = 0; n < N; n++) total += work(n);
  const at = [0];
  let acc = 0;
  for (let n = 0; n < N && at.length < threads; n++) {
    acc += work(n);
    if (acc * threads >= total * at.length && N - (n + 1) >= threads - at.length) at.push(n + 1);
  }
  while (at.length < threads) at.push(N);
  at.push(N);
  return at;
}

/** Frames × states of sample n: what its recursions cost. */
function sampleWork(a: CtcNodeAttrs, n: number): number {
  const { offsets } = a.targets;
  return a.inputLengths[n] * (2 * (offsets[n + 1] - offsets[n]) + 1);
}

/** Frames × states of the whole batch: what the split threshold compares. */
function batchWork(a: CtcNodeAttrs): number {
  let w = 0;
  for (let n = 0; n < a.dims.N; n++) w += sampleWork(a, n);
  return w;
}

export const CTC_LOSS = primitive<CtcNodeAttrs, CtcSaved>({
  name: 'ctcLoss',
  forward([logProbs], a) {
    const { T, N, C, batched } = a.dims;
    const lp = logProbs.data; // [T, N, C]
    const threads = threadsFor(batchWork(a), SPLIT_MIN.ctc, N);
    // [N, T, C] when stored, else unused
    const probs = new Float64Array(a.store ? N * T * C : 0);
    let raw: Float64Array;
    let alpha: (SavedAlpha | null)[];
    if (threads === 1) ({ raw, alpha } = ctcAlphaRange({ lp, a, probs: a.store ? probs : null, n0: 0, n1: N }));
    else {
      // The calling thread's share works in place; the workers' on arena copies.
      const at = cuts(a, threads);
      const arena = Arena.of(threads, lp.length + probs.length);
      // The frames start at zero, as on one thread: the recursions read only the classes they
      // wrote, but the saved state should not depend on what the arena last held.
      const theirs = { lp: arena.copyOf(lp), a, probs: a.store ? arena.zeros(probs.length) : null };
      const shares: AlphaShare[] = [{ lp, a, probs: a.store ? probs : null, n0: 0, n1: at[1] }];
      for (let t = 1; t < threads; t++) shares.push({ ...theirs, n0: at[t], n1: at[t + 1] });
      const parts = runShares('ctcAlpha', ctcAlphaRange, shares);
      raw = new Float64Array(N);
      alpha = [];
      parts.forEach((part, t) => {
        raw.set(part.raw, at[t]);
        alpha.push(...part.alpha);
      });
      // Each sample's frames are contiguous in probs: the workers' samples are one block.
      if (theirs.probs !== null) probs.set(theirs.probs.subarray(at[1] * T * C), at[1] * T * C);
    }
    const data = a.zeroInfinity ? raw.map((v) => (v === Infinity ? 0 : v)) : raw.slice(); // [N]
    return { data, shape: batched ? [N] : [], saved: { raw, alpha, probs } };
  },
  // d(−log P)/d logProbs[t, n, k] = −Σ_{s: l'_s = k} γ_t(s): minus the posterior of class k at t.
  backward(g, { attrs: a, saved, inputs }) {
    const lp = inputs[0].data; // [T, N, C]
    const { N } = a.dims;
    const shape = inputs[0].shape;
    const threads = threadsFor(batchWork(a), SPLIT_MIN.ctc, N);
    if (threads === 1) {
      const grad = new Float64Array(lp.length);
      ctcBetaRange({ lp, a, g, raw: saved.raw, probs: saved.probs, alpha: saved.alpha, grad, n0: 0, n1: N });
      return [{ shape, data: grad }];
    }
    // The calling thread's share works in place; the workers' on arena copies.
    const { T, C } = a.dims;
    const at = cuts(a, threads);
    const grad = new Float64Array(lp.length);
    const arena = Arena.of(threads, 2 * lp.length + saved.probs.length);
    const theirs = { lp: arena.copyOf(lp), a, g, raw: saved.raw, probs: arena.copyOf(saved.probs, at[1] * T * C), grad: arena.zeros(lp.length) };
    const shares: BetaShare[] = [{ lp, a, g, raw: saved.raw, probs: saved.probs, grad, alpha: saved.alpha.slice(0, at[1]), n0: 0, n1: at[1] }];
    for (let t = 1; t < threads; t++) shares.push({ ...theirs, alpha: saved.alpha.slice(at[t], at[t + 1]), n0: at[t], n1: at[t + 1] });
    // The workers' alpha rows are moved to them and back, never copied.
    let back: (SavedAlpha | null)[][];
    try {
      back = runShares('ctcBeta', ctcBetaRange, shares, shares.map((s, t) => (t === 0 ? [] : transferables(s.alpha))));
    } catch (e) {
      // Rows moved to a worker that failed are gone: those samples' next backward (a retained
      // graph) runs in log space, which needs none.
      for (let n = at[1]; n < N; n++) saved.alpha[n] = null;
      throw e;
    }
    for (let t = 1; t < threads; t++) back[t].forEach((rows, i) => (saved.alpha[at[t] + i] = rows));
    // A sample's gradient is one run of C entries per frame: copy back the workers' runs.
    const lo = at[1] * C;
    for (let t = 0; t < T; t++) grad.set(theirs.grad.subarray(t * N * C + lo, (t + 1) * N * C), t * N * C + lo);
    return [{ shape, data: grad }];
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
