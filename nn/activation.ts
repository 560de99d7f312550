/**
 * Activations as modules, with PyTorch's names, arguments and subgradients at kinks. Each is a
 * composition of engine ops, except where a function the engine lacks (erf for GELU, expm1 for
 * ELU) is computed here and joined to the graph by `withSlope`.
 */
import { Tensor, tensor, toTensor, where } from '../engine/internal.js';
import { checkNumber, checkOptions, describe, fail, normDim } from './check.js';
import { normalCdf, normalPdf } from './erf.js';
import { Module } from './module.js';

function checkTensor(where: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) fail(where, `input must be a Tensor, got ${describe(x)}`);
  return x;
}

const finite = (x: number): boolean => Number.isFinite(x);

/**
 * Values `value` with slope `slope` at `x`: `value + (x - stop(x)) · slope`. The added term is
 * exactly 0 in value, and its gradient is `slope`, so the result has the value and the first
 * derivative of a function the engine has no primitive for.
 */
function withSlope(x: Tensor, value: Float64Array, slope: Float64Array): Tensor {
  const v = tensor(value, { shape: x.shape });
  if (!x.requiresGrad) return v;
  return x.sub(x.detach()).mul(tensor(slope, { shape: x.shape })).add(v);
}

/**
 * GELU, `x · Φ(x)` (Φ the standard normal distribution function), or with
 * `approximate: 'tanh'` `½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))`, as `torch.nn.functional.gelu`.
 * @param input any shape
 * @param approximate `'none'` (default) or `'tanh'`
 * @returns the shape of `input`
 */
export function gelu(input: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  const x = toTensor('gelu', 'input', input);
  if (approximate !== 'none' && approximate !== 'tanh') fail('gelu', `approximate must be 'none' or 'tanh', got ${describe(approximate)}`);
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }
  // NOTE: the engine has no erf primitive: Φ and its slope Φ(x) + x φ(x) are computed here in
  // float64 and joined by `withSlope`, so the value and the gradient are exact; a second
  // derivative through GELU is not available.
  const d = x.data;
  const value = new Float64Array(d.length);
  const slope = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const c = normalCdf(d[i]);
    value[i] = d[i] * c;
    slope[i] = c + d[i] * normalPdf(d[i]);
  }
  return withSlope(x, value, slope);
}

/**
 * `max(x, 0)`, as `torch.nn.ReLU`; the gradient at 0 is 0.
 * @example
 * new nn.ReLU().call(tensor([-1, 0, 2])).toArray(); // => [0, 0, 2]
 */
export class ReLU extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    return checkTensor('ReLU', input).relu();
  }
}

/**
 * `x` where `x > 0`, else `negativeSlope · x`, as `torch.nn.LeakyReLU`; the gradient at 0 is
 * `negativeSlope`, as PyTorch's.
 * @param negativeSlope default 0.01
 * @example
 * new nn.LeakyReLU(0.1).call(tensor([-2, 3])).toArray(); // => [-0.2, 3]
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = checkNumber('LeakyReLU', 'negativeSlope', negativeSlope, finite, 'a finite number');
  }
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('LeakyReLU', input);
    return where(x.gt(0), x, x.mul(this.negativeSlope));
  }
}

/**
 * `x` where `x > 0`, else `α (eˣ - 1)`, as `torch.nn.ELU`.
 * @param alpha default 1
 * @example
 * new nn.ELU().call(tensor([0, 1])).toArray(); // => [0, 1]
 */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    this.alpha = checkNumber('ELU', 'alpha', alpha, finite, 'a finite number');
  }
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('ELU', input);
    // expm1 keeps the relative precision of small negative values, which exp(x) - 1 loses.
    const d = x.data;
    const value = new Float64Array(d.length);
    const slope = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) {
      const pos = d[i] > 0;
      value[i] = pos ? d[i] : this.alpha * Math.expm1(d[i]);
      slope[i] = pos ? 1 : this.alpha * Math.exp(d[i]);
    }
    return withSlope(x, value, slope);
  }
}

/**
 * `tanh(x)`, as `torch.nn.Tanh`.
 * @example
 * new nn.Tanh().call(tensor([0])).toArray(); // => [0]
 */
export class Tanh extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    return checkTensor('Tanh', input).tanh();
  }
}

/**
 * `1 / (1 + e⁻ˣ)`, as `torch.nn.Sigmoid`.
 * @example
 * new nn.Sigmoid().call(tensor([0])).toArray(); // => [0.5]
 */
export class Sigmoid extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    return checkTensor('Sigmoid', input).sigmoid();
  }
}

/**
 * `log σ(x) = -softplus(-x)`, as `torch.nn.LogSigmoid`.
 * @example
 * new nn.LogSigmoid().call(tensor([0])).toArray(); // => [-0.6931471805599453]
 */
export class LogSigmoid extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    return checkTensor('LogSigmoid', input).neg().softplus().neg();
  }
}

/**
 * `x σ(x)`, as `torch.nn.SiLU`.
 * @example
 * new nn.SiLU().call(tensor([0])).toArray(); // => [0]
 */
export class SiLU extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('SiLU', input);
    return x.mul(x.sigmoid());
  }
}

export interface GELUOptions {
  /** `'none'` (default): the exact `x Φ(x)`; `'tanh'`: the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU, `x Φ(x)`, as `torch.nn.GELU`; see `gelu`.
 * @param opts `approximate` (`'none'` or `'tanh'`)
 * @example
 * new nn.GELU().call(tensor([1])).toArray(); // => [0.8413447460685429]
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts: GELUOptions = {}) {
    super();
    checkOptions('GELU', opts, ['approximate']);
    const a = opts.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') fail('GELU', `approximate must be 'none' or 'tanh', got ${describe(a)}`);
    this.approximate = a;
  }
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    return gelu(checkTensor('GELU', input), this.approximate);
  }
}

export interface SoftplusOptions {
  /** Default 1. */
  beta?: number;
  /** Above `beta · x > threshold` the result is `x` itself (default 20). */
  threshold?: number;
}

/**
 * `(1/β) log(1 + e^{βx})`, and `x` where `βx > threshold`, as `torch.nn.Softplus`.
 * @param opts `beta` (default 1), `threshold` (default 20)
 * @example
 * new nn.Softplus().call(tensor([0])).toArray(); // => [0.6931471805599453]
 */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(opts: SoftplusOptions = {}) {
    super();
    checkOptions('Softplus', opts, ['beta', 'threshold']);
    this.beta = checkNumber('Softplus', 'beta', opts.beta ?? 1, (b) => Number.isFinite(b) && b > 0, 'a finite number > 0');
    this.threshold = checkNumber('Softplus', 'threshold', opts.threshold ?? 20, finite, 'a finite number');
  }
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('Softplus', input);
    // The engine's softplus is PyTorch's with beta 1 and threshold 20.
    if (this.beta === 1 && this.threshold === 20) return x.softplus();
    const bx = x.mul(this.beta);
    // NOTE: for a threshold above 20, the engine's softplus returns βx on (20, threshold] where
    // PyTorch computes log1p(exp(βx)); they differ by less than 2.1e-9 there.
    return where(bx.gt(this.threshold), x, bx.clamp(null, this.threshold).softplus().div(this.beta));
  }
}

/**
 * `clamp(x, minVal, maxVal)` with PyTorch's gradient: 0 at and outside the bounds (the engine's
 * `clamp` passes it at the bounds), as `torch.nn.Hardtanh`.
 * @param minVal default -1
 * @param maxVal default 1
 * @example
 * new nn.Hardtanh().call(tensor([-3, 0.5, 3])).toArray(); // => [-1, 0.5, 1]
 */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = checkNumber(new.target.name, 'minVal', minVal, finite, 'a finite number');
    this.maxVal = checkNumber(new.target.name, 'maxVal', maxVal, (v) => Number.isFinite(v) && v > minVal, `a finite number > minVal (${minVal})`);
  }
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor(this.layerName, input);
    const inside = x.gt(this.minVal).mul(x.lt(this.maxVal));
    return where(inside, x, x.clamp(this.minVal, this.maxVal).detach());
  }
}

/**
 * `min(max(x, 0), 6)`, as `torch.nn.ReLU6` (Hardtanh(0, 6): gradient 0 at 0 and at 6).
 * @example
 * new nn.ReLU6().call(tensor([-1, 7])).toArray(); // => [0, 6]
 */
export class ReLU6 extends Hardtanh {
  constructor() {
    super(0, 6);
  }
}

/**
 * `x / (1 + |x|)`, as `torch.nn.Softsign`.
 * @example
 * new nn.Softsign().call(tensor([1])).toArray(); // => [0.5]
 */
export class Softsign extends Module {
  /** @param input any shape @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('Softsign', input);
    return x.div(x.abs().add(1));
  }
}

/**
 * The input itself, as `torch.nn.Identity`.
 * @example
 * new nn.Identity().call(tensor([3])).toArray(); // => [3]
 */
export class Identity extends Module {
  /** @param input anything @returns it */
  override forward<T>(input: T): T {
    return input;
  }
}

/**
 * `exp(x_i) / Σ_j exp(x_j)` along `dim`, as `torch.nn.Softmax(dim)`.
 * @param dim the dim to normalise (negative counts from the end)
 * @example
 * new nn.Softmax(1).call(tensor([[0, 0]])).toArray(); // => [[0.5, 0.5]]
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    if (!Number.isInteger(dim)) fail(new.target.name, `dim must be an integer, got ${describe(dim)}`);
    this.dim = dim;
  }
  /** @param input any shape with `dim` @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor(this.layerName, input);
    return x.softmax(normDim(this.layerName, 'dim', this.dim, x.ndim));
  }
}

/**
 * `x_i - log Σ_j exp(x_j)` along `dim`, as `torch.nn.LogSoftmax(dim)`.
 * @param dim the dim to normalise (negative counts from the end)
 * @example
 * new nn.LogSoftmax(-1).call(tensor([0, 0])).toArray(); // => [-0.6931471805599453, -0.6931471805599453]
 */
export class LogSoftmax extends Softmax {
  /** @param input any shape with `dim` @returns the same shape */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('LogSoftmax', input);
    return x.logSoftmax(normDim('LogSoftmax', 'dim', this.dim, x.ndim));
  }
}

/**
 * Flattens dims `startDim..endDim` into one, as `torch.nn.Flatten` (defaults 1 and -1).
 * @param startDim default 1
 * @param endDim default -1
 * @example
 * new nn.Flatten().call(zeros([2, 3, 4])).shape; // => [2, 12]
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    for (const [n, v] of [['startDim', startDim], ['endDim', endDim]] as const) {
      if (!Number.isInteger(v)) fail('Flatten', `${n} must be an integer, got ${describe(v)}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }
  /** @param input at least `startDim + 1` dims @returns the flattened tensor */
  override forward(input: Tensor): Tensor {
    const x = checkTensor('Flatten', input);
    const nd = Math.max(x.ndim, 1);
    const s = normDim('Flatten', 'startDim', this.startDim, nd);
    const e = normDim('Flatten', 'endDim', this.endDim, nd);
    if (s > e) fail('Flatten', `startDim (${this.startDim}) must not come after endDim (${this.endDim})`);
    const shape = x.ndim === 0 ? [1] : x.shape;
    const mid = shape.slice(s, e + 1).reduce((p, v) => p * v, 1);
    return x.reshape([...shape.slice(0, s), mid, ...shape.slice(e + 1)]);
  }
}
