/**
 * Regression losses: squared and absolute error, their smooth blends, and the Poisson and
 * Gaussian negative log-likelihoods, with PyTorch 1.13's values and gradients.
 * All are compositions of engine ops except smooth L1 at beta = 0 (a fused kernel, see
 * engine/fused/smooth-l1.ts) and the straight-through variance clamp of `gaussianNllLoss`.
 */
import type { Reduction, Tensor, TensorLike } from '../engine/index.js';
import { where } from '../engine/index.js';
import {
  boolean, clampMinStraightThrough, fail, fmtShape, number, parseOptions, reduce, reduction, sameShape,
  smoothL1Beta0, toTensor,
} from '../engine/internal.js';
import { inputTarget } from './pointwise-args.js';

export interface MseLossOptions {
  /** `'none'`: the per-element losses; `'mean'` (default): their mean; `'sum'`: their sum. */
  reduction?: Reduction;
}

export interface L1LossOptions {
  /** `'none'`: the per-element losses; `'mean'` (default): their mean; `'sum'`: their sum. */
  reduction?: Reduction;
}

export interface SmoothL1LossOptions {
  /** Where the quadratic part meets the linear part (default 1; 0 gives exactly the L1 loss). */
  beta?: number;
  reduction?: Reduction;
}

export interface HuberLossOptions {
  /** Where the quadratic part meets the linear part (default 1; must be positive). */
  delta?: number;
  reduction?: Reduction;
}

export interface PoissonNllLossOptions {
  reduction?: Reduction;
  /** The input is the log of the rate (default true); else the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(y!) where the target is above 1 (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

export interface GaussianNllLossOptions {
  reduction?: Reduction;
  /** Add the constant 0.5 log(2π) (default false). */
  full?: boolean;
  /** The variance is clamped below at `eps` (default 1e-6). */
  eps?: number;
}

const REDUCTION_ONLY = { reduction: reduction() };

/**
 * Mean squared error between input and target.
 *
 * `ℓᵢ = (xᵢ - yᵢ)²`
 *
 * @param input  `[*]` predictions, any shape.
 * @param target `[*]` the input's shape (broadcasting is refused; may require grad).
 * @param opts   `reduction`: `'none'` | `'mean'` (default) | `'sum'`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'` (`'mean'` of nothing is NaN).
 *
 * PyTorch: `torch.nn.functional.mse_loss(input, target, reduction='mean')`.
 *
 * Numerics: exact elementwise; gradient `2 (x - y)`.
 *
 * References: Gauss (1809), least squares.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const loss = mseLoss(x, tensor([1.5, 2, 2]));
 * loss.item(); // => 0.4166666667
 * loss.backward();
 * x.grad.toArray(); // => [-0.3333333333, 0, 0.6666666667]
 */
export function mseLoss(input: TensorLike, target: TensorLike, opts?: MseLossOptions): Tensor {
  const fn = 'mseLoss';
  const o = parseOptions(fn, opts, REDUCTION_ONLY);
  const [x, t] = inputTarget(fn, input, target);
  return reduce(x.sub(t).pow(2), o.reduction); // [*]
}

/**
 * Mean absolute error between input and target.
 *
 * `ℓᵢ = |xᵢ - yᵢ|`
 *
 * @param input  `[*]` predictions, any shape.
 * @param target `[*]` the input's shape (may require grad).
 * @param opts   `reduction`: `'none'` | `'mean'` (default) | `'sum'`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.l1_loss(input, target, reduction='mean')`.
 *
 * Numerics: the gradient is `sign(x - y)`, 0 where x = y, as PyTorch.
 *
 * References: Laplace (1774), least absolute deviations.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const loss = l1Loss(x, tensor([1.5, 2, 2]));
 * loss.item(); // => 0.5
 * loss.backward();
 * x.grad.toArray(); // => [-0.3333333333, 0, 0.3333333333]
 */
export function l1Loss(input: TensorLike, target: TensorLike, opts?: L1LossOptions): Tensor {
  const fn = 'l1Loss';
  const o = parseOptions(fn, opts, REDUCTION_ONLY);
  const [x, t] = inputTarget(fn, input, target);
  return reduce(x.sub(t).abs(), o.reduction); // [*]
}

/**
 * Smooth L1 loss: quadratic for small errors, linear beyond `beta`.
 *
 * `ℓᵢ = 0.5 dᵢ² / β` where `|dᵢ| < β`, else `|dᵢ| - 0.5 β`, with `dᵢ = xᵢ - yᵢ`.
 *
 * @param input  `[*]` predictions, any shape.
 * @param target `[*]` the input's shape (may require grad).
 * @param opts   `beta` (default 1, must be >= 0; 0 gives `l1Loss`'s value), `reduction`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.smooth_l1_loss(input, target, reduction='mean', beta=1.0)`.
 *
 * Numerics: the gradient `clamp(d / β, -1, 1)` is continuous, so `|d| = β` is not a kink
 * for it; at d = 0 it is 0 (but -1, to input and target alike, when β = 0, as PyTorch).
 *
 * References: Girshick, "Fast R-CNN", ICCV 2015.
 *
 * @example
 * const x = tensor([0, 0.5, 3], { requiresGrad: true });
 * const loss = smoothL1Loss(x, tensor([0, 0, 0]), { reduction: 'sum' });
 * loss.item(); // => 2.625
 * loss.backward();
 * x.grad.toArray(); // => [0, 0.5, 1]
 */
export function smoothL1Loss(input: TensorLike, target: TensorLike, opts?: SmoothL1LossOptions): Tensor {
  const fn = 'smoothL1Loss';
  const o = parseOptions(fn, opts, { reduction: reduction(), beta: number({ default: 1, min: 0 }) });
  const [x, t] = inputTarget(fn, input, target);
  // PyTorch's backward kernel tests `d <= -beta`, then `d >= beta`, else takes d / beta. Testing
  // |d| >= beta first sends NaN to the quadratic part, so NaN gradients stay NaN as in PyTorch.
  // NOTE: at beta = 0 (exactly l1Loss's value) the gradient at d = 0 is PyTorch's -1, to the input
  // and to the target alike, not l1Loss's 0 (see engine/fused/smooth-l1.ts).
  if (o.beta === 0) return reduce(smoothL1Beta0(x, t), o.reduction); // [*]
  const beta = o.beta;
  const d = x.sub(t); // [*]
  const z = d.abs(); // [*]
  return reduce(z.sub(0.5 * beta).where(z.ge(beta), d.mul(d).mul(0.5 / beta)), o.reduction); // [*]
}

/**
 * Huber loss: quadratic for small errors, linear with slope `delta` beyond it.
 *
 * `ℓᵢ = 0.5 dᵢ²` where `|dᵢ| < δ`, else `δ (|dᵢ| - 0.5 δ)`, with `dᵢ = xᵢ - yᵢ`.
 *
 * @param input  `[*]` predictions, any shape.
 * @param target `[*]` the input's shape (may require grad).
 * @param opts   `delta` (default 1, must be > 0), `reduction`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.huber_loss(input, target, reduction='mean', delta=1.0)`.
 *
 * Numerics: in exact arithmetic `huberLoss(x, y, { delta })` is `delta * smoothL1Loss(x, y,
 * { beta: delta })`; each is computed by its own PyTorch formula, so the two differ by rounding
 * (a few ulps). The gradient `clamp(d, -δ, δ)` is 0 at d = 0.
 *
 * References: Huber, "Robust Estimation of a Location Parameter", Ann. Math. Statist. 1964.
 *
 * @example
 * const x = tensor([0, 0.5, 3], { requiresGrad: true });
 * const loss = huberLoss(x, tensor([0, 0, 0]), { reduction: 'sum', delta: 2 });
 * loss.item(); // => 4.125
 * loss.backward();
 * x.grad.toArray(); // => [0, 0.5, 2]
 */
export function huberLoss(input: TensorLike, target: TensorLike, opts?: HuberLossOptions): Tensor {
  const fn = 'huberLoss';
  const o = parseOptions(fn, opts, { reduction: reduction(), delta: number({ default: 1, above: 0 }) });
  const [x, t] = inputTarget(fn, input, target);
  const delta = o.delta;
  const d = x.sub(t); // [*]
  const z = d.abs(); // [*]
  // As in smoothL1Loss, |d| >= delta is tested first so that a NaN d takes the quadratic part.
  return reduce(z.sub(0.5 * delta).mul(delta).where(z.ge(delta), d.mul(d).mul(0.5)), o.reduction); // [*]
}

/**
 * Poisson negative log-likelihood of the target counts under the predicted rate.
 *
 * `ℓᵢ = exp(xᵢ) - yᵢ xᵢ` (`logInput`), else `xᵢ - yᵢ log(xᵢ + eps)`; with `full`, plus
 * `yᵢ log yᵢ - yᵢ + 0.5 log(2π yᵢ)` where `yᵢ > 1` (Stirling's approximation of log(yᵢ!)).
 *
 * @param input  `[*]` log-rates (`logInput`) or rates, any shape.
 * @param target `[*]` counts, the input's shape (may require grad).
 * @param opts   `logInput` (default true), `full` (default false), `eps` (default 1e-8), `reduction`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8, reduction='mean')`.
 *
 * Numerics: the constant log(y!) is dropped unless `full`.
 * NOTE: with `full`, the gradient with respect to a target at 0 is NaN, as PyTorch's: the
 * Stirling term is masked out there, but its backward still meets 0 · log(0).
 *
 * References: McCullagh and Nelder, "Generalized Linear Models", 1989, ch. 6.
 *
 * @example
 * const x = tensor([0, 1], { requiresGrad: true });
 * const loss = poissonNllLoss(x, tensor([1, 3]), { full: true });
 * loss.item(); // => 1.2411816860
 * loss.backward();
 * x.grad.toArray(); // => [0, -0.1408590858]
 */
export function poissonNllLoss(input: TensorLike, target: TensorLike, opts?: PoissonNllLossOptions): Tensor {
  const fn = 'poissonNllLoss';
  const o = parseOptions(fn, opts, {
    reduction: reduction(), logInput: boolean(true), full: boolean(false), eps: number({ default: 1e-8 }),
  });
  const [x, t] = inputTarget(fn, input, target);
  let loss = o.logInput ? x.exp().sub(t.mul(x)) : x.sub(t.mul(x.add(o.eps).log())); // [*]
  if (o.full) {
    const stirling = t.mul(t.log()).sub(t).add(t.mul(2 * Math.PI).log().mul(0.5)); // [*]
    loss = loss.add(where(t.le(1), 0, stirling)); // masked where t <= 1, so a NaN target keeps NaN
  }
  return reduce(loss, o.reduction);
}

/**
 * Gaussian negative log-likelihood of the target under mean `input` and `variance`.
 *
 * `ℓᵢ = 0.5 (log vᵢ + (xᵢ - yᵢ)² / vᵢ)` with `vᵢ = max(varianceᵢ, eps)`; with `full`, plus `0.5 log(2π)`.
 *
 * @param input    `[*, D]` predicted means.
 * @param target   `[*, D]` the input's shape (may require grad).
 * @param variance `[*, D]` (one variance per element), `[*]` or `[*, 1]` (one per row, shared
 *                 across the last dim); non-negative.
 * @param opts     `full` (default false), `eps` (default 1e-6), `reduction`.
 * @returns `[*, D]` for `'none'`; a 0-d Tensor for `'mean'` and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean')`.
 *
 * Numerics: the variance is clamped below at `eps` for stability.
 * NOTE: as in PyTorch (which clamps a clone in place under `no_grad`), the clamp does not stop
 * the gradient: a variance below `eps` receives the gradient of the loss at `eps`.
 *
 * References: Nix and Weigend, "Estimating the mean and variance of the target probability
 * distribution", ICNN 1994.
 *
 * @example
 * const mu = tensor([[0, 1]], { requiresGrad: true });
 * const v = tensor([[1, 4]], { requiresGrad: true });
 * const loss = gaussianNllLoss(mu, tensor([[1, 1]]), v);
 * loss.item(); // => 0.5965735903
 * loss.backward();
 * mu.grad.toArray(); // => [[-0.5, 0]]
 * v.grad.toArray(); // => [[0, 0.0625]]
 */
export function gaussianNllLoss(input: TensorLike, target: TensorLike, variance: TensorLike, opts?: GaussianNllLossOptions): Tensor {
  const fn = 'gaussianNllLoss';
  const o = parseOptions(fn, opts, { reduction: reduction(), full: boolean(false), eps: number({ default: 1e-6, min: 0 }) });
  const [x, t] = inputTarget(fn, input, target);
  const v = toTensor(fn, 'variance', variance);
  const rows = x.shape.slice(0, -1);
  const perRow = x.ndim > 0 && sameShape(v.shape, rows);
  const sameOrLast1 = sameShape(v.shape, x.shape)
    || (x.ndim > 0 && v.ndim === x.ndim && v.shape[v.ndim - 1] === 1 && sameShape(v.shape.slice(0, -1), rows));
  if (!perRow && !sameOrLast1) {
    fail(fn, `variance shape ${fmtShape(v.shape)} must be the input shape ${fmtShape(x.shape)}, ${fmtShape(rows)} or ${fmtShape([...rows, 1])}`);
  }
  for (let i = 0; i < v.size; i++) {
    if (v.data[i] < 0) fail(fn, `variance must be non-negative, got ${v.data[i]} at flat index ${i}`);
  }
  const vc = clampMinStraightThrough(perRow ? v.unsqueeze(-1) : v, o.eps); // [*, D] or [*, 1]
  let loss = vc.log().add(x.sub(t).pow(2).div(vc)).mul(0.5); // [*, D]
  if (o.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, o.reduction);
}
