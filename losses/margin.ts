/**
 * Margin losses of torch.nn on scores and ±1 targets: the ranking hinge, the soft margin
 * (logistic) loss and the hinge embedding loss, with PyTorch 1.13's values and gradients in
 * float64. All are compositions of engine ops.
 *
 * Targets y of ±1: like PyTorch, no loss here checks that y holds only ±1. Other values give
 * PyTorch's value for them: `marginRankingLoss` and `softMarginLoss` use y as a number in their
 * formula, and `hingeEmbeddingLoss` adds both branches where y is neither 1 nor -1 (its two
 * `where`s).
 */
import type { Reduction, Tensor, TensorLike } from '../engine/index.js';
import { logSigmoid } from '../engine/index.js';
import { expectShape, margin, parseOptions, reduce, reduction, toTensor } from '../engine/internal.js';

export interface MarginRankingLossOptions {
  /** Any finite number (default 0). */
  margin?: number;
  reduction?: Reduction;
}

/**
 * Margin ranking loss: asks `x1` to rank above `x2` by `margin` where `y = 1`, below where `y = -1`.
 *
 * `loss_i = max(0, -y_i (x1_i - x2_i) + margin)`.
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
  const o = parseOptions(FN, opts, { margin: margin(0), reduction: reduction() });
  const a = toTensor(FN, 'x1', x1);
  const b = toTensor(FN, 'x2', x2);
  const t = toTensor(FN, 'y', y);
  expectShape(FN, 'x2', b, a, 'x1');
  expectShape(FN, 'y', t, a, 'x1');
  return reduce(t.neg().mul(a.sub(b)).add(o.margin).clamp(0), o.reduction); // [*]
}

export interface SoftMarginLossOptions {
  reduction?: Reduction;
}

/**
 * Soft margin loss: the logistic loss of a two-class classifier with labels ±1.
 *
 * `loss_i = log(1 + exp(-y_i x_i))`, evaluated as
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
 * z > 709.78 (with a NaN gradient) and rounds to 0 for z < -36.7; this is `-logSigmoid(y x)`
 * with the engine's exact log-sigmoid, finite and accurate for any |z|, and equal to PyTorch's
 * value to rounding everywhere else. The gradient is `-y σ(z)` (`-y/2` at x = 0), NaN where x
 * is NaN. `ebm.logLoss` is this loss on the gap `Ē - E` with y = 1, to the last bit.
 * NOTE: PyTorch refuses a target that requires grad; here the target is treated as a constant.
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
  const o = parseOptions(FN, opts, { reduction: reduction() });
  const x = toTensor(FN, 'input', input);
  const t = toTensor(FN, 'target', target);
  expectShape(FN, 'target', t, x);
  // log(1 + exp(-y x)) = -log σ(y x), with the engine's exact log-sigmoid.
  return reduce(logSigmoid(x.mul(t.detach())).neg(), o.reduction); // [*]
}

export interface HingeEmbeddingLossOptions {
  /** Any finite number (default 1). */
  margin?: number;
  reduction?: Reduction;
}

/**
 * Hinge embedding loss: for a distance `x` between a pair, `x` itself for similar pairs
 * (`y = 1`) and `max(0, margin - x)` for dissimilar ones (`y = -1`).
 *
 * `loss_i = (y_i ≠ 1 ? max(0, margin - x_i) : 0) + (y_i ≠ -1 ? x_i : 0)`, PyTorch's two
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
  const o = parseOptions(FN, opts, { margin: margin(1), reduction: reduction() });
  const x = toTensor(FN, 'input', input);
  const t = toTensor(FN, 'target', target);
  expectShape(FN, 'target', t, x);
  const marginTerm = x.neg().add(o.margin).clamp(0).where(t.ne(1), 0); // [*]
  const selfTerm = x.where(t.ne(-1), 0); // [*]
  return reduce(marginTerm.add(selfTerm), o.reduction);
}

