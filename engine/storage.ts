/**
 * Strided copies: the one place that reads a tensor's buffer through strides other than its own
 * row-major ones. Everything else sees contiguous, row-major Float64Array buffers; permutes and
 * slices copy through here.
 *
 * NOTE: the design named `ndarray`/`ndarray-ops` for these copies. Both compile their kernels
 * with `new Function` (ndarray-ops at import, ndarray on the first view of each rank), which a
 * page whose Content-Security-Policy lacks 'unsafe-eval' refuses, so lossgrad failed to load
 * there. The plain loops below need no code generation and, measured on the engine's copies
 * (README, "Use lossgrad in your project"), are as fast or faster; ndarray-ops stays a dev
 * dependency, as the independent oracle of spec/engine/storage.spec.ts.
 */
import type { Shape } from './shape.js';
import { sizeOf, stridesOf } from './shape.js';

/**
 * Copies the `dims`-shaped region of `src` that starts at `offset` and steps by `strides` into
 * the contiguous `out`. The last dim is the inner loop; the outer dims advance like an odometer.
 */
function gatherStrided(src: Float64Array, offset: number, dims: readonly number[], strides: readonly number[], out: Float64Array): void {
  const nd = dims.length;
  if (nd === 0) {
    out[0] = src[offset];
    return;
  }
  const last = nd - 1;
  const n = dims[last];
  const s = strides[last];
  const counter = new Array<number>(last).fill(0);
  let base = offset;
  for (let o = 0; o < out.length; o += n) {
    for (let i = 0, p = base; i < n; i++, p += s) out[o + i] = src[p];
    for (let d = last - 1; d >= 0; d--) {
      base += strides[d];
      if (++counter[d] < dims[d]) break;
      base -= strides[d] * dims[d];
      counter[d] = 0;
    }
  }
}

/** The adjoint of `gatherStrided`: adds the contiguous `src` into the strided region of `dest`. */
function scatterAddStrided(dest: Float64Array, offset: number, dims: readonly number[], strides: readonly number[], src: Float64Array): void {
  const nd = dims.length;
  if (nd === 0) {
    dest[offset] += src[0];
    return;
  }
  const last = nd - 1;
  const n = dims[last];
  const s = strides[last];
  const counter = new Array<number>(last).fill(0);
  let base = offset;
  for (let o = 0; o < src.length; o += n) {
    for (let i = 0, p = base; i < n; i++, p += s) dest[p] += src[o + i];
    for (let d = last - 1; d >= 0; d--) {
      base += strides[d];
      if (++counter[d] < dims[d]) break;
      base -= strides[d] * dims[d];
      counter[d] = 0;
    }
  }
}

/** Copies `data` (of `shape`) with its axes reordered by `perm` into a new contiguous buffer. */
export function permuteCopy(data: Float64Array, shape: Shape, perm: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (data.length === 0) return out;
  const strides = stridesOf(shape);
  gatherStrided(data, 0, perm.map((p) => shape[p]), perm.map((p) => strides[p]), out);
  return out;
}

/** Per-dim `[start, step, count]` of a strided box inside a tensor. */
export type Box = readonly (readonly [number, number, number])[];

/** The box's offset, per-dim counts and per-dim strides inside a buffer of `shape`. */
function boxLayout(shape: Shape, box: Box): { offset: number; dims: number[]; strides: number[] } {
  const rowMajor = stridesOf(shape);
  let offset = 0;
  const dims: number[] = [];
  const strides: number[] = [];
  box.forEach(([start, step, count], d) => {
    offset += start * rowMajor[d];
    dims.push(count);
    strides.push(step * rowMajor[d]);
  });
  return { offset, dims, strides };
}

/** Copies the box out of `data` into a new contiguous buffer. */
export function boxCopy(data: Float64Array, shape: Shape, box: Box): Float64Array {
  const out = new Float64Array(sizeOf(box.map((b) => b[2])));
  if (out.length === 0) return out;
  const { offset, dims, strides } = boxLayout(shape, box);
  gatherStrided(data, offset, dims, strides, out);
  return out;
}

/** Adds the contiguous `src` into the box of `dest` (the adjoint of `boxCopy`). */
export function boxAddInto(dest: Float64Array, shape: Shape, box: Box, src: Float64Array): void {
  if (src.length === 0) return;
  const { offset, dims, strides } = boxLayout(shape, box);
  scatterAddStrided(dest, offset, dims, strides, src);
}

/** The flat positions in a buffer of `shape` of the box's entries, in the box's row-major order. */
export function boxPositions(shape: Shape, box: Box): Int32Array {
  const out = new Int32Array(sizeOf(box.map((b) => b[2])));
  if (out.length === 0) return out;
  const { offset, dims, strides } = boxLayout(shape, box);
  const last = dims.length - 1;
  const counter = new Array<number>(dims.length).fill(0);
  let at = offset;
  for (let k = 0; k < out.length; k++) {
    out[k] = at;
    // Odometer over the box's dims: step the last, carry into the ones before it.
    let d = last;
    at += strides[d];
    while (++counter[d] === dims[d] && d > 0) {
      at -= strides[d] * dims[d];
      counter[d] = 0;
      d--;
      at += strides[d];
    }
  }
  return out;
}
