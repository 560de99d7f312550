/** Normalisation layers: `LayerNorm` (over each sample's last dims) and `BatchNorm1d` (over the batch). */
import { Tensor, noGrad, ones, zeros } from '../engine/index.js';
import { checkBool, checkInt, checkNumber, checkOptions, describe, fail, fmtShape } from './check.js';
import { Module } from './module.js';

/** `(x - mean) / √(var + eps)` over `dims`, with the biased variance, as both layers compute it. */
function standardise(x: Tensor, dims: number[], eps: number): Tensor {
  const xc = x.sub(x.mean(dims, true));
  const v = xc.mul(xc).mean(dims, true);
  return xc.div(v.add(eps).sqrt());
}

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale `weight` and shift `bias` of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalises each sample over its last dims, `y = (x - E[x]) / √(Var[x] + eps) · γ + β`, as
 * `torch.nn.LayerNorm`; the variance is the biased one. `γ` starts at 1 and `β` at 0.
 * @param normalizedShape the trailing shape to normalise over (a number for the last dim only)
 * @param opts `eps` (default 1e-5), `elementwiseAffine` (default true)
 * @returns (forward) `[..., ...normalizedShape]` to the same shape
 * @example
 * const ln = new nn.LayerNorm(2, { eps: 0 });
 * ln.call(tensor([[1, 3]])).toArray(); // => [[-1, 1]]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', opts, ['eps', 'elementwiseAffine']);
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0) fail('LayerNorm', `normalizedShape must be a positive integer or a non-empty array of them, got ${describe(normalizedShape)}`);
    this.normalizedShape = shape.map((s, i) => checkInt('LayerNorm', `normalizedShape[${i}]`, s, 1));
    this.eps = checkNumber('LayerNorm', 'eps', opts.eps ?? 1e-5, (e) => e >= 0 && Number.isFinite(e), 'a finite number >= 0');
    const affine = checkBool('LayerNorm', 'elementwiseAffine', opts.elementwiseAffine ?? true);
    this.weight = this.registerParameter('weight', affine ? ones(this.normalizedShape) : null);
    this.bias = this.registerParameter('bias', affine ? zeros(this.normalizedShape) : null);
  }

  /**
   * @param input `[..., ...normalizedShape]`
   * @returns the same shape
   */
  override forward(input: Tensor): Tensor {
    const k = this.normalizedShape.length;
    if (!(input instanceof Tensor)) fail('LayerNorm', `input must be a Tensor, got ${describe(input)}`);
    const tail = input.shape.slice(input.ndim - k);
    if (input.ndim < k || tail.some((s, i) => s !== this.normalizedShape[i])) {
      fail('LayerNorm', `input must end in ${fmtShape(this.normalizedShape)}, got shape ${fmtShape(input.shape)}`);
    }
    const dims = Array.from({ length: k }, (_, i) => input.ndim - k + i);
    let y = standardise(input, dims, this.eps);
    if (this.weight) y = y.mul(this.weight);
    if (this.bias) y = y.add(this.bias);
    return y;
  }
}

export interface BatchNorm1dOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); `null` for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` and shift `bias` (default true). */
  affine?: boolean;
  /** Keep `running_mean`, `running_var` and `num_batches_tracked` buffers for evaluation (default true). */
  trackRunningStats?: boolean;
}

/**
 * Normalises each channel over the batch (and the length), as `torch.nn.BatchNorm1d`.
 *
 * In training, and whenever `trackRunningStats` is false, `y = (x - mean) / √(var + eps) · γ + β`
 * with the batch's mean and biased variance; training also updates the buffers,
 * `running = (1 - momentum) · running + momentum · batch`, where the running variance takes the
 * unbiased batch variance (`· n / (n - 1)`), and counts `num_batches_tracked`. In evaluation the
 * running statistics replace the batch's. `γ` starts at 1, `β` at 0, the running mean at 0 and
 * the running variance at 1.
 * @param numFeatures channels C
 * @param opts `eps` (1e-5), `momentum` (0.1), `affine` (true), `trackRunningStats` (true)
 * @returns (forward) `[N, C]` or `[N, C, L]` to the same shape
 * @example
 * const bn = new nn.BatchNorm1d(1, { eps: 0 });
 * bn.call(tensor([[1], [3]])).toArray(); // => [[-1], [1]]
 * bn.stateDict().running_mean.toArray(); // => [0.2]
 * bn.stateDict().running_var.toArray(); // => [1.1]
 */
export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts: BatchNorm1dOptions = {}) {
    super();
    checkOptions('BatchNorm1d', opts, ['eps', 'momentum', 'affine', 'trackRunningStats']);
    this.numFeatures = checkInt('BatchNorm1d', 'numFeatures', numFeatures, 1);
    this.eps = checkNumber('BatchNorm1d', 'eps', opts.eps ?? 1e-5, (e) => e >= 0 && Number.isFinite(e), 'a finite number >= 0');
    const m = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.momentum = m === null ? null : checkNumber('BatchNorm1d', 'momentum', m, (v) => v >= 0 && v <= 1, 'a number in [0, 1] or null');
    const affine = checkBool('BatchNorm1d', 'affine', opts.affine ?? true);
    const track = checkBool('BatchNorm1d', 'trackRunningStats', opts.trackRunningStats ?? true);
    this.weight = this.registerParameter('weight', affine ? ones([numFeatures]) : null);
    this.bias = this.registerParameter('bias', affine ? zeros([numFeatures]) : null);
    this.runningMean = this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.runningVar = this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', track ? zeros([]) : null);
  }

  /**
   * @param input `[N, C]` or `[N, C, L]`
   * @returns the same shape
   */
  override forward(input: Tensor): Tensor {
    const C = this.numFeatures;
    if (!(input instanceof Tensor)) fail('BatchNorm1d', `input must be a Tensor, got ${describe(input)}`);
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[1] !== C) {
      fail('BatchNorm1d', `input must be [N, ${C}] or [N, ${C}, L], got shape ${fmtShape(input.shape)}`);
    }
    const dims = input.ndim === 2 ? [0] : [0, 2];
    const chan = input.ndim === 2 ? [C] : [C, 1];
    const useBatch = this.training || this.runningMean === null;
    let y: Tensor;
    if (useBatch) {
      const n = input.size / C;
      if (this.training && n <= 1) fail('BatchNorm1d', `training needs more than 1 value per channel, got input shape ${fmtShape(input.shape)}`);
      y = standardise(input, dims, this.eps);
      if (this.training && this.runningMean && this.runningVar && this.numBatchesTracked) {
        this.updateRunning(input, dims, n, this.runningMean, this.runningVar, this.numBatchesTracked);
      }
    } else {
      const rm = this.runningMean!.reshape(chan);
      const rv = this.runningVar!.reshape(chan);
      y = input.sub(rm).div(rv.add(this.eps).sqrt());
    }
    if (this.weight) y = y.mul(this.weight.reshape(chan));
    if (this.bias) y = y.add(this.bias.reshape(chan));
    return y;
  }

  private updateRunning(input: Tensor, dims: number[], n: number, rm: Tensor, rv: Tensor, count: Tensor): void {
    noGrad(() => {
      const mean = input.mean(dims); // [C]
      const xc = input.sub(input.mean(dims, true));
      const unbiased = xc.mul(xc).sum(dims).div(n - 1); // [C]
      count.data[0] += 1;
      const f = this.momentum === null ? 1 / count.data[0] : this.momentum;
      for (let c = 0; c < this.numFeatures; c++) {
        rm.data[c] = (1 - f) * rm.data[c] + f * mean.data[c];
        rv.data[c] = (1 - f) * rv.data[c] + f * unbiased.data[c];
      }
    });
  }
}
