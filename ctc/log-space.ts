/**
 * The same recursion in log space, for the samples the scaled recursion cannot hold: a target
 * so unlikely under some frame that the frame's total probability leaves the double range, or
 * NaN / ±Infinity in the data. It is PyTorch's formulation: an exp and a log per state per frame.
 */
import type { Workspace } from './recursion.js';

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * Returns log P(l | x) for sample n, reading `lp` ([T, N, C]) directly. With `grad`, also
 * subtracts gn·γ_t(s) = gn·exp(log α_t(s) + log β_t(s) − log P) at grad[t, n, l'_s].
 */
export function logSpaceSample(lp: Float64Array, N: number, C: number, n: number, Tn: number, L: number, ws: Workspace, grad: Float64Array | null, gn: number): number {
  const { ext, skip } = ws;
  const la = new Float64Array(Tn * L).fill(-Infinity); // [Tn, L]
  la[0] = lp[n * C + ext[0]];
  if (L >= 2) la[1] = lp[n * C + ext[1]];
  for (let t = 1; t < Tn; t++) {
    const p = (t * N + n) * C;
    const cur = t * L;
    const prev = cur - L;
    for (let s = 0; s < L; s++) {
      let v = la[prev + s];
      if (s >= 1) v = logAdd(v, la[prev + s - 1]);
      if (skip[s] === 1) v = logAdd(v, la[prev + s - 2]);
      la[cur + s] = v + lp[p + ext[s]];
    }
  }
  const lastRow = (Tn - 1) * L;
  const logP = logAdd(la[lastRow + L - 1], L >= 2 ? la[lastRow + L - 2] : -Infinity);
  if (grad === null) return logP;
  let lb = new Float64Array(L).fill(-Infinity); // [L], frame t
  let nb = new Float64Array(L); // [L], frame t - 1
  lb[L - 1] = 0;
  if (L >= 2) lb[L - 2] = 0;
  for (let t = Tn - 1; t >= 0; t--) {
    const p = (t * N + n) * C;
    for (let s = 0; s < L; s++) grad[p + ext[s]] -= gn * Math.exp(la[t * L + s] + lb[s] - logP);
    if (t === 0) break;
    for (let s = 0; s < L; s++) {
      let v = lp[p + ext[s]] + lb[s];
      if (s + 1 < L) v = logAdd(v, lp[p + ext[s + 1]] + lb[s + 1]);
      if (s + 2 < L && skip[s + 2] === 1) v = logAdd(v, lp[p + ext[s + 2]] + lb[s + 2]);
      nb[s] = v;
    }
    [lb, nb] = [nb, lb];
  }
  return logP;
}
