/** Optimizers whose updates equal torch.optim's (PyTorch 1.13, single-tensor code path). */
import { describe, fail, fmtShape } from './errors.js';
import { boolean, custom, number, parseOptions } from './options.js';
import { sameShape } from './shape.js';
import { Tensor } from './tensor.js';

function checkParams(fn: string, params: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(params) || params.length === 0 || !params.every((p) => p instanceof Tensor)) {
    fail(fn, `params must be a non-empty array of Tensors, got ${describe(params)}`);
  }
  params.forEach((p, i) => {
    if (!p.isLeaf || !p.requiresGrad) fail(fn, `params[${i}] must be a leaf tensor with requiresGrad: true`);
  });
  return params.slice();
}

abstract class Optimizer {
  readonly params: Tensor[];
  private readonly fn: string;

  protected constructor(fn: string, params: readonly Tensor[]) {
    this.fn = fn;
    this.params = checkParams(fn, params);
  }

  /**
   * Checks every parameter's gradient before any is used, so that a bad one throws with every
   * parameter still as it was (a step is all or nothing).
   */
  protected checkGrads(): void {
    this.params.forEach((p, i) => {
      const g: unknown = p.grad;
      if (g === null) return;
      if (!(g instanceof Tensor)) fail(`${this.fn}.step`, `params[${i}].grad must be a Tensor or null, got ${describe(g)}`);
      if (!sameShape(g.shape, p.shape)) {
        fail(`${this.fn}.step`, `params[${i}].grad has shape ${fmtShape(g.shape)}, but the parameter has shape ${fmtShape(p.shape)}`);
      }
    });
  }

  /** Clears every parameter's gradient (to null, as `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  abstract step(): void;
}

/** Options of `SGD`; every number must be finite. */
export interface SGDOptions {
  /** The learning rate, >= 0 (required). */
  lr: number;
  /** The momentum factor μ, >= 0 (default 0: no momentum buffer). */
  momentum?: number;
  /** The dampening τ of the momentum buffer's update (default 0). */
  dampening?: number;
  /** The L2 penalty coefficient added to the gradient, >= 0 (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay. Per step,
 * for each parameter `p` with a gradient `g`:
 * `d = g + wd·p`; `b = μ·b + (1 - τ)·d` (`b = d` at the first step);
 * `p -= lr·(nesterov ? d + μ·b : b)` (`p -= lr·d` without momentum).
 *
 * PyTorch: `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)` (1.13):
 * the same updates, in the same order (trajectories checked against torch's to 1e-12). A
 * parameter whose `.grad` is null is skipped.
 *
 * @example
 * const w = tensor([1], { requiresGrad: true }), opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 2; i++) { opt.zeroGrad(); w.sum().backward(); opt.step(); }
 * w.item(); // => 0.7100000000
 */
export class SGD extends Optimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly buffers: (Float64Array | null)[];

  /**
   * @param params the parameters to update: a non-empty array of leaf Tensors with `requiresGrad`
   * @param opts `lr` (required), `momentum`, `dampening`, `weightDecay`, `nesterov` (see `SGDOptions`)
   */
  constructor(params: readonly Tensor[], opts: SGDOptions) {
    super('SGD', params);
    if (opts === undefined) fail('SGD', 'options with lr are required');
    const o = parseOptions('SGD', opts, {
      lr: number({ min: 0 }),
      momentum: number({ default: 0, min: 0 }),
      dampening: number({ default: 0 }),
      weightDecay: number({ default: 0, min: 0 }),
      nesterov: boolean(false),
    });
    this.lr = o.lr;
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.weightDecay = o.weightDecay;
    this.nesterov = o.nesterov;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      fail('SGD', `nesterov needs momentum > 0 and dampening 0, got momentum ${this.momentum} and dampening ${this.dampening}`);
    }
    this.buffers = this.params.map(() => null);
  }

  /** One update of every parameter that has a gradient; throws, changing nothing, if any gradient is malformed. */
  step(): void {
    this.checkGrads();
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = this;
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const x = p.data;
      const g = p.grad.data;
      const d = new Float64Array(x.length);
      for (let k = 0; k < x.length; k++) d[k] = wd !== 0 ? g[k] + wd * x[k] : g[k];
      if (mu !== 0) {
        let b = this.buffers[i];
        if (b === null) {
          b = d.slice();
          this.buffers[i] = b;
        } else {
          for (let k = 0; k < x.length; k++) b[k] = mu * b[k] + (1 - dampening) * d[k];
        }
        if (nesterov) for (let k = 0; k < x.length; k++) d[k] += mu * b[k];
        else d.set(b);
      }
      for (let k = 0; k < x.length; k++) x[k] -= lr * d[k];
    });
  }
}

/** Options of `Adam`; every number must be finite. */
export interface AdamOptions {
  /** The learning rate, >= 0 (default 1e-3). */
  lr?: number;
  /** `[β1, β2]`, the decay rates of the first and second moments, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability, >= 0 (default 1e-8). */
  eps?: number;
  /** The L2 penalty coefficient added to the gradient (not AdamW's decoupled decay), >= 0 (default 0). */
  weightDecay?: number;
  /** Divide by the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

interface AdamState {
  step: number;
  m: Float64Array;
  v: Float64Array;
  vMax: Float64Array | null;
}

/**
 * Adam, with L2 weight decay added to the gradient (torch's Adam, not AdamW). At step `t`, for
 * each parameter `p` with a gradient: `g = grad + wd·p`; `m = m·β1 + (1 - β1)·g`;
 * `v = v·β2 + (1 - β2)·g²` (with `amsgrad`, `v` below is the running max of `v`);
 * `p -= (lr / (1 - β1^t)) · m / (√v / √(1 - β2^t) + eps)`.
 *
 * PyTorch: `torch.optim.Adam(params, lr, betas, eps, weight_decay, amsgrad)` (1.13, single-tensor
 * path). The updates are written in PyTorch's own forms, so trajectories agree to about an ulp
 * (checked to 1e-12). A parameter whose `.grad` is null is skipped.
 * The first step moves each entry by about `lr` against its gradient's sign (`eps` makes it less).
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true }), opt = new optim.Adam([w], { lr: 0.1 });
 * w.mul(w).sum().backward(); opt.step();
 * w.toArray(); // => [0.9000000005, -1.90000000025]
 */
export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly state: (AdamState | null)[];

  /**
   * @param params the parameters to update: a non-empty array of leaf Tensors with `requiresGrad`
   * @param opts `lr`, `betas`, `eps`, `weightDecay`, `amsgrad`, all optional (see `AdamOptions`)
   */
  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    super('Adam', params);
    const beta = (fn: string, name: string, v: unknown): number => {
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(fn, `${name} must be in [0, 1), got ${describe(v)}`);
      return v;
    };
    const o = parseOptions('Adam', opts, {
      lr: number({ default: 1e-3, min: 0 }),
      betas: custom((fn, name, v): [number, number] => {
        if (v === undefined) return [0.9, 0.999];
        if (!Array.isArray(v) || v.length !== 2) fail(fn, `${name} must be a pair of numbers in [0, 1), got ${describe(v)}`);
        return [beta(fn, `${name}[0]`, v[0]), beta(fn, `${name}[1]`, v[1])];
      }),
      eps: number({ default: 1e-8, min: 0 }),
      weightDecay: number({ default: 0, min: 0 }),
      amsgrad: boolean(false),
    });
    this.lr = o.lr;
    this.betas = o.betas;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.amsgrad = o.amsgrad;
    this.state = this.params.map(() => null);
  }

  /** One update of every parameter that has a gradient; throws, changing nothing, if any gradient is malformed. */
  step(): void {
    this.checkGrads();
    const [b1, b2] = this.betas;
    const { lr, eps, weightDecay: wd, amsgrad } = this;
    const w = 1 - b1;
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const x = p.data;
      const n = x.length;
      const st = (this.state[i] ??= {
        step: 0,
        m: new Float64Array(n),
        v: new Float64Array(n),
        vMax: amsgrad ? new Float64Array(n) : null,
      });
      st.step++;
      const bc1 = 1 - Math.pow(b1, st.step);
      const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, st.step));
      const stepSize = lr / bc1;
      const g0 = p.grad.data;
      const { m, v, vMax } = st;
      for (let k = 0; k < n; k++) {
        const g = wd !== 0 ? g0[k] + wd * x[k] : g0[k];
        m[k] = m[k] * b1 + g * w;
        v[k] = v[k] * b2 + g * g * (1 - b2);
        let vk = v[k];
        if (vMax !== null) {
          vMax[k] = Math.max(vMax[k], vk);
          vk = vMax[k];
        }
        const denom = Math.sqrt(vk) / bc2Sqrt + eps;
        x[k] += -stepSize * (m[k] / denom);
      }
    });
  }
}
