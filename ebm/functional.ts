/**
 * The loss functional of energy-based learning, `L(W, S) = (1/P) Σ_i L(Y^i, E(W, 𝒴, X^i)) + R(W)`
 * (LeCun et al. 2006, Section 2.2, equation 4), and an L2 regulariser for its `R(W)`.
 */
import { Tensor } from '../engine/index.js';
import { describe, fail, fmtShape, number } from '../engine/internal.js';

const LAMBDA = number({ min: 0 });

/**
 * The loss functional: the average per-sample loss plus a regulariser.
 *
 * `L(W, S) = (1/P) Σ_i L_i + R(W)`
 *
 * @param perSample `[P]` the per-sample losses (any loss here with `reduction: 'none'`).
 * @param regularizer `R(W)` (optional): a one-element Tensor (for example
 *   `l2Regularizer(params, lambda)`) or a number.
 * @returns a 0-d Tensor.
 *
 * PyTorch: none (`per_sample.mean() + regularizer`).
 *
 * Numerics: `P = 0` gives NaN, as a mean over no samples. Margin class: that of the per-sample
 * loss.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2, equation 4.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const perSample = ebm.hingeLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' });
 * ebm.lossFunctional(perSample, ebm.l2Regularizer([w], 0.1)).item(); // => 1.5
 */
export function lossFunctional(perSample: Tensor, regularizer?: Tensor | number): Tensor {
  const fn = 'lossFunctional';
  if (!(perSample instanceof Tensor) || perSample.ndim !== 1) {
    fail(fn, `perSample must be a [P] Tensor of per-sample losses, got ${perSample instanceof Tensor ? `shape ${fmtShape(perSample.shape)}` : describe(perSample)}`);
  }
  if (regularizer !== undefined && typeof regularizer !== 'number' && !(regularizer instanceof Tensor && regularizer.size === 1)) {
    fail(fn, `regularizer must be a one-element Tensor or a number, got ${describe(regularizer)}`);
  }
  const mean = perSample.mean();
  if (regularizer === undefined) return mean;
  return mean.add(typeof regularizer === 'number' ? regularizer : regularizer.reshape([]));
}

/**
 * L2 regulariser: λ times the sum of squares of every parameter.
 *
 * `R(W) = λ Σ_k Σ_j W_kj²` (no factor 1/2: its gradient is `2λW`, which is SGD's `weightDecay = 2λ`)
 *
 * @param params a Tensor or an array of Tensors, any shapes.
 * @param lambda the weight λ (required, a finite number >= 0).
 * @returns a 0-d Tensor that carries gradients to the parameters.
 *
 * PyTorch: none (`lambda * sum(p.pow(2).sum() for p in params)`).
 *
 * Numerics: a sum of per-tensor sums, each pairwise.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2 (R(W)).
 *
 * @example
 * const w = tensor([[1, -2], [0.5, 0]], { requiresGrad: true });
 * const r = ebm.l2Regularizer([w], 0.1);
 * r.item(); // => 0.525
 * r.backward();
 * w.grad.toArray(); // => [[0.2, -0.4], [0.1, 0]]
 */
export function l2Regularizer(params: Tensor | readonly Tensor[], lambda: number): Tensor {
  const fn = 'l2Regularizer';
  const list = params instanceof Tensor ? [params] : params;
  if (!Array.isArray(list) || !list.every((p) => p instanceof Tensor)) {
    fail(fn, `params must be a Tensor or an array of Tensors, got ${describe(params)}`);
  }
  const lam = LAMBDA.read(fn, 'lambda', lambda);
  const total = list.reduce<Tensor>((acc, p) => acc.add(p.pow(2).sum()), new Tensor(new Float64Array(1), []));
  return total.mul(lam);
}
