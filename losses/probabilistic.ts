/**
 * Losses between probability distributions: binary cross-entropy on probabilities and on
 * logits, and the Kullback-Leibler divergence, with PyTorch 1.13's values and gradients.
 * The two cross-entropies are fused kernels (see engine/fused/bce.ts for why); KL is composed
 * around the engine's `xlogy`.
 */
import type { Reduction, Tensor, TensorLike } from '../engine/index.js';
import { xlogy } from '../engine/index.js';
import {
  bceElements, bceWithLogitsElements, bceWithLogitsSummed, boolean, custom, describe, fail, parseOptions, reduce, reduction,
} from '../engine/internal.js';
import { constantFactor, inputTarget } from './pointwise-args.js';

// A weight is read (and its shape checked) against the input once the input is converted.
const RAW = custom((_fn, _name, v) => v);

export interface BceLossOptions {
  reduction?: Reduction;
  /** Per-element rescaling, broadcast to the input's shape; must not require grad. */
  weight?: TensorLike;
}

export interface BceWithLogitsLossOptions {
  reduction?: Reduction;
  /** Per-element rescaling, broadcast to the input's shape; must not require grad. */
  weight?: TensorLike;
  /** Weight of the positive term, usually `[C]` against the input's last dim; broadcast to the input's shape. */
  posWeight?: TensorLike;
}

export interface KlDivLossOptions {
  /** `'mean'` (default, over all elements), `'sum'`, `'none'`, or `'batchmean'`: the sum divided by `input.shape[0]`. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * Binary cross-entropy between predicted probabilities and targets.
 *
 * `ℓᵢ = -wᵢ (yᵢ max(log xᵢ, -100) + (1 - yᵢ) max(log(1 - xᵢ), -100))`
 *
 * @param input  `[*]` probabilities in [0, 1], any shape.
 * @param target `[*]` the input's shape, usually in [0, 1] (not checked, as PyTorch; may require grad).
 * @param opts   `weight` (broadcast to `[*]`), `reduction`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.binary_cross_entropy(input, target, weight=None, reduction='mean')`.
 *
 * Numerics: each log is clamped at -100, so x = 0 or 1 gives a finite loss (at most 100 per
 * element). The input gradient is PyTorch's `w (x - y) / max(x (1 - x), 1e-12)`, finite at 0 and 1.
 * An input outside [0, 1], NaN included, throws (as PyTorch).
 * NOTE: the target gradient is PyTorch's unclamped `w (log(1 - x) - log x)`: ±Infinity at x = 0 or 1.
 *
 * References: Goodfellow, Bengio and Courville, "Deep Learning", 2016, §6.2.2.2.
 *
 * @example
 * const p = tensor([0.9, 0.2, 0], { requiresGrad: true });
 * const loss = bceLoss(p, tensor([1, 0, 0]));
 * loss.item(); // => 0.1095013557
 * loss.backward();
 * p.grad.toArray(); // => [-0.3703703704, 0.4166666667, 0]
 */
export function bceLoss(input: TensorLike, target: TensorLike, opts?: BceLossOptions): Tensor {
  const fn = 'bceLoss';
  const o = parseOptions(fn, opts, { reduction: reduction(), weight: RAW });
  const [x, t] = inputTarget(fn, input, target);
  const w = constantFactor(fn, 'weight', o.weight, x);
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i];
    if (!(v >= 0 && v <= 1)) fail(fn, `input must hold probabilities in [0, 1], got ${describe(v)} at flat index ${i}`);
  }
  return reduce(bceElements(x, t, w), o.reduction); // [*]
}

/**
 * Binary cross-entropy on logits: `bceLoss(sigmoid(x), y)` computed stably in one pass.
 *
 * `ℓᵢ = wᵢ ((1 - yᵢ) xᵢ + lᵢ softplus(-xᵢ))`, `lᵢ = 1 + (pᵢ - 1) yᵢ`, `softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)`
 *
 * @param input  `[*, C]` logits, any shape.
 * @param target `[*, C]` the input's shape (may require grad).
 * @param opts   `weight` (broadcast to the input), `posWeight` `p` (usually `[C]`, broadcast to the
 *               input: > 1 favours recall of positives), `reduction`.
 * @returns `[*, C]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean', pos_weight=None)`.
 *
 * Numerics: never overflows: logits of ±800 give finite losses and gradients. One fused node
 * computes the per-element losses and the sigmoid its backward needs (engine/fused/bce.ts).
 * NOTE: PyTorch 1.13 forms softplus with log(1 + ·); this uses log1p, so where the loss is below
 * 1e-16 (e.g. x = 40, y = 1) it is the accurate tiny value where PyTorch rounds to 0.
 *
 * References: Goodfellow, Bengio and Courville, "Deep Learning", 2016, §6.2.2.2.
 *
 * @example
 * const x = tensor([[800, -800, 0.5]], { requiresGrad: true });
 * const loss = bceWithLogitsLoss(x, tensor([[1, 1, 0]]), { posWeight: tensor([1, 2, 3]), reduction: 'sum' });
 * loss.item(); // => 1600.974076984
 * loss.backward();
 * x.grad.toArray(); // => [[0, -2, 0.6224593312]]
 */
export function bceWithLogitsLoss(input: TensorLike, target: TensorLike, opts?: BceWithLogitsLossOptions): Tensor {
  const fn = 'bceWithLogitsLoss';
  const o = parseOptions(fn, opts, { reduction: reduction(), weight: RAW, posWeight: RAW });
  const [x, t] = inputTarget(fn, input, target);
  const w = constantFactor(fn, 'weight', o.weight, x);
  const pw = constantFactor(fn, 'posWeight', o.posWeight, x);
  // Unweighted 'mean' and 'sum' take the kernel's own sum (see engine/fused/bce.ts), divided by
  // `reduce` for 'mean' as any per-element sum is.
  if (o.reduction !== 'none' && w === null && pw === null) return reduce(bceWithLogitsSummed(x, t), o.reduction, x.size);
  return reduce(bceWithLogitsElements(x, t, w, pw), o.reduction); // [*, C]
}

/**
 * Kullback-Leibler divergence of the target distribution from the input's, pointwise.
 *
 * `ℓᵢ = xlogy(yᵢ, yᵢ) - yᵢ xᵢ` (with `0 log 0 = 0`), or `exp(yᵢ) (yᵢ - xᵢ)` with `logTarget`.
 *
 * @param input  `[N, *]` log-probabilities.
 * @param target `[N, *]` the input's shape: probabilities, or log-probabilities with `logTarget`
 *               (may require grad).
 * @param opts   `reduction` (`'none'`, `'mean'` (default, over every element), `'sum'`, or
 *               `'batchmean'`: the sum over `N`, the true KL divergence per sample), `logTarget`.
 * @returns `[N, *]` for `'none'`; a 0-d Tensor otherwise. `'batchmean'` of a 0-d input divides by 1.
 *
 * PyTorch: `torch.nn.functional.kl_div(input, target, reduction='mean', log_target=False)`.
 *
 * Numerics: a zero target contributes 0 and the input's gradient there is a finite 0.
 * NOTE: the target's gradient `log y + 1 - x` at y = 0 is NaN, PyTorch's value (xlogy's
 * `y / y`); with `logTarget` a target of -Infinity gives NaN likewise.
 *
 * References: Kullback and Leibler, "On Information and Sufficiency", Ann. Math. Statist. 1951.
 *
 * @example
 * const logq = tensor([[0.25, 0.75]]).log().requiresGrad_();
 * const loss = klDivLoss(logq, tensor([[0.5, 0.5]]), { reduction: 'batchmean' });
 * loss.item(); // => 0.1438410362
 * loss.backward();
 * logq.grad.toArray(); // => [[-0.5, -0.5]]
 */
export function klDivLoss(input: TensorLike, target: TensorLike, opts?: KlDivLossOptions): Tensor {
  const fn = 'klDivLoss';
  const o = parseOptions(fn, opts, {
    reduction: reduction(['none', 'mean', 'sum', 'batchmean'] as const), logTarget: boolean(false),
  });
  const [x, t] = inputTarget(fn, input, target);
  const loss = o.logTarget ? t.exp().mul(t.sub(x)) : xlogy(t, t).sub(t.mul(x)); // [N, *]
  if (o.reduction !== 'batchmean') return reduce(loss, o.reduction);
  return reduce(loss, 'mean', x.ndim === 0 ? 1 : x.shape[0]);
}
