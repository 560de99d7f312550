/** Matrix products (register-blocked kernels in engine/kernels/gemm.ts, split over threads by engine/threads/pool.ts, batch broadcasting) and vector norms. */
import { applyPrimitive as apply, primitive } from '../autograd.js';
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
 * Matrix product with PyTorch's rules: 1-D operands are promoted (and the added dim removed
 * from the result), and batch dims broadcast.
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

/** The vector p-norm over `dim` (all elements when omitted); `p` is 0, any positive number, or Infinity. */
export function norm(x: TensorLike, p = 2, dim?: Dims, keepDim = false): Tensor {
  if (typeof p !== 'number' || !(p >= 0)) fail('norm', `p must be a number >= 0 or Infinity, got ${describe(p)}`);
  const plan = reductionPlan('norm', x, dim, keepDim);
  return apply(NORM, [plan.x], { ...plan.lay, p });
}


/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const matmulPrimitives = { matmul: MATMUL, norm: NORM };
