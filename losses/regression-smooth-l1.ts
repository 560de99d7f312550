/**
 * PyTorch's smooth-L1 kernel at beta = 0: the value |x - y|, with PyTorch's own subgradients.
 *
 * Why a primitive: PyTorch's backward tests `d <= -beta`, then `d >= beta`, else returns
 * d / beta, and differentiates the target by running the same kernel with the arguments
 * swapped. At beta = 0 that gives -1 at d = 0 to the input AND to the target (not the odd pair
 * of subgradients any composition of engine ops yields), and 0 / 0 = NaN at a NaN d.
 */
import { apply, primitive } from '../engine/autograd.js';
import { Tensor } from '../engine/tensor.js';

// NOTE: d/dx = -1 where d <= 0, 1 where d > 0; d/dy = -1 where d >= 0, 1 where d < 0; NaN at NaN.
const SMOOTH_L1_BETA0 = primitive<void, void>({
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
