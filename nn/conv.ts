/** `Conv1d`: a 1-D convolution (cross-correlation, as PyTorch's) by im2col and one batched matrix product. */
import { Tensor, concat, tensor, zeros } from '../engine/index.js';
import { checkBool, checkInt, checkOptions, describe, fail, fmtShape } from './check.js';
import * as init from './init.js';
import type { RandomSource } from './init.js';
import { fanInUniform } from './linear.js';
import { Module } from './module.js';

export interface Conv1dOptions extends RandomSource {
  /** Step between output positions (default 1). */
  stride?: number;
  /** Zeros added at both ends (default 0), or `'valid'` (none) or `'same'` (output length = input length; stride 1 only). */
  padding?: number | 'valid' | 'same';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Split the channels into this many independent groups (default 1); it must divide both channel counts. */
  groups?: number;
  /** Learn a per-channel bias (default true). */
  bias?: boolean;
  /** Only `'zeros'`, PyTorch's default. */
  paddingMode?: 'zeros';
}

/**
 * A 1-D convolution over `[N, C_in, L]`, as `torch.nn.Conv1d`:
 * `y[n, o, t] = b[o] + Σ_{c in o's group} Σ_j W[o, c, j] · x[n, c, t·stride + j·dilation - padLeft]`,
 * with zeros outside the input; `L_out = ⌊(L + padLeft + padRight - dilation·(k - 1) - 1) / stride⌋ + 1`.
 *
 * Initialisation, as PyTorch's: `W` by `kaimingUniform` with `a = √5`, that is
 * U(-1/√fanIn, 1/√fanIn) with `fanIn = C_in / groups · k`, and `b` from the same interval.
 * @param inChannels C_in
 * @param outChannels C_out
 * @param kernelSize k
 * @param opts `stride`, `padding`, `dilation`, `groups`, `bias`, `paddingMode`, `seed` or `generator`
 * @returns (forward) `[N, C_in, L]` to `[N, C_out, L_out]` (or `[C_in, L]` to `[C_out, L_out]`);
 *   `weight` is `[C_out, C_in / groups, k]`, `bias` `[C_out]`
 * @example
 * const conv = new nn.Conv1d(4, 6, 3, { padding: 1, seed: 0 });
 * conv.weight.shape; // => [6, 4, 3]
 * conv.call(zeros([2, 4, 10])).shape; // => [2, 6, 10]
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'valid' | 'same';
  readonly dilation: number;
  readonly groups: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dOptions = {}) {
    super();
    const W = 'Conv1d';
    checkOptions(W, opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'seed', 'generator']);
    this.inChannels = checkInt(W, 'inChannels', inChannels, 1);
    this.outChannels = checkInt(W, 'outChannels', outChannels, 1);
    this.kernelSize = checkInt(W, 'kernelSize', kernelSize, 1);
    this.stride = checkInt(W, 'stride', opts.stride ?? 1, 1);
    this.dilation = checkInt(W, 'dilation', opts.dilation ?? 1, 1);
    this.groups = checkInt(W, 'groups', opts.groups ?? 1, 1);
    const p = opts.padding ?? 0;
    if (p !== 'valid' && p !== 'same') checkInt(W, 'padding', p, 0);
    if (p === 'same' && this.stride !== 1) fail(W, `padding 'same' needs stride 1, got stride ${this.stride}`);
    this.padding = p;
    if ((opts.paddingMode ?? 'zeros') !== 'zeros') fail(W, `paddingMode must be 'zeros' (the only one implemented), got ${describe(opts.paddingMode)}`);
    if (inChannels % this.groups !== 0) fail(W, `inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    if (outChannels % this.groups !== 0) fail(W, `outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    const bias = checkBool(W, 'bias', opts.bias ?? true);
    const generator = init.rngFrom(W, opts);
    const w = init.kaimingUniform(zeros([outChannels, inChannels / this.groups, kernelSize]), { a: Math.sqrt(5), generator });
    this.weight = this.registerParameter('weight', w);
    this.bias = this.registerParameter('bias', bias ? fanInUniform([outChannels], (inChannels / this.groups) * kernelSize, { generator }) : null);
  }

  private pads(): [number, number] {
    const p = this.padding;
    if (p === 'valid') return [0, 0];
    if (p === 'same') {
      const total = this.dilation * (this.kernelSize - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    return [p, p];
  }

  /**
   * @param input `[N, C_in, L]` or `[C_in, L]`
   * @returns `[N, C_out, L_out]` or `[C_out, L_out]`
   */
  override forward(input: Tensor): Tensor {
    const C = this.inChannels;
    if (!(input instanceof Tensor)) fail('Conv1d', `input must be a Tensor, got ${describe(input)}`);
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 2] !== C) {
      fail('Conv1d', `input must be [N, ${C}, L] or [${C}, L], got shape ${fmtShape(input.shape)}`);
    }
    const x = input.ndim === 2 ? input.unsqueeze(0) : input; // [N, C, L]
    const [N, , L] = x.shape;
    const [padL, padR] = this.pads();
    const { kernelSize: k, stride: s, dilation: d, groups: g, outChannels: O } = this;
    const Lout = Math.floor((L + padL + padR - d * (k - 1) - 1) / s) + 1;
    if (Lout < 1) fail('Conv1d', `input length ${L} is too short for kernel ${k} with dilation ${d} and padding ${padL}+${padR}`);
    // im2col: column j·Lout + t reads position t·s + j·d - padL; positions in the padding read
    // one appended zero column (index L), so no padded copy of the input is made.
    const needsZero = padL > 0 || padR > 0;
    const idx = new Float64Array(k * Lout);
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < Lout; t++) {
        const pos = t * s + j * d - padL;
        idx[j * Lout + t] = pos >= 0 && pos < L ? pos : L;
      }
    }
    const src = needsZero ? concat([x, zeros([N, C, 1])], 2) : x; // [N, C, L (+1)]
    const cols = src.indexSelect(2, tensor(idx)).reshape([N, g, (C / g) * k, Lout]);
    const w = this.weight.reshape([g, O / g, (C / g) * k]);
    let y = w.matmul(cols).reshape([N, O, Lout]); // [N, g, O/g, Lout] → [N, O, Lout]
    if (this.bias) y = y.add(this.bias.reshape([O, 1]));
    return input.ndim === 2 ? y.squeeze(0) : y;
  }
}
