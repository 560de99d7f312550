/** `Dropout`: zeroes entries at random in training, identity in evaluation. */
import { Rng, Tensor, tensor } from '../engine/index.js';
import { checkNumber, checkOptions, describe, fail } from './check.js';
import * as init from './init.js';
import type { RandomSource } from './init.js';
import { Module } from './module.js';

/**
 * In training, each entry is zeroed with probability `p` and the rest are scaled by
 * `1 / (1 - p)` (so the expectation is unchanged), as `torch.nn.Dropout`; in evaluation it is
 * the identity. The mask comes from the layer's own stream (`seed` or `generator`), which
 * advances on every call: the same seed gives the same masks in the same order.
 * @param p probability of zeroing (default 0.5)
 * @param opts `seed` or `generator`
 * @returns (forward) any shape to the same shape
 * @example
 * const drop = new nn.Dropout(0.5, { seed: 0 });
 * const y = drop.call(ones([1000]));
 * y.toArray().every((v) => v === 0 || v === 2); // => true
 * drop.eval().call(ones([3])).toArray(); // => [1, 1, 1]
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly rng: Rng;

  constructor(p = 0.5, opts: RandomSource = {}) {
    super();
    checkOptions('Dropout', opts, ['seed', 'generator']);
    this.p = checkNumber('Dropout', 'p', p, (v) => v >= 0 && v <= 1, 'a probability in [0, 1]');
    this.rng = init.rngFrom('Dropout', opts);
  }

  /**
   * @param input any shape
   * @returns the same shape
   */
  override forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) fail('Dropout', `input must be a Tensor, got ${describe(input)}`);
    if (!this.training || this.p === 0) return input;
    const scale = this.p === 1 ? 0 : 1 / (1 - this.p);
    const mask = new Float64Array(input.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < this.p ? 0 : scale;
    return input.mul(tensor(mask, { shape: input.shape }));
  }
}
