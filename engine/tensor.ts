import type { BackwardOptions, Node } from './autograd.js';
import { backward } from './autograd.js';
import { fail, fmtShape } from './errors.js';
import { formatTensor } from './format.js';
import * as ew from './ops/elementwise.js';
import * as la from './ops/linalg.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape-ops.js';
import * as sm from './ops/softmax.js';
import type { Shape } from './shape.js';
import { sizeOf, stridesOf } from './shape.js';

export type Operand = Tensor | number;
export type Dims = number | readonly number[];
export type IndexLike = Tensor | NestedNumbers;
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * An n-dimensional float64 array that records the operations applied to it.
 * Storage is always a contiguous row-major Float64Array; `shape` is never mutated.
 */
export class Tensor {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  requiresGrad: boolean;
  grad: Tensor | null = null;
  /** @internal the op that produced this tensor; null for leaves */
  node: Node | null = null;

  constructor(data: Float64Array, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      fail('Tensor', `data has ${data.length} values but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = shape as number[];
    this.requiresGrad = requiresGrad;
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.node === null;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  item(): number {
    if (this.size !== 1) fail('item', `expected a one-element tensor, got shape ${fmtShape(this.shape)}`);
    return this.data[0];
  }

  toArray(): NestedNumbers {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, offset: number): NestedNumbers[] => {
      const n = this.shape[dim];
      const out: NestedNumbers[] = new Array(n);
      if (dim === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[offset + i];
      } else {
        const stride = sizeOf(this.shape.slice(dim + 1));
        for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /**
   * The values as PyTorch's `repr` prints them: `tensor([1.5000,    inf,    nan], requiresGrad=true)`,
   * summarized with `...` past 1000 values; `setPrintOptions` sets the precision and the limits.
   */
  toString(): string {
    return formatTensor(this.data, this.shape, this.requiresGrad);
  }

  /** What `console.log` and Node's `util.inspect` show: `toString()`, not the graph's internals. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  backward(gradOutput?: Tensor | number, opts?: BackwardOptions): void {
    backward(this, gradOutput, opts);
  }

  /** A tensor sharing this one's data, outside any graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** A copy of the data, outside any graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape.slice(), false);
  }

  /** Sets `requiresGrad` on a leaf and returns it. */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf) fail('requiresGrad_', 'only a leaf tensor (not produced by an op) can change requiresGrad');
    this.requiresGrad = flag;
    return this;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  add(o: Operand): Tensor { return ew.add(this, o); }
  sub(o: Operand): Tensor { return ew.sub(this, o); }
  mul(o: Operand): Tensor { return ew.mul(this, o); }
  div(o: Operand): Tensor { return ew.div(this, o); }
  pow(o: Operand): Tensor { return ew.pow(this, o); }
  maximum(o: Operand): Tensor { return ew.maximum(this, o); }
  minimum(o: Operand): Tensor { return ew.minimum(this, o); }
  neg(): Tensor { return ew.neg(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  log1p(): Tensor { return ew.log1p(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  abs(): Tensor { return ew.abs(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  relu(): Tensor { return ew.relu(this); }
  softplus(): Tensor { return ew.softplus(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }
  where(cond: Operand, other: Operand): Tensor { return ew.where(cond, this, other); }
  gt(o: Operand): Tensor { return ew.gt(this, o); }
  ge(o: Operand): Tensor { return ew.ge(this, o); }
  lt(o: Operand): Tensor { return ew.lt(this, o); }
  le(o: Operand): Tensor { return ew.le(this, o); }
  eq(o: Operand): Tensor { return ew.eq(this, o); }
  ne(o: Operand): Tensor { return ew.ne(this, o); }

  sum(dim?: Dims, keepDim = false): Tensor { return red.sum(this, dim, keepDim); }
  mean(dim?: Dims, keepDim = false): Tensor { return red.mean(this, dim, keepDim); }
  max(dim?: Dims, keepDim = false): Tensor { return red.max(this, dim, keepDim); }
  min(dim?: Dims, keepDim = false): Tensor { return red.min(this, dim, keepDim); }
  logSumExp(dim?: Dims, keepDim = false): Tensor { return red.logSumExp(this, dim, keepDim); }
  argMax(dim?: number, keepDim = false): Tensor { return red.argMax(this, dim, keepDim); }
  minExcluding(dim: number, index: IndexLike, keepDim = false): Tensor { return red.minExcluding(this, dim, index, keepDim); }
  argMin(dim?: number, keepDim = false): Tensor { return red.argMin(this, dim, keepDim); }

  reshape(...shape: (number | readonly number[])[]): Tensor { return sh.reshape(this, shape.flat()); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return sh.transpose(this, dim0, dim1); }
  permute(...dims: (number | readonly number[])[]): Tensor { return sh.permute(this, dims.flat()); }
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return sh.squeeze(this, dim); }
  expand(...shape: (number | readonly number[])[]): Tensor { return sh.expand(this, shape.flat()); }
  gather(dim: number, index: IndexLike): Tensor { return sh.gather(this, dim, index); }
  indexSelect(dim: number, index: IndexLike): Tensor { return sh.indexSelect(this, dim, index); }
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return sh.slice(this, dim, start, end, step); }
  concat(others: readonly Tensor[], dim = 0): Tensor { return sh.concat([this, ...others], dim); }

  matmul(o: Tensor): Tensor { return la.matmul(this, o); }
  norm(p: number = 2, dim?: Dims, keepDim = false): Tensor { return la.norm(this, p, dim, keepDim); }
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }
}
