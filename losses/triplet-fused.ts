/**
 * The triplet margin loss as one graph node: the three pairwise distances and the hinge in one
 * pass over the rows, and the whole backward in one more.
 *
 * Why fused: composed from engine ops, `[4096, 128]` triplets cost about fifteen nodes, each
 * allocating and sweeping an `[N, D]` buffer (the three differences, the eps shift, the norms and
 * their backward rules). Fused, each row is read once forward and once backward and no `[N, D]`
 * temporary exists. The composed version, `tripletMarginWithDistanceLoss` over
 * `pairwiseDistance`, is the test reference for this kernel.
 */
import { apply, primitive } from '../engine/autograd.js';
import type { Shape } from '../engine/shape.js';
import type { Tensor } from '../engine/tensor.js';

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

/** `‖x[xo:xo+d] - y[yo:yo+d] + eps‖_p` for p ≠ 2 (p = 2 has its own one-sweep path below). */
function rowDistance(x: F64, xo: number, y: F64, yo: number, d: number, eps: number, p: number): number {
  let s = 0;
  if (p === 1) {
    for (let j = 0; j < d; j++) s += Math.abs(x[xo + j] - y[yo + j] + eps);
    return s;
  }
  if (p === Infinity) {
    for (let j = 0; j < d; j++) {
      const v = Math.abs(x[xo + j] - y[yo + j] + eps);
      if (v > s || v !== v) s = v;
      if (s !== s) return s;
    }
    return s;
  }
  for (let j = 0; j < d; j++) s += Math.pow(Math.abs(x[xo + j] - y[yo + j] + eps), p);
  return Math.pow(s, 1 / p);
}

/**
 * Adds `c · ∂‖v‖_p/∂v` to `gx` and subtracts it from `gy`, where `v = x - y + eps` and `dist = ‖v‖_p`
 * (p ≠ 2).
 *
 * NOTE: the subgradients are PyTorch's `norm_backward`: 0 where the norm is 0 (p > 1) and at zero
 * components (p < 1); `sign(v)` for p = 1, so a zero component gets 0; for p = ∞ the gradient is
 * split evenly among the components of largest magnitude.
 */
function addDistanceGrad(
  c: number, x: F64, xo: number, y: F64, yo: number, d: number, eps: number, p: number, dist: number,
  gx: F64 | null, gy: F64 | null,
): void {
  if (p === 1) {
    for (let j = 0; j < d; j++) {
      const t = Math.sign(x[xo + j] - y[yo + j] + eps) * c;
      if (gx) gx[xo + j] += t;
      if (gy) gy[yo + j] -= t;
    }
    return;
  }
  if (p === Infinity) {
    let count = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(x[xo + j] - y[yo + j] + eps);
      if (a === dist || a !== a) count++;
    }
    for (let j = 0; j < d; j++) {
      const v = x[xo + j] - y[yo + j] + eps;
      const a = Math.abs(v);
      if (!(a === dist || a !== a)) continue;
      const t = (Math.sign(v) * c) / count;
      if (gx) gx[xo + j] += t;
      if (gy) gy[yo + j] -= t;
    }
    return;
  }
  // p < 1: sign(v) |v|^(p-1) (masked at v = 0) · c · ‖v‖^(1-p); otherwise PyTorch divides by
  // ‖v‖^(p-1) and masks that scale where the norm is 0.
  const small = p < 1;
  const scale = small ? c * Math.pow(dist, 1 - p) : dist === 0 ? 0 : c / Math.pow(dist, p - 1);
  for (let j = 0; j < d; j++) {
    const v = x[xo + j] - y[yo + j] + eps;
    const a = Math.abs(v);
    const u = small ? (v === 0 ? 0 : Math.sign(v) * Math.pow(a, p - 1)) : p < 2 ? Math.sign(v) * Math.pow(a, p - 1) : v * Math.pow(a, p - 2);
    const t = u * scale;
    if (gx) gx[xo + j] += t;
    if (gy) gy[yo + j] -= t;
  }
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

const TRIPLET_MARGIN = primitive<TripletAttrs, Saved>({
  name: 'tripletMarginLoss',
  forward([A, P, N], { margin, p, eps, swap }) {
    const d = A.ndim === 1 ? A.shape[0] : A.shape[1];
    const n = A.ndim === 1 ? 1 : A.shape[0];
    const shape: Shape = A.ndim === 1 ? [] : [n];
    const a = A.data, pos = P.data, neg = N.data;
    const out = new Float64Array(n);
    const h = new Float64Array(n);
    const dap = new Float64Array(n);
    const dan = new Float64Array(n);
    const dpn = swap ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      if (p === 2) euclideanRow(a, pos, neg, o, d, eps, i, dap, dan, dpn);
      else {
        dap[i] = rowDistance(a, o, pos, o, d, eps, p);
        dan[i] = rowDistance(a, o, neg, o, d, eps, p);
        if (dpn) dpn[i] = rowDistance(pos, o, neg, o, d, eps, p);
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
    return { data: out, shape, saved: { h, dap, dan, dpn } };
  },
  backward(g, { inputs: [A, P, N], attrs: { p, eps }, saved: { h, dap, dan, dpn }, needs }) {
    const d = A.ndim === 1 ? A.shape[0] : A.shape[1];
    const n = h.length;
    const a = A.data, pos = P.data, neg = N.data;
    const ga = needs[0] ? new Float64Array(a.length) : null;
    const gp = needs[1] ? new Float64Array(a.length) : null;
    const gn = needs[2] ? new Float64Array(a.length) : null;
    for (let i = 0; i < n; i++) {
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
      addDistanceGrad(c, a, o, pos, o, d, eps, p, dap[i], ga, gp);
      if (cn !== 0 || hi !== hi) addDistanceGrad(cn, a, o, neg, o, d, eps, p, dan[i], ga, gn);
      if (dpn && (cs !== 0 || hi !== hi)) addDistanceGrad(cs, pos, o, neg, o, d, eps, p, dpn[i], gp, gn);
    }
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
