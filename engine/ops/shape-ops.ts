/** Shape primitives: reshapes share storage; permutes, slices and gathers copy. */
import type { Grad } from '../autograd.js';
import { applyPrimitive as apply, primitive } from '../autograd.js';
import { describe, fail, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';
import { broadcastData, canBroadcastTo, checkSize, normDim, sameShape, sizeOf, stridesOf } from '../shape.js';
import type { Box } from '../storage.js';
import { boxAddInto, boxCopy, permuteCopy } from '../storage.js';
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

export function transpose(input: TensorLike, dim0 = -2, dim1 = -1): Tensor {
  const x = toTensor('transpose', 'input', input);
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return apply(RESHAPE, [x], x.shape);
  const a = normDim('transpose', dim0, x.ndim, 'dim0');
  const b = normDim('transpose', dim1, x.ndim, 'dim1');
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

export function unsqueeze(input: TensorLike, dim: number): Tensor {
  const x = toTensor('unsqueeze', 'input', input);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return apply(RESHAPE, [x], shape);
}

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
    const gx = new Float64Array(inputs[0].size);
    boxAddInto(gx, inputs[0].shape, box, g);
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/** `x[..., start:end:step, ...]` along `dim`, with Python's clamping of out-of-range bounds. */
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
export const shapePrimitives = { reshape: RESHAPE, permute: PERMUTE, expand: EXPAND, gather: GATHER, slice: SLICE, concat: CONCAT };
