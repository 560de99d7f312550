/**
 * Reductions. Every reduction runs over one `[outer, r, inner]` layout: the reduced dims
 * form the middle block. Reduced dims that are not adjacent are first permuted to the end
 * (a recorded op, so its gradient comes for free).
 */
import { applyPrimitive as apply, primitive, takeBuffer } from '../autograd.js';
import { describe, fail, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';
import { normDim, reducedShape, sizeOf } from '../shape.js';
import type { TensorLike } from '../convert.js';
import { flag, toIndex, toTensor } from '../convert.js';
import type { Dims, IndexLike } from '../tensor.js';
import { Tensor } from '../tensor.js';
import { pairwiseRowScratch, pairwiseRowSum, pairwiseSum } from '../numerics.js';
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

export function sum(x: TensorLike, dim?: Dims, keepDim = false): Tensor {
  const p = reductionPlan('sum', x, dim, keepDim);
  return apply(SUM, [p.x], p.lay);
}

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
 * The min over `dim` leaving out, in each slice, the entry at `index` (shaped like the result,
 * with or without the kept dim): the lowest rival of a chosen entry, such as the most offending
 * incorrect answer of an energy table. Ties go to the lowest index, and so does the gradient.
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

export const max = (x: TensorLike, dim?: Dims, keepDim = false): Tensor => extreme('max', x, dim, keepDim);
export const min = (x: TensorLike, dim?: Dims, keepDim = false): Tensor => extreme('min', x, dim, keepDim);

// log Σ exp(x) = m + log Σ exp(x - m) with m the max; an infinite m is replaced by 0 (as PyTorch)
// so that a row of -Infinity gives -Infinity rather than NaN.
const LSE = primitive<Layout, void>({
  name: 'logSumExp',
  forward([a], lay) {
    const { outer, r, inner } = lay;
    const x = a.data;
    const y = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * r * inner + j;
        let m = -Infinity;
        for (let k = 0; k < r; k++) {
          const v = x[base + k * inner];
          if (v > m || v !== v) m = v;
        }
        if (m === Infinity || m === -Infinity) m = 0;
        let s = 0;
        for (let k = 0; k < r; k++) s += Math.exp(x[base + k * inner] - m);
        y[o * inner + j] = m + Math.log(s);
      }
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

export const argMax = (x: TensorLike, dim?: number | null, keepDim = false): Tensor => argExtreme('argMax', x, dim, keepDim);
export const argMin = (x: TensorLike, dim?: number | null, keepDim = false): Tensor => argExtreme('argMin', x, dim, keepDim);

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const reductionPrimitives = { sum: SUM, max: MAX, min: MIN, minExcluding: MIN_EXCLUDING, logSumExp: LSE };
