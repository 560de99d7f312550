/**
 * lossgrad/engine: tensors, reverse-mode autograd, gradient checking and optimizers.
 *
 * @module lossgrad/engine
 */
import './methods.js';

export { Tensor } from './tensor.js';
export type { Dims, IndexLike, NestedNumbers, Operand } from './tensor.js';
export { tensor, zeros, ones, full, arange, rand, randn } from './create.js';
export type { TensorOptions, CreateOptions, RandomOptions } from './create.js';
export { zerosLike, onesLike, fullLike, randLike, randnLike } from './create-like.js';
export { toArray1d, toArray2d, toArray3d } from './to-array.js';
export { setPrintOptions, getPrintOptions } from './format.js';
export type { PrintOptions } from './format.js';
export { noGrad, isGradEnabled, primitive, apply, grad, valueAndGrad, emptyCache, setCacheLimit, cacheBytes } from './autograd.js';
export type { AnyPrimitive, BackwardCtx, BackwardOptions, DenseGrad, Differentiable, Forward, Grad, Node, Primitive, SparseGrad } from './autograd.js';
export type { Shape } from './shape.js';
export type { TensorLike } from './convert.js';
export type { Reduction } from './options.js';
export { gradCheck } from './grad-check.js';
export type { GradCheckOptions, GradCheckReport, GradCheckFailure } from './grad-check.js';
export {
  add, sub, mul, div, neg, pow, exp, log, log1p, sqrt, abs, sigmoid, tanh, relu, softplus, clamp,
  maximum, minimum, where, gt, ge, lt, le, eq, ne,
} from './ops/elementwise.js';
export { sum, mean, max, min, minExcluding, logSumExp, argMax, argMin } from './ops/reduce.js';
export { reshape, transpose, permute, unsqueeze, squeeze, expand, gather, indexSelect, slice, concat, stack } from './ops/shape-ops.js';
export { matmul, norm } from './ops/linalg.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { logSigmoid, xlogy, logAddExp } from './ops/special.js';
export { Rng } from './random.js';
export { setNumThreads, getNumThreads } from './threads/pool.js';
export * as optim from './optim.js';
