/**
 * Margin and embedding losses of torch.nn: ranking, triplet, soft-margin, hinge-embedding and
 * cosine-embedding losses, with PyTorch 1.13's values and gradients in float64.
 *
 * Targets y of ±1: like PyTorch, no loss here checks that y holds only ±1. Other values give
 * PyTorch's value for them: `marginRankingLoss` and `softMarginLoss` use y as a number in their
 * formula, `hingeEmbeddingLoss` adds both branches where y is neither 1 nor -1 (its two `where`s),
 * and `cosineEmbeddingLoss` gives 0 there (its two `where`s select nothing).
 */
import { describe, fail, fmtShape } from '../engine/errors.js';
import type { NestedNumbers } from '../engine/tensor.js';
import { Tensor } from '../engine/tensor.js';
import type { ReductionOption } from './common.js';
import { checkOpts, checkReduction, expectShape, reduce, toTensor } from './common.js';
import { cosineEmbeddingRows } from './cosine-fused.js';
import { pairwiseDistance } from './embedding-distance.js';
import { stableSoftplus } from './embedding-softplus.js';
import { tripletMarginRows } from './triplet-fused.js';

type TensorLike = Tensor | NestedNumbers;

/** A number option (NaN rejected), or its default when omitted. */
function numberOpt(fn: string, name: string, value: unknown, def: number): number {
  if (value === undefined) return def;
  if (typeof value !== 'number' || Number.isNaN(value)) fail(fn, `${name} must be a number, got ${describe(value)}`);
  return value;
}

function booleanOpt(fn: string, name: string, value: unknown, def: boolean): boolean {
  if (value === undefined) return def;
  if (typeof value !== 'boolean') fail(fn, `${name} must be a boolean, got ${describe(value)}`);
  return value;
}

function normOrder(fn: string, value: unknown): number {
  const p = numberOpt(fn, 'p', value, 2);
  if (!(p > 0)) fail(fn, `p must be a number > 0 (Infinity allowed), got ${describe(p)}`);
  return p;
}

/** Checks that `t` is `[N, D]` or `[D]`. */
function expectRowsOrVector(fn: string, arg: string, t: Tensor): void {
  if (t.ndim !== 1 && t.ndim !== 2) fail(fn, `${arg} must have shape [N, D] or [D], got shape ${fmtShape(t.shape)}`);
}

export interface MarginRankingLossOptions extends ReductionOption {
  /** Default 0. */
  margin?: number;
}

/**
 * Margin ranking loss: asks `x1` to rank above `x2` by `margin` where `y = 1`, below where `y = -1`.
 *
 * Formula: `loss_i = max(0, -y_i (x1_i - x2_i) + margin)`.
 *
 * @param x1 any shape `[*]`.
 * @param x2 the shape of `x1`.
 * @param y the shape of `x1`, normally ±1 (a Tensor, which may require grad, or nested numbers).
 * @param opts `margin` (default 0), `reduction` (default `'mean'`).
 * @returns `'none'`: the shape of `x1`; `'mean'`, `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.margin_ranking_loss(x1, x2, y, margin, reduction=...)`.
 *
 * Numerics: at the kink (`-y (x1 - x2) + margin = 0` exactly) the gradient passes, as PyTorch's
 * `clamp_min` does. PyTorch differentiates y too (`-(x1 - x2)` where the hinge is active), and so
 * does this function when y requires grad.
 *
 * References: the ranking hinge of RankSVM; Herbrich, Graepel and Obermayer, "Large margin rank
 * boundaries for ordinal regression" (2000).
 *
 * @example
 * const x1 = tensor([0.5, -1, 2], { requiresGrad: true });
 * const loss = marginRankingLoss(x1, tensor([1, 0, 1.5]), [1, -1, -1], { margin: 0.2 });
 * loss.item(); // => 0.466667
 * loss.backward();
 * x1.grad.toArray(); // => [-0.333333, 0, 0.333333]
 */
export function marginRankingLoss(x1: TensorLike, x2: TensorLike, y: TensorLike, opts?: MarginRankingLossOptions): Tensor {
  const FN = 'marginRankingLoss';
  const o = checkOpts(FN, opts, ['margin', 'reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const margin = numberOpt(FN, 'margin', o.margin, 0);
  const a = toTensor(FN, 'x1', x1);
  const b = toTensor(FN, 'x2', x2);
  const t = toTensor(FN, 'y', y);
  expectShape(FN, 'x2', b, a, 'x1');
  expectShape(FN, 'y', t, a, 'x1');
  return reduce(t.neg().mul(a.sub(b)).add(margin).clamp(0), reduction);
}

export interface TripletMarginLossOptions extends ReductionOption {
  /** Default 1. */
  margin?: number;
  /** The norm of the distance, any p > 0 or Infinity (default 2). */
  p?: number;
  /** Added to every component of each difference before the norm (default 1e-6). */
  eps?: number;
  /** Use `min(d(a, n), d(p, n))` as the negative distance (default false). */
  swap?: boolean;
}

/**
 * Triplet margin loss: pulls each anchor towards its positive and pushes it from its negative
 * until the negative is `margin` farther than the positive.
 *
 * Formula: `loss_i = max(0, margin + d(a_i, p_i) - d(a_i, n_i))`, with
 * `d(x, y) = ‖x - y + eps‖_p = (Σ_j |x_j - y_j + eps|^p)^(1/p)`; with `swap`, `d(a_i, n_i)` is
 * replaced by `min(d(a_i, n_i), d(p_i, n_i))`.
 *
 * @param anchor `[N, D]` or `[D]`.
 * @param positive the shape of `anchor`.
 * @param negative the shape of `anchor`.
 * @param opts `margin` (default 1), `p` (default 2), `eps` (default 1e-6), `swap` (default false),
 *   `reduction` (default `'mean'`).
 * @returns `'none'`: `[N]` (`[]` for `[D]` inputs); `'mean'`, `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=...)`.
 *
 * Numerics: one fused graph node (see triplet-fused.ts). The absolute value is taken before the
 * power, so odd and fractional p are true norms. Subgradients are PyTorch's: the gradient passes
 * at the kink (loss exactly 0); a norm of 0 gets gradient 0; with `swap`, a tie
 * `d(a, n) = d(p, n)` splits the gradient evenly; for p = ∞ it is split among the largest
 * components. PyTorch broadcasts inputs of different shapes; here they must match.
 *
 * References: Schroff, Kalenichenko and Philbin, "FaceNet" (CVPR 2015); Balntas, Riba, Ponsa and
 * Mikolajczyk, "Learning local feature descriptors with triplets and shallow convolutional neural
 * networks" (BMVC 2016), for the swap.
 *
 * @example
 * const anchor = tensor([[0, 0], [1, 1]], { requiresGrad: true });
 * const positive = tensor([[0.5, 0], [1, 2]]);
 * const negative = tensor([[1, 0], [1.5, 1]]);
 * const loss = tripletMarginLoss(anchor, positive, negative);
 * loss.item(); // => 1.0000
 * loss.backward();
 * anchor.grad.toArray(); // => [[0.0000, 0.0000], [0.5000, -0.5000]]
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts?: TripletMarginLossOptions): Tensor {
  const FN = 'tripletMarginLoss';
  const o = checkOpts(FN, opts, ['margin', 'p', 'eps', 'swap', 'reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const margin = numberOpt(FN, 'margin', o.margin, 1);
  const p = normOrder(FN, o.p);
  const eps = numberOpt(FN, 'eps', o.eps, 1e-6);
  const swap = booleanOpt(FN, 'swap', o.swap, false);
  const a = toTensor(FN, 'anchor', anchor);
  const pos = toTensor(FN, 'positive', positive);
  const neg = toTensor(FN, 'negative', negative);
  expectRowsOrVector(FN, 'anchor', a);
  expectShape(FN, 'positive', pos, a, 'anchor');
  expectShape(FN, 'negative', neg, a, 'anchor');
  return reduce(tripletMarginRows(a, pos, neg, { margin, p, eps, swap }), reduction);
}

export interface TripletMarginWithDistanceLossOptions extends ReductionOption {
  /**
   * A differentiable distance between matching rows, `(x, y) => Tensor`; each call must return
   * the same shape (`[N]` for `[N, D]` inputs). Default: `pairwise_distance`, `‖x - y + 1e-6‖_2`.
   */
  distanceFunction?: (x: Tensor, y: Tensor) => Tensor;
  /** Default 1. */
  margin?: number;
  /** Use `min(d(a, n), d(p, n))` as the negative distance (default false). */
  swap?: boolean;
}

/**
 * Triplet margin loss with any distance: `tripletMarginLoss` with `d` supplied by the caller.
 *
 * Formula: `loss_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin)`; with `swap`, `d(a_i, n_i)` is
 * replaced by `min(d(a_i, n_i), d(p_i, n_i))`.
 *
 * @param anchor `[N, *]` (any shape of at least one dim that `distanceFunction` accepts).
 * @param positive the shape of `anchor`.
 * @param negative the shape of `anchor`.
 * @param opts `distanceFunction` (default pairwise Euclidean over the last dim, with eps 1e-6),
 *   `margin` (default 1), `swap` (default false), `reduction` (default `'mean'`).
 * @returns `'none'`: the distance's shape (`[N]` by default, `[]` for `[D]` inputs); `'mean'`,
 *   `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.triplet_margin_with_distance_loss(anchor, positive, negative,
 * distance_function=..., margin=..., swap=..., reduction=...)`.
 *
 * Numerics: composed from engine ops, so the gradient is that of `distanceFunction` through
 * `minimum` (a tie splits evenly) and the clamp (which passes the gradient at the kink). A
 * distance that returns different shapes for the pairs throws rather than broadcasting.
 *
 * References: Schroff, Kalenichenko and Philbin, "FaceNet" (CVPR 2015).
 *
 * @example
 * const anchor = tensor([[0, 0], [1, 1]]);
 * const l1Distance = (x, y) => x.sub(y).abs().sum(-1);
 * const loss = tripletMarginWithDistanceLoss(anchor, tensor([[0.5, 0], [1, 2]]), tensor([[1, 0], [1.5, 1]]),
 *   { distanceFunction: l1Distance, reduction: 'none' });
 * loss.toArray(); // => [0.5, 1.5]
 */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor, positive: Tensor, negative: Tensor, opts?: TripletMarginWithDistanceLossOptions,
): Tensor {
  const FN = 'tripletMarginWithDistanceLoss';
  const o = checkOpts(FN, opts, ['distanceFunction', 'margin', 'swap', 'reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const margin = numberOpt(FN, 'margin', o.margin, 1);
  const swap = booleanOpt(FN, 'swap', o.swap, false);
  const distance = o.distanceFunction ?? ((x: Tensor, y: Tensor): Tensor => pairwiseDistance(x, y));
  if (typeof distance !== 'function') fail(FN, `distanceFunction must be a function (x, y) => Tensor, got ${describe(distance)}`);
  const a = toTensor(FN, 'anchor', anchor);
  const pos = toTensor(FN, 'positive', positive);
  const neg = toTensor(FN, 'negative', negative);
  if (a.ndim === 0) fail(FN, `anchor must have at least one dim, got shape ${fmtShape(a.shape)}`);
  expectShape(FN, 'positive', pos, a, 'anchor');
  expectShape(FN, 'negative', neg, a, 'anchor');
  const dist = (x: Tensor, y: Tensor, pair: string): Tensor => {
    const d = distance(x, y);
    if (!(d instanceof Tensor)) fail(FN, `distanceFunction must return a Tensor, got ${describe(d)} for ${pair}`);
    return d;
  };
  const dPos = dist(a, pos, '(anchor, positive)');
  let dNeg = dist(a, neg, '(anchor, negative)');
  expectShape(FN, 'distanceFunction(anchor, negative)', dNeg, dPos, 'distanceFunction(anchor, positive)');
  if (swap) {
    const dSwap = dist(pos, neg, '(positive, negative)');
    expectShape(FN, 'distanceFunction(positive, negative)', dSwap, dPos, 'distanceFunction(anchor, positive)');
    dNeg = dNeg.minimum(dSwap);
  }
  return reduce(dPos.sub(dNeg).add(margin).clamp(0), reduction);
}

export type SoftMarginLossOptions = ReductionOption;

/**
 * Soft margin loss: the logistic loss of a two-class classifier with labels ±1.
 *
 * Formula: `loss_i = log(1 + exp(-y_i x_i))`, evaluated as
 * `max(z, 0) + log1p(exp(-|z|))` with `z = -y_i x_i`.
 *
 * @param input any shape `[*]` (scores).
 * @param target the shape of `input`, normally ±1.
 * @param opts `reduction` (default `'mean'`).
 * @returns `'none'`: the shape of `input`; `'mean'`, `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.soft_margin_loss(input, target, reduction=...)`.
 *
 * Numerics: NOTE: PyTorch computes `log(1 + exp(z))` literally, which overflows to Infinity for
 * z > 709.78 (with a NaN gradient) and rounds to 0 for z < -36.7; this is one fused node (see
 * embedding-softplus.ts), finite and accurate for any |z|, and equal to PyTorch's value to
 * rounding everywhere else. The gradient is `-y σ(z)` (`-y/2` at x = 0), NaN where x is NaN. NOTE: PyTorch refuses a target that requires grad; here the target
 * is treated as a constant.
 *
 * References: the logistic loss; Bishop, "Pattern Recognition and Machine Learning" (2006), §4.3.2.
 *
 * @example
 * const x = tensor([2, -1, 0], { requiresGrad: true });
 * const loss = softMarginLoss(x, [1, 1, -1], { reduction: 'sum' });
 * loss.item(); // => 2.133337
 * loss.backward();
 * x.grad.toArray(); // => [-0.119203, -0.731059, 0.5]
 */
export function softMarginLoss(input: TensorLike, target: TensorLike, opts?: SoftMarginLossOptions): Tensor {
  const FN = 'softMarginLoss';
  const o = checkOpts(FN, opts, ['reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const x = toTensor(FN, 'input', input);
  const t = toTensor(FN, 'target', target);
  expectShape(FN, 'target', t, x);
  return reduce(stableSoftplus(x.neg().mul(t.detach())), reduction);
}

export interface HingeEmbeddingLossOptions extends ReductionOption {
  /** Default 1. */
  margin?: number;
}

/**
 * Hinge embedding loss: for a distance `x` between a pair, `x` itself for similar pairs
 * (`y = 1`) and `max(0, margin - x)` for dissimilar ones (`y = -1`).
 *
 * Formula: `loss_i = (y_i ≠ 1 ? max(0, margin - x_i) : 0) + (y_i ≠ -1 ? x_i : 0)`, PyTorch's two
 * `where`s: a target that is neither 1 nor -1 (NaN included) gets both terms.
 *
 * @param input any shape `[*]` (usually a distance, e.g. an L1 distance between embeddings).
 * @param target the shape of `input`, normally ±1.
 * @param opts `margin` (default 1), `reduction` (default `'mean'`).
 * @returns `'none'`: the shape of `input`; `'mean'`, `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.hinge_embedding_loss(input, target, margin, reduction=...)`.
 *
 * Numerics: at the kink `x = margin` with `y = -1` the gradient (-1) passes, as PyTorch's
 * `clamp_min` does. The target gets no gradient (it only selects).
 *
 * References: Hadsell, Chopra and LeCun, "Dimensionality reduction by learning an invariant
 * mapping" (CVPR 2006).
 *
 * @example
 * const x = tensor([0.3, 0.4, 1.5, 0.2], { requiresGrad: true });
 * const loss = hingeEmbeddingLoss(x, [1, -1, -1, 0], { reduction: 'none' });
 * loss.toArray(); // => [0.3, 0.6, 0, 1]
 */
export function hingeEmbeddingLoss(input: TensorLike, target: TensorLike, opts?: HingeEmbeddingLossOptions): Tensor {
  const FN = 'hingeEmbeddingLoss';
  const o = checkOpts(FN, opts, ['margin', 'reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const margin = numberOpt(FN, 'margin', o.margin, 1);
  const x = toTensor(FN, 'input', input);
  const t = toTensor(FN, 'target', target);
  expectShape(FN, 'target', t, x);
  const marginTerm = x.neg().add(margin).clamp(0).where(t.ne(1), 0); // [*]
  const selfTerm = x.where(t.ne(-1), 0); // [*]
  return reduce(marginTerm.add(selfTerm), reduction);
}

export interface CosineEmbeddingLossOptions extends ReductionOption {
  /** Default 0; sensible values lie in [-1, 1]. */
  margin?: number;
}

/**
 * Cosine embedding loss: makes the cosine of similar pairs (`y = 1`) reach 1 and that of
 * dissimilar pairs (`y = -1`) fall to `margin`.
 *
 * Formula: `cos_i = x1_i·x2_i / sqrt((‖x1_i‖² + ε)(‖x2_i‖² + ε))` with ε = 1e-12 (ATen's float
 * constant, 9.999999960041972e-13 exactly); `loss_i = 1 - cos_i` where `y_i = 1`, `max(0, cos_i - margin)` where `y_i = -1`, else 0.
 *
 * @param x1 `[N, D]` or `[D]`.
 * @param x2 the shape of `x1`.
 * @param y `[N]` for `[N, D]` inputs, a number or 0-d Tensor for `[D]` inputs; normally ±1.
 * @param opts `margin` (default 0), `reduction` (default `'mean'`).
 * @returns `'none'`: `[N]` (`[]` for `[D]` inputs); `'mean'`, `'sum'`: a 0-d Tensor.
 *
 * PyTorch: `torch.nn.functional.cosine_embedding_loss(x1, x2, y, margin, reduction=...)`.
 *
 * Numerics: one fused graph node (see cosine-fused.ts). ε keeps a zero vector finite (its
 * cosine is 0). The gradient passes at the kink `cos = margin`; y gets no gradient.
 *
 * References: the cosine similarity loss of Siamese networks; Bromley et al., "Signature
 * verification using a Siamese time delay neural network" (NIPS 1993).
 *
 * @example
 * const x1 = tensor([[1, 0], [1, 1]], { requiresGrad: true });
 * const loss = cosineEmbeddingLoss(x1, tensor([[1, 1], [2, 1]]), [1, -1], { margin: 0.5 });
 * loss.item(); // => 0.370788
 * loss.backward();
 * x1.grad.toArray(); // => [[0, -0.353553], [0.079057, -0.079057]]
 */
export function cosineEmbeddingLoss(x1: TensorLike, x2: TensorLike, y: TensorLike, opts?: CosineEmbeddingLossOptions): Tensor {
  const FN = 'cosineEmbeddingLoss';
  const o = checkOpts(FN, opts, ['margin', 'reduction']);
  const reduction = checkReduction(FN, o.reduction);
  const margin = numberOpt(FN, 'margin', o.margin, 0);
  const a = toTensor(FN, 'x1', x1);
  const b = toTensor(FN, 'x2', x2);
  const t = toTensor(FN, 'y', y);
  expectRowsOrVector(FN, 'x1', a);
  expectShape(FN, 'x2', b, a, 'x1');
  const yShape = a.ndim === 2 ? [a.shape[0]] : [];
  if (t.ndim !== yShape.length || (a.ndim === 2 && t.shape[0] !== a.shape[0])) {
    fail(FN, `y must have shape ${fmtShape(yShape)} for x1 of shape ${fmtShape(a.shape)}, got shape ${fmtShape(t.shape)}`);
  }
  return reduce(cosineEmbeddingRows(a, b, t.data, margin), reduction);
}
