/**
 * The hand-written CTC reference: softmax, then the alpha-beta recursion (Graves et al. 2006)
 * over scaled probabilities (each frame's alpha and beta rows renormalised to sum 1, the
 * log of alpha's normaliser accumulated), restricted to the states that can lie on a complete
 * path, then the gradient with respect to the logits. Full-length inputs and targets, blank 0,
 * 'mean' reduction (each loss over its target length, then averaged over the batch).
 *
 * NOTE: scaled, not log space, because that is the fast way to write CTC by hand; the data are
 * chosen so no frame's total underflows (random logits, C ≤ 100), where scaling is exact enough.
 */
import type { LossGrad } from '../row.js';

export interface CtcSizes { T: number; N: number; C: number; S: number }

function softmaxRows(x: Float64Array, C: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let row = 0; row < x.length; row += C) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, x[row + c]);
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(x[row + c] - m);
      y[row + c] = e;
      s += e;
    }
    for (let c = 0; c < C; c++) y[row + c] /= s;
  }
  return y;
}

/** `logits` is [T, N, C]; `targets` is [N, S] of labels in 1..C-1. */
export function ctcFused(logits: Float64Array, targets: readonly number[], { T, N, C, S }: CtcSizes): LossGrad {
  const y = softmaxRows(logits, C); // [T, N, C]
  const gx = new Float64Array(y.length); // [T, N, C]
  const L = 2 * S + 1;
  // Rows of W = L + 2 slots: alpha's states start after two zero pads (so s - 1, s - 2 need no
  // test), q's end before two (so s + 1, s + 2 need none).
  const W = L + 2;
  const alpha = new Float64Array(T * W); // [T, W]: alpha_t(s) at t W + 2 + s, emission at t included
  const beta = new Float64Array(L); // beta_t(s), emission at t excluded
  const q = new Float64Array(W); // y_t(l'_s) beta_t(s)
  const lab = new Int32Array(W); // l'_s: blank at even s and in the pads
  const skip = new Float64Array(W); // 1 where s may be entered from s - 2
  const lo = (t: number) => Math.max(0, L - 2 * (T - t));
  const hi = (t: number) => Math.min(L, 2 * t + 2);
  const scale = 1 / (S * N);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < W; s++) lab[s] = s % 2 === 1 && s < L ? targets[n * S + (s - 1) / 2] : 0;
    for (let s = 0; s < W; s++) skip[s] = s >= 3 && s % 2 === 1 && s < L && lab[s] !== lab[s - 2] ? 1 : 0;

    alpha.fill(0);
    let logP = 0;
    for (let t = 0; t < T; t++) {
      const row = (t * N + n) * C;
      const a = t * W + 2;
      const p = a - W;
      let c = 0;
      for (let s = lo(t); s < hi(t); s++) {
        const v = t === 0 ? y[row + lab[s]] : (alpha[p + s] + alpha[p + s - 1] + skip[s] * alpha[p + s - 2]) * y[row + lab[s]];
        alpha[a + s] = v;
        c += v;
      }
      logP += Math.log(c);
      for (let s = lo(t); s < hi(t); s++) alpha[a + s] /= c;
    }
    loss -= logP / S;

    beta.fill(0);
    beta[L - 1] = 1;
    beta[L - 2] = 1;
    for (let t = T - 1; t >= 0; t--) {
      const row = (t * N + n) * C;
      const a = t * W + 2;
      let z = 0;
      for (let s = lo(t); s < hi(t); s++) z += alpha[a + s] * beta[s];
      // gamma_t(s) = alpha beta / z is the posterior of state s at t: d(-log P)/d log y_t(c) = -Σ_{l'_s = c} gamma.
      const k = scale / z;
      for (let s = lo(t); s < hi(t); s++) gx[row + lab[s]] -= k * alpha[a + s] * beta[s];
      // Through softmax's log: dx_c = g_c - y_c Σ g.
      let sum = 0;
      for (let c = 0; c < C; c++) sum += gx[row + c];
      for (let c = 0; c < C; c++) gx[row + c] -= y[row + c] * sum;
      if (t === 0) break;
      q.fill(0);
      let sq = 0;
      for (let s = lo(t); s < hi(t); s++) {
        q[s] = y[row + lab[s]] * beta[s];
        sq += q[s];
      }
      for (let s = lo(t - 1); s < hi(t - 1); s++) beta[s] = (q[s] + q[s + 1] + skip[s + 2] * q[s + 2]) / sq;
    }
  }
  return { loss: loss / N, grads: [gx] };
}
