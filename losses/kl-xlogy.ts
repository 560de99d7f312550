/**
 * `xlogy(x, y) = x log y`, taken as 0 where x = 0 (unless y is NaN), as torch.xlogy.
 *
 * Why fused: KL divergence needs `t log t` to be 0 at t = 0 with a finite input gradient.
 * Composed as `where(t == 0, 0, t * log(t))`, the untaken branch's backward still computes
 * `0 * log(0) = NaN` and poisons the gradient; one primitive can define the value and the
 * gradient at x = 0 directly.
 */
import { apply, primitive } from '../engine/autograd.js';
import { broadcastData, broadcastShapes, sameShape } from '../engine/shape.js';
import { Tensor } from '../engine/tensor.js';

type F64 = Float64Array;

interface XlogySaved { x: F64; y: F64; shape: readonly number[] }

// d/dx = log y where x != 0, else 0 (NaN where y is NaN); d/dy = x / y.
// NOTE: as torch.xlogy, d/dy at x = y = 0 is 0 / 0 = NaN. So KL's gradient with respect to a
// zero target is NaN, exactly PyTorch's value (the input gradient there is a finite 0).
const XLOGY = primitive<void, XlogySaved>({
  name: 'xlogy',
  forward([a, b]) {
    const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes('xlogy', a.shape, b.shape);
    const x = sameShape(a.shape, shape) ? a.data : broadcastData(a.data, a.shape, shape);
    const y = sameShape(b.shape, shape) ? b.data : broadcastData(b.data, b.shape, shape);
    const out = new Float64Array(x.length);
    for (let i = 0; i < out.length; i++) {
      const yi = y[i];
      out[i] = yi !== yi ? NaN : x[i] === 0 ? 0 : x[i] * Math.log(yi);
    }
    return { data: out, shape, saved: { x, y, shape } };
  },
  backward(g, { saved: { x, y, shape }, needs }) {
    const gx = needs[0] ? new Float64Array(g.length) : null;
    const gy = needs[1] ? new Float64Array(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      const yi = y[i];
      if (gx) gx[i] = yi !== yi ? NaN : x[i] === 0 ? 0 : g[i] * Math.log(yi);
      if (gy) gy[i] = (g[i] * x[i]) / yi;
    }
    return [gx && { shape, data: gx }, gy && { shape, data: gy }];
  },
});

/** `x log y` with `0 log y = 0`; `x` and `y` broadcast together. */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  return apply(XLOGY, [x, y], undefined);
}
