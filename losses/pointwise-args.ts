/** Argument checks shared by the pointwise losses (regression and probabilistic). */
import type { Tensor } from '../engine/index.js';
import { broadcastData, canBroadcastTo, expectShape, fail, fmtShape, toTensor } from '../engine/internal.js';

/** Converts `input` and `target` and throws unless their shapes are equal (no broadcasting). */
export function inputTarget(fn: string, input: unknown, target: unknown): [Tensor, Tensor] {
  const x = toTensor(fn, 'input', input);
  const t = toTensor(fn, 'target', target);
  expectShape(fn, 'target', t, x);
  return [x, t];
}

/**
 * Reads an optional per-element factor (`weight`, `posWeight`) broadcast to the input's shape.
 * It must not require grad: PyTorch's kernels do not differentiate with respect to it.
 */
export function constantFactor(fn: string, name: string, value: unknown, input: Tensor): Float64Array | null {
  if (value === undefined || value === null) return null;
  const w = toTensor(fn, name, value);
  if (!canBroadcastTo(w.shape, input.shape)) {
    fail(fn, `${name} shape ${fmtShape(w.shape)} does not broadcast to input shape ${fmtShape(input.shape)}`);
  }
  if (w.requiresGrad) {
    fail(fn, `${name} must not require grad (PyTorch does not differentiate with respect to it), got a ${name} with requiresGrad: true`);
  }
  return broadcastData(w.data, w.shape, input.shape);
}
