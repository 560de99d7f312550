/**
 * Fused kernels for the two binary cross-entropies, each one graph node with its reduction
 * folded in.
 *
 * Why fused:
 * - `bceLoss`: PyTorch clamps each log at -100 but differentiates the unclamped formula,
 *   `(x - y) / max(x (1 - x), 1e-12)`. No composition of primitives has that gradient.
 * - `bceWithLogitsLoss`: speed. One forward pass computes the loss, its sum, and the sigmoid
 *   the backward needs; one backward pass writes the gradient. Composed from engine ops it
 *   would make about ten intermediate tensors of the input's size.
 *
 * `weight` and `posWeight` are attributes, read at the input's shape, not graph inputs:
 * PyTorch does not differentiate with respect to them, and the callers refuse them when they
 * require grad.
 */
import { apply, isGradEnabled, primitive } from '../engine/autograd.js';
import { Tensor } from '../engine/tensor.js';
import type { Reduction } from './common.js';

type F64 = Float64Array;

interface BceAttrs {
  reduction: Reduction;
  /** The weight broadcast to the input's shape, or null for an unweighted loss. */
  w: F64 | null;
}

/** The gradient of the output feeding element `i`: per element for `'none'`, else one shared factor. */
function upstream(g: F64, reduction: Reduction, n: number): { each: boolean; c: number } {
  return { each: reduction === 'none', c: reduction === 'mean' ? g[0] / n : g[0] };
}

function finish(out: F64, sum: number, reduction: Reduction, shape: readonly number[]): { data: F64; shape: readonly number[] } {
  if (reduction === 'none') return { data: out, shape };
  return { data: new Float64Array([reduction === 'mean' ? sum / out.length : sum]), shape: [] };
}

// NOTE: PyTorch's BCE backward declares its floor as a float, so it is float32(1e-12) =
// 9.99999996e-13, not the double 1e-12: at x = 0 or 1 the gradient is 1.000000004e12 (x - y).
const EPSILON = Math.fround(1e-12);

// PyTorch's CPU kernel: (y - 1) max(log(1 - x), -100) - y max(log x, -100), then times the weight.
// NOTE: it is log(1 - x), not log1p(-x), as in PyTorch 1.13 (they differ by ~1e-7 relative near x = 0).
const BCE = primitive<BceAttrs, void>({
  name: 'bceLoss',
  forward([input, target], { reduction, w }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const out = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const yi = y[i];
      const lx = Math.max(Math.log(xi), -100);
      const l1x = Math.max(Math.log(1 - xi), -100);
      const l = ((yi - 1) * l1x - yi * lx) * (w === null ? 1 : w[i]);
      out[i] = l;
      sum += l;
    }
    return { ...finish(out, sum, reduction, input.shape), saved: undefined };
  },
  backward(g, { inputs: [input, target], attrs: { reduction, w }, needs }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const { each, c } = upstream(g, reduction, n);
    const gx = needs[0] ? new Float64Array(n) : null;
    const gy = needs[1] ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const s = (each ? g[i] : c) * (w === null ? 1 : w[i]);
      // NOTE: PyTorch's gradient of the unclamped loss, its denominator floored at EPSILON: at
      // x = 0 or 1 it is about ±1e12 (x - y), not the zero slope of the clamped value.
      if (gx) gx[i] = (s * (xi - y[i])) / Math.max((1 - xi) * xi, EPSILON);
      // NOTE: d/dy = log(1 - x) - log(x), unclamped as in PyTorch: ±Infinity at x = 0 or 1.
      if (gy) gy[i] = s * (Math.log(1 - xi) - Math.log(xi));
    }
    return [gx && { shape: input.shape, data: gx }, gy && { shape: input.shape, data: gy }];
  },
});

/** The fused BCE node; `input` is already checked to lie in [0, 1] and `target` to match its shape. */
export function bceKernel(input: Tensor, target: Tensor, reduction: Reduction, w: F64 | null): Tensor {
  return apply(BCE, [input, target], { reduction, w });
}

interface LogitsAttrs extends BceAttrs {
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

// With lw = 1 + (p - 1) y, the loss is (1 - y) x + lw softplus(-x), and
// softplus(-x) = log1p(exp(-|x|)) + max(-x, 0) never overflows (finite at x = ±800).
// d/dx = lw sigmoid(x) - p y        (PyTorch's form; exactly sigmoid(x) - y without posWeight)
// d/dy = -x + (p - 1) softplus(-x)
// NOTE: PyTorch 1.13 evaluates softplus(-x) as log(exp(-m) + exp(-x - m)) + m with m = max(-x, 0);
// log1p here is more accurate where the loss is tiny (e.g. 4.2e-18 instead of 0 at x = 40, y = 1),
// an absolute difference below 1e-16.
const BCE_LOGITS = primitive<LogitsAttrs, LogitsSaved>({
  name: 'bceWithLogitsLoss',
  forward([input, target], { reduction, w, pw, keepSigmoid, keepSoftplus }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const out = reduction === 'none' ? new Float64Array(n) : null;
    const sig = keepSigmoid ? new Float64Array(n) : null;
    const sp = keepSoftplus ? new Float64Array(n) : null;
    let sum = 0;
    if (out === null && sig !== null && sp === null && w === null && pw === null) {
      // The hot path (plain 'mean'/'sum' with a graph) without per-element branches on options.
      for (let i = 0; i < n; i++) {
        const xi = x[i];
        const e = Math.exp(-Math.abs(xi));
        sum += (1 - y[i]) * xi + Math.log1p(e) + (xi < 0 ? -xi : 0);
        sig[i] = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
      }
      return { data: new Float64Array([reduction === 'mean' ? sum / n : sum]), shape: [], saved: { sig, sp } };
    }
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const yi = y[i];
      const e = Math.exp(-Math.abs(xi));
      const s = Math.log1p(e) + (xi < 0 ? -xi : 0);
      let l = (1 - yi) * xi + (pw === null ? s : (1 + (pw[i] - 1) * yi) * s);
      if (w !== null) l *= w[i];
      if (out) out[i] = l;
      sum += l;
      if (sig) sig[i] = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
      if (sp) sp[i] = s;
    }
    const data = out ?? new Float64Array([reduction === 'mean' ? sum / n : sum]);
    return { data, shape: out ? input.shape : [], saved: { sig, sp } };
  },
  backward(g, { inputs: [input, target], attrs: { reduction, w, pw }, saved: { sig, sp }, needs }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    const { each, c } = upstream(g, reduction, n);
    let gx: F64 | null = null;
    let gy: F64 | null = null;
    if (needs[0] && sig) {
      gx = new Float64Array(n);
      if (pw === null && w === null) {
        // The hot path (plain 'mean'/'sum' BCE on logits) without per-element branches.
        if (each) for (let i = 0; i < n; i++) gx[i] = g[i] * (sig[i] - y[i]);
        else for (let i = 0; i < n; i++) gx[i] = c * (sig[i] - y[i]);
      } else {
        for (let i = 0; i < n; i++) {
          const s = (each ? g[i] : c) * (w === null ? 1 : w[i]);
          const yi = y[i];
          gx[i] = pw === null ? s * (sig[i] - yi) : s * ((1 + (pw[i] - 1) * yi) * sig[i] - pw[i] * yi);
        }
      }
    }
    if (needs[1]) {
      gy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = (each ? g[i] : c) * (w === null ? 1 : w[i]);
        gy[i] = pw === null || sp === null ? -s * x[i] : s * (-x[i] + (pw[i] - 1) * sp[i]);
      }
    }
    return [gx && { shape: input.shape, data: gx }, gy && { shape: input.shape, data: gy }];
  },
});

/** The fused BCE-with-logits node; shapes are already checked, `w` and `pw` read at the input's shape. */
export function bceWithLogitsKernel(input: Tensor, target: Tensor, reduction: Reduction, w: F64 | null, pw: F64 | null): Tensor {
  const track = isGradEnabled();
  return apply(BCE_LOGITS, [input, target], {
    reduction,
    w,
    pw,
    keepSigmoid: track && input.requiresGrad,
    keepSoftplus: track && target.requiresGrad && pw !== null,
  });
}
