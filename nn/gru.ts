/** `GRU`: a gated recurrent unit over a sequence, one or more layers, with PyTorch's gates and weight layout. */
import { Tensor, stack, zeros } from '../engine/index.js';
import { checkBool, checkInt, checkOptions, describe, fail, fmtShape } from './check.js';
import * as init from './init.js';
import { gruGates } from '../engine/internal.js';
import { Module } from './module.js';
import type { RandomSource } from './init.js';

export interface GRUOptions extends RandomSource {
  /** Stacked layers, each reading the previous one's output sequence (default 1). */
  numLayers?: number;
  /** Learn the biases `b_ih` and `b_hh` (default true). */
  bias?: boolean;
  /** The input and output are `[N, T, ·]` instead of `[T, N, ·]` (default false); the state stays `[layers, N, H]`. */
  batchFirst?: boolean;
}

/**
 * A multi-layer gated recurrent unit, as `torch.nn.GRU` (one direction, no dropout). For each
 * step t, with `x_t` the layer's input and `h` its previous state:
 *
 * ```
 * r = σ(W_ir x_t + b_ir + W_hr h + b_hr)
 * z = σ(W_iz x_t + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x_t + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 - z) ⊙ n + z ⊙ h
 * ```
 *
 * Each step is two matrix products and one fused node for the gates (`gruGates`).
 *
 * Layer l keeps `weight_ih_l{l}` `[3H, in]` (rows r, z, n in that order), `weight_hh_l{l}`
 * `[3H, H]`, `bias_ih_l{l}` and `bias_hh_l{l}` `[3H]`, all initialised from U(-1/√H, 1/√H), as
 * PyTorch's.
 * @param inputSize features of each step's input
 * @param hiddenSize H
 * @param opts `numLayers` (1), `bias` (true), `batchFirst` (false), `seed` or `generator`
 * @returns (forward) `[output, hN]`: output `[T, N, H]` (the last layer's states), hN `[numLayers, N, H]`
 * @example
 * const gru = new nn.GRU(3, 5, { numLayers: 2, seed: 0 });
 * const [out, hN] = gru.call(zeros([7, 2, 3]));
 * out.shape; // => [7, 2, 5]
 * hN.shape; // => [2, 2, 5]
 */
export class GRU extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  private readonly layers: { wih: Tensor; whh: Tensor; bih: Tensor | null; bhh: Tensor | null }[] = [];

  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    super();
    checkOptions('GRU', opts, ['numLayers', 'bias', 'batchFirst', 'seed', 'generator']);
    this.inputSize = checkInt('GRU', 'inputSize', inputSize, 1);
    this.hiddenSize = checkInt('GRU', 'hiddenSize', hiddenSize, 1);
    this.numLayers = checkInt('GRU', 'numLayers', opts.numLayers ?? 1, 1);
    this.batchFirst = checkBool('GRU', 'batchFirst', opts.batchFirst ?? false);
    const bias = checkBool('GRU', 'bias', opts.bias ?? true);
    const generator = init.rngFrom('GRU', opts);
    const H = hiddenSize;
    const bound = 1 / Math.sqrt(H);
    const draw = (shape: number[]): Tensor => init.uniform(zeros(shape), -bound, bound, { generator });
    for (let l = 0; l < this.numLayers; l++) {
      const inp = l === 0 ? inputSize : H;
      this.layers.push({
        wih: this.registerParameter(`weight_ih_l${l}`, draw([3 * H, inp])),
        whh: this.registerParameter(`weight_hh_l${l}`, draw([3 * H, H])),
        bih: this.registerParameter(`bias_ih_l${l}`, bias ? draw([3 * H]) : null),
        bhh: this.registerParameter(`bias_hh_l${l}`, bias ? draw([3 * H]) : null),
      });
    }
  }

  /**
   * @param input `[T, N, inputSize]` (`[N, T, inputSize]` with `batchFirst`), or unbatched `[T, inputSize]`
   * @param h0 `[numLayers, N, H]` (unbatched `[numLayers, H]`); zeros when omitted
   * @returns `[output, hN]`: `[T, N, H]` (`[N, T, H]` with `batchFirst`; unbatched `[T, H]`) and `[numLayers, N, H]`
   */
  override forward(input: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const { inputSize: I, hiddenSize: H, numLayers: Ln } = this;
    if (!(input instanceof Tensor)) fail('GRU', `input must be a Tensor, got ${describe(input)}`);
    const layout = this.batchFirst ? `[N, T, ${I}]` : `[T, N, ${I}]`;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== I) {
      fail('GRU', `input must be ${layout} or [T, ${I}], got shape ${fmtShape(input.shape)}`);
    }
    const unbatched = input.ndim === 2;
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input; // [T, N, I]
    const [T, N] = x.shape;
    if (T === 0) fail('GRU', `input must have at least one step, got shape ${fmtShape(input.shape)}`);
    let hInit: Tensor | null = null;
    if (h0 !== undefined && h0 !== null) {
      if (!(h0 instanceof Tensor)) fail('GRU', `h0 must be a Tensor, got ${describe(h0)}`);
      const want = unbatched ? [Ln, H] : [Ln, N, H];
      if (h0.ndim !== want.length || h0.shape.some((s, i) => s !== want[i])) fail('GRU', `h0 must be ${fmtShape(want)}, got shape ${fmtShape(h0.shape)}`);
      hInit = unbatched ? h0.unsqueeze(1) : h0; // [layers, N, H]
    }
    const finals: Tensor[] = [];
    this.layers.forEach(({ wih, whh, bih, bhh }, l) => {
      let gi = x.matmul(wih.transpose(0, 1)); // [T, N, 3H]
      if (bih) gi = gi.add(bih);
      const whhT = whh.transpose(0, 1); // [H, 3H]
      let h = hInit ? hInit.slice(0, l, l + 1).reshape([N, H]) : zeros([N, H]);
      const states: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        let gh = h.matmul(whhT); // [N, 3H]
        if (bhh) gh = gh.add(bhh);
        h = gruGates(gi.slice(0, t, t + 1).reshape([N, 3 * H]), gh, h, H); // [N, H]
        states.push(h);
      }
      finals.push(h);
      x = stack(states, 0); // [T, N, H]
    });
    const hN = stack(finals, 0); // [layers, N, H]
    if (unbatched) return [x.squeeze(1), hN.squeeze(1)];
    return [this.batchFirst ? x.transpose(0, 1) : x, hN];
  }
}
