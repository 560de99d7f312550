/**
 * Elementwise functions that losses are built from and that need their own rule for exactness:
 * an exact log-sigmoid, `x log y` with `0 log y = 0`, `log(e^a + e^b)`, and a clamp whose gradient
 * is the identity. Each is one primitive, so every loss that uses one computes the same numbers.
 */
import { applyPrimitive as apply, primitive, primitiveTable, takeBuffer } from '../autograd.js';
import { broadcastData, broadcastShapes, sameShape } from '../shape.js';
import type { Shape } from '../shape.js';
import { logAddExp as logAddExpScalar, sigmoidExact, softplusExact } from '../numerics.js';
import type { TensorLike } from '../convert.js';
import { toTensor } from '../convert.js';
import type { Tensor } from '../tensor.js';

type F64 = Float64Array;

/** Both operands at their broadcast shape. */
function broadcastPair(name: string, A: Tensor, B: Tensor): { shape: Shape; a: F64; b: F64 } {
  if (sameShape(A.shape, B.shape)) return { shape: A.shape, a: A.data, b: B.data };
  const shape = broadcastShapes(name, A.shape, B.shape);
  return { shape, a: broadcastData(A.data, A.shape, shape), b: broadcastData(B.data, B.shape, shape) };
}

// log σ(x) = -softplus(-x), computed exactly for every x: no overflow for large |x| and no
// cancellation near 0. Its derivative is σ(-x) = 1 - σ(x).
export const LOG_SIGMOID = primitive<void, F64>({
  name: 'logSigmoid',
  forward([a]) {
    const x = a.data;
    const y = takeBuffer(x.length);
    for (let i = 0; i < x.length; i++) y[i] = -softplusExact(-x[i]);
    return { data: y, shape: a.shape, saved: x };
  },
  backward(g, { saved: x, inputs }) {
    const gx = takeBuffer(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] * sigmoidExact(-x[i]);
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

interface PairSaved { a: F64; b: F64; shape: Shape }

// d/dx = log y, except 0 where x = 0 and y <= 0 (PyTorch's mask: there the product is 0 for
// every x near 0 on one side); NaN where y is NaN. d/dy = x / y.
// NOTE: as torch.xlogy, d/dy at x = y = 0 is 0 / 0 = NaN. So KL's gradient with respect to a
// zero target is NaN, exactly PyTorch's value (the input gradient there is a finite 0).
export const XLOGY = primitive<void, PairSaved>({
  name: 'xlogy',
  forward([A, B]) {
    const { shape, a: x, b: y } = broadcastPair('xlogy', A, B);
    const out = takeBuffer(x.length);
    for (let i = 0; i < out.length; i++) {
      const yi = y[i];
      out[i] = yi !== yi ? NaN : x[i] === 0 ? 0 : x[i] * Math.log(yi);
    }
    return { data: out, shape, saved: { a: x, b: y, shape } };
  },
  backward(g, { saved: { a: x, b: y, shape }, needs }) {
    const gx = needs[0] ? takeBuffer(g.length) : null;
    const gy = needs[1] ? takeBuffer(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      const yi = y[i];
      if (gx) gx[i] = x[i] === 0 && yi <= 0 ? 0 : g[i] * Math.log(yi);
      if (gy) gy[i] = (g[i] * x[i]) / yi;
    }
    return [gx && { shape, data: gx }, gy && { shape, data: gy }];
  },
});

// d/da = 1 / (1 + e^(b - a)) and d/db = 1 / (1 + e^(a - b)), PyTorch's forms: they are exactly
// 1/2 at a = b (where e^(a - y) is off by rounding), and NaN where both are -Infinity.
export const LOG_ADD_EXP = primitive<void, PairSaved>({
  name: 'logAddExp',
  forward([A, B]) {
    const { shape, a, b } = broadcastPair('logAddExp', A, B);
    const y = takeBuffer(a.length);
    for (let i = 0; i < y.length; i++) y[i] = logAddExpScalar(a[i], b[i]);
    return { data: y, shape, saved: { a, b, shape } };
  },
  backward(g, { saved: { a, b, shape }, needs }) {
    const ga = needs[0] ? takeBuffer(g.length) : null;
    const gb = needs[1] ? takeBuffer(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      if (ga) ga[i] = g[i] / (1 + Math.exp(b[i] - a[i]));
      if (gb) gb[i] = g[i] / (1 + Math.exp(a[i] - b[i]));
    }
    return [ga && { shape, data: ga }, gb && { shape, data: gb }];
  },
});

// NOTE: the gradient is the identity everywhere, also where the value was raised to `min`: the
// straight-through estimator that PyTorch's Gaussian NLL applies to its clamped variance.
export const CLAMP_MIN_STRAIGHT_THROUGH = primitive<number, void>({
  name: 'clampMinStraightThrough',
  forward([a], min) {
    const x = a.data;
    const out = takeBuffer(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] < min ? min : x[i];
    return { data: out, shape: a.shape, saved: undefined };
  },
  backward(g, { inputs }) {
    return [{ shape: inputs[0].shape, data: g }];
  },
});

/**
 * `log σ(x) = -log(1 + e^-x)`, exact for every x.
 * @param input any shape
 * @returns the input's shape
 * PyTorch: `torch.nn.functional.logsigmoid`.
 * @example
 * logSigmoid([0]).item(); // => -0.6931471805599453
 */
export const logSigmoid = (input: TensorLike): Tensor => apply(LOG_SIGMOID, [toTensor('logSigmoid', 'input', input)], undefined);

/**
 * `x · log y`, with `0 · log y = 0` (also where y is 0); NaN where y is NaN. Broadcasts.
 * PyTorch: `torch.xlogy`.
 * @example
 * xlogy([0, 2], [0, 1]).toArray(); // => [0, 0]
 */
export const xlogy = (x: TensorLike, y: TensorLike): Tensor =>
  apply(XLOGY, [toTensor('xlogy', 'x', x), toTensor('xlogy', 'y', y)], undefined);

/**
 * `log(e^a + e^b)` without overflow. Broadcasts.
 * PyTorch: `torch.logaddexp`.
 * @example
 * logAddExp([1000], [1000]).item(); // => 1000.6931471805599
 */
export const logAddExp = (a: TensorLike, b: TensorLike): Tensor =>
  apply(LOG_ADD_EXP, [toTensor('logAddExp', 'a', a), toTensor('logAddExp', 'b', b)], undefined);
/**
 * `max(x, min)` in value (NaN stays NaN), with gradient 1 everywhere: what PyTorch's Gaussian NLL
 * does to its variance (a clamp under `no_grad`, added back to the tensor itself). Library-internal.
 */
export const clampMinStraightThrough = (x: Tensor, min: number): Tensor => apply(CLAMP_MIN_STRAIGHT_THROUGH, [x], min);

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const specialPrimitives = primitiveTable({ logSigmoid: LOG_SIGMOID, xlogy: XLOGY, logAddExp: LOG_ADD_EXP, clampMinStraightThrough: CLAMP_MIN_STRAIGHT_THROUGH });
