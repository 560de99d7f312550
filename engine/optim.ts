/** Optimizers whose updates equal torch.optim's (PyTorch 1.13, single-tensor code path). */
import { checkOptions } from './create.js';
import { describe, fail } from './errors.js';
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

function checkNumber(fn: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !ok(v)) fail(fn, `${name} must be ${expected}, got ${describe(v)}`);
  return v;
}

abstract class Optimizer {
  readonly params: Tensor[];

  protected constructor(fn: string, params: readonly Tensor[]) {
    this.params = checkParams(fn, params);
  }

  /** Clears every parameter's gradient (to null, as `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  abstract step(): void;
}

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** torch.optim.SGD: d = g + wd·p; b = μ·b + (1 - τ)·d (b = d at the first step); p -= lr·(nesterov ? d + μ·b : b). */
export class SGD extends Optimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly buffers: (Float64Array | null)[];

  constructor(params: readonly Tensor[], opts: SGDOptions) {
    super('SGD', params);
    checkOptions('SGD', opts, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov']);
    if (opts === undefined) fail('SGD', 'options with lr are required');
    const nonNeg = (x: number): boolean => x >= 0;
    this.lr = checkNumber('SGD', 'lr', opts.lr, nonNeg, 'a number >= 0');
    this.momentum = checkNumber('SGD', 'momentum', opts.momentum ?? 0, nonNeg, 'a number >= 0');
    this.dampening = checkNumber('SGD', 'dampening', opts.dampening ?? 0, Number.isFinite, 'a finite number');
    this.weightDecay = checkNumber('SGD', 'weightDecay', opts.weightDecay ?? 0, nonNeg, 'a number >= 0');
    this.nesterov = opts.nesterov ?? false;
    if (typeof this.nesterov !== 'boolean') fail('SGD', `nesterov must be a boolean, got ${describe(this.nesterov)}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      fail('SGD', `nesterov needs momentum > 0 and dampening 0, got momentum ${this.momentum} and dampening ${this.dampening}`);
    }
    this.buffers = this.params.map(() => null);
  }

  step(): void {
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

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

interface AdamState {
  step: number;
  m: Float64Array;
  v: Float64Array;
  vMax: Float64Array | null;
}

/**
 * torch.optim.Adam (L2 weight decay added to the gradient, as torch's Adam, not AdamW).
 * The moment updates use PyTorch 1.13's own forms — `m·β1 + (1 - β1)·g` and
 * `v·β2 + (1 - β2)·g²` — so the trajectories agree with torch's to about an ulp.
 */
export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly state: (AdamState | null)[];

  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    super('Adam', params);
    checkOptions('Adam', opts, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);
    const nonNeg = (x: number): boolean => x >= 0;
    this.lr = checkNumber('Adam', 'lr', opts.lr ?? 1e-3, nonNeg, 'a number >= 0');
    this.eps = checkNumber('Adam', 'eps', opts.eps ?? 1e-8, nonNeg, 'a number >= 0');
    this.weightDecay = checkNumber('Adam', 'weightDecay', opts.weightDecay ?? 0, nonNeg, 'a number >= 0');
    const betas = opts.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) fail('Adam', `betas must be a pair of numbers, got ${describe(betas)}`);
    const inUnit = (x: number): boolean => x >= 0 && x < 1;
    checkNumber('Adam', 'betas[0]', betas[0], inUnit, 'in [0, 1)');
    checkNumber('Adam', 'betas[1]', betas[1], inUnit, 'in [0, 1)');
    this.betas = [betas[0], betas[1]];
    this.amsgrad = opts.amsgrad ?? false;
    if (typeof this.amsgrad !== 'boolean') fail('Adam', `amsgrad must be a boolean, got ${describe(this.amsgrad)}`);
    this.state = this.params.map(() => null);
  }

  step(): void {
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
