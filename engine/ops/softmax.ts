/**
 * softmax and logSoftmax as fused primitives: composing them from exp/sum/log would overflow
 * for large logits, and the fused backward needs one pass instead of four.
 */
import { applyPrimitive as apply, primitive, primitiveTable, takeBuffer } from '../autograd.js';
import { rangeMax, sumExpShifted } from '../numerics.js';
import { normDim, sizeOf } from '../shape.js';
import type { TensorLike } from '../convert.js';
import { toTensor } from '../convert.js';
import type { Tensor } from '../tensor.js';
import type { RowShare } from '../threads/pool.js';
import { SPLIT_MIN, splitRows, threadsFor } from '../threads/pool.js';

interface Lay { outer: number; r: number; inner: number }

function layout(fn: string, x: Tensor, dim: number): Lay {
  if (x.ndim === 0) {
    normDim(fn, dim, 0);
    return { outer: 1, r: 1, inner: 1 };
  }
  const d = normDim(fn, dim, x.ndim);
  return { outer: sizeOf(x.shape.slice(0, d)), r: x.shape[d], inner: sizeOf(x.shape.slice(d + 1)) };
}

/** Writes log-softmax of each slice of `x` in outer rows [o0, o1) into `y`: y = (x - m) - log Σ exp(x - m). */
function logSoftmaxInto(x: Float64Array, y: Float64Array, { r, inner }: Lay, o0: number, o1: number): void {
  for (let o = o0; o < o1; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * r * inner + j;
      const m = rangeMax(x, base, r, inner);
      // (x - m) - log s, in PyTorch's order: x - (m + log s) loses digits when |m| is large.
      const logS = Math.log(sumExpShifted(x, base, r, inner, m));
      for (let k = 0; k < r; k++) y[base + k * inner] = x[base + k * inner] - m - logS;
    }
  }
}

/** One share of logSoftmax's forward: outer rows [u0, u1) of `y`. */
interface ForwardShare extends RowShare {
  x: Float64Array;
  y: Float64Array;
  lay: Lay;
}

/** The forward over one share; a worker task too (engine/threads/worker.ts). @internal */
export function logSoftmaxRows({ x, y, lay, u0, u1 }: ForwardShare): null {
  logSoftmaxInto(x, y, lay, u0, u1);
  return null;
}

/** One share of logSoftmax's backward: outer rows [u0, u1) of `gx`. */
interface BackwardShare extends RowShare {
  g: Float64Array;
  y: Float64Array;
  gx: Float64Array;
  lay: Lay;
}

/**
 * d/dx_k of Σ_i g_i y_i = g_k - softmax_k Σ_i g_i, over one share; a worker task too
 * (engine/threads/worker.ts). @internal
 */
export function logSoftmaxGradRows({ g, y, gx, lay: { r, inner }, u0, u1 }: BackwardShare): null {
  for (let o = u0; o < u1; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * r * inner + j;
      let s = 0;
      for (let k = 0; k < r; k++) s += g[base + k * inner];
      for (let k = 0; k < r; k++) gx[base + k * inner] = g[base + k * inner] - Math.exp(y[base + k * inner]) * s;
    }
  }
  return null;
}

const LOG_SOFTMAX = primitive<Lay, void>({
  name: 'logSoftmax',
  forward([a], lay) {
    const y = new Float64Array(a.size);
    const job = { x: a.data, y, lay, u0: 0, u1: lay.outer };
    const threads = threadsFor(y.length, SPLIT_MIN.logSoftmax, lay.outer);
    if (threads === 1) logSoftmaxRows(job);
    else splitRows('logSoftmax', logSoftmaxRows, job, lay.outer, threads, ['x'], ['y']);
    return { data: y, shape: a.shape, saved: undefined };
  },
  backward(g, { attrs: lay, out, inputs }) {
    const y = out.data;
    const job = { g, y, gx: takeBuffer(y.length), lay, u0: 0, u1: lay.outer };
    const threads = threadsFor(y.length, SPLIT_MIN.logSoftmax, lay.outer);
    if (threads === 1) logSoftmaxGradRows(job);
    else splitRows('logSoftmaxBackward', logSoftmaxGradRows, job, lay.outer, threads, ['g', 'y'], ['gx']);
    return [{ shape: inputs[0].shape, data: job.gx }];
  },
});

const SOFTMAX = primitive<Lay, void>({
  name: 'softmax',
  forward([a], lay) {
    const y = new Float64Array(a.size);
    logSoftmaxInto(a.data, y, lay, 0, lay.outer);
    for (let i = 0; i < y.length; i++) y[i] = Math.exp(y[i]);
    return { data: y, shape: a.shape, saved: undefined };
  },
  // d/dx_k of Σ_i g_i y_i = y_k (g_k - Σ_i g_i y_i)
  backward(g, { attrs: { outer, r, inner }, out, inputs }) {
    const y = out.data;
    const gx = takeBuffer(y.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * r * inner + j;
        let s = 0;
        for (let k = 0; k < r; k++) s += g[base + k * inner] * y[base + k * inner];
        for (let k = 0; k < r; k++) gx[base + k * inner] = y[base + k * inner] * (g[base + k * inner] - s);
      }
    }
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * Softmax along `dim`: `y_k = exp(x_k - m) / Σ_i exp(x_i - m)` with `m` the slice's max.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape (0-d included)
 * @param dim the dim to normalise over (a number; negative counts from the end)
 * @returns a tensor of the input's shape, each slice along `dim` summing to 1
 *
 * PyTorch: `torch.softmax(input, dim)`.
 * One fused node, the exponential of `logSoftmax`'s result: no overflow for large inputs, and the
 * backward `y_k (g_k - Σ_i g_i y_i)` is one pass. A slice that is all -Infinity or holds +Infinity
 * gives NaN, as PyTorch.
 *
 * @example
 * softmax([1000, 1000 + Math.log(3)], 0).toArray(); // => [0.2500000000, 0.7500000000]
 */
export function softmax(input: TensorLike, dim: number): Tensor {
  const x = toTensor('softmax', 'input', input);
  return apply(SOFTMAX, [x], layout('softmax', x, dim));
}

/**
 * Log-softmax along `dim`: `y_k = (x_k - m) - log Σ_i exp(x_i - m)` with `m` the slice's max.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape (0-d included)
 * @param dim the dim to normalise over (a number; negative counts from the end)
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.log_softmax(input, dim)`.
 * One fused node: exact for large inputs where `log(softmax(x))` would give `log 0`, and computed
 * in PyTorch's order (`x - (m + log s)` loses digits when `|m|` is large). The backward is
 * `g_k - softmax_k Σ_i g_i`, one pass.
 *
 * @example
 * logSoftmax([[1000, 0], [0, 0]], 1).toArray(); // => [[0, -1000], [-0.6931471806, -0.6931471806]]
 */
export function logSoftmax(input: TensorLike, dim: number): Tensor {
  const x = toTensor('logSoftmax', 'input', input);
  return apply(LOG_SOFTMAX, [x], layout('logSoftmax', x, dim));
}

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const softmaxPrimitives = primitiveTable({ logSoftmax: LOG_SOFTMAX, softmax: SOFTMAX });
