/**
 * The CTC recursion in log space, for the samples probabilities cannot hold: a frame where the
 * classes a sample uses lie more than MAX_SPREAD (550 nats) apart, whose emissions would
 * underflow once exponentiated, or NaN / +Infinity among them. It is PyTorch's formulation over
 * every state (no window), an exp and a log per state per frame, so that non-finite data give
 * PyTorch's values. It costs ordinary inputs nothing: only such samples take it.
 */
import { logAddExp } from '../numerics.js';
import type { CtcSample } from './ctc-sample.js';
import { rowsBuffer } from './ctc-sample.js';

/**
 * Returns log P(l | x) for sample `x`, reading its log-probabilities `lp` ([T, N, C]) directly.
 * With `grad`, also subtracts gn·γ_t(s) = gn·exp(log α_t(s) + log β_t(s) − log P) at
 * grad[at + t·stride + l'_s].
 */
export function logSpaceSample(x: CtcSample, lp: Float64Array, grad: Float64Array | null, gn: number): number {
  const { Tn, L, ext, skip, at, stride } = x;
  const la = rowsBuffer('ctcLoss', Float64Array, Tn * L).fill(-Infinity); // [Tn, L]
  la[0] = lp[at + ext[0]];
  if (L >= 2) la[1] = lp[at + ext[1]];
  for (let t = 1; t < Tn; t++) {
    const p = at + t * stride;
    const cur = t * L;
    const prev = cur - L;
    for (let s = 0; s < L; s++) {
      let v = la[prev + s];
      if (s >= 1) v = logAddExp(v, la[prev + s - 1]);
      if (skip[s] === 1) v = logAddExp(v, la[prev + s - 2]);
      la[cur + s] = v + lp[p + ext[s]];
    }
  }
  const lastRow = (Tn - 1) * L;
  const logP = logAddExp(la[lastRow + L - 1], L >= 2 ? la[lastRow + L - 2] : -Infinity);
  if (grad === null) return logP;
  let lb = new Float64Array(L).fill(-Infinity); // [L], frame t
  let nb = new Float64Array(L); // [L], frame t - 1
  lb[L - 1] = 0;
  if (L >= 2) lb[L - 2] = 0;
  for (let t = Tn - 1; t >= 0; t--) {
    const p = at + t * stride;
    for (let s = 0; s < L; s++) grad[p + ext[s]] -= gn * Math.exp(la[t * L + s] + lb[s] - logP);
    if (t === 0) break;
    for (let s = 0; s < L; s++) {
      let v = lp[p + ext[s]] + lb[s];
      if (s + 1 < L) v = logAddExp(v, lp[p + ext[s + 1]] + lb[s + 1]);
      if (s + 2 < L && skip[s + 2] === 1) v = logAddExp(v, lp[p + ext[s + 2]] + lb[s + 2]);
      nb[s] = v;
    }
    [lb, nb] = [nb, lb];
  }
  return logP;
}
