/** Shape primitives: reshapes share storage; permutes, slices and gathers copy. */
import type { Grad } from '../autograd.js';
import { applyPrimitive as apply, primitive, primitiveTable } from '../autograd.js';
import { describe, fail, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';
import { broadcastData, canBroadcastTo, checkSize, normDim, sameShape, sizeOf, stridesOf } from '../shape.js';
import type { Box } from '../storage.js';
import { boxAddInto, boxCopy, boxPositions, permuteCopy } from '../storage.js';
import type { TensorLike } from '../convert.js';
import { tensorList, toIndex, toTensor } from '../convert.js';
import type { IndexLike, Tensor } from '../tensor.js';

const RESHAPE = primitive<Shape, void>({
  name: 'reshape',
  forward([a], shape) {
    return { data: a.data, shape, saved: undefined };
  },
  backward(g, { inputs }) {
    return [{ shape: inputs[0].shape, data: g }];
  },
});

/** A shape as the caller may give it: an array of dims, or one number for a 1-D shape. */
function shapeOf(fn: string, shape: unknown, minDim: number): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= minDim)) {
    fail(fn, `shape must be an array of integers >= ${minDim} or one such integer, got ${describe(shape)}`);
  }
  return s.slice();
}

/**
 * The same values, in row-major order, in a new shape; shares the storage (no copy).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param shapeArgument the new dims, an array or one number for 1-D; one dim may be -1, inferred
 *   from the size
 * @returns a tensor of the new shape, with as many values as the input
 *
 * PyTorch: `torch.reshape(input, shape)`.
 * The gradient is reshaped back. A -1 beside a 0 is ambiguous and throws.
 *
 * @example
 * reshape(arange(6), [2, -1]).toArray(); // => [[0, 1, 2], [3, 4, 5]]
 */
export function reshape(input: TensorLike, shapeArgument: number | readonly number[]): Tensor {
  const x = toTensor('reshape', 'input', input);
  const shape = shapeOf('reshape', shapeArgument, -1);
  const n = x.size;
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    fail('reshape', `shape must be integers >= 0 with at most one -1, got ${fmtShape(shape)}`);
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (free === 1 && known === 0) {
    fail('reshape', `cannot reshape a tensor of shape ${fmtShape(x.shape)} to ${fmtShape(shape)}: with a 0 in the shape the size of -1 is ambiguous`);
  }
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : n / known) : d));
  if (sizeOf(resolved) !== n || !resolved.every(Number.isInteger)) {
    fail('reshape', `cannot reshape a tensor of shape ${fmtShape(x.shape)} (${n} values) to ${fmtShape(shape)}`);
  }
  return apply(RESHAPE, [x], resolved);
}

const PERMUTE = primitive<readonly number[], void>({
  name: 'permute',
  forward([a], perm) {
    return { data: permuteCopy(a.data, a.shape, perm), shape: perm.map((p) => a.shape[p]), saved: undefined };
  },
  backward(g, { attrs: perm, inputs, out }) {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [{ shape: inputs[0].shape, data: permuteCopy(g, out.shape, inv) }];
  },
});

/**
 * Reorders the dims: dim `i` of the result is dim `dims[i]` of the input (a copy).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dimsArgument every dim once, in the new order (negative counts from the end); a number for 1-D
 * @returns `dims.map((d) => input.shape[d])`
 *
 * PyTorch: `torch.permute(input, dims)`.
 * The gradient is permuted back by the inverse permutation.
 *
 * @example
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // => [4, 2, 3]
 */
export function permute(input: TensorLike, dimsArgument: number | readonly number[]): Tensor {
  const x = toTensor('permute', 'input', input);
  const dims = typeof dimsArgument === 'number' ? [dimsArgument] : dimsArgument;
  if (!Array.isArray(dims)) fail('permute', `dims must be an array of dims, got ${describe(dimsArgument)}`);
  if (dims.length !== x.ndim) fail('permute', `dims must list all ${x.ndim} dims, got ${describe(dims)}`);
  const perm = dims.map((d) => normDim('permute', d, x.ndim, 'dims'));
  if (new Set(perm).size !== perm.length) fail('permute', `dims must not repeat a dim, got ${describe(dims)}`);
  if (perm.every((p, i) => p === i)) return apply(RESHAPE, [x], x.shape);
  return apply(PERMUTE, [x], perm);
}

/**
 * Swaps two dims, by default the last two (a copy); with the defaults, a 0-d or 1-D input is
 * returned as is.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim0 the first dim (default -2; negative counts from the end)
 * @param dim1 the second dim (default -1)
 * @returns the input's shape with `dim0` and `dim1` exchanged
 *
 * PyTorch: `torch.transpose(input, dim0, dim1)` (the defaults: `input.mT`, or `input.t()` below 2-D).
 *
 * @example
 * transpose([[1, 2, 3]]).toArray(); // => [[1], [2], [3]]
 */
export function transpose(input: TensorLike, dim0 = -2, dim1 = -1): Tensor {
  const x = toTensor('transpose', 'input', input);
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return apply(RESHAPE, [x], x.shape);
  const a = normDim('transpose', dim0, x.ndim, 'dim0');
  const b = normDim('transpose', dim1, x.ndim, 'dim1');
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/**
 * Inserts a dim of size 1 at `dim`; shares the storage.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim the new dim's position, in `[-(ndim + 1), ndim]` (negative counts from the end)
 * @returns the input's shape with a 1 inserted at `dim`
 *
 * PyTorch: `torch.unsqueeze(input, dim)`.
 *
 * @example
 * unsqueeze([1, 2], -1).shape; // => [2, 1]
 */
export function unsqueeze(input: TensorLike, dim: number): Tensor {
  const x = toTensor('unsqueeze', 'input', input);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return apply(RESHAPE, [x], shape);
}

/**
 * Removes `dim` if its size is 1 (else returns the shape unchanged), or every size-1 dim; shares the storage.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim the dim to remove (negative counts from the end), or null/omitted for every size-1 dim
 * @returns the input's shape without the removed dims
 *
 * PyTorch: `torch.squeeze(input, dim)`.
 *
 * @example
 * squeeze(zeros([1, 2, 1])).shape; // => [2]
 * squeeze(zeros([1, 2]), 1).shape; // => [1, 2]
 */
export function squeeze(input: TensorLike, dim?: number | null): Tensor {
  const x = toTensor('squeeze', 'input', input);
  if (dim === undefined || dim === null) return apply(RESHAPE, [x], x.shape.filter((s) => s !== 1));
  const d = normDim('squeeze', dim, x.ndim);
  if (x.ndim === 0 || x.shape[d] !== 1) return apply(RESHAPE, [x], x.shape);
  return apply(RESHAPE, [x], x.shape.filter((_, i) => i !== d));
}

const EXPAND = primitive<Shape, void>({
  name: 'expand',
  forward([a], shape) {
    return { data: broadcastData(a.data, a.shape, shape), shape, saved: undefined };
  },
  backward(g, { out }) {
    return [{ shape: out.shape, data: g }];
  },
});

/**
 * Broadcasts to a larger shape: size-1 dims repeat and new leading dims are added (a copy).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param shapeArgument the target dims, an array or one number; -1 keeps the input's size at that dim
 * @returns a tensor of the target shape
 *
 * PyTorch: `input.expand(*shape)` (a view there).
 * Broadcasting: the gradient is summed back over the repeated and added dims.
 *
 * @example
 * const b = tensor([1, 2], { requiresGrad: true });
 * expand(b, [3, -1]).sum().backward();
 * b.grad.toArray(); // => [3, 3]
 */
export function expand(input: TensorLike, shapeArgument: number | readonly number[]): Tensor {
  const x = toTensor('expand', 'input', input);
  const shape = shapeOf('expand', shapeArgument, -1);
  const off = shape.length - x.ndim;
  const resolved = shape.map((d, i) => (d === -1 && i >= off ? x.shape[i - off] : d));
  if (off < 0 || !resolved.every((d) => Number.isInteger(d) && d >= 0) || !canBroadcastTo(x.shape, resolved)) {
    fail('expand', `cannot expand a tensor of shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  checkSize('expand', resolved);
  if (sameShape(x.shape, resolved)) return apply(RESHAPE, [x], x.shape);
  return apply(EXPAND, [x], resolved);
}

interface GatherAttrs { dim: number; src: Int32Array; shape: Shape }

// Forward and backward both run off `src`: the flat input position that each output reads.
const GATHER = primitive<GatherAttrs, void>({
  name: 'gather',
  forward([a], { src, shape }) {
    const y = new Float64Array(src.length);
    const x = a.data;
    for (let i = 0; i < src.length; i++) y[i] = x[src[i]];
    return { data: y, shape, saved: undefined };
  },
  backward(g, { attrs: { src }, inputs }) {
    return [{ shape: inputs[0].shape, index: src, values: g }];
  },
});

/**
 * Picks entries along `dim`: `out[i][j] = input[index[i][j]][j]` for dim 0 (likewise for any dim and rank).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim the dim to pick along (negative counts from the end)
 * @param index integer positions, a Tensor or nested number arrays, in `[0, input.shape[dim])`
 *   (negative ones throw, as PyTorch); as many dims as the input, no larger than it outside `dim`
 * @returns a tensor of the index's shape
 *
 * PyTorch: `torch.gather(input, dim, index)`.
 * The gradient is added back at the picked positions, so an index that repeats accumulates.
 *
 * @example
 * gather([[1, 2], [3, 4]], 1, [[1], [0]]).toArray(); // => [[2], [3]]
 */
export function gather(input: TensorLike, dim: number, index: IndexLike): Tensor {
  const x = toTensor('gather', 'input', input);
  const d = normDim('gather', dim, x.ndim);
  const idx = toIndex('gather', 'index', index);
  const xs = x.ndim === 0 ? [1] : x.shape;
  const is = idx.shape.length === 0 ? [1] : idx.shape;
  if (is.length !== xs.length) {
    fail('gather', `index must have as many dims as the input (${xs.length}), got shape ${fmtShape(idx.shape)}`);
  }
  for (let i = 0; i < xs.length; i++) {
    if (i !== d && is[i] > xs[i]) fail('gather', `index shape ${fmtShape(idx.shape)} exceeds input shape ${fmtShape(x.shape)} at dim ${i}`);
  }
  const xst = stridesOf(xs);
  const ist = stridesOf(is);
  const src = new Int32Array(idx.data.length);
  for (let k = 0; k < src.length; k++) {
    let rem = k;
    let off = 0;
    for (let i = 0; i < is.length; i++) {
      const c = Math.floor(rem / ist[i]);
      rem -= c * ist[i];
      if (i === d) {
        const v = idx.data[k];
        // NOTE: negative indices throw, as in torch.gather (they do not count from the end).
        if (v < 0 || v >= xs[d]) fail('gather', `index ${v} is out of range for dim ${d} of size ${xs[d]} (expected 0 <= index < ${xs[d]})`);
        off += v * xst[i];
      } else off += c * xst[i];
    }
    src[k] = off;
  }
  return apply(GATHER, [x], { dim: d, src, shape: idx.shape });
}

/**
 * Picks whole slices along `dim` at the positions in `index`, in that order.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim the dim to pick along (negative counts from the end)
 * @param index integer positions, a Tensor or nested number arrays, 1-D (or one number), in
 *   `[0, input.shape[dim])`; negative ones throw, as PyTorch
 * @returns the input's shape with `dim` of size `index.length`
 *
 * PyTorch: `torch.index_select(input, dim, index)`.
 * The gradient is added back at the picked slices, so a position that repeats accumulates.
 *
 * @example
 * const x = tensor([10, 20, 30], { requiresGrad: true });
 * indexSelect(x, 0, [2, 2, 0]).sum().backward();
 * x.grad.toArray(); // => [1, 0, 2]
 */
export function indexSelect(input: TensorLike, dim: number, index: IndexLike): Tensor {
  const x = toTensor('indexSelect', 'input', input);
  const d = normDim('indexSelect', dim, x.ndim);
  const idx = toIndex('indexSelect', 'index', index);
  if (idx.shape.length > 1) fail('indexSelect', `index must be 1-D, got shape ${fmtShape(idx.shape)}`);
  const xs = x.ndim === 0 ? [1] : x.shape;
  const outer = sizeOf(xs.slice(0, d));
  const inner = sizeOf(xs.slice(d + 1));
  const n = idx.data.length;
  const src = new Int32Array(outer * n * inner);
  for (let j = 0; j < n; j++) {
    const v = idx.data[j];
    // NOTE: negative indices throw, as in torch.index_select.
    if (v < 0 || v >= xs[d]) fail('indexSelect', `index ${v} is out of range for dim ${d} of size ${xs[d]} (expected 0 <= index < ${xs[d]})`);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) src[(o * n + j) * inner + i] = (o * xs[d] + v) * inner + i;
    }
  }
  const shape = x.ndim === 0 ? [n] : x.shape.map((s, i) => (i === d ? n : s));
  return apply(GATHER, [x], { dim: d, src, shape });
}

const SLICE = primitive<Box, void>({
  name: 'slice',
  forward([a], box) {
    return { data: boxCopy(a.data, a.shape, box), shape: box.map((b) => b[2]), saved: undefined };
  },
  backward(g, { attrs: box, inputs }) {
    const { shape, size } = inputs[0];
    // A small slice (one time step of a sequence, say) hands back only its own positions: a
    // dense gradient would cost a zeroed input-sized buffer, and a sweep to add it, per slice.
    if (2 * g.length <= size) return [{ shape, index: boxPositions(shape, box), values: g }];
    const gx = new Float64Array(size);
    boxAddInto(gx, shape, box, g);
    return [{ shape, data: gx }];
  },
});

/**
 * `x[..., start:end:step, ...]` along `dim`, with Python's clamping of out-of-range bounds (a copy).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param dim the dim to slice (negative counts from the end)
 * @param start the first position (default 0; negative counts from the end), or null
 * @param end the position to stop before (default the size; negative counts from the end), or null
 * @param step a positive integer (default 1)
 * @returns the input's shape with `dim` of size `max(0, ⌈(end - start) / step⌉)` after clamping
 *
 * PyTorch: `input[..., start:end:step]` along `dim` (`torch.narrow` with a step).
 * The gradient is written back into the sliced positions, 0 elsewhere.
 *
 * @example
 * slice(arange(6), 0, 1, -1, 2).toArray(); // => [1, 3]
 */
export function slice(input: TensorLike, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const x = toTensor('slice', 'input', input);
  const d = normDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step < 1) fail('slice', `step must be a positive integer, got ${describe(step)}`);
  for (const [name, v] of [['start', start], ['end', end]] as const) {
    if (v !== undefined && v !== null && !Number.isInteger(v)) fail('slice', `${name} must be an integer, got ${describe(v)}`);
  }
  const n = x.shape[d];
  const clampIdx = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clampIdx(start ?? 0);
  const e = clampIdx(end ?? n);
  const count = e > s ? Math.ceil((e - s) / step) : 0;
  const box: Box = x.shape.map((len, i) => (i === d ? [s, step, count] as const : [0, 1, len] as const));
  return apply(SLICE, [x], box);
}

const CONCAT = primitive<number, void>({
  name: 'concat',
  forward(parts, dim) {
    const shape = parts[0].shape.slice();
    shape[dim] = parts.reduce((s, p) => s + p.shape[dim], 0);
    const outer = sizeOf(shape.slice(0, dim));
    const rowOut = sizeOf(shape.slice(dim));
    const y = new Float64Array(sizeOf(shape));
    let off = 0;
    for (const p of parts) {
      const row = sizeOf(p.shape.slice(dim));
      for (let o = 0; o < outer; o++) y.set(p.data.subarray(o * row, (o + 1) * row), o * rowOut + off);
      off += row;
    }
    return { data: y, shape, saved: undefined };
  },
  backward(g, { attrs: dim, inputs, out, needs }) {
    const outer = sizeOf(out.shape.slice(0, dim));
    const rowOut = sizeOf(out.shape.slice(dim));
    let off = 0;
    return inputs.map((p, i): Grad | null => {
      const row = sizeOf(p.shape.slice(dim));
      const start = off;
      off += row;
      if (!needs[i]) return null;
      const gp = new Float64Array(p.size);
      for (let o = 0; o < outer; o++) gp.set(g.subarray(o * rowOut + start, o * rowOut + start + row), o * row);
      return { shape: p.shape, data: gp };
    });
  },
});

/**
 * Joins tensors end to end along an existing dim.
 * @param list a non-empty array of Tensors (not plain arrays), at least 1-D, of equal shape outside `dim`
 * @param dim the dim to join along (default 0; negative counts from the end)
 * @returns the common shape with `dim` of size the sum of the parts' sizes there
 *
 * PyTorch: `torch.cat(tensors, dim)`.
 * Each part gets its own block of the gradient.
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray(); // => [[1, 2], [3, 4], [5, 6]]
 */
export function concat(list: readonly Tensor[], dim = 0): Tensor {
  const tensors = tensorList('concat', 'tensors', list);
  const first = tensors[0];
  if (first.ndim === 0) fail('concat', 'zero-dimensional tensors cannot be concatenated (use stack)');
  const d = normDim('concat', dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      fail('concat', `tensor ${i} has shape ${fmtShape(t.shape)}, which does not match ${fmtShape(first.shape)} outside dim ${d}`);
    }
  });
  // `tensorList` copied the array: the graph must not change if the caller later edits theirs.
  return apply(CONCAT, tensors, d);
}

/**
 * Joins tensors of one shape along a new dim.
 * @param list a non-empty array of Tensors (not plain arrays), all of one shape
 * @param dim the new dim's position, in `[-(ndim + 1), ndim]` (default 0)
 * @returns the common shape with a dim of size `list.length` inserted at `dim`
 *
 * PyTorch: `torch.stack(tensors, dim)`.
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // => [[1, 3], [2, 4]]
 */
export function stack(list: readonly Tensor[], dim = 0): Tensor {
  const tensors = tensorList('stack', 'tensors', list);
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) fail('stack', `tensor ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(first.shape)}`);
  });
  const d = normDim('stack', dim, first.ndim + 1);
  return concat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const shapePrimitives = primitiveTable({ reshape: RESHAPE, permute: PERMUTE, expand: EXPAND, gather: GATHER, slice: SLICE, concat: CONCAT });
