/** The distance PyTorch's triplet losses use by default, composed from engine ops. */
import type { Tensor } from '../engine/tensor.js';

/**
 * `torch.nn.functional.pairwise_distance`: `‖x1 - x2 + eps‖_p` over the last dim, so `[N, D]`
 * inputs give `[N]` and `[D]` inputs give `[]`.
 *
 * NOTE: eps is added to every component of the difference (not to the norm), so the distance is
 * not symmetric: `d(x, y) ≠ d(y, x)` by about `2 eps` per component. This is PyTorch's definition.
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6): Tensor {
  return x1.sub(x2).add(eps).norm(p, -1); // [N] or []
}
