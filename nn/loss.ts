/**
 * Every torch.nn loss as a module (`new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })`), each a
 * thin holder of its options that calls the loss function of the same family: the formulas,
 * shapes, reductions and edge cases are those functions' (see their docs).
 */
import type { Tensor } from '../engine/index.js';
import type { CtcLossOptions } from '../ctc/index.js';
import { ctcLoss } from '../ctc/index.js';
import type {
  BceLossOptions, BceWithLogitsLossOptions, CosineEmbeddingLossOptions, CrossEntropyLossOptions,
  GaussianNllLossOptions, HingeEmbeddingLossOptions, HuberLossOptions, KlDivLossOptions,
  L1LossOptions, MarginRankingLossOptions, MseLossOptions, MultiLabelMarginLossOptions,
  MultiLabelSoftMarginLossOptions, MultiMarginLossOptions, NllLossOptions,
  PoissonNllLossOptions, SmoothL1LossOptions, SoftMarginLossOptions, TripletMarginLossOptions,
  TripletMarginWithDistanceLossOptions,
} from '../losses/index.js';
import {
  mseLoss, l1Loss, smoothL1Loss, huberLoss, poissonNllLoss, gaussianNllLoss, bceLoss,
  bceWithLogitsLoss, klDivLoss, nllLoss, crossEntropyLoss, multiMarginLoss,
  multiLabelSoftMarginLoss, multiLabelMarginLoss, marginRankingLoss, tripletMarginLoss,
  tripletMarginWithDistanceLoss, softMarginLoss, hingeEmbeddingLoss, cosineEmbeddingLoss,
} from '../losses/index.js';
import { checkOptions, describe, fail } from './check.js';
import { Module } from './module.js';

/** A loss module: its options, checked for unknown names when it is built, are passed on every call. */
export class Loss<O extends object> extends Module {
  readonly options: Readonly<O>;

  protected constructor(name: string, opts: O | undefined, keys: readonly string[]) {
    super();
    if (typeof name !== 'string' || !Array.isArray(keys)) {
      fail('Loss', `a loss module is built by its subclass (new nn.MSELoss(opts), …), got name ${describe(name)} and keys ${describe(keys)}`);
    }
    checkOptions(name, opts, keys);
    this.options = Object.freeze({ ...opts }) as O;
  }
}

/**
 * Mean squared error, `(x - y)²`, as `torch.nn.MSELoss`; calls `mseLoss` with the options given here.
 * @param opts `reduction` (see `mseLoss` for defaults)
 * @returns (forward) what `mseLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.MSELoss().call(tensor([1, 2]), tensor([0, 0])).item(); // => 2.5
 */
export class MSELoss extends Loss<MseLossOptions> {
  constructor(opts?: MseLossOptions) {
    super('MSELoss', opts, ['reduction']);
  }

  /** See `mseLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof mseLoss>[1]): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/**
 * Mean absolute error, `|x - y|`, as `torch.nn.L1Loss`; calls `l1Loss` with the options given here.
 * @param opts `reduction` (see `l1Loss` for defaults)
 * @returns (forward) what `l1Loss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.L1Loss({ reduction: 'sum' }).call(tensor([1, -2]), tensor([0, 0])).item(); // => 3
 */
export class L1Loss extends Loss<L1LossOptions> {
  constructor(opts?: L1LossOptions) {
    super('L1Loss', opts, ['reduction']);
  }

  /** See `l1Loss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof l1Loss>[1]): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/**
 * Smooth L1: quadratic below `beta`, linear above, as `torch.nn.SmoothL1Loss`; calls `smoothL1Loss` with the options given here.
 * @param opts `reduction`, `beta` (see `smoothL1Loss` for defaults)
 * @returns (forward) what `smoothL1Loss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.SmoothL1Loss({ beta: 1 }).call(tensor([0.5]), tensor([0])).item(); // => 0.125
 */
export class SmoothL1Loss extends Loss<SmoothL1LossOptions> {
  constructor(opts?: SmoothL1LossOptions) {
    super('SmoothL1Loss', opts, ['reduction', 'beta']);
  }

  /** See `smoothL1Loss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof smoothL1Loss>[1]): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/**
 * Huber: quadratic below `delta`, linear above, as `torch.nn.HuberLoss`; calls `huberLoss` with the options given here.
 * @param opts `reduction`, `delta` (see `huberLoss` for defaults)
 * @returns (forward) what `huberLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.HuberLoss({ delta: 1 }).call(tensor([3]), tensor([0])).item(); // => 2.5
 */
export class HuberLoss extends Loss<HuberLossOptions> {
  constructor(opts?: HuberLossOptions) {
    super('HuberLoss', opts, ['reduction', 'delta']);
  }

  /** See `huberLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof huberLoss>[1]): Tensor {
    return huberLoss(input, target, this.options);
  }
}

/**
 * Poisson negative log-likelihood, as `torch.nn.PoissonNLLLoss`; calls `poissonNllLoss` with the options given here.
 * @param opts `reduction`, `logInput`, `full`, `eps` (see `poissonNllLoss` for defaults)
 * @returns (forward) what `poissonNllLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.PoissonNLLLoss().call(tensor([0]), tensor([1])).item(); // => 1
 */
export class PoissonNLLLoss extends Loss<PoissonNllLossOptions> {
  constructor(opts?: PoissonNllLossOptions) {
    super('PoissonNLLLoss', opts, ['reduction', 'logInput', 'full', 'eps']);
  }

  /** See `poissonNllLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof poissonNllLoss>[1]): Tensor {
    return poissonNllLoss(input, target, this.options);
  }
}

/**
 * Gaussian negative log-likelihood with a predicted variance, as `torch.nn.GaussianNLLLoss`; calls `gaussianNllLoss` with the options given here.
 * @param opts `reduction`, `full`, `eps` (see `gaussianNllLoss` for defaults)
 * @returns (forward) what `gaussianNllLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.GaussianNLLLoss().call(tensor([[0]]), tensor([[0]]), tensor([[1]])).item(); // => 0
 */
export class GaussianNLLLoss extends Loss<GaussianNllLossOptions> {
  constructor(opts?: GaussianNllLossOptions) {
    super('GaussianNLLLoss', opts, ['reduction', 'full', 'eps']);
  }

  /** See `gaussianNllLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof gaussianNllLoss>[1], variance: Parameters<typeof gaussianNllLoss>[2]): Tensor {
    return gaussianNllLoss(input, target, variance, this.options);
  }
}

/**
 * Binary cross-entropy on probabilities, as `torch.nn.BCELoss`; calls `bceLoss` with the options given here.
 * @param opts `reduction`, `weight` (see `bceLoss` for defaults)
 * @returns (forward) what `bceLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.BCELoss().call(tensor([0.5]), tensor([1])).item(); // => 0.6931471806
 */
export class BCELoss extends Loss<BceLossOptions> {
  constructor(opts?: BceLossOptions) {
    super('BCELoss', opts, ['reduction', 'weight']);
  }

  /** See `bceLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof bceLoss>[1]): Tensor {
    return bceLoss(input, target, this.options);
  }
}

/**
 * Binary cross-entropy on logits, as `torch.nn.BCEWithLogitsLoss`; calls `bceWithLogitsLoss` with the options given here.
 * @param opts `reduction`, `weight`, `posWeight` (see `bceWithLogitsLoss` for defaults)
 * @returns (forward) what `bceWithLogitsLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.BCEWithLogitsLoss().call(tensor([0]), tensor([1])).item(); // => 0.6931471806
 */
export class BCEWithLogitsLoss extends Loss<BceWithLogitsLossOptions> {
  constructor(opts?: BceWithLogitsLossOptions) {
    super('BCEWithLogitsLoss', opts, ['reduction', 'weight', 'posWeight']);
  }

  /** See `bceWithLogitsLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof bceWithLogitsLoss>[1]): Tensor {
    return bceWithLogitsLoss(input, target, this.options);
  }
}

/**
 * Kullback-Leibler divergence, input given as log-probabilities, as `torch.nn.KLDivLoss`; calls `klDivLoss` with the options given here.
 * @param opts `reduction`, `logTarget` (see `klDivLoss` for defaults)
 * @returns (forward) what `klDivLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.KLDivLoss({ reduction: 'batchmean' }).call(tensor([[Math.log(0.5), Math.log(0.5)]]), tensor([[0.5, 0.5]])).item(); // => 0
 */
export class KLDivLoss extends Loss<KlDivLossOptions> {
  constructor(opts?: KlDivLossOptions) {
    super('KLDivLoss', opts, ['reduction', 'logTarget']);
  }

  /** See `klDivLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof klDivLoss>[1]): Tensor {
    return klDivLoss(input, target, this.options);
  }
}

/**
 * Negative log-likelihood of class indices, input given as log-probabilities, as `torch.nn.NLLLoss`; calls `nllLoss` with the options given here.
 * @param opts `reduction`, `weight`, `ignoreIndex` (see `nllLoss` for defaults)
 * @returns (forward) what `nllLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.NLLLoss().call(tensor([[-1, -2]]), [1]).item(); // => 2
 */
export class NLLLoss extends Loss<NllLossOptions> {
  constructor(opts?: NllLossOptions) {
    super('NLLLoss', opts, ['reduction', 'weight', 'ignoreIndex']);
  }

  /** See `nllLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof nllLoss>[1]): Tensor {
    return nllLoss(input, target, this.options);
  }
}

/**
 * Cross-entropy of logits against class indices or probabilities, as `torch.nn.CrossEntropyLoss`; calls `crossEntropyLoss` with the options given here.
 * @param opts `reduction`, `weight`, `ignoreIndex`, `labelSmoothing` (see `crossEntropyLoss` for defaults)
 * @returns (forward) what `crossEntropyLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).call(tensor([[0, 0]]), [0]).item(); // => 0.6931471806
 */
export class CrossEntropyLoss extends Loss<CrossEntropyLossOptions> {
  constructor(opts?: CrossEntropyLossOptions) {
    super('CrossEntropyLoss', opts, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing']);
  }

  /** See `crossEntropyLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof crossEntropyLoss>[1]): Tensor {
    return crossEntropyLoss(input, target, this.options);
  }
}

/**
 * Multi-class hinge loss, as `torch.nn.MultiMarginLoss`; calls `multiMarginLoss` with the options given here.
 * @param opts `reduction`, `p`, `margin`, `weight` (see `multiMarginLoss` for defaults)
 * @returns (forward) what `multiMarginLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.MultiMarginLoss().call(tensor([[0, 0]]), [0]).item(); // => 0.5
 */
export class MultiMarginLoss extends Loss<MultiMarginLossOptions> {
  constructor(opts?: MultiMarginLossOptions) {
    super('MultiMarginLoss', opts, ['reduction', 'p', 'margin', 'weight']);
  }

  /** See `multiMarginLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof multiMarginLoss>[1]): Tensor {
    return multiMarginLoss(input, target, this.options);
  }
}

/**
 * Multi-label one-versus-all logistic loss, as `torch.nn.MultiLabelSoftMarginLoss`; calls `multiLabelSoftMarginLoss` with the options given here.
 * @param opts `reduction`, `weight` (see `multiLabelSoftMarginLoss` for defaults)
 * @returns (forward) what `multiLabelSoftMarginLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.MultiLabelSoftMarginLoss().call(tensor([[0, 0]]), [[1, 0]]).item(); // => 0.6931471806
 */
export class MultiLabelSoftMarginLoss extends Loss<MultiLabelSoftMarginLossOptions> {
  constructor(opts?: MultiLabelSoftMarginLossOptions) {
    super('MultiLabelSoftMarginLoss', opts, ['reduction', 'weight']);
  }

  /** See `multiLabelSoftMarginLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof multiLabelSoftMarginLoss>[1]): Tensor {
    return multiLabelSoftMarginLoss(input, target, this.options);
  }
}

/**
 * Multi-label hinge loss over target index lists ended by -1, as `torch.nn.MultiLabelMarginLoss`; calls `multiLabelMarginLoss` with the options given here.
 * @param opts `reduction` (see `multiLabelMarginLoss` for defaults)
 * @returns (forward) what `multiLabelMarginLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.MultiLabelMarginLoss().call(tensor([[0, 0]]), [[0, -1]]).item(); // => 0.5
 */
export class MultiLabelMarginLoss extends Loss<MultiLabelMarginLossOptions> {
  constructor(opts?: MultiLabelMarginLossOptions) {
    super('MultiLabelMarginLoss', opts, ['reduction']);
  }

  /** See `multiLabelMarginLoss` for the shapes. */
  override forward(input: Tensor, target: Parameters<typeof multiLabelMarginLoss>[1]): Tensor {
    return multiLabelMarginLoss(input, target, this.options);
  }
}

/**
 * Ranking hinge, `max(0, -y (x1 - x2) + margin)`, as `torch.nn.MarginRankingLoss`; calls `marginRankingLoss` with the options given here.
 * @param opts `reduction`, `margin` (see `marginRankingLoss` for defaults)
 * @returns (forward) what `marginRankingLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.MarginRankingLoss().call(tensor([1]), tensor([2]), tensor([1])).item(); // => 1
 */
export class MarginRankingLoss extends Loss<MarginRankingLossOptions> {
  constructor(opts?: MarginRankingLossOptions) {
    super('MarginRankingLoss', opts, ['reduction', 'margin']);
  }

  /** See `marginRankingLoss` for the shapes. */
  override forward(input1: Parameters<typeof marginRankingLoss>[0], input2: Parameters<typeof marginRankingLoss>[1], target: Parameters<typeof marginRankingLoss>[2]): Tensor {
    return marginRankingLoss(input1, input2, target, this.options);
  }
}

/**
 * Triplet margin loss with p-norm distances, as `torch.nn.TripletMarginLoss`; calls `tripletMarginLoss` with the options given here.
 * @param opts `reduction`, `margin`, `p`, `eps`, `swap` (see `tripletMarginLoss` for defaults)
 * @returns (forward) what `tripletMarginLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.TripletMarginLoss({ margin: 1 }).call(tensor([[0, 0]]), tensor([[0, 0]]), tensor([[3, 4]])).item(); // => 0
 */
export class TripletMarginLoss extends Loss<TripletMarginLossOptions> {
  constructor(opts?: TripletMarginLossOptions) {
    super('TripletMarginLoss', opts, ['reduction', 'margin', 'p', 'eps', 'swap']);
  }

  /** See `tripletMarginLoss` for the shapes. */
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, this.options);
  }
}

/**
 * Triplet margin loss with a distance function of your own, as `torch.nn.TripletMarginWithDistanceLoss`; calls `tripletMarginWithDistanceLoss` with the options given here.
 * @param opts `reduction`, `distanceFunction`, `margin`, `swap` (see `tripletMarginWithDistanceLoss` for defaults)
 * @returns (forward) what `tripletMarginWithDistanceLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.TripletMarginWithDistanceLoss({ distanceFunction: (a, b) => a.sub(b).abs().sum(-1) }).call(tensor([[0]]), tensor([[1]]), tensor([[1]])).item(); // => 1
 */
export class TripletMarginWithDistanceLoss extends Loss<TripletMarginWithDistanceLossOptions> {
  constructor(opts?: TripletMarginWithDistanceLossOptions) {
    super('TripletMarginWithDistanceLoss', opts, ['reduction', 'distanceFunction', 'margin', 'swap']);
  }

  /** See `tripletMarginWithDistanceLoss` for the shapes. */
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, this.options);
  }
}

/**
 * Two-class logistic loss, `log(1 + exp(-y x))`, as `torch.nn.SoftMarginLoss`; calls `softMarginLoss` with the options given here.
 * @param opts `reduction` (see `softMarginLoss` for defaults)
 * @returns (forward) what `softMarginLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.SoftMarginLoss().call(tensor([0]), tensor([1])).item(); // => 0.6931471806
 */
export class SoftMarginLoss extends Loss<SoftMarginLossOptions> {
  constructor(opts?: SoftMarginLossOptions) {
    super('SoftMarginLoss', opts, ['reduction']);
  }

  /** See `softMarginLoss` for the shapes. */
  override forward(input: Parameters<typeof softMarginLoss>[0], target: Parameters<typeof softMarginLoss>[1]): Tensor {
    return softMarginLoss(input, target, this.options);
  }
}

/**
 * Hinge embedding loss for ±1 targets, as `torch.nn.HingeEmbeddingLoss`; calls `hingeEmbeddingLoss` with the options given here.
 * @param opts `reduction`, `margin` (see `hingeEmbeddingLoss` for defaults)
 * @returns (forward) what `hingeEmbeddingLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.HingeEmbeddingLoss().call(tensor([0.25]), tensor([-1])).item(); // => 0.75
 */
export class HingeEmbeddingLoss extends Loss<HingeEmbeddingLossOptions> {
  constructor(opts?: HingeEmbeddingLossOptions) {
    super('HingeEmbeddingLoss', opts, ['reduction', 'margin']);
  }

  /** See `hingeEmbeddingLoss` for the shapes. */
  override forward(input: Parameters<typeof hingeEmbeddingLoss>[0], target: Parameters<typeof hingeEmbeddingLoss>[1]): Tensor {
    return hingeEmbeddingLoss(input, target, this.options);
  }
}

/**
 * Cosine embedding loss for ±1 targets, as `torch.nn.CosineEmbeddingLoss`; calls `cosineEmbeddingLoss` with the options given here.
 * @param opts `reduction`, `margin` (see `cosineEmbeddingLoss` for defaults)
 * @returns (forward) what `cosineEmbeddingLoss` returns: a scalar, or per-element losses with `reduction: 'none'`
 * @example
 * new nn.CosineEmbeddingLoss().call(tensor([[1, 0]]), tensor([[1, 0]]), tensor([1])).item(); // => 0
 */
export class CosineEmbeddingLoss extends Loss<CosineEmbeddingLossOptions> {
  constructor(opts?: CosineEmbeddingLossOptions) {
    super('CosineEmbeddingLoss', opts, ['reduction', 'margin']);
  }

  /** See `cosineEmbeddingLoss` for the shapes. */
  override forward(input1: Parameters<typeof cosineEmbeddingLoss>[0], input2: Parameters<typeof cosineEmbeddingLoss>[1], target: Parameters<typeof cosineEmbeddingLoss>[2]): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, this.options);
  }
}

/**
 * Connectionist temporal classification, as `torch.nn.CTCLoss`; calls `ctcLoss` with the options
 * given here (its gradient is the true derivative with respect to `logProbs`; see `ctcLoss`).
 * @param opts `blank` (default 0), `reduction` (default `'mean'`), `zeroInfinity` (default false)
 * @returns (forward) what `ctcLoss` returns
 * @example
 * const ctc = new nn.CTCLoss({ reduction: 'sum' });
 * ctc.call(tensor([[Math.log(0.5), Math.log(0.5)]]), [1], [1], [1]).item(); // => 0.6931471806
 */
export class CTCLoss extends Loss<CtcLossOptions> {
  constructor(opts?: CtcLossOptions) {
    super('CTCLoss', opts, ['blank', 'reduction', 'zeroInfinity']);
  }

  /**
   * @param logProbs `[T, N, C]` or `[T, C]` log-probabilities
   * @param targets `[N, S]` padded or 1-D concatenated labels
   * @param inputLengths `[N]`
   * @param targetLengths `[N]`
   */
  override forward(logProbs: Tensor, targets: Parameters<typeof ctcLoss>[1], inputLengths: Parameters<typeof ctcLoss>[2], targetLengths: Parameters<typeof ctcLoss>[3]): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, this.options);
  }
}
