/**
 * The two binary cross-entropies as fused primitives, each returning the per-element losses
 * (the caller reduces them with `reduce`, like every loss).
 *
 * Why fused:
 * - `bceLoss`: PyTorch clamps each log at -100 but differentiates the unclamped formula,
 *   `(x - y) / max(x (1 - x), 1e-12)`. No composition of primitives has that gradient.
 * - `bceWithLogitsLoss`: speed. One forward pass computes the loss and the sigmoid the backward
 *   needs; one backward pass writes the gradient. Composed from engine ops it would make about
 *   ten intermediate tensors of the input's size.
 *
 * Composed twins: spec/losses/probabilistic.spec.ts checks both kernels against plain-loop
 * references of PyTorch's formulas, against PyTorch's fixtures, and by gradient checks;
 * `bceWithLogitsLoss` also equals `bceLoss(sigmoid(x))` there where neither clamps.
 *
 * `weight` and `posWeight` are attributes, read at the input's shape, not graph inputs:
 * PyTorch does not differentiate with respect to them, and the callers refuse them when they
 * require grad.
 */
import { apply, isGradEnabled, primitive } from '../autograd.js';
import { sigmoidExact, softplusExact } from '../numerics.js';
import type { Tensor } from '../tensor.js';

type F64 = Float64Array;

// NOTE: PyTorch's BCE backward declares its floor as a float, so it is float32(1e-12) =
// 9.99999996e-13, not the double 1e-12: at x = 0 or 1 the gradient is 1.000000004e12 (x - y).
const EPSILON = Math.fround(1e-12);

/** The weight broadcast to the input's shape, or null for an unweighted loss. */
type BceAttrs = F64 | null;

// PyTorch's CPU kernel: (y - 1) max(log(1 - x), -100) - y max(log x, -100), then times the weight.
// NOTE: it is log(1 - x), not log1p(-x), as in PyTorch 1.13 (they differ by ~1e-7 relative near x = 0).
export const BCE = primitive<BceAttrs, void>({
  name: 'bceLoss',
  forward([input, target], w) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const yi = y[i];
      const lx = Math.max(Math.log(xi), -100);
      const l1x = Math.max(Math.log(1 - xi), -100);
      out[i] = ((yi - 1) * l1x - yi * lx) * (w === null ? 1 : w[i]);
    }
    return { data: out, shape: input.shape, saved: undefined };
  },
  backward(g, { inputs: [input, target], attrs: w, needs }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const gx = needs[0] ? new Float64Array(n) : null;
    const gy = needs[1] ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const s = g[i] * (w === null ? 1 : w[i]);
      // NOTE: PyTorch's gradient of the unclamped loss, its denominator floored at EPSILON: at
      // x = 0 or 1 it is about ±1e12 (x - y), not the zero slope of the clamped value.
      if (gx) gx[i] = (s * (xi - y[i])) / Math.max((1 - xi) * xi, EPSILON);
      // NOTE: d/dy = log(1 - x) - log(x), unclamped as in PyTorch: ±Infinity at x = 0 or 1.
      if (gy) gy[i] = s * (Math.log(1 - xi) - Math.log(xi));
    }
    return [gx && { shape: input.shape, data: gx }, gy && { shape: input.shape, data: gy }];
  },
});

/** Per-element BCE; `input` is already checked to lie in [0, 1] and `target` to match its shape. */
export function bceElements(input: Tensor, target: Tensor, w: F64 | null): Tensor {
  return apply(BCE, [input, target], w);
}

interface LogitsAttrs {
  /** The weight broadcast to the input's shape, or null. */
  w: F64 | null;
  /** posWeight broadcast to the input's shape, or null. */
  pw: F64 | null;
  /** Which saved arrays the backward will read (none when no graph is recorded). */
  keepSigmoid: boolean;
  keepSoftplus: boolean;
}

interface LogitsSaved {
  /** sigmoid(x), for the input gradient. */
  sig: F64 | null;
  /** softplus(-x), for the target gradient when posWeight is given. */
  sp: F64 | null;
}

// With lw = 1 + (p - 1) y, the loss is (1 - y) x + lw softplus(-x), and softplus(-x) is the
// engine's exact softplus (finite at x = ±800).
// d/dx = lw sigmoid(x) - p y        (PyTorch's form; exactly sigmoid(x) - y without posWeight)
// d/dy = -x + (p - 1) softplus(-x)
// NOTE: PyTorch 1.13 evaluates softplus(-x) as log(exp(-m) + exp(-x - m)) + m with m = max(-x, 0);
// log1p here is more accurate where the loss is tiny (e.g. 4.2e-18 instead of 0 at x = 40, y = 1),
// an absolute difference below 1e-16.
export const BCE_WITH_LOGITS = primitive<LogitsAttrs, LogitsSaved>({
  name: 'bceWithLogitsLoss',
  forward([input, target], { w, pw, keepSigmoid, keepSoftplus }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const out = new Float64Array(n);
    const sig = keepSigmoid ? new Float64Array(n) : null;
    const sp = keepSoftplus ? new Float64Array(n) : null;
    if (sig !== null && sp === null && w === null && pw === null) {
      // The hot path (unweighted, with a graph) without per-element branches on options.
      // numerics.softplusExact(-x) and sigmoidExact(x), written out to share one exp(-|x|).
      for (let i = 0; i < n; i++) {
        const xi = x[i];
        const e = Math.exp(-Math.abs(xi));
        out[i] = (1 - y[i]) * xi + Math.log1p(e) + (xi < 0 ? -xi : 0);
        sig[i] = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
      }
      return { data: out, shape: input.shape, saved: { sig, sp } };
    }
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const yi = y[i];
      const s = softplusExact(-xi);
      const l = (1 - yi) * xi + (pw === null ? s : (1 + (pw[i] - 1) * yi) * s);
      out[i] = w === null ? l : l * w[i];
      if (sig) sig[i] = sigmoidExact(xi);
      if (sp) sp[i] = s;
    }
    return { data: out, shape: input.shape, saved: { sig, sp } };
  },
  backward(g, { inputs: [input, target], attrs: { w, pw }, saved: { sig, sp }, needs }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    let gx: F64 | null = null;
    let gy: F64 | null = null;
    if (needs[0] && sig) {
      gx = new Float64Array(n);
      if (pw === null && w === null) {
        // The hot path (unweighted BCE on logits) without per-element branches.
        for (let i = 0; i < n; i++) gx[i] = g[i] * (sig[i] - y[i]);
      } else {
        for (let i = 0; i < n; i++) {
          const s = g[i] * (w === null ? 1 : w[i]);
          const yi = y[i];
          gx[i] = pw === null ? s * (sig[i] - yi) : s * ((1 + (pw[i] - 1) * yi) * sig[i] - pw[i] * yi);
        }
      }
    }
    if (needs[1]) {
      gy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = g[i] * (w === null ? 1 : w[i]);
        gy[i] = pw === null || sp === null ? -s * x[i] : s * (-x[i] + (pw[i] - 1) * sp[i]);
      }
    }
    return [gx && { shape: input.shape, data: gx }, gy && { shape: input.shape, data: gy }];
  },
});

/** Per-element BCE on logits; shapes are already checked, `w` and `pw` read at the input's shape. */
export function bceWithLogitsElements(input: Tensor, target: Tensor, w: F64 | null, pw: F64 | null): Tensor {
  const track = isGradEnabled();
  return apply(BCE_WITH_LOGITS, [input, target], {
    w,
    pw,
    keepSigmoid: track && input.requiresGrad,
    keepSoftplus: track && target.requiresGrad && pw !== null,
  });
}
