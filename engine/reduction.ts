/**
 * The one place where per-element losses are reduced, with PyTorch's rules. Every loss, fused
 * kernel or composition, hands its per-element (or per-sample) losses here.
 */
import { mean, sum } from './ops/reduce.js';
import { div } from './ops/elementwise.js';
import type { Reduction } from './options.js';
import type { Tensor } from './tensor.js';

/**
 * Reduces per-element losses.
 *
 * @param loss the per-element losses, any shape
 * @param reduction `'none'` returns `loss` itself; `'sum'` its sum; `'mean'` its mean, or its
 *   sum divided by `denominator` when one is given (a total class weight, a batch size)
 * @param denominator what `'mean'` divides the sum by instead of the element count
 * @returns `loss` (`'none'`) or a 0-d tensor
 *
 * Numerics: sums are pairwise, so long sums are as exact as PyTorch's; `'mean'` of no elements
 * is NaN (0 / 0), as in PyTorch.
 */
export function reduce(loss: Tensor, reduction: Reduction, denominator?: number | Tensor): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  return denominator === undefined ? mean(loss) : div(sum(loss), denominator);
}
