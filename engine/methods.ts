/**
 * Attaches the op methods declared on `Tensor` (engine/tensor.ts): each calls the free function of
 * the same name. This is the one module that imports both the class and every op, so the class
 * itself imports none and the engine has no import cycle. engine/index.ts loads it first.
 */
import { backward } from './autograd.js';
import { tensorList } from './convert.js';
import * as ew from './ops/elementwise.js';
import * as la from './ops/linalg.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape-ops.js';
import * as sm from './ops/softmax.js';
import * as sp from './ops/special.js';
import type { Dims, IndexLike, Operand } from './tensor.js';
import { Tensor } from './tensor.js';

// What the class body itself defines; everything else on `Tensor` is an op method, and leaving
// one out below is a compile error.
type ClassMembers = 'data' | 'shape' | 'requiresGrad' | 'grad' | 'node' | 'size' | 'ndim' | 'isLeaf' | 'strides'
  | 'item' | 'toArray' | 'toString' | 'detach' | 'clone' | 'requiresGrad_' | 'zeroGrad';

const methods: Omit<Tensor, ClassMembers> & ThisType<Tensor> = {
  backward(gradOutput, opts) { backward(this, gradOutput, opts); },
  add(o: Operand) { return ew.add(this, o); },
  sub(o: Operand) { return ew.sub(this, o); },
  mul(o: Operand) { return ew.mul(this, o); },
  div(o: Operand) { return ew.div(this, o); },
  pow(o: Operand) { return ew.pow(this, o); },
  maximum(o: Operand) { return ew.maximum(this, o); },
  minimum(o: Operand) { return ew.minimum(this, o); },
  neg() { return ew.neg(this); },
  exp() { return ew.exp(this); },
  log() { return ew.log(this); },
  log1p() { return ew.log1p(this); },
  sqrt() { return ew.sqrt(this); },
  abs() { return ew.abs(this); },
  sigmoid() { return ew.sigmoid(this); },
  logSigmoid() { return sp.logSigmoid(this); },
  tanh() { return ew.tanh(this); },
  relu() { return ew.relu(this); },
  softplus() { return ew.softplus(this); },
  clamp(min?: number | null, max?: number | null) { return ew.clamp(this, min, max); },
  where(cond: Operand, other: Operand) { return ew.where(cond, this, other); },
  gt(o: Operand) { return ew.gt(this, o); },
  ge(o: Operand) { return ew.ge(this, o); },
  lt(o: Operand) { return ew.lt(this, o); },
  le(o: Operand) { return ew.le(this, o); },
  eq(o: Operand) { return ew.eq(this, o); },
  ne(o: Operand) { return ew.ne(this, o); },
  sum(dim?: Dims, keepDim = false) { return red.sum(this, dim, keepDim); },
  mean(dim?: Dims, keepDim = false) { return red.mean(this, dim, keepDim); },
  max(dim?: Dims, keepDim = false) { return red.max(this, dim, keepDim); },
  min(dim?: Dims, keepDim = false) { return red.min(this, dim, keepDim); },
  logSumExp(dim?: Dims, keepDim = false) { return red.logSumExp(this, dim, keepDim); },
  argMax(dim?: number | null, keepDim = false) { return red.argMax(this, dim, keepDim); },
  argMin(dim?: number | null, keepDim = false) { return red.argMin(this, dim, keepDim); },
  minExcluding(dim: number, index: IndexLike, keepDim = false) { return red.minExcluding(this, dim, index, keepDim); },
  reshape(...shape) { return sh.reshape(this, shapeList(shape)); },
  transpose(dim0 = -2, dim1 = -1) { return sh.transpose(this, dim0, dim1); },
  permute(...dims) { return sh.permute(this, shapeList(dims)); },
  unsqueeze(dim: number) { return sh.unsqueeze(this, dim); },
  squeeze(dim?: number) { return sh.squeeze(this, dim); },
  expand(...shape) { return sh.expand(this, shapeList(shape)); },
  gather(dim: number, index: IndexLike) { return sh.gather(this, dim, index); },
  indexSelect(dim: number, index: IndexLike) { return sh.indexSelect(this, dim, index); },
  slice(dim: number, start?: number, end?: number, step = 1) { return sh.slice(this, dim, start, end, step); },
  concat(others: readonly Tensor[], dim = 0) { return sh.concat([this, ...tensorList('concat', 'others', others)], dim); },
  matmul(o: Tensor) { return la.matmul(this, o); },
  norm(p = 2, dim?: Dims, keepDim = false) { return la.norm(this, p, dim, keepDim); },
  softmax(dim: number) { return sm.softmax(this, dim); },
  logSoftmax(dim: number) { return sm.logSoftmax(this, dim); },
};

/** `x.reshape(2, 3)` and `x.reshape([2, 3])` both mean the shape `[2, 3]`. */
function shapeList(args: readonly (number | readonly number[])[]): number | readonly number[] {
  // A mixed or malformed list is passed on as it is, for the op to reject by name.
  return args.length === 1 ? args[0] : (args as readonly number[]);
}

// Non-enumerable, as class methods are, so that tensors print and spread as before.
for (const [name, value] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true, enumerable: false });
}
