import { describe, fail, fmtShape } from './errors.js';
import { pairwiseRowScratch, pairwiseRowSum, pairwiseSum } from './numerics.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The most values one tensor may hold: 2^31 - 1 (16 GiB of float64), the largest typed array
 * every JavaScript engine allocates.
 */
const MAX_SIZE = 2 ** 31 - 1;

/** Throws, naming `fn`, when a tensor of `shape` would hold more than `MAX_SIZE` values. */
export function checkSize(fn: string, shape: Shape): void {
  const n = sizeOf(shape);
  if (n > MAX_SIZE) fail(fn, `shape ${fmtShape(shape)} has ${n} values, more than the ${MAX_SIZE} a tensor can hold`);
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves a possibly negative dim against `ndim`, naming `fn` when it is out of range. */
export function normDim(fn: string, dim: number, ndim: number, arg = 'dim'): number {
  if (!Number.isInteger(dim) || dim < -Math.max(ndim, 1) || dim >= Math.max(ndim, 1)) {
    fail(fn, `${arg} ${describe(dim)} is out of range for a tensor with ${ndim} dims (expected an integer in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}])`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** NumPy broadcasting: dims are aligned from the right and each pair must be equal or contain a 1. */
export function broadcastShapes(fn: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      fail(fn, `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dim ${i} is ${da} against ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  checkSize(fn, out);
  return out;
}

export function canBroadcastTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + off]) return false;
  return true;
}

/**
 * For each flat index of `to`, the flat index of the element of `from` that broadcasting reads.
 * Broadcast reads and their adjoint (summing a gradient back) both run off this one map.
 */
export function broadcastIndex(from: Shape, to: Shape): Int32Array {
  const n = sizeOf(to);
  const map = new Int32Array(n);
  const off = to.length - from.length;
  const fromStrides = stridesOf(from);
  const stride = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) stride[i + off] = from[i] === 1 ? 0 : fromStrides[i];
  const idx = new Array<number>(to.length).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    map[k] = src;
    for (let d = to.length - 1; d >= 0; d--) {
      idx[d]++;
      src += stride[d];
      if (idx[d] < to[d]) break;
      src -= stride[d] * idx[d];
      idx[d] = 0;
    }
  }
  return map;
}

/**
 * How many times `from` repeats, whole, to fill `to` when it is a trailing block of `to` (a bias
 * `[C]` against `[N, C]`, after dropping its leading 1s), else 0.
 */
function tileCount(from: Shape, to: Shape): number {
  let f = 0;
  while (f < from.length && from[f] === 1) f++;
  const off = to.length - (from.length - f);
  if (off < 0) return 0;
  for (let i = f; i < from.length; i++) if (from[i] !== to[off + i - f]) return 0;
  return sizeOf(to.slice(0, off));
}

/** Reads `data` (of shape `from`) broadcast to `to` into a new buffer. */
export function broadcastData(data: Float64Array, from: Shape, to: Shape): Float64Array {
  const n = sizeOf(to);
  const out = new Float64Array(n);
  if (data.length === 1) return out.fill(data[0]);
  if (sameShape(from, to)) {
    out.set(data);
    return out;
  }
  // A trailing block repeats whole: block copies instead of an index map.
  const reps = tileCount(from, to);
  if (reps > 0) {
    for (let r = 0; r < reps; r++) out.set(data, r * data.length);
    return out;
  }
  const map = broadcastIndex(from, to);
  for (let k = 0; k < n; k++) out[k] = data[map[k]];
  return out;
}

/** Sums `data` (of shape `from`) down to the broadcast-compatible smaller shape `to`. */
export function sumToShape(data: Float64Array, from: Shape, to: Shape): Float64Array {
  const out = new Float64Array(sizeOf(to));
  if (out.length === 1) {
    out[0] = pairwiseSum(data, 0, data.length);
    return out;
  }
  // `to` a trailing block of `from` (a bias gradient): column sums of a [reps, block] matrix.
  const reps = tileCount(to, from);
  if (reps > 0) {
    pairwiseRowSum(data, 0, reps, out.length, out, 0, new Float64Array(pairwiseRowScratch(reps, out.length)));
    return out;
  }
  const map = broadcastIndex(to, from);
  for (let k = 0; k < data.length; k++) out[map[k]] += data[k];
  return out;
}

/** Shape after reducing `dims` (already normalised), with or without the reduced dims kept as 1. */
export function reducedShape(shape: Shape, dims: readonly number[], keepDim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepDim) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}


