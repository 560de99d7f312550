import type { BackwardOptions, Node } from './autograd.js';
import { describe, fail, fmtShape } from './errors.js';
import { formatTensor } from './format.js';
import type { Shape } from './shape.js';
import { sizeOf, stridesOf } from './shape.js';

/** The second operand of a binary op: a Tensor or a number (plain arrays too, converted to constants). */
export type Operand = Tensor | number | NestedNumbers | Float64Array;
/** The dims of a reduction: one dim, a list of dims, or `null`/`undefined` for all of them. */
export type Dims = number | readonly number[] | null;
/** Integer indices: a Tensor or (nested) number arrays. */
export type IndexLike = Tensor | NestedNumbers;
/** A number or arrays of numbers nested to any (rectangular) depth. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * An n-dimensional float64 array that records the operations applied to it.
 * Storage is always a contiguous row-major Float64Array; `shape` is never mutated.
 */
export class Tensor {
  /** The values, contiguous and row-major (shared, not copied, by `reshape` and `detach`). */
  readonly data: Float64Array;
  /** The dims; `[]` for a 0-d tensor. PyTorch: `Tensor.shape`. */
  readonly shape: readonly number[];
  /** Whether operations on this tensor are recorded, so that gradients flow to or through it. */
  requiresGrad: boolean;
  /** The gradient `backward()` accumulated into this leaf; `null` until then (and after `zeroGrad()`). */
  grad: Tensor | null = null;
  /** @internal the op that produced this tensor; null for leaves */
  node: Node | null = null;

  /**
   * Wraps `data` (not copied) as a tensor of `shape`. Most code calls `tensor(...)` instead, which
   * also converts arrays.
   */
  constructor(data: Float64Array, shape: Shape, requiresGrad = false) {
    if (!(data instanceof Float64Array)) fail('Tensor', `data must be a Float64Array, got ${describe(data)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail('Tensor', `shape must be an array of non-negative integers, got ${describe(shape)}`);
    }
    if (typeof requiresGrad !== 'boolean') fail('Tensor', `requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
    if (data.length !== sizeOf(shape)) {
      fail('Tensor', `data has ${data.length} values but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = shape as number[];
    this.requiresGrad = requiresGrad;
  }

  /** The number of values (the product of the dims). PyTorch: `Tensor.numel()`. */
  get size(): number {
    return this.data.length;
  }

  /** The number of dims. PyTorch: `Tensor.ndim`. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for a tensor no recorded op produced (created by the user, or not requiring grad). PyTorch: `Tensor.is_leaf`. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** Row-major strides, in values. PyTorch: `Tensor.stride()`. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /**
   * The value of a one-element tensor (any shape with one value). PyTorch: `Tensor.item()`.
   * @example
   * tensor([[2.5]]).item(); // => 2.5
   */
  item(): number {
    if (this.size !== 1) fail('item', `expected a one-element tensor, got shape ${fmtShape(this.shape)}`);
    return this.data[0];
  }

  /**
   * The values as nested plain arrays, one level per dim (a number for a 0-d tensor). The type
   * is `NestedNumbers` because the rank is known only at run time: `toArray1d`, `toArray2d` and
   * `toArray3d` check it and return `number[]`, `number[][]`, `number[][][]`.
   * PyTorch: `Tensor.tolist()`.
   */
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
    if (typeof flag !== 'boolean') fail('requiresGrad_', `flag must be a boolean, got ${describe(flag)}`);
    if (!this.isLeaf) fail('requiresGrad_', 'only a leaf tensor (not produced by an op) can change requiresGrad');
    this.requiresGrad = flag;
    return this;
  }

  /** Clears this tensor's gradient (to `null`, as PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    this.grad = null;
  }
}


/**
 * The operations of a Tensor as methods: each equals the free function of the same name with the
 * tensor as its first argument (`x.add(y)` is `add(x, y)`), documented there. They are declared
 * here, beside the class, and attached in engine/methods.ts, so that this module imports no op
 * and no import cycle is possible.
 */
export interface Tensor {
  /**
   * Reverse pass from this tensor: fills `.grad` of every leaf that requires grad, adding to any
   * gradient already there.
   * @param gradOutput the gradient of the final quantity with respect to this tensor (its shape);
   *   optional, and 1, for a one-element tensor
   * @param opts `retainGraph` (default false) keeps the graph so that `backward` can run through
   *   it again
   * PyTorch: `Tensor.backward(gradient, retain_graph)`.
   */
  backward(gradOutput?: Tensor | number, opts?: BackwardOptions): void;

  /** Elementwise `this + other`, broadcasting. PyTorch: `torch.add`. */
  add(other: Operand): Tensor;
  /** Elementwise `this - other`, broadcasting. PyTorch: `torch.sub`. */
  sub(other: Operand): Tensor;
  /** Elementwise `this · other`, broadcasting. PyTorch: `torch.mul`. */
  mul(other: Operand): Tensor;
  /** Elementwise `this / other`, broadcasting. PyTorch: `torch.div`. */
  div(other: Operand): Tensor;
  /** Elementwise `this ^ exponent`, broadcasting. PyTorch: `torch.pow`. */
  pow(exponent: Operand): Tensor;
  /** Elementwise maximum (NaN wins; ties split the gradient evenly). PyTorch: `torch.maximum`. */
  maximum(other: Operand): Tensor;
  /** Elementwise minimum (NaN wins; ties split the gradient evenly). PyTorch: `torch.minimum`. */
  minimum(other: Operand): Tensor;
  /** `-this`. PyTorch: `torch.neg`. */
  neg(): Tensor;
  /** `e^this`. PyTorch: `torch.exp`. */
  exp(): Tensor;
  /** Natural logarithm. PyTorch: `torch.log`. */
  log(): Tensor;
  /** `log(1 + this)`, exact near 0. PyTorch: `torch.log1p`. */
  log1p(): Tensor;
  /** Square root (gradient +Infinity at 0). PyTorch: `torch.sqrt`. */
  sqrt(): Tensor;
  /** Absolute value (gradient `sgn`, 0 at 0). PyTorch: `torch.abs`. */
  abs(): Tensor;
  /** `1 / (1 + e^-this)`. PyTorch: `torch.sigmoid`. */
  sigmoid(): Tensor;
  /** `log σ(this)`, exact for every value. PyTorch: `torch.nn.functional.logsigmoid`. */
  logSigmoid(): Tensor;
  /** Hyperbolic tangent. PyTorch: `torch.tanh`. */
  tanh(): Tensor;
  /** `max(this, 0)` (gradient 0 at 0). PyTorch: `torch.relu`. */
  relu(): Tensor;
  /** `log(1 + e^this)`, linear above 20 as PyTorch's default threshold. PyTorch: `torch.nn.functional.softplus`. */
  softplus(): Tensor;
  /** Clamps into `[min, max]` (either may be null); the gradient passes at the bounds. PyTorch: `torch.clamp`. */
  clamp(min?: number | null, max?: number | null): Tensor;
  /** `this` where `cond` is nonzero, `other` elsewhere; all three broadcast. PyTorch: `torch.where(cond, this, other)`. */
  where(cond: Operand, other: Operand): Tensor;
  /** 1 where `this > other`, else 0; no gradient. PyTorch: `torch.gt`. */
  gt(other: Operand): Tensor;
  /** 1 where `this >= other`, else 0; no gradient. PyTorch: `torch.ge`. */
  ge(other: Operand): Tensor;
  /** 1 where `this < other`, else 0; no gradient. PyTorch: `torch.lt`. */
  lt(other: Operand): Tensor;
  /** 1 where `this <= other`, else 0; no gradient. PyTorch: `torch.le`. */
  le(other: Operand): Tensor;
  /** 1 where `this == other`, else 0; no gradient. PyTorch: `torch.eq`. */
  eq(other: Operand): Tensor;
  /** 1 where `this != other`, else 0; no gradient. PyTorch: `torch.ne`. */
  ne(other: Operand): Tensor;

  /** Sum over `dim` (all dims when absent or null), summed pairwise. PyTorch: `torch.sum`. */
  sum(dim?: Dims, keepDim?: boolean): Tensor;
  /** Mean over `dim` (all dims when absent or null). PyTorch: `torch.mean`. */
  mean(dim?: Dims, keepDim?: boolean): Tensor;
  /** Maximum over `dim`, values only (the gradient goes to the lowest index among ties). PyTorch: `torch.amax`. */
  max(dim?: Dims, keepDim?: boolean): Tensor;
  /** Minimum over `dim`, values only (the gradient goes to the lowest index among ties). PyTorch: `torch.amin`. */
  min(dim?: Dims, keepDim?: boolean): Tensor;
  /** `log Σ exp` over `dim`, max-shifted. PyTorch: `torch.logsumexp`. */
  logSumExp(dim?: Dims, keepDim?: boolean): Tensor;
  /** Index of the maximum along `dim` (lowest among ties; NaN wins). PyTorch: `torch.argmax`. */
  argMax(dim?: number | null, keepDim?: boolean): Tensor;
  /** Index of the minimum along `dim` (lowest among ties; NaN wins). PyTorch: `torch.argmin`. */
  argMin(dim?: number | null, keepDim?: boolean): Tensor;
  /** The minimum along `dim` leaving out the entry at `index` in each slice. No PyTorch equivalent. */
  minExcluding(dim: number, index: IndexLike, keepDim?: boolean): Tensor;

  /** The same values in a new shape (one dim may be -1). PyTorch: `torch.reshape`. */
  reshape(...shape: (number | readonly number[])[]): Tensor;
  /** Swaps two dims (the last two by default). PyTorch: `torch.transpose`. */
  transpose(dim0?: number, dim1?: number): Tensor;
  /** Reorders the dims. PyTorch: `torch.permute`. */
  permute(...dims: (number | readonly number[])[]): Tensor;
  /** Inserts a dim of size 1 at `dim`. PyTorch: `torch.unsqueeze`. */
  unsqueeze(dim: number): Tensor;
  /** Removes `dim` if its size is 1, or every size-1 dim. PyTorch: `torch.squeeze`. */
  squeeze(dim?: number): Tensor;
  /** Broadcasts to a larger shape (-1 keeps a dim). PyTorch: `Tensor.expand`. */
  expand(...shape: (number | readonly number[])[]): Tensor;
  /** Picks entries along `dim` at `index` (same rank as this). PyTorch: `torch.gather`. */
  gather(dim: number, index: IndexLike): Tensor;
  /** Picks whole slices along `dim` at the 1-D `index`. PyTorch: `torch.index_select`. */
  indexSelect(dim: number, index: IndexLike): Tensor;
  /** `start:end:step` along `dim`. PyTorch: `x[..., start:end:step]` (`torch.narrow` with a step). */
  slice(dim: number, start?: number, end?: number, step?: number): Tensor;
  /** Joins this tensor and `others` along `dim`. PyTorch: `torch.cat([this, ...others], dim)`. */
  concat(others: readonly Tensor[], dim?: number): Tensor;

  /** Matrix product, batched and broadcast over leading dims. PyTorch: `torch.matmul`. */
  matmul(other: Tensor): Tensor;
  /** The p-norm over `dim` (all values when absent). PyTorch: `torch.linalg.vector_norm`. */
  norm(p?: number, dim?: Dims, keepDim?: boolean): Tensor;
  /** Softmax along `dim`. PyTorch: `torch.softmax`. */
  softmax(dim: number): Tensor;
  /** Log-softmax along `dim`, max-shifted. PyTorch: `torch.log_softmax`. */
  logSoftmax(dim: number): Tensor;
}
