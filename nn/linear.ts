/** Affine layers: `Linear` (`y = x Wᵀ + b`) and `Bilinear` (`y_k = x₁ᵀ A_k x₂ + b_k`). */
import { Tensor, zeros } from '../engine/index.js';
import { checkBool, checkInt, checkOptions, describe, fail, fmtShape } from './check.js';
import * as init from './init.js';
import type { RandomSource } from './init.js';
import { Module } from './module.js';

export interface LinearOptions extends RandomSource {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/** `U(-1/√fanIn, 1/√fanIn)`: PyTorch's default for biases, and for Bilinear's weight. */
export function fanInUniform(shape: readonly number[], fanIn: number, src: RandomSource): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return init.uniform(zeros(shape), -bound, bound, src);
}

/**
 * A fully connected layer, `y = x Wᵀ + b`, as `torch.nn.Linear`.
 *
 * Initialisation, as PyTorch's: `W` by `kaimingUniform` with `a = √5`, that is U(-1/√in, 1/√in),
 * and `b` from the same interval.
 * @param inFeatures size of each input's last dim
 * @param outFeatures size of each output's last dim
 * @param opts `bias` (default true), `seed` or `generator` for the initial weights
 * @returns (forward) `input` `[..., in]` to `[..., out]`; `weight` is `[out, in]`, `bias` `[out]`
 * @example
 * const fc = new nn.Linear(3, 2, { seed: 0 });
 * fc.weight.shape; // => [2, 3]
 * fc.call(ones([4, 3])).shape; // => [4, 2]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkOptions('Linear', opts, ['bias', 'seed', 'generator']);
    this.inFeatures = checkInt('Linear', 'inFeatures', inFeatures, 1);
    this.outFeatures = checkInt('Linear', 'outFeatures', outFeatures, 1);
    const bias = checkBool('Linear', 'bias', opts.bias ?? true);
    const generator = init.rngFrom('Linear', opts);
    this.weight = this.registerParameter('weight', init.kaimingUniform(zeros([outFeatures, inFeatures]), { a: Math.sqrt(5), generator }));
    this.bias = this.registerParameter('bias', bias ? fanInUniform([outFeatures], inFeatures, { generator }) : null);
  }

  /**
   * @param input `[..., inFeatures]`
   * @returns `[..., outFeatures]`
   */
  override forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) fail('Linear', `input must be a Tensor, got ${describe(input)}`);
    if (input.ndim === 0 || input.shape[input.ndim - 1] !== this.inFeatures) {
      fail('Linear', `input must be [..., ${this.inFeatures}], got shape ${fmtShape(input.shape)}`);
    }
    const y = input.matmul(this.weight.transpose(0, 1)); // [..., out]
    return this.bias ? y.add(this.bias) : y;
  }
}

/**
 * A bilinear form per output feature, `y_k = x₁ᵀ A_k x₂ + b_k`, as `torch.nn.Bilinear`.
 *
 * Initialisation, as PyTorch's: `A` and `b` from U(-1/√in1, 1/√in1).
 * @param in1Features size of `input1`'s last dim
 * @param in2Features size of `input2`'s last dim
 * @param outFeatures size of the output's last dim
 * @param opts `bias` (default true), `seed` or `generator`
 * @returns (forward) `[..., in1]` and `[..., in2]` (the same leading dims) to `[..., out]`;
 *   `weight` is `[out, in1, in2]`, `bias` `[out]`
 * @example
 * const b = new nn.Bilinear(2, 3, 4, { seed: 0 });
 * b.call(ones([5, 2]), ones([5, 3])).shape; // => [5, 4]
 */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkOptions('Bilinear', opts, ['bias', 'seed', 'generator']);
    this.in1Features = checkInt('Bilinear', 'in1Features', in1Features, 1);
    this.in2Features = checkInt('Bilinear', 'in2Features', in2Features, 1);
    this.outFeatures = checkInt('Bilinear', 'outFeatures', outFeatures, 1);
    const bias = checkBool('Bilinear', 'bias', opts.bias ?? true);
    const generator = init.rngFrom('Bilinear', opts);
    this.weight = this.registerParameter('weight', fanInUniform([outFeatures, in1Features, in2Features], in1Features, { generator }));
    this.bias = this.registerParameter('bias', bias ? fanInUniform([outFeatures], in1Features, { generator }) : null);
  }

  /**
   * @param input1 `[..., in1Features]`
   * @param input2 `[..., in2Features]`, the same leading dims
   * @returns `[..., outFeatures]`
   */
  override forward(input1: Tensor, input2: Tensor): Tensor {
    for (const [name, x, n] of [['input1', input1, this.in1Features], ['input2', input2, this.in2Features]] as const) {
      if (!(x instanceof Tensor)) fail('Bilinear', `${name} must be a Tensor, got ${describe(x)}`);
      if (x.ndim === 0 || x.shape[x.ndim - 1] !== n) fail('Bilinear', `${name} must be [..., ${n}], got shape ${fmtShape(x.shape)}`);
    }
    const lead = input1.shape.slice(0, -1);
    if (input2.ndim !== input1.ndim || lead.some((s, i) => s !== input2.shape[i])) {
      fail('Bilinear', `input1 ${fmtShape(input1.shape)} and input2 ${fmtShape(input2.shape)} must share their leading dims`);
    }
    const [o, i1, i2] = [this.outFeatures, this.in1Features, this.in2Features];
    const b = lead.reduce((p, s) => p * s, 1);
    const x1 = input1.reshape([b, i1]);
    const x2 = input2.reshape([b, 1, i2]);
    const w = this.weight.permute([1, 0, 2]).reshape([i1, o * i2]); // [in1, out·in2]
    let y = x1.matmul(w).reshape([b, o, i2]).mul(x2).sum(2); // [B, out]
    if (this.bias) y = y.add(this.bias);
    return y.reshape([...lead, o]);
  }
}
