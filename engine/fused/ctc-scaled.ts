/**
 * The fast path of the CTC recursion: plain doubles, one scale per frame (Rabiner's rescaling),
 * handing a sample over to the per-state-exponent recursion of ctc-exact.ts at the frame where it
 * can no longer be exact. It pays for itself: at T = 200, N = 32 (benchmark C1), where no sample
 * hands over, ctcLoss forward and backward took 34.7 ms with it and 51.4 ms on the exponent path
 * alone (CPU time, min of 11).
 *
 * Each frame's row is computed from the previous row divided by that row's sum, so every value
 * lies in [0, 3] and nothing overflows. One scale per frame fails only by underflow: a state
 * drifting far below the others goes subnormal or flushes to zero, and if it later carries the
 * probability the result is wrong (the T = 10,000 case of ctc-exact.ts). A double that stays
 * normal keeps full relative precision however small it is next to its neighbours, so the fast
 * path is exact as long as every state that should be nonzero stays at or above LIM = 2^-900.
 * The check costs one comparison per state: a value under LIM is either a true zero (no
 * predecessor, or an impossible emission) or the sign to bail out, and then the caller carries
 * on from that frame with per-state exponents: every row completed so far is exact, so only the
 * frames from there on need the slower recursion. Why 2^-900: stored values ≥ 2^-900 and row
 * sums ≤ 3W keep the factor p · (1 / sum) of the next frame normal (emissions ≥ e^-550 ≈ 2^-793,
 * see MAX_SPREAD in ctc-exact.ts), so the only rounding that can lose digits is the final product, which is
 * checked; and a term that underflows inside a sum of at least 2^-900 is under 2^-122 of it.
 *
 * Rows have the layout of ctc-exact.ts: alpha rows of L + 2 with two leading pads, states only
 * inside the window [windowStart, windowEnd).
 */
import type { CtcSample, CtcScratch, Stop } from './ctc-sample.js';
import { windowEnd, windowStart } from './ctc-sample.js';

const LIM = 2 ** -900;

/**
 * Runs the alpha recursion of sample `x` as alphaExact does, keeping frame t's row of L + 2 at
 * `rows[t·(L + 2)]`. Returns log P minus the shifts, or NaN when a state fell under LIM at some
 * frame t, then recording t and the scale of row t - 1 in `stop`: rows 0 .. t - 1 are exact, and
 * alphaExact can carry on from them.
 */
export function alphaScaled(x: CtcSample, rows: Float64Array, stop: Stop): number {
  const { Tn, L, C, ext, skip, probs, from } = x;
  const W = L + 2;
  let cur = 2;
  rows[cur - 2] = 0;
  rows[cur - 1] = 0;
  let c = 0;
  const end0 = windowEnd(L, 0);
  // Emissions are 0 or at least e^-550 (MAX_SPREAD), so the first row needs no check.
  for (let s = windowStart(L, Tn, 0); s < end0; s++) {
    const v = probs[from + ext[s]];
    rows[cur + s] = v;
    c += v;
  }
  // Frame t + 1 reads frame t's row two states past its window: they must read as zero in a
  // reused buffer.
  for (let s = end0; s < Math.min(L, end0 + 2); s++) rows[cur + s] = 0;
  let logScale = 0;
  for (let t = 1; t < Tn; t++) {
    if (c === 0) return -Infinity;
    const prevScale = logScale;
    logScale += Math.log(c);
    const r = 1 / c;
    const prev = cur;
    cur = t * W + 2;
    rows[cur - 2] = 0;
    rows[cur - 1] = 0;
    const p = from + t * C;
    const end = windowEnd(L, t);
    c = 0;
    for (let s = windowStart(L, Tn, t); s < end; s++) {
      const sum = rows[prev + s] + rows[prev + s - 1] + skip[s] * rows[prev + s - 2];
      const e = probs[p + ext[s]];
      const v = sum * (e * r);
      if (v < LIM && (v !== 0 || (sum !== 0 && e !== 0))) {
        stop.frame = t;
        stop.logScale = prevScale;
        return NaN;
      }
      rows[cur + s] = v;
      c += v;
    }
    for (let s = end; s < Math.min(L, end + 2); s++) rows[cur + s] = 0;
  }
  return Math.log(rows[cur + L - 1] + (L >= 2 ? rows[cur + L - 2] : 0)) + logScale;
}

/**
 * Runs the beta recursion of sample `x` as betaExactGrad does, over the rows `alphaScaled` kept,
 * subtracting gn·γ_t(s) from grad[at + t·stride + l'_s]. Its two rows are ws.fb. Returns null
 * when it completed; otherwise, where a state fell under LIM (or a frame's Σ α β did), it has
 * added the gradient of frames frame .. Tn - 1 and returns that frame and its β (exact, the first
 * L + 2 values of ws.fb), for betaExactGrad to carry on below it. The sample's P must be positive.
 */
export function betaScaledGrad(x: CtcSample, ws: CtcScratch, rows: Float64Array, gn: number, grad: Float64Array): { frame: number; beta: Float64Array } | null {
  const { Tn, L, C, ext, skip, probs, from, at, stride } = x;
  const W = L + 2;
  const b0 = ws.fb.subarray(0, W);
  let b = b0;
  let q = ws.fb.subarray(W, 2 * W);
  b.fill(0, 0, W);
  q.fill(0, 0, W);
  b[L - 1] = 1;
  if (L >= 2) b[L - 2] = 1;
  // z = Σ α_t β_t and cs = Σ β_t of the frame about to be processed, both over its window.
  let z = 0;
  let cs = 0;
  const aTop = (Tn - 1) * W + 2;
  const endTop = windowEnd(L, Tn - 1);
  for (let s = windowStart(L, Tn, Tn - 1); s < endTop; s++) {
    z += rows[aTop + s] * b[s];
    cs += b[s];
  }
  for (let t = Tn - 1; t >= 0; t--) {
    // P > 0 makes frame Tn - 1's z at least LIM, so a frame that fails here has a successor,
    // whose β is still in q.
    if (z < LIM) return handOver(t + 1, q, b0);
    const k = gn / z;
    const r = 1 / cs;
    const a = t * W + 2;
    const p = from + t * C;
    const gt = at + t * stride;
    const start = windowStart(L, Tn, t);
    const end = windowEnd(L, t);
    // q_t(s) = p_t(l'_s) β_t(s), β renormalised to sum 1, from which
    // β_{t-1}(s) = q_t(s) + q_t(s + 1) + skip(s + 2) q_t(s + 2).
    for (let s = start; s < end; s++) {
      const bs = b[s];
      grad[gt + ext[s]] -= k * rows[a + s] * bs;
      q[s] = probs[p + ext[s]] * (bs * r);
    }
    if (t === 0) break;
    const a1 = a - W;
    const end1 = windowEnd(L, t - 1);
    z = 0;
    cs = 0;
    // β_{t-1} overwrites q in place (q[s + 1], q[s + 2] are read before they are), so that β_t
    // stays whole in b for a hand-over. The two buffers then swap; windows only move up with t,
    // so the slots below a window that the next frame reads were never written: still 0.
    for (let s = windowStart(L, Tn, t - 1); s < end1; s++) {
      const sk = skip[s + 2];
      const v = q[s] + q[s + 1] + sk * q[s + 2];
      if (v < LIM && (v !== 0 || live(b, p, probs, ext, s, sk))) return handOver(t, b, b0);
      q[s] = v;
      z += rows[a1 + s] * v;
      cs += v;
    }
    const swap = b;
    b = q;
    q = swap;
  }
  return null;
}

/** The frame the exact path carries on from, with its β moved into the first of the two rows. */
function handOver(frame: number, beta: Float64Array, b0: Float64Array): { frame: number; beta: Float64Array } {
  if (beta !== b0) b0.set(beta);
  return { frame, beta: b0 };
}

/** Whether β_{t-1}(s) is truly positive: some successor has β_t > 0 and a possible emission. */
function live(b: Float64Array, p: number, probs: Float64Array, ext: Int32Array, s: number, sk: number): boolean {
  for (let i = 0; i <= (sk === 1 ? 2 : 1); i++) if (b[s + i] !== 0 && probs[p + ext[s + i]] !== 0) return true;
  return false;
}
