/**
 * Embedding losses of torch.nn, on rows of vectors: the triplet margin loss (with the p-norm
 * distance, or any distance) and the cosine embedding loss, with PyTorch 1.13's values and
 * gradients in float64. `tripletMarginLoss` and `cosineEmbeddingLoss` run on fused kernels
 * (engine/fused/triplet-margin.ts and cosine-embedding.ts); `tripletMarginWithDistanceLoss` is
 * composed from engine ops.
 *
 * Targets y of ±1 (`cosineEmbeddingLoss`): like PyTorch, y is not checked to hold only ±1; other
 * values give 0, as PyTorch's two `where`s select nothing there.
 */
import type { Reduction, TensorLike } from '../engine/index.js';
import { Tensor } from '../engine/index.js';
import {
  boolean, cosineEmbeddingRows, describe, expectShape, fail, fmtShape, func, margin, number, parseOptions, reduce,
  reduction, toTensor, tripletMarginRows,
} from '../engine/internal.js';

/** Checks that `t` is `[N, D]` or `[D]`. */
function expectRowsOrVector(fn: string, arg: string, t: Tensor): void {
  if (t.ndim !== 1 && t.ndim !== 2) fail(fn, `${arg} must have shape [N, D] or [D], got shape ${fmtShape(t.shape)}`);
}

/**
 * PyTorch's default triplet distance, `pairwise_distance`: `‖x1 - x2 + 1e-6‖_2` over the last dim.
 * NOTE: eps is added to every component of the difference (not to the norm), so the distance is
 * not symmetric: `d(x, y) ≠ d(y, x)` by about `2 eps` per component. This is PyTorch's definition.
 */
const pairwiseDistance = (x1: Tensor, x2: Tensor): Tensor => x1.sub(x2).add(1e-6).norm(2, -1); // [N] or []

/** The norm order of a distance: any p > 0, Infinity included. */
const NORM_ORDER = number({ default: 2, above: 0, nonFinite: true });

export interface TripletMarginLossOptions {
  /** Any finite number (default 1). */
  margin?: number;
  /** The norm of the distance, any p > 0 or Infinity (default 2). */
  p?: number;
  /** Added to every component of each difference before the norm (default 1e-6). */
  eps?: number;
  /** Use `min(d(a, n), d(p, n))` as the negative distance (default false). */
  swap?: boolean;
  reduction?: Reduction;
}

/**
 * Triplet margin loss: pulls each anchor towards its positive and pushes it from its negative
 * until the negative is `margin` farther than the positive.
 *
 * `loss_i = max(0, margin + d(a_i, p_i) - d(a_i, n_i))`, with
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
 * Numerics: one fused graph node (see engine/fused/triplet-margin.ts). The absolute value is taken before the
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
export function tripletMarginLoss(anchor: TensorLike, positive: TensorLike, negative: TensorLike, opts?: TripletMarginLossOptions): Tensor {
  const FN = 'tripletMarginLoss';
  const o = parseOptions(FN, opts, {
    margin: margin(1), p: NORM_ORDER, eps: number({ default: 1e-6 }), swap: boolean(false), reduction: reduction(),
  });
  const a = toTensor(FN, 'anchor', anchor);
  const pos = toTensor(FN, 'positive', positive);
  const neg = toTensor(FN, 'negative', negative);
  expectRowsOrVector(FN, 'anchor', a);
  expectShape(FN, 'positive', pos, a, 'anchor');
  expectShape(FN, 'negative', neg, a, 'anchor');
  return reduce(tripletMarginRows(a, pos, neg, { margin: o.margin, p: o.p, eps: o.eps, swap: o.swap }), o.reduction); // [N]
}

export interface TripletMarginWithDistanceLossOptions {
  /**
   * A differentiable distance between matching rows, `(x, y) => Tensor`; each call must return
   * the same shape (`[N]` for `[N, D]` inputs). Default: `pairwise_distance`, `‖x - y + 1e-6‖_2`.
   */
  distanceFunction?: (x: Tensor, y: Tensor) => Tensor;
  /** Any finite number (default 1). */
  margin?: number;
  /** Use `min(d(a, n), d(p, n))` as the negative distance (default false). */
  swap?: boolean;
  reduction?: Reduction;
}

/**
 * Triplet margin loss with any distance: `tripletMarginLoss` with `d` supplied by the caller.
 *
 * `loss_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin)`; with `swap`, `d(a_i, n_i)` is
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
  anchor: TensorLike, positive: TensorLike, negative: TensorLike, opts?: TripletMarginWithDistanceLossOptions,
): Tensor {
  const FN = 'tripletMarginWithDistanceLoss';
  const o = parseOptions(FN, opts, {
    distanceFunction: func<(x: Tensor, y: Tensor) => unknown>(), margin: margin(1), swap: boolean(false), reduction: reduction(),
  });
  const distance = o.distanceFunction ?? pairwiseDistance;
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
  if (o.swap) {
    const dSwap = dist(pos, neg, '(positive, negative)');
    expectShape(FN, 'distanceFunction(positive, negative)', dSwap, dPos, 'distanceFunction(anchor, positive)');
    dNeg = dNeg.minimum(dSwap);
  }
  return reduce(dPos.sub(dNeg).add(o.margin).clamp(0), o.reduction);
}

export interface CosineEmbeddingLossOptions {
  /** Any finite number (default 0); sensible values lie in [-1, 1]. */
  margin?: number;
  reduction?: Reduction;
}

/**
 * Cosine embedding loss: makes the cosine of similar pairs (`y = 1`) reach 1 and that of
 * dissimilar pairs (`y = -1`) fall to `margin`.
 *
 * `cos_i = x1_i·x2_i / sqrt((‖x1_i‖² + ε)(‖x2_i‖² + ε))` with ε = 1e-12 (ATen's float
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
 * Numerics: one fused graph node (see engine/fused/cosine-embedding.ts). ε keeps a zero vector finite (its
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
  const o = parseOptions(FN, opts, { margin: margin(0), reduction: reduction() });
  const a = toTensor(FN, 'x1', x1);
  const b = toTensor(FN, 'x2', x2);
  const t = toTensor(FN, 'y', y);
  expectRowsOrVector(FN, 'x1', a);
  expectShape(FN, 'x2', b, a, 'x1');
  const yShape = a.ndim === 2 ? [a.shape[0]] : [];
  if (t.ndim !== yShape.length || (a.ndim === 2 && t.shape[0] !== a.shape[0])) {
    fail(FN, `y must have shape ${fmtShape(yShape)} for x1 of shape ${fmtShape(a.shape)}, got shape ${fmtShape(t.shape)}`);
  }
  return reduce(cosineEmbeddingRows(a, b, t.data, o.margin), o.reduction); // [N]
}
