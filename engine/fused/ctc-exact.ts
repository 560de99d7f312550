/**
 * The exact path of the CTC recursion (Graves et al., 2006): probabilities with a per-state
 * exponent, one sample at a time.
 *
 * α_t(s) is the probability of the paths through frames 0..t that end in state s (emission at t
 * included); β_t(s) that of finishing from state s at t (emission at t excluded), so
 * Σ_s α_t(s) β_t(s) = P(l | x) at every t and the posterior of state s at t is
 * γ_t(s) = α_t(s) β_t(s) / Σ_s' α_t(s') β_t(s').
 *
 * Why not log space: a log-sum-exp costs an exp and a log per state per frame (at T = 1000,
 * N = 8, benchmark C2, where every sample hands over here, ctcLoss forward and backward took
 * 194 ms this way and 869 ms in log space, CPU time, min of 11). Why not one scale
 * per frame (Rabiner's rescaling, ctc-scaled.ts): over thousands of frames the states of one
 * frame drift more than 1e308 apart, the small ones flush to zero, and a state that was negligible
 * early can carry the whole probability later (at T = 10,000 the loss came out 48 nats off). So
 * here each state carries its own exponent, and ctc-scaled.ts hands a sample over at the frame
 * where some state left its one scale's range: a value is m · 2^(300 e) with the mantissa m kept
 * in [2^-150, 2^150). Terms are aligned to the largest exponent before adding; a term two or more
 * exponent steps below is under 2^-300 of the sum and dropped. Nothing underflows, nothing needs
 * an exp or a log, and renormalising is an exact multiplication by a power of two. Each frame's
 * log-probabilities are exponentiated once, after subtracting their maximum; a sample with a
 * log-probability more than MAX_SPREAD below that maximum (or NaN, +Infinity) is left to
 * ctc-log-space.ts.
 */
import type { CtcSample, CtcScratch } from './ctc-sample.js';
import { rowsBuffer, windowEnd, windowStart } from './ctc-sample.js';

const BIG = 2 ** 300;
const SMALL = 2 ** -300;
const LO = 2 ** -150;
const HI = 2 ** 150;
/** RAISE[k] = 2^(300 k): brings a value in [2^-900, 3] with k = 0..3 steps to spare into [LO, HI). */
const RAISE = new Float64Array([1, BIG, BIG * BIG, BIG * BIG * BIG]);
/** Scale of a term 0, 1, or 2+ exponent steps below the largest (2+: under 2^-300 of the sum, dropped). */
const ALIGN = new Float64Array([1, SMALL, 0]);
/**
 * Exponents are stored biased by 2^30, so that 0 (what a fresh Int32Array holds) is the exponent
 * of a zero: far below any reachable one (a value's exponent moves at most 3 steps per frame),
 * so it never wins an alignment.
 */
const BIAS = 2 ** 30;
const ZERO_E = 0;
/** ln(2^300): one exponent step in nats. */
const STEP = 300 * Math.LN2;
/**
 * Largest gap (nats) between a frame's maximum and a finite log-probability that the recursion
 * takes: e^-550 ≈ 2^-793, so a mantissa ≥ 2^-150 times it stays far above the subnormals.
 */
export const MAX_SPREAD = 550;

/**
 * Alpha rows for the backward pass, mantissas and exponents: rows of L + 2 for frames
 * first .. Tn - 1 (the fast path keeps the frames below `first` in its own form).
 */
export interface AlphaRows {
  m: Float64Array;
  e: Int32Array;
  first: number;
}

export function alphaRows(Tn: number, L: number, first = 0): AlphaRows {
  const n = (Tn - first) * (L + 2);
  return { m: rowsBuffer('ctcLoss', Float64Array, n), e: rowsBuffer('ctcLoss', Int32Array, n), first };
}

/**
 * Writes a row of the fast path, src[at + s] for s in [lo, hi), as mantissas and exponents at
 * m[to + s], e[to + s]. Its values are 0 or in [2^-900, 3], so they are held exactly: scaling by
 * 2^300 is exact, and its scale is a constant per row, which the caller carries.
 */
function fromScaled(src: Float64Array, at: number, m: Float64Array, e: Int32Array, to: number, lo: number, hi: number): void {
  for (let s = lo; s < hi; s++) {
    const v = src[at + s];
    // Branch-free: the exponents of a row are scattered, so a loop of v *= 2^300 mispredicts.
    const k = +(v < LO) + +(v < LO * SMALL) + +(v < LO * SMALL * SMALL);
    m[to + s] = v * RAISE[k];
    e[to + s] = v === 0 ? ZERO_E : BIAS - k;
  }
}

/**
 * Runs the alpha recursion for sample `x` over its exponentiated frames and returns log P minus
 * the frames' shifts. With `rows`, the rows of frames rows.first .. Tn - 1 are kept there for the
 * backward pass; otherwise two rolling rows of `ws` are used. With `resume`, where alphaScaled
 * stopped and the rows it completed, the recursion carries on from row resume.frame - 1 (then
 * rows.first must be resume.frame - 1) and returns log P minus the shifts and minus that row's log
 * scale.
 */
export function alphaExact(x: CtcSample, ws: CtcScratch, rows: AlphaRows | null, resume: { frame: number; fast: Float64Array } | null = null): number {
  const { Tn, L, C, ext, skip, probs, from } = x;
  const W = L + 2;
  const am = rows ? rows.m : ws.am;
  const ae = rows ? rows.e : ws.ae;
  const first = rows ? rows.first : 0;
  if (!rows) {
    am.fill(0, 0, 2 * W);
    ae.fill(ZERO_E, 0, 2 * W);
  }
  const t0 = resume !== null ? resume.frame : 0;
  let cur = 2;
  if (resume !== null && t0 > 0) {
    cur = (rows ? t0 - 1 - first : (t0 - 1) & 1) * W + 2;
    fromScaled(resume.fast, (t0 - 1) * W + 2, am, ae, cur, windowStart(L, Tn, t0 - 1), windowEnd(L, t0 - 1));
  }
  for (let t = t0; t < Tn; t++) {
    cur = (rows ? t - first : t & 1) * W + 2;
    const prev = (rows ? t - 1 - first : (t - 1) & 1) * W + 2;
    const p = from + t * C;
    const end = windowEnd(L, t);
    for (let s = windowStart(L, Tn, t); s < end; s++) {
      let sum = 1;
      let E = BIAS;
      if (t > 0) {
        const e0 = ae[prev + s];
        const e1 = ae[prev + s - 1];
        const sk = skip[s];
        if (e0 === e1 && (sk === 0 || ae[prev + s - 2] === e0)) {
          // The common case: neighbouring states share an exponent.
          sum = am[prev + s] + am[prev + s - 1] + sk * am[prev + s - 2];
          E = e0;
        } else {
          // Align the three terms to the largest exponent: ALIGN[d] scales a term d steps below
          // it. The skip term is masked twice: out of E, and out of the sum (its slot may hold a value).
          const e2 = sk === 1 ? ae[prev + s - 2] : ZERO_E;
          E = Math.max(e0, e1, e2);
          sum = am[prev + s] * ALIGN[Math.min(E - e0, 2)] + am[prev + s - 1] * ALIGN[Math.min(E - e1, 2)] + sk * am[prev + s - 2] * ALIGN[Math.min(E - e2, 2)];
        }
      }
      let v = sum * probs[p + ext[s]];
      if (v < LO || v >= HI) {
        if (v === 0) E = ZERO_E;
        else if (v >= HI) {
          v *= SMALL;
          E++;
        } else {
          while (v < LO) {
            v *= BIG;
            E--;
          }
        }
      }
      am[cur + s] = v;
      ae[cur + s] = E;
    }
  }
  const m1 = am[cur + L - 1];
  const e1 = ae[cur + L - 1];
  const m2 = L >= 2 ? am[cur + L - 2] : 0;
  const e2 = L >= 2 ? ae[cur + L - 2] : ZERO_E;
  const E = e1 > e2 ? e1 : e2;
  const tail = (e1 === E ? m1 : e1 === E - 1 ? m1 * SMALL : 0) + (e2 === E ? m2 : e2 === E - 1 ? m2 * SMALL : 0);
  return Math.log(tail) + (E - BIAS) * STEP;
}

/** Scale of a product m_α m_β (in [2^-300, 2^300)) 0, 1, 2 or 3+ steps below the largest (3+: dropped). */
const PRODUCT_ALIGN = new Float64Array([1, SMALL, SMALL * SMALL, 0]);

/** The alpha rows a forward pass kept for one sample: the fast path's below exact.first, the exact path's from there. */
export interface SavedAlpha {
  readonly fast: Float64Array | null;
  readonly exact: AlphaRows | null;
}

/**
 * Runs the beta recursion for sample `x` backwards from its last frame and, frame by frame,
 * subtracts gn·γ_t(s) from grad[at + t·stride + l'_s]: the true derivative of gn·(−log P) with
 * respect to that frame's log-probability of l'_s. The alpha rows are alpha.exact from frame
 * alpha.exact.first on and alpha.fast below it (each frame's alpha may carry its own scale: γ_t is
 * normalised per frame). With `handover`, β of frame handover.frame as betaScaledGrad left it, the
 * recursion carries on below a fast pass that has already added the gradient of frames
 * handover.frame .. Tn - 1. The sample's P must be positive: then every frame's Σ α β is too, its
 * largest term being held exactly.
 */
export function betaExactGrad(x: CtcSample, ws: CtcScratch, alpha: SavedAlpha, gn: number, grad: Float64Array, handover: { frame: number; beta: Float64Array } | null = null): void {
  const { Tn, L, C, ext, skip, probs, from, at, stride } = x;
  const { bm, be, prod } = ws;
  const rows = alpha.exact;
  const fast = alpha.fast;
  const top = handover !== null ? handover.frame : Tn - 1;
  const W = L + 2;
  bm.fill(0, 0, 2 * W);
  be.fill(ZERO_E, 0, 2 * W);
  const b0 = (top & 1) * W;
  if (handover !== null) fromScaled(handover.beta, 0, bm, be, b0, windowStart(L, Tn, top), windowEnd(L, top));
  else {
    bm[b0 + L - 1] = 1;
    be[b0 + L - 1] = BIAS;
    if (L >= 2) {
      bm[b0 + L - 2] = 1;
      be[b0 + L - 2] = BIAS;
    }
  }
  const first = rows !== null ? rows.first : Tn;
  for (let t = top; t >= 0; t--) {
    const b = (t & 1) * W;
    const p = from + t * C;
    const gt = at + t * stride;
    const start = windowStart(L, Tn, t);
    const end = windowEnd(L, t);
    let xm = ws.am;
    let xe = ws.ae;
    let a = 2;
    if (rows !== null && t >= first) {
      xm = rows.m;
      xe = rows.e;
      a = (t - first) * W + 2;
    } else if (fast !== null) fromScaled(fast, t * W + 2, xm, xe, a, start, end);
    let top2 = ZERO_E;
    for (let s = start; s < end; s++) {
      const d = xe[a + s] + be[b + s];
      if (d > top2) top2 = d;
    }
    let z = 0;
    for (let s = start; s < end; s++) {
      const ab = xm[a + s] * bm[b + s] * PRODUCT_ALIGN[Math.min(top2 - xe[a + s] - be[b + s], 3)];
      prod[s] = ab;
      z += ab;
    }
    // The handed-over frame's gradient is already in grad: k = 0 adds nothing to it.
    const k = handover !== null && t === top ? 0 : gn / z;
    // Beside the gradient, the row is overwritten by q_t(s) = p_t(l'_s) β_t(s), renormalised,
    // from which β_{t-1}(s) = q_t(s) + q_t(s + 1) + skip(s + 2) q_t(s + 2).
    for (let s = start; s < end; s++) {
      const bs = bm[b + s];
      let e = be[b + s];
      grad[gt + ext[s]] -= k * prod[s];
      let q = probs[p + ext[s]] * bs;
      if (q === 0) e = ZERO_E;
      else {
        while (q < LO) {
          q *= BIG;
          e--;
        }
      }
      bm[b + s] = q;
      be[b + s] = e;
    }
    if (t === 0) break;
    // States below the window have β = 0; their slots still hold frame t + 2's values.
    for (let s = Math.max(0, start - 2); s < start; s++) {
      bm[b + s] = 0;
      be[b + s] = ZERO_E;
    }
    const nb = ((t - 1) & 1) * W;
    const end1 = windowEnd(L, t - 1);
    for (let s = windowStart(L, Tn, t - 1); s < end1; s++) {
      const e0 = be[b + s];
      const e1 = be[b + s + 1];
      const sk = skip[s + 2];
      let E = e0;
      let v: number;
      if (e0 === e1 && (sk === 0 || be[b + s + 2] === e0)) v = bm[b + s] + bm[b + s + 1] + sk * bm[b + s + 2];
      else {
        const e2 = sk === 1 ? be[b + s + 2] : ZERO_E;
        E = Math.max(e0, e1, e2);
        v = bm[b + s] * ALIGN[Math.min(E - e0, 2)] + bm[b + s + 1] * ALIGN[Math.min(E - e1, 2)] + sk * bm[b + s + 2] * ALIGN[Math.min(E - e2, 2)];
      }
      if (v === 0) E = ZERO_E;
      else if (v >= HI) {
        v *= SMALL;
        E++;
      }
      bm[nb + s] = v;
      be[nb + s] = E;
    }
  }
}
