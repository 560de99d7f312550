/**
 * The one module that touches `ndarray`/`ndarray-ops`. Everything else sees contiguous,
 * row-major Float64Array buffers; strided views exist only here, for the copies that
 * permutes and slices need.
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import type { Shape } from './shape.js';
import { sizeOf, stridesOf } from './shape.js';

// NOTE: @types/ndarray-ops types `assign`/`addeq` loosely; the calls below use only (dest, src).
type View = ndarray.NdArray<Float64Array>;

function view(data: Float64Array, shape: Shape): View {
  return ndarray(data, shape.slice());
}

/** Copies `data` (of `shape`) with its axes reordered by `perm` into a new contiguous buffer. */
export function permuteCopy(data: Float64Array, shape: Shape, perm: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (data.length === 0) return out;
  const src = view(data, shape).transpose(...perm);
  ops.assign(view(out, perm.map((p) => shape[p])), src);
  return out;
}

/** Per-dim `[start, step, count]` of a strided box inside a tensor. */
export type Box = readonly (readonly [number, number, number])[];

function boxView(data: Float64Array, shape: Shape, box: Box): View {
  const strides = stridesOf(shape);
  let offset = 0;
  const dims: number[] = [];
  const st: number[] = [];
  box.forEach(([start, step, count], d) => {
    offset += start * strides[d];
    dims.push(count);
    st.push(step * strides[d]);
  });
  return ndarray(data, dims, st, offset);
}

/** Copies the box out of `data` into a new contiguous buffer. */
export function boxCopy(data: Float64Array, shape: Shape, box: Box): Float64Array {
  const outShape = box.map((b) => b[2]);
  const out = new Float64Array(sizeOf(outShape));
  if (out.length === 0) return out;
  ops.assign(view(out, outShape), boxView(data, shape, box));
  return out;
}

/** Adds the contiguous `src` into the box of `dest` (the adjoint of `boxCopy`). */
export function boxAddInto(dest: Float64Array, shape: Shape, box: Box, src: Float64Array): void {
  if (src.length === 0) return;
  ops.addeq(boxView(dest, shape, box), view(src, box.map((b) => b[2])));
}
