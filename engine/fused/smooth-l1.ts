/**
 * PyTorch's smooth-L1 kernel at beta = 0: the value |x - y| per element, with PyTorch's own
 * subgradients (the caller reduces it with `reduce`).
 *
 * Why fused: PyTorch's backward tests `d <= -beta`, then `d >= beta`, else returns d / beta,
 * and differentiates the target by running the same kernel with the arguments swapped. At
 * beta = 0 that gives -1 at d = 0 to the input AND to the target (not the odd pair of
 * subgradients any composition of engine ops yields), and 0 / 0 = NaN at a NaN d.
 *
 * Composed twin: `l1Loss`, whose values this equals everywhere; spec/losses/regression.spec.ts
 * checks that, the gradient away from d = 0 and PyTorch's values at d = 0.
 */
import { apply, primitive } from '../autograd.js';
import type { Tensor } from '../tensor.js';

// NOTE: d/dx = -1 where d <= 0, 1 where d > 0; d/dy = -1 where d >= 0, 1 where d < 0; NaN at NaN.
export const SMOOTH_L1_BETA0 = primitive<void, void>({
  name: 'smoothL1Beta0',
  forward([x, y]) {
    const out = new Float64Array(x.size);
    for (let i = 0; i < out.length; i++) out[i] = Math.abs(x.data[i] - y.data[i]);
    return { data: out, shape: x.shape, saved: undefined };
  },
  backward(g, { inputs: [x, y], needs }) {
    const gx = needs[0] ? new Float64Array(g.length) : null;
    const gy = needs[1] ? new Float64Array(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      const d = x.data[i] - y.data[i];
      if (gx) gx[i] = d <= 0 ? -g[i] : d > 0 ? g[i] : NaN;
      if (gy) gy[i] = d >= 0 ? -g[i] : d < 0 ? g[i] : NaN;
    }
    return [gx && { shape: x.shape, data: gx }, gy && { shape: x.shape, data: gy }];
  },
});

/** `|x - y|` elementwise with PyTorch's beta = 0 smooth-L1 gradients; `x` and `y` have one shape. */
export function smoothL1Beta0(x: Tensor, y: Tensor): Tensor {
  return apply(SMOOTH_L1_BETA0, [x, y], undefined);
}
