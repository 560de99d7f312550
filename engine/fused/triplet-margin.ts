/**
 * The triplet margin loss as one graph node: the three pairwise distances and the hinge in one
 * pass over the rows, and the whole backward in one more. It returns the per-triplet losses (the
 * caller reduces them with `reduce`).
 *
 * Why fused: composed from engine ops, `[4096, 128]` triplets cost about fifteen nodes, each
 * allocating and sweeping an `[N, D]` buffer (the three differences, the eps shift, the norms and
 * their backward rules). Fused, each row is read once forward and once backward and no `[N, D]`
 * temporary exists. Every p ≠ 2 takes the engine's p-norm distance (`pNormDistance` and its
 * gradient in numerics.ts); p = 2, the default and the benchmarked case, sweeps a row once for all
 * three distances instead of three times.
 *
 * Composed twin: `tripletMarginWithDistanceLoss` over PyTorch's pairwise distance, which
 * spec/losses/embedding-triplet.spec.ts checks this kernel against (values and gradients).
 */
import { apply, primitive } from '../autograd.js';
import { addPNormDistanceGrad, pNormDistance } from '../numerics.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { RowShare } from '../threads/pool.js';
import { SPLIT_MIN, splitRows, threadsFor } from '../threads/pool.js';

type F64 = Float64Array;

export interface TripletAttrs {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
}

interface Saved {
  /** Per row: `margin + d(a, p) - min(d(a, n), d(p, n))`, before the clamp. */
  readonly h: F64;
  readonly dap: F64;
  readonly dan: F64;
  /** `d(p, n)` per row when swapping, else null. */
  readonly dpn: F64 | null;
}

/** p = 2, the default: all three distances of row i in one sweep (`dpn` only when swapping). */
function euclideanRow(a: F64, pos: F64, neg: F64, o: number, d: number, eps: number, i: number, dap: F64, dan: F64, dpn: F64 | null): void {
  let sap = 0, san = 0, spn = 0;
  for (let j = o; j < o + d; j++) {
    const u = a[j] - pos[j] + eps;
    const v = a[j] - neg[j] + eps;
    sap += u * u;
    san += v * v;
    if (dpn) {
      const w = pos[j] - neg[j] + eps;
      spn += w * w;
    }
  }
  dap[i] = Math.sqrt(sap);
  dan[i] = Math.sqrt(san);
  if (dpn) dpn[i] = Math.sqrt(spn);
}

/**
 * p = 2: the whole backward of row i in one sweep. `c`, `cn`, `cs` are the gradients reaching
 * d(a, p), d(a, n) and d(p, n); each distance passes `c · v / ‖v‖` (0 where the norm is 0).
 */
function euclideanRowGrad(
  a: F64, pos: F64, neg: F64, o: number, d: number, eps: number, c: number, cn: number, cs: number,
  dap: number, dan: number, dpn: number | null, ga: F64 | null, gp: F64 | null, gn: F64 | null,
): void {
  const kap = dap === 0 ? 0 : c / dap;
  const kan = dan === 0 ? 0 : cn / dan;
  if (dpn === null) {
    for (let j = o; j < o + d; j++) {
      const u = (a[j] - pos[j] + eps) * kap;
      const v = (a[j] - neg[j] + eps) * kan;
      if (ga) ga[j] = u + v;
      if (gp) gp[j] = -u;
      if (gn) gn[j] = -v;
    }
    return;
  }
  const kpn = dpn === 0 ? 0 : cs / dpn;
  for (let j = o; j < o + d; j++) {
    const u = (a[j] - pos[j] + eps) * kap;
    const v = (a[j] - neg[j] + eps) * kan;
    const w = (pos[j] - neg[j] + eps) * kpn;
    if (ga) ga[j] = u + v;
    if (gp) gp[j] = w - u;
    if (gn) gn[j] = -v - w;
  }
}

/** One share of the forward: rows [u0, u1). */
interface ForwardShare extends RowShare {
  a: F64;
  pos: F64;
  neg: F64;
  out: F64;
  h: F64;
  dap: F64;
  dan: F64;
  dpn: F64 | null;
  attrs: TripletAttrs;
  d: number;
}

/** The forward over one share; a worker task too (engine/threads/worker.ts). @internal */
export function tripletRows({ a, pos, neg, out, h, dap, dan, dpn, attrs: { margin, p, eps }, d, u0, u1 }: ForwardShare): null {
  for (let i = u0; i < u1; i++) {
    const o = i * d;
    if (p === 2) euclideanRow(a, pos, neg, o, d, eps, i, dap, dan, dpn);
    else {
      dap[i] = pNormDistance(a, o, pos, o, d, p, eps);
      dan[i] = pNormDistance(a, o, neg, o, d, p, eps);
      if (dpn) dpn[i] = pNormDistance(pos, o, neg, o, d, p, eps);
    }
    let dn = dan[i];
    if (dpn) {
      const ds = dpn[i];
      dn = dn !== dn || ds !== ds ? NaN : Math.min(dn, ds);
    }
    const hi = margin + dap[i] - dn;
    h[i] = hi;
    out[i] = hi < 0 ? 0 : hi;
  }
  return null;
}

/** One share of the backward: rows [u0, u1) of the gradients, which start at zero. */
interface BackwardShare extends RowShare {
  a: F64;
  pos: F64;
  neg: F64;
  g: F64;
  h: F64;
  dap: F64;
  dan: F64;
  dpn: F64 | null;
  ga: F64 | null;
  gp: F64 | null;
  gn: F64 | null;
  attrs: TripletAttrs;
  d: number;
}

/** The backward over one share; a worker task too (engine/threads/worker.ts). @internal */
export function tripletGradRows({ a, pos, neg, g, h, dap, dan, dpn, ga, gp, gn, attrs: { p, eps }, d, u0, u1 }: BackwardShare): null {
  for (let i = u0; i < u1; i++) {
    const hi = h[i];
    // A clamped row contributes nothing; a NaN row still runs so that NaN reaches the gradient.
    if (hi < 0) continue;
    // NOTE: clamp_min passes the gradient at the kink (loss exactly 0), as PyTorch does.
    const c = hi >= 0 ? g[i] : 0;
    const o = i * d;
    let cn = -c;
    let cs = 0;
    if (dpn) {
      // NOTE: torch.min's rule: a tie splits the gradient evenly between d(a, n) and d(p, n).
      const u = dan[i], v = dpn[i];
      if (u === v) { cn = -c / 2; cs = -c / 2; }
      else if (u > v) { cn = 0; cs = -c; }
      else if (u < v) cs = 0;
      else cs = -c; // a NaN distance: both receive the whole gradient, as in PyTorch
    }
    if (p === 2) {
      euclideanRowGrad(a, pos, neg, o, d, eps, c, cn, cs, dap[i], dan[i], dpn ? dpn[i] : null, ga, gp, gn);
      continue;
    }
    addPNormDistanceGrad(c, a, o, pos, o, d, p, eps, dap[i], ga, gp);
    if (cn !== 0 || hi !== hi) addPNormDistanceGrad(cn, a, o, neg, o, d, p, eps, dan[i], ga, gn);
    if (dpn && (cs !== 0 || hi !== hi)) addPNormDistanceGrad(cs, pos, o, neg, o, d, p, eps, dpn[i], gp, gn);
  }
  return null;
}

export const TRIPLET_MARGIN = primitive<TripletAttrs, Saved>({
  name: 'tripletMarginLoss',
  forward([A, P, N], attrs) {
    const d = A.ndim === 1 ? A.shape[0] : A.shape[1];
    const n = A.ndim === 1 ? 1 : A.shape[0];
    const shape: Shape = A.ndim === 1 ? [] : [n];
    const job: ForwardShare = {
      a: A.data, pos: P.data, neg: N.data, out: new Float64Array(n), h: new Float64Array(n), dap: new Float64Array(n), dan: new Float64Array(n),
      dpn: attrs.swap ? new Float64Array(n) : null, attrs, d, u0: 0, u1: n,
    };
    const threads = threadsFor(A.size, attrs.p === 2 ? SPLIT_MIN.tripletEuclidean : SPLIT_MIN.triplet, n);
    if (threads === 1) tripletRows(job);
    else splitRows('triplet', tripletRows, job, n, threads, ['a', 'pos', 'neg'], ['out', 'h', 'dap', 'dan', 'dpn']);
    const { h, dap, dan, dpn } = job;
    return { data: job.out, shape, saved: { h, dap, dan, dpn } };
  },
  backward(g, { inputs: [A, P, N], attrs, saved: { h, dap, dan, dpn }, needs }) {
    const d = A.ndim === 1 ? A.shape[0] : A.shape[1];
    const n = h.length;
    const size = A.size;
    const job: BackwardShare = {
      a: A.data, pos: P.data, neg: N.data, g, h, dap, dan, dpn, attrs, d, u0: 0, u1: n,
      ga: needs[0] ? new Float64Array(size) : null, gp: needs[1] ? new Float64Array(size) : null, gn: needs[2] ? new Float64Array(size) : null,
    };
    const threads = threadsFor(size, attrs.p === 2 ? SPLIT_MIN.tripletEuclidean : SPLIT_MIN.triplet, n);
    if (threads === 1) tripletGradRows(job);
    else splitRows('tripletBackward', tripletGradRows, job, n, threads, ['a', 'pos', 'neg', 'g', 'h', 'dap', 'dan', 'dpn'], ['ga', 'gp', 'gn'], true);
    const { ga, gp, gn } = job;
    return [
      ga && { shape: A.shape, data: ga },
      gp && { shape: P.shape, data: gp },
      gn && { shape: N.shape, data: gn },
    ];
  },
});

/**
 * Per-triplet losses `max(0, margin + d(a, p) - d(a, n))` (with the swap when asked) for validated
 * `[N, D]` or `[D]` inputs of one shape: `[N]`, or `[]` for `[D]` inputs.
 */
export function tripletMarginRows(anchor: Tensor, positive: Tensor, negative: Tensor, attrs: TripletAttrs): Tensor {
  return apply(TRIPLET_MARGIN, [anchor, positive, negative], attrs);
}
