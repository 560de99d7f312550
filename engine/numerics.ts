/**
 * Scalar and buffer numerics that more than one kernel needs, written once: a pairwise sum, an
 * exact softplus and sigmoid, log(e^a + e^b), the max-shifted log-sum-exp and its parts, and the
 * p-norm of a row difference with its gradient. Every kernel that needs one of these calls it from here, so
 * two losses that the docs call equal compute the same numbers.
 */

type F64 = Float64Array;

// Below this many terms a plain loop is exact enough (its error grows with the count, and
// pairwise splitting stops the growth at log2(n / BLOCK) levels).
const BLOCK = 128;

/**
 * Σ x[start + i·stride] for i < n, summed pairwise: the rounding error grows as log n instead of n
 * (PyTorch and NumPy sum the same way), at the speed of a plain loop.
 */
export function pairwiseSum(x: F64, start: number, n: number, stride = 1): number {
  if (n <= BLOCK) {
    // Four accumulators: the same error bound as one, and the adds pipeline.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let i = 0;
    let k = start;
    for (; i + 4 <= n; i += 4, k += 4 * stride) {
      s0 += x[k];
      s1 += x[k + stride];
      s2 += x[k + 2 * stride];
      s3 += x[k + 3 * stride];
    }
    for (; i < n; i++, k += stride) s0 += x[k];
    return (s0 + s1) + (s2 + s3);
  }
  const half = (n >> 1) - ((n >> 1) % 4);
  return pairwiseSum(x, start, half, stride) + pairwiseSum(x, start + half * stride, n - half, stride);
}

/**
 * Adds rows `k = 0 … r-1` of an `[r, inner]` block (row `k` at `x[base + k·inner …]`) into
 * `out[outOff … outOff + inner)`, pairwise over `k`, so that column sums are as exact as
 * `pairwiseSum`'s. `scratch` holds at least `inner · ⌈log2(r)⌉` values.
 */
export function pairwiseRowSum(x: F64, base: number, r: number, inner: number, out: F64, outOff: number, scratch: F64, depth = 0): void {
  if (r <= 8) {
    for (let j = 0; j < inner; j++) out[outOff + j] = 0;
    for (let k = 0; k < r; k++) {
      const src = base + k * inner;
      for (let j = 0; j < inner; j++) out[outOff + j] += x[src + j];
    }
    return;
  }
  const half = r >> 1;
  const tmpOff = depth * inner;
  // The right half's sums wait in this depth's slot of `scratch`; deeper levels use later slots.
  pairwiseRowSum(x, base, half, inner, out, outOff, scratch, depth + 1);
  pairwiseRowSum(x, base + half * inner, r - half, inner, scratch, tmpOff, scratch, depth + 1);
  for (let j = 0; j < inner; j++) out[outOff + j] += scratch[tmpOff + j];
}

/** Scratch size `pairwiseRowSum` needs for `r` rows of `inner` values. */
export function pairwiseRowScratch(r: number, inner: number): number {
  return inner * (Math.ceil(Math.log2(Math.max(r, 2))) + 1);
}

/** `log(1 + e^v)` without overflow or cancellation, for every v (NaN stays NaN). */
export function softplusExact(v: number): number {
  return (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** `σ(v) = 1 / (1 + e^-v)`, taking `exp` only of `-|v|`, so it never overflows. */
export function sigmoidExact(v: number): number {
  const e = Math.exp(-Math.abs(v));
  return v >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** `log(e^a + e^b)`, exact when either is -Infinity (log 0). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** The largest of `x[start + i·stride]` for i < n; a NaN wins; -Infinity for n = 0. */
export function rangeMax(x: F64, start: number, n: number, stride = 1): number {
  let m = -Infinity;
  for (let i = 0, k = start; i < n; i++, k += stride) {
    const v = x[k];
    if (v > m || v !== v) m = v;
  }
  return m;
}

/** `Σ exp(x[start + i·stride] - m)` for i < n: the shifted sum of a log-sum-exp. */
export function sumExpShifted(x: F64, start: number, n: number, stride: number, m: number): number {
  let s = 0;
  for (let i = 0, k = start; i < n; i++, k += stride) s += Math.exp(x[k] - m);
  return s;
}

/**
 * `log Σ exp(x[start + i·stride])` for i < n, shifted by the maximum so that no term overflows.
 * An infinite maximum is replaced by 0 as the shift (as PyTorch), so all -Infinity gives
 * -Infinity and a +Infinity gives +Infinity; a NaN gives NaN.
 */
export function logSumExpRange(x: F64, start: number, n: number, stride = 1): number {
  let m = rangeMax(x, start, n, stride);
  if (m === Infinity || m === -Infinity) m = 0;
  return m + Math.log(sumExpShifted(x, start, n, stride, m));
}

/**
 * `‖v‖_p` with `v_j = x[xo + j·stride] - y[yo + j·stride] + eps` for j < d (PyTorch's pairwise
 * distance; with `y` null, the plain p-norm of x, as `torch.linalg.vector_norm`), for p = 0 (the
 * count of nonzero entries), any p > 0, and Infinity. `p = 2` takes `sqrt` of the sum of squares.
 */
export function pNormDistance(x: F64, xo: number, y: F64 | null, yo: number, d: number, p: number, eps: number, stride = 1): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const k = j * stride;
    const a = Math.abs(x[xo + k] - (y === null ? 0 : y[yo + k]) + eps);
    if (p === 2) s += a * a;
    else if (p === 1) s += a;
    else if (p === Infinity) {
      if (a > s || a !== a) s = a;
    } else if (p === 0) s += a !== 0 ? 1 : 0;
    else s += Math.pow(a, p);
  }
  return p === 2 ? Math.sqrt(s) : p === 1 || p === Infinity || p === 0 ? s : Math.pow(s, 1 / p);
}

/**
 * Adds `c · ∂‖v‖_p/∂v` to `gx` and subtracts it from `gy`, where `v` and `dist = ‖v‖_p` are as in
 * `pNormDistance`; either target may be null (and `y` too, for the plain norm).
 *
 * NOTE: the subgradients are PyTorch's `norm_backward`: 0 where the norm is 0 (p > 1) and at zero
 * components (p < 1); `sign(v)` for p = 1, so a zero component gets 0; for p = ∞ the gradient is
 * split evenly among the components of largest magnitude; p = 0 has gradient 0.
 */
export function addPNormDistanceGrad(
  c: number, x: F64, xo: number, y: F64 | null, yo: number, d: number, p: number, eps: number, dist: number,
  gx: F64 | null, gy: F64 | null, stride = 1,
): void {
  if (p === 0) return;
  const v = (j: number): number => x[xo + j * stride] - (y === null ? 0 : y[yo + j * stride]) + eps;
  const add = (j: number, t: number): void => {
    if (gx) gx[xo + j * stride] += t;
    if (gy) gy[yo + j * stride] -= t;
  };
  if (p === 2) {
    const scale = dist === 0 ? 0 : c / dist;
    for (let j = 0; j < d; j++) add(j, v(j) * scale);
    return;
  }
  if (p === 1) {
    for (let j = 0; j < d; j++) add(j, Math.sign(v(j)) * c);
    return;
  }
  if (p === Infinity) {
    let count = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(v(j));
      if (a === dist || a !== a) count++;
    }
    for (let j = 0; j < d; j++) {
      const vj = v(j);
      const a = Math.abs(vj);
      if (a === dist || a !== a) add(j, (Math.sign(vj) * c) / count);
    }
    return;
  }
  // p < 1: sign(v) |v|^(p-1) (masked at v = 0) · c · ‖v‖^(1-p); otherwise PyTorch divides by
  // ‖v‖^(p-1) and masks that scale where the norm is 0.
  const small = p < 1;
  const scale = small ? c * Math.pow(dist, 1 - p) : dist === 0 ? 0 : c / Math.pow(dist, p - 1);
  for (let j = 0; j < d; j++) {
    const vj = v(j);
    const a = Math.abs(vj);
    const u = small ? (vj === 0 ? 0 : Math.sign(vj) * Math.pow(a, p - 1)) : p < 2 ? Math.sign(vj) * Math.pow(a, p - 1) : vj * Math.pow(a, p - 2);
    add(j, u * scale);
  }
}
