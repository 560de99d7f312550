/** Matrix products (register-blocked kernels in engine/kernels/gemm.ts, split over threads by engine/threads/pool.ts, batch broadcasting) and vector norms. */
import { applyPrimitive as apply, primitive, primitiveTable } from '../autograd.js';
import { addPNormDistanceGrad, pNormDistance } from '../numerics.js';
import { parallelGemm } from '../threads/pool.js';
import type { TensorLike } from '../convert.js';
import { toTensor } from '../convert.js';
import { describe, fail, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';
import { broadcastIndex, broadcastShapes } from '../shape.js';
import type { Dims } from '../tensor.js';
import type { Tensor } from '../tensor.js';
import type { Layout } from './reduce.js';
import { reductionPlan } from './reduce.js';
import { squeeze, unsqueeze } from './shape-ops.js';

interface MatmulAttrs { batch: Shape; M: number; K: number; N: number; ia: Int32Array; ib: Int32Array }

const MATMUL = primitive<MatmulAttrs, void>({
  name: 'matmul',
  forward([A, B], { batch, M, K, N, ia, ib }) {
    const nb = ia.length;
    const c = new Float64Array(nb * M * N);
    parallelGemm('nn', nb, A.data, ia, B.data, ib, c, M, K, N);
    return { data: c, shape: [...batch, M, N], saved: undefined };
  },
  backward(g, { attrs: { batch, M, K, N, ia, ib }, inputs: [A, B], needs }) {
    const nb = ia.length;
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needs[0]) {
      ga = new Float64Array(nb * M * K);
      parallelGemm('nt', nb, g, null, B.data, ib, ga, M, N, K);
    }
    if (needs[1]) {
      gb = new Float64Array(nb * K * N);
      parallelGemm('tn', nb, A.data, ia, g, null, gb, K, M, N);
    }
    return [ga && { shape: [...batch, M, K], data: ga }, gb && { shape: [...batch, K, N], data: gb }];
  },
});

/**
 * Matrix product, `C[..., i, j] = Σ_k A[..., i, k] · B[..., k, j]`, with PyTorch's rules.
 * @param input a Tensor, a number, nested number arrays or a Float64Array: `[..., M, K]`, or
 *   `[K]` (promoted to `[1, K]`)
 * @param other the same forms: `[..., K, N]`, or `[K]` (promoted to `[K, 1]`)
 * @returns `[...batch, M, N]`, the batch dims broadcast (NumPy rules) and the dims added for 1-D
 *   operands removed: `[K]·[K]` is 0-d, `[M, K]·[K]` is `[M]`
 *
 * PyTorch: `torch.matmul(input, other)`.
 * The gradients are `g · Bᵀ` and `Aᵀ · g`, summed back over broadcast batch dims. Register-blocked
 * kernels split over threads: the sums' order differs from a naive loop's, so the last bits may too.
 *
 * @example
 * matmul([[1, 2], [3, 4]], [5, 6]).toArray(); // => [17, 39]
 * matmul(zeros([4, 1, 2, 3]), zeros([5, 3, 2])).shape; // => [4, 5, 2, 2]
 */
export function matmul(input: TensorLike, other: TensorLike): Tensor {
  const a = toTensor('matmul', 'input', input);
  const b = toTensor('matmul', 'other', other);
  if (a.ndim === 0 || b.ndim === 0) fail('matmul', `both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, -1) : b;
  const [M, K] = a2.shape.slice(-2);
  const [K2, N] = b2.shape.slice(-2);
  if (K !== K2) fail('matmul', `inner dims differ: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (${K} against ${K2})`);
  const ba = a2.shape.slice(0, -2);
  const bb = b2.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', ba, bb);
  const ia = broadcastIndex(ba, batch);
  const ib = broadcastIndex(bb, batch);
  let y = apply(MATMUL, [a2, b2], { batch, M, K, N, ia, ib });
  if (a.ndim === 1) y = squeeze(y, -2);
  if (b.ndim === 1) y = squeeze(y, -1);
  return y;
}

interface NormAttrs extends Layout { p: number }

// NOTE: where the norm is 0 the gradient is 0 (PyTorch masks it), not the NaN of 0/0; for p < 1
// an entry equal to 0 gets 0 rather than 0 · Infinity (PyTorch masks that too).
// The infinity norm splits the gradient evenly among the entries of largest magnitude, as PyTorch.
const NORM = primitive<NormAttrs, void>({
  name: 'norm',
  forward([a], lay) {
    const { outer, r, inner, p } = lay;
    const x = a.data;
    const y = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) y[o * inner + j] = pNormDistance(x, o * r * inner + j, null, 0, r, p, 0, inner);
    }
    return { data: y, shape: lay.shape, saved: undefined };
  },
  backward(g, { attrs: { outer, r, inner, p }, inputs, out }) {
    const x = inputs[0].data;
    const gx = new Float64Array(x.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const oi = o * inner + j;
        addPNormDistanceGrad(g[oi], x, o * r * inner + j, null, 0, r, p, 0, out.data[oi], gx, null, inner);
      }
    }
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * The vector p-norm over `dim`: `(Σ_i |x_i|^p)^(1/p)`; `max_i |x_i|` for p = Infinity, and the
 * count of nonzero entries for p = 0.
 * @param x a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @param p 0, any positive number, or Infinity (default 2)
 * @param dim the dims to reduce: a number, an array of numbers or null/omitted for all dims
 * @param keepDim keep each reduced dim with size 1 (default false)
 * @returns the input's shape without the reduced dims (size 1 with `keepDim`); 0-d over all dims
 *
 * PyTorch: `torch.linalg.vector_norm(x, ord=p, dim, keepdim)`.
 * Subgradients, as PyTorch masks them: 0 where the norm is 0 (not 0/0); for p < 1, 0 at a zero
 * entry (not 0 · Infinity); `sgn(x)` for p = 1; for p = Infinity split evenly among the entries
 * of largest magnitude; 0 for p = 0. No rescaling, as PyTorch: for p = 2 the squares overflow
 * above about 1.3e154.
 *
 * @example
 * norm([[3, 4], [0, 0]], 2, 1).toArray(); // => [5, 0]
 * norm([3, -4], Infinity).item(); // => 4
 */
export function norm(x: TensorLike, p = 2, dim?: Dims, keepDim = false): Tensor {
  if (typeof p !== 'number' || !(p >= 0)) fail('norm', `p must be a number >= 0 or Infinity, got ${describe(p)}`);
  const plan = reductionPlan('norm', x, dim, keepDim);
  return apply(NORM, [plan.x], { ...plan.lay, p });
}


/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const matmulPrimitives = primitiveTable({ matmul: MATMUL, norm: NORM });
