/**
 * Elementwise primitives. Binary ops broadcast (NumPy rules); their backward rules return
 * gradients in the broadcast output shape and the engine sums them back to each input.
 * Subgradients at kinks follow PyTorch and are written down beside each rule.
 */
import type { Grad, Primitive } from '../autograd.js';
import { applyPrimitive as apply, primitive, primitiveTable, takeBuffer } from '../autograd.js';
import { fail } from '../errors.js';
import type { Shape } from '../shape.js';
import { broadcastData, broadcastShapes, sameShape } from '../shape.js';
import type { TensorLike } from '../convert.js';
import { toTensor } from '../convert.js';
import { describe } from '../errors.js';
import type { Operand } from '../tensor.js';
import { Tensor } from '../tensor.js';
import { expand } from './shape-ops.js';

type F64 = Float64Array;

// ---------------------------------------------------------------------------------------------
// Unary

interface UnarySaved { x: F64; y: F64 }

function unary(name: string, fwd: (x: F64, y: F64) => void, bwd: (x: F64, y: F64, g: F64, gx: F64) => void): Primitive<void, UnarySaved> {
  return primitive<void, UnarySaved>({
    name,
    forward([a]) {
      const y = takeBuffer(a.size);
      fwd(a.data, y);
      return { data: y, shape: a.shape, saved: { x: a.data, y } };
    },
    backward(g, { saved, inputs }) {
      // Each rule reads g[i] before it writes gx[i], and the engine lets a rule hand g back, so
      // the gradient overwrites g: no fresh buffer, and one array less for the caches to hold.
      bwd(saved.x, saved.y, g, g);
      return [{ shape: inputs[0].shape, data: g }];
    },
  });
}

const NEG = unary('neg',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = -x[i]; },
  (_x, _y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = -g[i]; });

const EXP = unary('exp',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]); },
  (_x, y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] * y[i]; });

const LOG = unary('log',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.log(x[i]); },
  (x, _y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] / x[i]; });

const LOG1P = unary('log1p',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.log1p(x[i]); },
  (x, _y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] / (1 + x[i]); });

// NOTE: sqrt'(0) = +Infinity, as in PyTorch.
const SQRT = unary('sqrt',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.sqrt(x[i]); },
  (_x, y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] / (2 * y[i]); });

// NOTE: abs'(x) = sgn(x) as in PyTorch, so abs'(0) = 0, and abs'(NaN) = 0 too (torch.sgn(NaN) = 0).
const ABS = unary('abs',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]); },
  (x, _y, g, gx) => {
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      gx[i] = v > 0 ? g[i] : v < 0 ? -g[i] : 0;
    }
  });

// sigmoid'(x) = y (1 - y), read off the saved output.
const SIGMOID = unary('sigmoid',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i])); },
  (_x, y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] * y[i] * (1 - y[i]); });

const TANH = unary('tanh',
  (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]); },
  (_x, y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i] * (1 - y[i] * y[i]); });

// NOTE: relu'(0) = 0, as in PyTorch. NaN stays NaN, and, as PyTorch's `result <= 0 ? 0 : g`,
// the gradient passes through a NaN.
const RELU = unary('relu',
  (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v > 0 ? v : v <= 0 ? 0 : v; } },
  (x, _y, g, gx) => { for (let i = 0; i < g.length; i++) gx[i] = x[i] <= 0 ? 0 : g[i]; });

// NOTE: like torch.nn.functional.softplus (beta 1, threshold 20): above 20 it returns x itself,
// which differs from log1p(exp(x)) by less than 2.1e-9 there.
const SOFTPLUS = unary('softplus',
  (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v > 20 ? v : Math.log1p(Math.exp(v)); } },
  (x, _y, g, gx) => {
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      const z = Math.exp(v);
      gx[i] = v > 20 ? g[i] : (g[i] * z) / (z + 1);
    }
  });

/**
 * Elementwise negation, `-x`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.neg(input)`.
 *
 * @example
 * neg([1, -2]).toArray(); // => [-1, 2]
 */
export const neg = (input: TensorLike): Tensor => apply(NEG, [toTensor('neg', 'input', input)], undefined);

/**
 * Elementwise exponential, `e^x`; its gradient `g · e^x` reuses the saved result.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.exp(input)`.
 * Overflows to Infinity above about 709.78; use `logSumExp`, `logSoftmax` or `logAddExp`
 * rather than taking the log of a sum of `exp`s.
 *
 * @example
 * exp([0, 1]).toArray(); // => [1, 2.718281828]
 */
export const exp = (input: TensorLike): Tensor => apply(EXP, [toTensor('exp', 'input', input)], undefined);

/**
 * Elementwise natural logarithm, `log x`, with gradient `g / x`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.log(input)`.
 * IEEE at the edges: `log 0 = -Infinity` (gradient Infinity), NaN below 0.
 *
 * @example
 * log([1, Math.E, 0, -1]).toArray(); // => [0, 1, -Infinity, NaN]
 */
export const log = (input: TensorLike): Tensor => apply(LOG, [toTensor('log', 'input', input)], undefined);

/**
 * Elementwise `log(1 + x)`, exact for small `|x|` where `log(1 + x)` would round `1 + x`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.log1p(input)`.
 * The gradient is `g / (1 + x)`; `log1p(-1) = -Infinity`, NaN below -1.
 *
 * @example
 * log1p([1e-10]).item() / 1e-10; // => 0.99999999995
 */
export const log1p = (input: TensorLike): Tensor => apply(LOG1P, [toTensor('log1p', 'input', input)], undefined);

/**
 * Elementwise square root, `√x`, with gradient `g / (2√x)`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.sqrt(input)`.
 * Subgradient: `sqrt'(0) = +Infinity`, as in PyTorch; NaN below 0.
 *
 * @example
 * const x = tensor([0, 4], { requiresGrad: true });
 * sqrt(x).sum().backward();
 * x.grad.toArray(); // => [Infinity, 0.25]
 */
export const sqrt = (input: TensorLike): Tensor => apply(SQRT, [toTensor('sqrt', 'input', input)], undefined);

/**
 * Elementwise absolute value, `|x|`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.abs(input)`.
 * Subgradient: `abs'(x) = sgn(x)`, so 0 at 0, and 0 at NaN (as `torch.sgn(NaN) = 0`).
 *
 * @example
 * const x = tensor([-2, 0, 3], { requiresGrad: true });
 * abs(x).sum().backward();
 * x.grad.toArray(); // => [-1, 0, 1]
 */
export const abs = (input: TensorLike): Tensor => apply(ABS, [toTensor('abs', 'input', input)], undefined);

/**
 * Elementwise logistic function, `σ(x) = 1 / (1 + e^-x)`, with gradient `g · σ(1 - σ)`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.sigmoid(input)`.
 * Above x ≈ 37 the value rounds to 1 and the gradient to 0, as in PyTorch; for `log σ(x)`
 * use `logSigmoid`, which is exact everywhere.
 *
 * @example
 * sigmoid([2, 0]).toArray(); // => [0.8807970780, 0.5]
 */
export const sigmoid = (input: TensorLike): Tensor => apply(SIGMOID, [toTensor('sigmoid', 'input', input)], undefined);

/**
 * Elementwise hyperbolic tangent, with gradient `g · (1 - tanh² x)`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.tanh(input)`.
 *
 * @example
 * tanh([0, 1]).toArray(); // => [0, 0.7615941560]
 */
export const tanh = (input: TensorLike): Tensor => apply(TANH, [toTensor('tanh', 'input', input)], undefined);

/**
 * Elementwise rectifier, `max(x, 0)`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.relu(input)`.
 * Subgradient: `relu'(0) = 0`, as in PyTorch. NaN stays NaN, and the gradient passes through it.
 *
 * @example
 * const x = tensor([-1, 0, 2], { requiresGrad: true });
 * relu(x).sum().backward();
 * x.grad.toArray(); // => [0, 0, 1]
 */
export const relu = (input: TensorLike): Tensor => apply(RELU, [toTensor('relu', 'input', input)], undefined);

/**
 * Elementwise `softplus(x) = log(1 + e^x)`, PyTorch's default form: `x` itself above 20.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.nn.functional.softplus(input)` (beta 1, threshold 20).
 * The gradient is `σ(x)` (1 above 20). Above 20 the value differs from `log(1 + e^x)` by less
 * than 2.1e-9, PyTorch's own error; `-logSigmoid(-x)` is the exact softplus.
 *
 * @example
 * softplus([0, 30]).toArray(); // => [0.6931471806, 30]
 */
export const softplus = (input: TensorLike): Tensor => apply(SOFTPLUS, [toTensor('softplus', 'input', input)], undefined);

interface ClampAttrs { lo: number; hi: number }

// NOTE: the gradient passes where lo <= x <= hi, bounds included, as in PyTorch; NaN stays NaN.
// With lo > hi every value becomes hi (min(max(x, lo), hi)), again as PyTorch, and a NaN bound gives NaN.
const CLAMP = primitive<ClampAttrs, F64>({
  name: 'clamp',
  forward([a], { lo, hi }) {
    const x = a.data;
    const y = takeBuffer(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const up = v < lo || lo !== lo ? lo : v;
      y[i] = up > hi || hi !== hi ? hi : up;
    }
    return { data: y, shape: a.shape, saved: x };
  },
  backward(g, { saved: x, attrs: { lo, hi }, inputs }) {
    const gx = takeBuffer(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = x[i] >= lo && x[i] <= hi ? g[i] : 0;
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * Elementwise `min(max(x, min), max)`: clamps into `[min, max]`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array; any shape
 * @param min the lower bound, or null/omitted for none
 * @param max the upper bound, or null/omitted for none (at least one bound is required)
 * @returns a tensor of the input's shape
 *
 * PyTorch: `torch.clamp(input, min, max)`.
 * Subgradient: the gradient passes where `min <= x <= max`, bounds included, as PyTorch; NaN
 * stays NaN. With `min > max` every value becomes `max`, and a NaN bound gives NaN, as PyTorch.
 *
 * @example
 * const x = tensor([-2, 0, 3], { requiresGrad: true });
 * clamp(x, 0, 1).sum().backward();
 * x.grad.toArray(); // => [0, 1, 0]
 */
export function clamp(input: TensorLike, min?: number | null, max?: number | null): Tensor {
  const x = toTensor('clamp', 'input', input);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number') fail('clamp', `min and max must be numbers or null, got ${describe(min)} and ${describe(max)}`);
  if (min == null && max == null) fail('clamp', 'at least one of min and max must be given');
  return apply(CLAMP, [x], { lo, hi });
}

// ---------------------------------------------------------------------------------------------
// Binary (broadcasting)

interface BinSaved { a: F64; b: F64; y: F64 }

/** Both operands read at the broadcast output shape, so every kernel is a same-length loop. */
function operands(name: string, A: Tensor, B: Tensor): { shape: Shape; a: F64; b: F64 } {
  if (sameShape(A.shape, B.shape)) return { shape: A.shape, a: A.data, b: B.data };
  const shape = broadcastShapes(name, A.shape, B.shape);
  return { shape, a: readAt(A, shape), b: readAt(B, shape) };
}

/** The operand's values at the broadcast shape: in place when it already has it (the rules never write to it). */
function readAt(t: Tensor, shape: Shape): F64 {
  return sameShape(t.shape, shape) ? t.data : broadcastData(t.data, t.shape, shape);
}

function binary(
  name: string,
  fwd: (a: F64, b: F64, y: F64) => void,
  bwdA: ((a: F64, b: F64, y: F64, g: F64, ga: F64) => void) | null,
  bwdB: ((a: F64, b: F64, y: F64, g: F64, gb: F64) => void) | null,
): Primitive<void, BinSaved> {
  return primitive<void, BinSaved>({
    name,
    forward([A, B]) {
      const { shape, a, b } = operands(name, A, B);
      const y = takeBuffer(a.length);
      fwd(a, b, y);
      return { data: y, shape, saved: { a, b, y } };
    },
    backward(g, { saved: { a, b, y }, needs, out }) {
      const res: (Grad | null)[] = [null, null];
      // A rule may write its gradient over g (each reads g[i] before it writes index i) when
      // no other gradient still needs g: the last one computed, unless g is handed on as is.
      const both = needs[0] && needs[1];
      if (needs[0]) {
        if (bwdA === null) res[0] = { shape: out.shape, data: g };
        else {
          const ga = both ? takeBuffer(g.length) : g;
          bwdA(a, b, y, g, ga);
          res[0] = { shape: out.shape, data: ga };
        }
      }
      if (needs[1]) {
        if (bwdB === null) res[1] = { shape: out.shape, data: g };
        else {
          const gb = both && bwdA === null ? takeBuffer(g.length) : g;
          bwdB(a, b, y, g, gb);
          res[1] = { shape: out.shape, data: gb };
        }
      }
      return res;
    },
  });
}

const ADD = binary('add', (a, b, y) => { for (let i = 0; i < y.length; i++) y[i] = a[i] + b[i]; }, null, null);

const SUB = binary('sub', (a, b, y) => { for (let i = 0; i < y.length; i++) y[i] = a[i] - b[i]; }, null,
  (_a, _b, _y, g, gb) => { for (let i = 0; i < g.length; i++) gb[i] = -g[i]; });

const MUL = binary('mul', (a, b, y) => { for (let i = 0; i < y.length; i++) y[i] = a[i] * b[i]; },
  (_a, b, _y, g, ga) => { for (let i = 0; i < g.length; i++) ga[i] = g[i] * b[i]; },
  (a, _b, _y, g, gb) => { for (let i = 0; i < g.length; i++) gb[i] = g[i] * a[i]; });

const DIV = binary('div', (a, b, y) => { for (let i = 0; i < y.length; i++) y[i] = a[i] / b[i]; },
  (_a, b, _y, g, ga) => { for (let i = 0; i < g.length; i++) ga[i] = g[i] / b[i]; },
    // NOTE: -g · ((a / b) / b) as PyTorch, not -g·a / b²: b² underflows or overflows first.
  (_a, b, y, g, gb) => { for (let i = 0; i < g.length; i++) gb[i] = -g[i] * (y[i] / b[i]); });

// NOTE: d/db a^b = a^b log a is taken as 0 where a = 0 and b >= 0, as PyTorch masks it
// (the limit of the product, where the naive formula gives 0 * -Infinity = NaN).
// d/da a^b = b a^(b-1) is taken as 0 where b = 0, again as PyTorch does.
const POW = binary('pow', (a, b, y) => { for (let i = 0; i < y.length; i++) y[i] = Math.pow(a[i], b[i]); },
  (a, b, _y, g, ga) => {
    for (let i = 0; i < g.length; i++) ga[i] = b[i] === 0 ? 0 : g[i] * b[i] * Math.pow(a[i], b[i] - 1);
  },
  (a, b, y, g, gb) => {
    for (let i = 0; i < g.length; i++) gb[i] = a[i] === 0 && b[i] >= 0 ? 0 : g[i] * y[i] * Math.log(a[i]);
  });

// NOTE: where a = b, maximum and minimum split the gradient evenly between both inputs, as PyTorch.
// Where either is NaN, both receive the whole gradient (PyTorch masks only on a < b and a = b).
function pickMax(a: F64, b: F64, y: F64): void {
  for (let i = 0; i < y.length; i++) {
    const u = a[i];
    const v = b[i];
    y[i] = u !== u || v !== v ? NaN : u > v ? u : v;
  }
}
function pickMin(a: F64, b: F64, y: F64): void {
  for (let i = 0; i < y.length; i++) {
    const u = a[i];
    const v = b[i];
    y[i] = u !== u || v !== v ? NaN : u < v ? u : v;
  }
}
const winnerGrad = (sign: 1 | -1) => (a: F64, b: F64, _y: F64, g: F64, ga: F64): void => {
  for (let i = 0; i < g.length; i++) {
    // Compared, not subtracted: Infinity - Infinity is NaN, yet two infinities tie.
    const u = sign * a[i];
    const v = sign * b[i];
    ga[i] = u < v ? 0 : u === v ? 0.5 * g[i] : g[i];
  }
};
const MAXIMUM = binary('maximum', pickMax, winnerGrad(1), (a, b, y, g, gb) => winnerGrad(1)(b, a, y, g, gb));
const MINIMUM = binary('minimum', pickMin, winnerGrad(-1), (a, b, y, g, gb) => winnerGrad(-1)(b, a, y, g, gb));

// A tensor with a one-element operand (a number, or a parameter such as a bias) takes its own
// rules: the scalar is read as a number and its gradient is one sum, instead of broadcasting it
// to the tensor's size and summing a full-size gradient back. Inputs are always [tensor, scalar];
// `rsub` and `rdiv` are `scalar - tensor` and `scalar / tensor`.
type ScalarKind = 'add' | 'sub' | 'rsub' | 'mul' | 'div' | 'rdiv';

function scalarBinary(name: string, kind: ScalarKind): Primitive<void, void> {
  return primitive<void, void>({
    name,
    forward([X, S]) {
      const x = X.data;
      const v = S.data[0];
      const y = takeBuffer(x.length);
      const n = x.length;
      switch (kind) {
        case 'add': for (let i = 0; i < n; i++) y[i] = x[i] + v; break;
        case 'sub': for (let i = 0; i < n; i++) y[i] = x[i] - v; break;
        case 'rsub': for (let i = 0; i < n; i++) y[i] = v - x[i]; break;
        case 'mul': for (let i = 0; i < n; i++) y[i] = x[i] * v; break;
        case 'div': for (let i = 0; i < n; i++) y[i] = x[i] / v; break;
        case 'rdiv': for (let i = 0; i < n; i++) y[i] = v / x[i]; break;
      }
      return { data: y, shape: X.shape, saved: undefined };
    },
    backward(g, { inputs: [X, S], needs, out }) {
      const x = X.data;
      const y = out.data;
      const v = S.data[0];
      const n = g.length;
      if (kind === 'mul' && needs[0] && needs[1]) {
        // Both gradients in one sweep over g and x: the common case of a scale parameter. Each
        // g[i] is read before gx[i] is written, so gx overwrites g (the engine allows it).
        const gx = g;
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const gi = g[i];
          gx[i] = gi * v;
          acc += gi * x[i];
        }
        return [{ shape: X.shape, data: gx }, { shape: S.shape, data: Float64Array.of(acc) }];
      }
      let gx: Float64Array | null = null;
      if (needs[0]) {
        if (kind === 'add' || kind === 'sub') gx = g;
        else {
          // Unless the scalar's gradient still has to read g below, gx overwrites it.
          gx = needs[1] ? takeBuffer(n) : g;
          switch (kind) {
            case 'rsub': for (let i = 0; i < n; i++) gx[i] = -g[i]; break;
            case 'mul': for (let i = 0; i < n; i++) gx[i] = g[i] * v; break;
            case 'div': for (let i = 0; i < n; i++) gx[i] = g[i] / v; break;
            case 'rdiv': for (let i = 0; i < n; i++) gx[i] = -g[i] * (y[i] / x[i]); break;
          }
        }
      }
      let gs: Float64Array | null = null;
      if (needs[1]) {
        let acc = 0;
        switch (kind) {
          case 'add': case 'rsub': for (let i = 0; i < n; i++) acc += g[i]; break;
          case 'sub': for (let i = 0; i < n; i++) acc -= g[i]; break;
          case 'mul': for (let i = 0; i < n; i++) acc += g[i] * x[i]; break;
          case 'div': for (let i = 0; i < n; i++) acc += -g[i] * (y[i] / v); break;
          case 'rdiv': for (let i = 0; i < n; i++) acc += g[i] / x[i]; break;
        }
        gs = Float64Array.of(acc);
      }
      return [gx && { shape: X.shape, data: gx }, gs && { shape: S.shape, data: gs }];
    },
  });
}

/** Which operand, if either, is a one-element tensor that the other's shape already covers. */
function scalarSide(a: Tensor, b: Tensor): 'a' | 'b' | null {
  if (b.size === 1 && a.size !== 1 && b.ndim <= a.ndim) return 'b';
  if (a.size === 1 && b.size !== 1 && a.ndim <= b.ndim) return 'a';
  return null;
}

const ADD_SCALAR = scalarBinary('add', 'add');
const SUB_SCALAR = scalarBinary('sub', 'sub');
const RSUB_SCALAR = scalarBinary('sub', 'rsub');
const MUL_SCALAR = scalarBinary('mul', 'mul');
const DIV_SCALAR = scalarBinary('div', 'div');
const RDIV_SCALAR = scalarBinary('div', 'rdiv');

/** A binary op that takes the scalar rules when one operand is a one-element tensor. */
function withScalarRules(name: string, general: Primitive<void, BinSaved>, tensorOpScalar: Primitive<void, void>, scalarOpTensor: Primitive<void, void>) {
  return (input: TensorLike, other: Operand): Tensor => {
    const a = toTensor(name, 'input', input);
    const B = toTensor(name, 'other', other);
    const side = scalarSide(a, B);
    if (side === 'b') return apply(tensorOpScalar, [a, B], undefined);
    if (side === 'a') return apply(scalarOpTensor, [B, a], undefined);
    return apply(general, [a, B], undefined);
  };
}

/**
 * Elementwise sum, `input + other`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.add(input, other)`.
 * Broadcasting: each operand's gradient is summed back to its own shape. A one-element
 * operand takes a scalar rule (its gradient is one sum), with the same values.
 *
 * @example
 * add([[1], [2]], [10, 20]).toArray(); // => [[11, 21], [12, 22]]
 */
export const add = withScalarRules('add', ADD, ADD_SCALAR, ADD_SCALAR);

/**
 * Elementwise difference, `input - other`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.sub(input, other)`.
 * Broadcasting: each operand's gradient is summed back to its own shape. A one-element
 * operand takes a scalar rule (its gradient is one sum), with the same values.
 *
 * @example
 * sub([5, 7], 2).toArray(); // => [3, 5]
 */
export const sub = withScalarRules('sub', SUB, SUB_SCALAR, RSUB_SCALAR);

/**
 * Elementwise product, `input · other`.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.mul(input, other)`.
 * Broadcasting: each operand's gradient is summed back to its own shape. A one-element
 * operand takes a scalar rule (its gradient is one sum), with the same values.
 *
 * @example
 * const w = tensor([2, 3], { requiresGrad: true });
 * mul([[1, 1], [2, 2]], w).sum().backward();
 * w.grad.toArray(); // => [3, 3]
 */
export const mul = withScalarRules('mul', MUL, MUL_SCALAR, MUL_SCALAR);

/**
 * Elementwise quotient, `input / other` (IEEE: `x / 0` is ±Infinity, `0 / 0` NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.div(input, other)`.
 * The gradient for `other` is `-g · ((a / b) / b)`, as PyTorch, not `-g · a / b²`: `b²` underflows
 * or overflows first (in the example, `a / b²` would be -Infinity).
 * Broadcasting: each operand's gradient is summed back to its own shape. A one-element
 * operand takes a scalar rule (its gradient is one sum), with the same values.
 *
 * @example
 * const b = tensor([1e-200], { requiresGrad: true });
 * div(1e-300, b).sum().backward();
 * b.grad.item() / 1e100; // => -1.000
 */
export const div = withScalarRules('div', DIV, DIV_SCALAR, RDIV_SCALAR);

/**
 * Elementwise larger of two tensors, `max(input, other)`; NaN wins.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.maximum(input, other)`.
 * Subgradient: where the two are equal the gradient is split evenly between them, as PyTorch;
 * where either is NaN both receive the whole gradient. Gradients are summed back to each shape.
 *
 * @example
 * const a = tensor([1, 2, 3], { requiresGrad: true });
 * maximum(a, 2).sum().backward();
 * a.grad.toArray(); // => [0, 0.5, 1]
 */
export const maximum = (input: TensorLike, other: Operand): Tensor =>
  apply(MAXIMUM, [toTensor('maximum', 'input', input), toTensor('maximum', 'other', other)], undefined);

/**
 * Elementwise smaller of two tensors, `min(input, other)`; NaN wins.
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a tensor of the broadcast shape
 *
 * PyTorch: `torch.minimum(input, other)`.
 * Subgradient: where the two are equal the gradient is split evenly between them, as PyTorch;
 * where either is NaN both receive the whole gradient. Gradients are summed back to each shape.
 *
 * @example
 * minimum([1, NaN, 3], [2, 0, 3]).toArray(); // => [1, NaN, 3]
 */
export const minimum = (input: TensorLike, other: Operand): Tensor =>
  apply(MINIMUM, [toTensor('minimum', 'input', input), toTensor('minimum', 'other', other)], undefined);

interface PowScalarSaved { x: F64 }

// A constant exponent gets its own rule: no exponent gradient, and x^2 needs no Math.pow.
const POW_SCALAR = primitive<number, PowScalarSaved>({
  name: 'pow',
  forward([a], p) {
    const x = a.data;
    const y = takeBuffer(x.length);
    if (p === 2) for (let i = 0; i < x.length; i++) y[i] = x[i] * x[i];
    else for (let i = 0; i < x.length; i++) y[i] = Math.pow(x[i], p);
    return { data: y, shape: a.shape, saved: { x } };
  },
  backward(g, { saved: { x }, attrs: p, inputs }) {
    if (p === 0) return [{ shape: inputs[0].shape, data: new Float64Array(g.length) }];
    // Each g[i] is read before gx[i] is written: the gradient overwrites g.
    const gx = g;
    if (p === 2) for (let i = 0; i < g.length; i++) gx[i] = 2 * x[i] * g[i];
    else for (let i = 0; i < g.length; i++) gx[i] = p * Math.pow(x[i], p - 1) * g[i];
    return [{ shape: inputs[0].shape, data: gx }];
  },
});

/**
 * Elementwise power, `input ^ exponent` (NaN for a negative base and a non-integer exponent).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param exponent a number (a constant: no exponent gradient, and `x²` is `x · x`), or any of
 *   the tensor forms, broadcasting with `input`
 * @returns a tensor of the input's shape for a number exponent, else of the broadcast shape
 *
 * PyTorch: `torch.pow(input, exponent)`.
 * Subgradient, as PyTorch masks it: `d/db a^b = a^b log a` is 0 where `a = 0` and `b >= 0` (the
 * limit, not `0 · -Infinity`), and `d/da a^b = b a^(b-1)` is 0 where `b = 0`.
 *
 * @example
 * const b = tensor([2, 0.5], { requiresGrad: true });
 * pow([0, 4], b).sum().backward();
 * b.grad.toArray(); // => [0, 2.772588722]
 */
export function pow(input: TensorLike, exponent: Operand): Tensor {
  const a = toTensor('pow', 'input', input);
  if (typeof exponent === 'number') return apply(POW_SCALAR, [a], exponent);
  return apply(POW, [a, toTensor('pow', 'exponent', exponent)], undefined);
}

interface WhereAttrs { mask: Uint8Array }

// `cond` carries no gradient; the mask is read at the broadcast shape of all three operands.
const WHERE = primitive<WhereAttrs, { a: F64; b: F64 }>({
  name: 'where',
  forward([A, B], { mask }) {
    const { shape, a, b } = operands('where', A, B);
    const y = takeBuffer(a.length);
    for (let i = 0; i < y.length; i++) y[i] = mask[i] ? a[i] : b[i];
    return { data: y, shape, saved: { a, b } };
  },
  backward(g, { attrs: { mask }, needs, out }) {
    const ga = needs[0] ? new Float64Array(g.length) : null;
    const gb = needs[1] ? new Float64Array(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      if (mask[i]) { if (ga) ga[i] = g[i]; } else if (gb) gb[i] = g[i];
    }
    return [ga && { shape: out.shape, data: ga }, gb && { shape: out.shape, data: gb }];
  },
});

/**
 * Elementwise choice: `a` where `cond` is nonzero (NaN counts as nonzero), `b` elsewhere.
 * @param cond a Tensor, a number, nested number arrays or a Float64Array; read as a mask, it
 *   carries no gradient
 * @param a the same forms: the values taken where `cond` is nonzero
 * @param b the same forms: the values taken elsewhere
 * @returns a tensor of the broadcast shape of all three
 *
 * PyTorch: `torch.where(cond, a, b)`.
 * Each branch gets the gradient where it was chosen and 0 elsewhere. As in PyTorch, a branch
 * whose own backward is infinite at an unchosen entry (`log 0`) still gives NaN (`0 · Infinity`):
 * make the input safe, not just the output.
 *
 * @example
 * const a = tensor([1, 2], { requiresGrad: true });
 * where([1, 0], a, 0).sum().backward();
 * a.grad.toArray(); // => [1, 0]
 */
export function where(cond: Operand, a: Operand, b: Operand): Tensor {
  const C = toTensor('where', 'cond', cond);
  const A = toTensor('where', 'input', a);
  const B = toTensor('where', 'other', b);
  const shape = broadcastShapes('where', broadcastShapes('where', C.shape, A.shape), B.shape);
  const c = broadcastData(C.data, C.shape, shape);
  const mask = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) mask[i] = c[i] !== 0 ? 1 : 0;
  // When `cond` alone carries the largest shape, widen `a` so that the output takes that shape.
  const A2 = sameShape(A.shape, shape) || sameShape(B.shape, shape) ? A : expand(A, shape);
  return apply(WHERE, [A2, B], { mask });
}


// ---------------------------------------------------------------------------------------------
// Comparisons: 0/1 tensors with no gradient.

function compare(name: string, test: (u: number, v: number) => boolean) {
  return (input: TensorLike, other: Operand): Tensor => {
    const { shape, a: x, b: y } = operands(name, toTensor(name, 'input', input), toTensor(name, 'other', other));
    const out = new Float64Array(x.length);
    for (let i = 0; i < out.length; i++) out[i] = test(x[i], y[i]) ? 1 : 0;
    return new Tensor(out, shape, false);
  };
}

/**
 * 1 where `input > other`, else 0, elementwise (IEEE comparison: false where either is NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.gt(input, other)` (a bool tensor there).
 *
 * @example
 * gt([1, 2, NaN], 1).toArray(); // => [0, 1, 0]
 */
export const gt = compare('gt', (u, v) => u > v);

/**
 * 1 where `input >= other`, else 0, elementwise (IEEE comparison: false where either is NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.ge(input, other)` (a bool tensor there).
 *
 * @example
 * ge([1, 2, NaN], 1).toArray(); // => [1, 1, 0]
 */
export const ge = compare('ge', (u, v) => u >= v);

/**
 * 1 where `input < other`, else 0, elementwise (IEEE comparison: false where either is NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.lt(input, other)` (a bool tensor there).
 *
 * @example
 * lt([1, 2, NaN], 2).toArray(); // => [1, 0, 0]
 */
export const lt = compare('lt', (u, v) => u < v);

/**
 * 1 where `input <= other`, else 0, elementwise (IEEE comparison: false where either is NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.le(input, other)` (a bool tensor there).
 *
 * @example
 * le([1, 2, NaN], 2).toArray(); // => [1, 1, 0]
 */
export const le = compare('le', (u, v) => u <= v);

/**
 * 1 where `input == other`, else 0, elementwise (IEEE comparison: false where either is NaN).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.eq(input, other)` (a bool tensor there).
 *
 * @example
 * eq([[1, 2], [3, 1]], [1, 3]).toArray(); // => [[1, 0], [0, 0]]
 */
export const eq = compare('eq', (u, v) => u === v);

/**
 * 1 where `input != other`, else 0, elementwise (IEEE comparison: NaN is unequal to everything).
 * @param input a Tensor, a number, nested number arrays or a Float64Array
 * @param other the same forms; broadcasts with `input` (NumPy rules)
 * @returns a 0/1 tensor of the broadcast shape, outside the graph (no gradient)
 *
 * PyTorch: `torch.ne(input, other)` (a bool tensor there).
 *
 * @example
 * ne([1, NaN], [1, NaN]).toArray(); // => [0, 1]
 */
export const ne = compare('ne', (u, v) => u !== v);

/** This module's primitives, for the engine's registry (engine/registry.ts). */
export const elementwisePrimitives = primitiveTable({
  neg: NEG, exp: EXP, log: LOG, log1p: LOG1P, sqrt: SQRT, abs: ABS, sigmoid: SIGMOID, tanh: TANH, relu: RELU,
  softplus: SOFTPLUS, clamp: CLAMP, add: ADD, sub: SUB, mul: MUL, div: DIV, pow: POW, maximum: MAXIMUM,
  minimum: MINIMUM, addScalar: ADD_SCALAR, subScalar: SUB_SCALAR, rsubScalar: RSUB_SCALAR, mulScalar: MUL_SCALAR,
  divScalar: DIV_SCALAR, rdivScalar: RDIV_SCALAR, powScalar: POW_SCALAR, where: WHERE,
});
