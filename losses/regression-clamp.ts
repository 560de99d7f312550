/**
 * A lower clamp whose gradient passes through unchanged, for `gaussianNllLoss`'s variance.
 *
 * Why a primitive: PyTorch clamps the variance in place under `no_grad` on a clone, so the
 * clamp is invisible to autograd: below `eps` the variance still receives the gradient of the
 * loss evaluated at `eps`. The engine's `clamp` (correctly) zeroes that gradient, and
 * `v + (clamp(v) - v).detach()` can round away from exactly `eps`.
 */
import { apply, primitive } from '../engine/autograd.js';
import { Tensor } from '../engine/tensor.js';

// NOTE: the gradient is the identity everywhere, also where the value was raised to `min`.
const CLAMP_MIN_STRAIGHT_THROUGH = primitive<number, void>({
  name: 'clampMinStraightThrough',
  forward([a], min) {
    const x = a.data;
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] < min ? min : x[i];
    return { data: out, shape: a.shape, saved: undefined };
  },
  backward(g, { inputs }) {
    return [{ shape: inputs[0].shape, data: g }];
  },
});

/** `max(x, min)` in value (NaN stays NaN), with gradient 1 everywhere. */
export function clampMinStraightThrough(x: Tensor, min: number): Tensor {
  return apply(CLAMP_MIN_STRAIGHT_THROUGH, [x], min);
}
