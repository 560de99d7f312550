/**
 * Reductions. Every reduction runs over one `[outer, r, inner]` layout: the reduced dims
 * form the middle block. Reduced dims that are not adjacent are first permuted to the end
 * (a recorded op, so its gradient comes for free).
 */
import { applyPrimitive as apply, primitive, primitiveTable, takeBuffer } from '../autograd.js';
import { describe, fail, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';
import { normDim, reducedShape, sizeOf } from '../shape.js';
import type { TensorLike } from '../convert.js';
import { flag, toIndex, toTensor } from '../convert.js';
import type { Dims, IndexLike } from '../tensor.js';
import { Tensor } from '../tensor.js';
import { logSumExpRange, pairwiseRowScratch, pairwiseRowSum, pairwiseSum } from '../numerics.js';
import { mul } from './elementwise.js';
import { permute } from './shape-ops.js';

export interface Layout { outer: number; r: number; inner: number; shape: Shape }

/** Normalises `dim` and returns the input (permuted when needed) and the layout to reduce over. */
export function reductionPlan(fn: string, input: TensorLike, dim: Dims | undefined, keepDim: boolean): { x: Tensor; lay: Layout; all: boolean } {
  const x = toTensor(fn, 'input', input);
  flag(fn, 'keepDim', keepDim);
  const nd = x.ndim;
  if (dim === undefined || dim === null) return { x, lay: { outer: 1, r: x.size, inner: 1, shape: keepDim ? x.shape.map(() => 1) : [] }, all: true };
  if (typeof dim !== 'number' && !Array.isArray(dim)) fail(fn, `dim must be a number, an array of numbers or null, got ${describe(dim)}`);
  const list: number[] = typeof dim === 'number' ? [dim] : Array.from(dim as readonly number[]);
  if (!list.every((d) => typeof d === 'number')) fail(fn, `dim must be a number, an array of numbers or null, got ${describe(dim)}`);
  // NOTE: an empty list of dims reduces over every dim, as torch.sum(x, []) and torch.amax(x, []) do.
  if (list.length === 0) return reductionPlan(fn, x, undefined, keepDim);
  const dims = list.map((d) => normDim(fn, d, nd)).sort((a, b) => a - b);
  for (let i = 1; i < dims.length; i++) if (dims[i] === dims[i - 1]) fail(fn, `dim ${dims[i]} appears twice in ${describe(dim)}`);
  if (nd === 0) return { x, lay: { outer: 1, r: 1, inner: 1, shape: [] }, all: typeof dim !== 'number' };
  const shape = reducedShape(x.shape, dims, keepDim);
  const all = typeof dim !== 'number';
  const contiguous = dims.every((d, i) => d === dims[0] + i);
  if (contiguous) {
    const outer = sizeOf(x.shape.slice(0, dims[0]));
    const r = sizeOf(x.shape.slice(dims[0], dims[dims.length - 1] + 1));
    const inner = sizeOf(x.shape.slice(dims[dims.length - 1] + 1));
    return { x, lay: { outer, r, inner, shape }, all };
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const xp = permute(x, [...kept, ...dims]);
  return { x: xp, lay: { outer: sizeOf(kept.map((i) => x.shape[i])), r: sizeOf(dims.map((i) => x.shape[i])), inner: 1, shape }, all };
}

const SUM = primitive<Layout, void>({
  name: 'sum',
  forward([a], lay) {
    const { outer, r, inner } = lay;
    const x = a.data;
    const y = new Float64Array(outer * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) y[o] = pairwiseSum(x, o * r, r);
    } else {
      const scratch = new Float64Array(pairwiseRowScratch(r, inner));
      for (let o = 0; o < outer; o++) pairwiseRowSum(x, o * r * inner, r, inner, y, o * inner, scratch);
    }
    return { data: y, shape: lay.shape, saved: undefined };
  },
  backward(g, { attrs: { outer, r, inner }, inputs }) {
    const gx = takeBuffer(outer * r * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) gx.fill(g[o], o * r, (o + 1) * r);
    } else {
      for (let o = 0; o < outer; o++) for (let k = 0; k < r; k++) gx.set(g.subarray(o * inner, (o + 1) * inner), (o * r + k) * inner);
    }
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * Sum over `dim`: `Σ_i x_i` along the reduced dims; the gradient is `g` copied to every entry.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @param dim the dims to reduce: a number, an array of numbers (negative counts from the end)
 *   or null/omitted for all dims; an empty array also reduces over all dims, as PyTorch
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.sum(input, dim, keepdim)`.
 * Summed pairwise, so the rounding error grows as O(log n), not O(n) as a running sum's does.
 *
 * @example
 * sum([[1, 2], [3, 4]], 0).toArray(); // => [4, 6]
 * sum([[1, 2], [3, 4]], 1, true).toArray(); // => [[3], [7]]
 */
export function sum(x: TensorLike, dim?: Dims, keepDim = false): Tensor {
  const p = reductionPlan('sum', x, dim, keepDim);
  return apply(SUM, [p.x], p.lay);
}

/**
 * Mean over `dim`: `(1/n) Σ_i x_i` with `n` the number of reduced entries; gradient `g / n`.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @param dim the dims to reduce: a number, an array of numbers (negative counts from the end)
 *   or null/omitted for all dims; an empty array also reduces over all dims, as PyTorch
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.mean(input, dim, keepdim)`.
 * The sum is pairwise, as `sum`'s; the mean over an empty dim is NaN, as in PyTorch.
 *
 * @example
 * mean([[1, 2], [3, 4]], [0, 1]).item(); // => 2.5
 */
export function mean(x: TensorLike, dim?: Dims, keepDim = false): Tensor {
  const p = reductionPlan('mean', x, dim, keepDim);
  return mul(apply(SUM, [p.x], p.lay), 1 / p.lay.r);
}

interface ExtremeAttrs extends Layout {
  sign: 1 | -1;
  even: boolean;
  /** Per output slot, the position along the reduced dim to leave out (`minExcluding`), or null. */
  exclude: Float64Array | null;
}

/**
 * Index along the reduced block of the max (sign 1) or min (sign -1), leaving out `skip`
 * (-1 for none): lowest index among ties, NaN wins.
 */
function extremeIndex(x: Float64Array, base: number, r: number, inner: number, sign: number, skip = -1): number {
  let best = skip === 0 ? 1 : 0;
  let bv = x[base + best * inner];
  if (bv !== bv) return best;
  for (let k = best + 1; k < r; k++) {
    if (k === skip) continue;
    const v = x[base + k * inner];
    if (v !== v) return k;
    if ((v - bv) * sign > 0) {
      bv = v;
      best = k;
    }
  }
  return best;
}

// NOTE: over one dim the gradient goes to the chosen (lowest) index among ties, as torch.max(x, dim).
// Over all dims or a list of dims it is split evenly among the ties, as torch.max(x) and torch.amax.
const extremePrimitive = (name: 'max' | 'min' | 'minExcluding') => primitive<ExtremeAttrs, Int32Array>({
  name,
  forward([a], lay) {
    const { outer, r, inner, sign, exclude } = lay;
    if (r === 0) fail(name, `cannot reduce over an empty dim (input shape ${fmtShape(a.shape)})`);
    const x = a.data;
    const y = new Float64Array(outer * inner);
    // The flat input position each output was read from: the sparse gradient's index.
    const pos = new Int32Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const oi = o * inner + j;
        const base = o * r * inner + j;
        const at = base + extremeIndex(x, base, r, inner, sign, exclude === null ? -1 : exclude[oi]) * inner;
        pos[oi] = at;
        y[oi] = x[at];
      }
    }
    return { data: y, shape: lay.shape, saved: pos };
  },
  backward(g, { attrs: { outer, r, inner, even }, saved: pos, inputs, out }) {
    if (!even) return [{ shape: inputs[0].shape, index: pos, values: g }];
    const x = inputs[0].data;
    const gx = new Float64Array(outer * r * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const oi = o * inner + j;
        const base = o * r * inner + j;
        const m = out.data[oi];
        let count = 0;
        for (let k = 0; k < r; k++) if (x[base + k * inner] === m) count++;
        for (let k = 0; k < r; k++) if (x[base + k * inner] === m) gx[base + k * inner] = g[oi] / count;
      }
    }
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

const MAX = extremePrimitive('max');
const MIN = extremePrimitive('min');
const MIN_EXCLUDING = extremePrimitive('minExcluding');

function extreme(fn: 'max' | 'min', x: TensorLike, dim: Dims | undefined, keepDim: boolean): Tensor {
  const p = reductionPlan(fn, x, dim, keepDim);
  return apply(fn === 'max' ? MAX : MIN, [p.x], { ...p.lay, sign: fn === 'max' ? 1 : -1, even: p.all, exclude: null });
}

/**
 * The min over `dim` leaving out, in each slice, the entry at `index`: `min_{k ≠ index} x_k`, the
 * lowest rival of a chosen entry, such as the most offending incorrect answer of an energy table.
 * @param input a Tensor, a number, nested number arrays or a Float64Array, with at least 2
 *   entries along `dim`
 * @param dim the dim to reduce (a number; negative counts from the end)
 * @param index integer positions in `[0, size of dim)`, a Tensor or nested arrays, one per slice
 *   (shaped like the result, with or without the kept dim)
 * @param keepDim keep the reduced dim with size 1 (default false)
 * @returns the input's shape without `dim` (size 1 with `keepDim`)
 *
 * PyTorch: no single op; the values and gradient of
 * `input.scatter(dim, index.unsqueeze(dim), inf).min(dim, keepdim).values`.
 * Ties go to the lowest index, and so does the gradient; NaN wins.
 *
 * @example
 * minExcluding([[1, 2, 3], [4, 0, 5]], 1, [0, 1]).toArray(); // => [2, 4]
 */
export function minExcluding(input: TensorLike, dim: number, index: IndexLike, keepDim = false): Tensor {
  const fn = 'minExcluding';
  const x = toTensor(fn, 'input', input);
  if (typeof dim !== 'number') fail(fn, `dim must be a number, got ${describe(dim)}`);
  const p = reductionPlan(fn, x, dim, keepDim);
  const { outer, r, inner } = p.lay;
  if (x.ndim === 0 || r < 2) fail(fn, `dim ${describe(dim)} must have at least 2 entries to leave one out, got input shape ${fmtShape(x.shape)}`);
  const idx = toIndex(fn, 'index', index);
  if (idx.data.length !== outer * inner) {
    fail(fn, `index must hold one position per slice (${outer * inner}, shape ${fmtShape(p.lay.shape)}), got shape ${fmtShape(idx.shape)}`);
  }
  for (let i = 0; i < idx.data.length; i++) {
    const v = idx.data[i];
    if (v < 0 || v >= r) fail(fn, `index ${v} is out of range for dim ${dim} of size ${r} (expected 0 <= index < ${r})`);
  }
  return apply(MIN_EXCLUDING, [p.x], { ...p.lay, sign: -1, even: false, exclude: idx.data });
}

/**
 * Maximum over `dim`, values only; NaN wins.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; no reduced dim may be empty
 * @param dim the dims to reduce: a number, an array of numbers (negative counts from the end)
 *   or null/omitted for all dims; an empty array also reduces over all dims, as PyTorch
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.max(input, dim, keepdim).values` for one dim, `torch.amax(input, dim, keepdim)`
 * for a list, `torch.max(input)` for all dims.
 * Subgradient at ties, as each of those: over one dim the gradient goes to the lowest index among
 * the ties; over a list of dims or all dims it is split evenly among them.
 *
 * @example
 * const x = tensor([[1, 3, 3]], { requiresGrad: true });
 * max(x, 1).sum().backward();
 * x.grad.toArray(); // => [[0, 1, 0]]
 */
export const max = (x: TensorLike, dim?: Dims, keepDim = false): Tensor => extreme('max', x, dim, keepDim);
/**
 * Minimum over `dim`, values only; NaN wins.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; no reduced dim may be empty
 * @param dim the dims to reduce: a number, an array of numbers (negative counts from the end)
 *   or null/omitted for all dims; an empty array also reduces over all dims, as PyTorch
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.min(input, dim, keepdim).values` for one dim, `torch.amin(input, dim, keepdim)`
 * for a list, `torch.min(input)` for all dims.
 * Subgradient at ties, as each of those: over one dim the gradient goes to the lowest index among
 * the ties; over a list of dims or all dims it is split evenly among them.
 *
 * @example
 * const x = tensor([2, 1, 1], { requiresGrad: true });
 * min(x).backward();
 * x.grad.toArray(); // => [0, 0.5, 0.5]
 */
export const min = (x: TensorLike, dim?: Dims, keepDim = false): Tensor => extreme('min', x, dim, keepDim);

// log Σ exp(x) = m + log Σ exp(x - m) with m the max (numerics.logSumExpRange).
const LSE = primitive<Layout, void>({
  name: 'logSumExp',
  forward([a], lay) {
    const { outer, r, inner } = lay;
    const x = a.data;
    const y = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) y[o * inner + j] = logSumExpRange(x, o * r * inner + j, r, inner);
    }
    return { data: y, shape: lay.shape, saved: undefined };
  },
  backward(g, { attrs: { outer, r, inner }, inputs, out }) {
    const x = inputs[0].data;
    const y = out.data;
    const gx = takeBuffer(outer * r * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const oi = o * inner + j;
        const base = o * r * inner + j;
        for (let k = 0; k < r; k++) gx[base + k * inner] = g[oi] * Math.exp(x[base + k * inner] - y[oi]);
      }
    }
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * `log Σ_i exp(x_i)` over `dim`, computed as `m + log Σ_i exp(x_i - m)` with `m` the max.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @param dim the dims to reduce: a number, an array of numbers (negative counts from the end)
 *   or null/omitted for all dims; an empty array also reduces over all dims, as PyTorch
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.logsumexp(input, dim, keepdim)`.
 * The shift keeps it finite for large inputs; an infinite max is replaced by 0, as PyTorch, so a
 * slice of -Infinity gives -Infinity, not NaN. The gradient is the softmax, `g · exp(x - result)`.
 *
 * @example
 * logSumExp([1000, 1000]).item(); // => 1000.6931471806
 * logSumExp([[0, -Infinity], [-Infinity, -Infinity]], 1).toArray(); // => [0, -Infinity]
 */
export function logSumExp(x: TensorLike, dim?: Dims, keepDim = false): Tensor {
  const p = reductionPlan('logSumExp', x, dim, keepDim);
  return apply(LSE, [p.x], p.lay);
}

function argExtreme(fn: 'argMax' | 'argMin', input: TensorLike, dim: number | null | undefined, keepDim: boolean): Tensor {
  if (dim !== undefined && dim !== null && typeof dim !== 'number') fail(fn, `dim must be a number or null, got ${describe(dim)}`);
  const x = toTensor(fn, 'input', input);
  const p = reductionPlan(fn, x, dim, keepDim);
  const { outer, r, inner } = p.lay;
  if (r === 0) fail(fn, `cannot reduce over an empty dim (input shape ${fmtShape(x.shape)})`);
  const out = new Float64Array(outer * inner);
  const sign = fn === 'argMax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) out[o * inner + j] = extremeIndex(p.x.data, o * r * inner + j, r, inner, sign);
  }
  return new Tensor(out, p.lay.shape, false);
}

/**
 * Index of the maximum along `dim`: the lowest index among ties; NaN wins.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; not empty along `dim`
 * @param dim the dim (a number; negative counts from the end), or null/omitted for the flat
 *   index over all entries
 * @param keepDim keep the reduced dim with size 1 (default false)
 * @returns the input's shape without `dim` (0-d for null), as a tensor of integer-valued numbers
 *   outside the graph (no gradient)
 *
 * PyTorch: `torch.argmax(input, dim, keepdim)` (an int64 tensor there).
 *
 * @example
 * argMax([[1, 5, 5], [7, 0, NaN]], 1).toArray(); // => [1, 2]
 */
export const argMax = (x: TensorLike, dim?: number | null, keepDim = false): Tensor => argExtreme('argMax', x, dim, keepDim);
/**
 * Index of the minimum along `dim`: the lowest index among ties; NaN wins.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; not empty along `dim`
 * @param dim the dim (a number; negative counts from the end), or null/omitted for the flat
 *   index over all entries
 * @param keepDim keep the reduced dim with size 1 (default false)
 * @returns the input's shape without `dim` (0-d for null), as a tensor of integer-valued numbers
 *   outside the graph (no gradient)
 *
 * PyTorch: `torch.argmin(input, dim, keepdim)` (an int64 tensor there).
 *
 * @example
 * argMin([[3, 1, 1], [2, 4, 1]]).item(); // => 1
 */
export const argMin = (x: TensorLike, dim?: number | null, keepDim = false): Tensor => argExtreme('argMin', x, dim, keepDim);

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const reductionPrimitives = primitiveTable({ sum: SUM, max: MAX, min: MIN, minExcluding: MIN_EXCLUDING, logSumExp: LSE });
