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
 * Composed twins: spec/losses/probabilistic.spec.ts checks each kernel against its composition
 * from engine ops (values and gradients), against plain-loop references of PyTorch's formulas for
 * every weight shape and reduction, against PyTorch's fixtures, and by gradient checks.
 *
 * `weight` and `posWeight` are attributes, read at the input's shape, not graph inputs:
 * PyTorch does not differentiate with respect to them, and the callers refuse them when they
 * require grad.
 */
import type { DenseGrad } from '../autograd.js';
import { apply, isGradEnabled, primitive, takeBuffer } from '../autograd.js';
import { pairwiseSum, sigmoidExact, softplusExact } from '../numerics.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { Arena, SPLIT_MIN, runShares, shareOf, threadsFor } from '../threads/pool.js';

type F64 = Float64Array;

// Losses summed in one block before the block sums are added pairwise.
const SUM_BLOCK = 128;


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
  /**
   * Return the 0-d sum of the losses instead of each (unweighted losses only): the caller's
   * `reduce` then divides it for 'mean'. See `bceWithLogitsSummed` for why.
   */
  summed: boolean;
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
  forward([input, target], { summed, w, pw, keepSigmoid, keepSoftplus }) {
    const x = input.data;
    const n = x.length;
    // Every entry of these is written, so recycled buffers serve.
    const sig = keepSigmoid ? takeBuffer(n) : null;
    const sp = keepSoftplus ? takeBuffer(n) : null;
    const out = summed ? null : takeBuffer(n);
    // Sums of blocks of SUM_BLOCK losses, then a pairwise sum of those: the error bound of
    // numerics.pairwiseSum without a per-element loss buffer or a second pass over one.
    const blocks = summed ? new Float64Array(Math.ceil(n / SUM_BLOCK)) : null;
    const job: LogitsShare = { x, y: target.data, w, pw, out, sig, sp, blocks, lo: 0, hi: n };
    const threads = threadsFor(n, SPLIT_MIN.bceLogits, Math.ceil(n / SUM_BLOCK));
    if (threads === 1) logitsRange(job);
    else logitsSplit(job, threads);
    if (blocks !== null) return { data: Float64Array.of(pairwiseSum(blocks, 0, blocks.length)), shape: [], saved: { sig, sp } };
    return { data: out!, shape: input.shape, saved: { sig, sp } };
  },
  backward(g0, { inputs: [input, target], attrs: { summed, w, pw }, saved: { sig, sp }, needs }) {
    const x = input.data;
    const y = target.data;
    const n = x.length;
    if (summed) return summedBackward(g0[0], input.shape, x, y, sig, needs);
    const g = g0;
    let gx: F64 | null = null;
    let gy: F64 | null = null;
    if (needs[1]) {
      gy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = g[i] * (w === null ? 1 : w[i]);
        gy[i] = pw === null || sp === null ? -s * x[i] : s * (-x[i] + (pw[i] - 1) * sp[i]);
      }
    }
    if (needs[0] && sig) {
      // The target's gradient is already taken, so the input's may overwrite `g` (the engine
      // allows a rule to hand `g` back): no fresh buffer of the input's size.
      gx = g;
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
    return [gx && { shape: input.shape, data: gx }, gy && { shape: input.shape, data: gy }];
  },
});

/** One share of the forward: entries [lo, hi) (whole SUM_BLOCKs when summed) of each output given. */
interface LogitsShare {
  x: F64;
  y: F64;
  w: F64 | null;
  pw: F64 | null;
  out: F64 | null;
  sig: F64 | null;
  sp: F64 | null;
  /** Block sums of the losses, for the summed loss (then `out` is null). */
  blocks: F64 | null;
  lo: number;
  hi: number;
}

/**
 * The forward over one share. A worker task too (engine/threads/worker.ts): each entry and each
 * block sum is computed alike whichever thread computes it.
 * @internal
 */
export function logitsRange({ x, y, w, pw, out, sig, sp, blocks, lo, hi }: LogitsShare): null {
  if (blocks !== null) {
    for (let b = lo / SUM_BLOCK; b * SUM_BLOCK < hi; b++) {
      const end = Math.min(hi, (b + 1) * SUM_BLOCK);
      let acc = 0;
      for (let i = b * SUM_BLOCK; i < end; i++) {
        const xi = x[i];
        const e = Math.exp(-Math.abs(xi));
        acc += (1 - y[i]) * xi + Math.log1p(e) + (xi < 0 ? -xi : 0);
        if (sig) sig[i] = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
      }
      blocks[b] = acc;
    }
    return null;
  }
  const o = out!;
  if (sig !== null && sp === null && w === null && pw === null) {
    // The hot path (unweighted, with a graph) without per-element branches on options.
    // numerics.softplusExact(-x) and sigmoidExact(x), written out to share one exp(-|x|).
    for (let i = lo; i < hi; i++) {
      const xi = x[i];
      const e = Math.exp(-Math.abs(xi));
      o[i] = (1 - y[i]) * xi + Math.log1p(e) + (xi < 0 ? -xi : 0);
      sig[i] = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
    return null;
  }
  for (let i = lo; i < hi; i++) {
    const xi = x[i];
    const yi = y[i];
    const s = softplusExact(-xi);
    const l = (1 - yi) * xi + (pw === null ? s : (1 + (pw[i] - 1) * yi) * s);
    o[i] = w === null ? l : l * w[i];
    if (sig) sig[i] = sigmoidExact(xi);
    if (sp) sp[i] = s;
  }
  return null;
}

/**
 * The forward split by whole SUM_BLOCKs: the calling thread computes the first share in place,
 * the workers the rest on arena copies, whose entries are then copied back.
 */
function logitsSplit(job: LogitsShare, threads: number): void {
  const n = job.x.length;
  const nBlocks = Math.ceil(n / SUM_BLOCK);
  const cut = (t: number) => Math.min(n, shareOf(nBlocks, threads, t)[0] * SUM_BLOCK);
  const lo = cut(1);
  const { x, y, w, pw, out, sig, sp, blocks } = job;
  const count = (a: F64 | null) => (a === null ? 0 : a.length);
  const arena = Arena.of(threads, 2 * n + count(w) + count(pw) + count(out) + count(sig) + count(sp) + count(blocks));
  const part = (a: F64 | null) => (a === null ? null : arena.copyOf(a, lo, n));
  const room = (a: F64 | null) => (a === null ? null : arena.space(a.length));
  const theirs: LogitsShare = { x: arena.copyOf(x, lo, n), y: arena.copyOf(y, lo, n), w: part(w), pw: part(pw), out: room(out), sig: room(sig), sp: room(sp), blocks: room(blocks), lo, hi: n };
  const shares = [{ ...job, lo: 0, hi: lo }];
  for (let t = 1; t < threads; t++) shares.push({ ...theirs, lo: cut(t), hi: t + 1 < threads ? cut(t + 1) : n });
  runShares('bceLogits', logitsRange, shares);
  for (const [mine, back] of [[out, theirs.out], [sig, theirs.sig], [sp, theirs.sp]] as const) if (mine !== null) mine.set(back!.subarray(lo, n), lo);
  if (blocks !== null) blocks.set(theirs.blocks!.subarray(lo / SUM_BLOCK), lo / SUM_BLOCK);
}

/** The summed loss's gradient `c · (σ(x) - y)` to the input and `-c · x` to the target. */
function summedBackward(c: number, shape: Shape, x: F64, y: F64, sig: F64 | null, needs: readonly boolean[]): (DenseGrad | null)[] {
  const n = x.length;
  let gx: F64 | null = null;
  let gy: F64 | null = null;
  if (needs[0] && sig) {
    gx = takeBuffer(n);
    for (let i = 0; i < n; i++) gx[i] = c * (sig[i] - y[i]);
  }
  if (needs[1]) {
    gy = takeBuffer(n);
    for (let i = 0; i < n; i++) gy[i] = -c * x[i];
  }
  return [gx && { shape, data: gx }, gy && { shape, data: gy }];
}

/** Per-element BCE on logits; shapes are already checked, `w` and `pw` read at the input's shape. */
export function bceWithLogitsElements(input: Tensor, target: Tensor, w: F64 | null, pw: F64 | null): Tensor {
  return logitsNode(input, target, false, w, pw);
}

/**
 * The 0-d sum of the unweighted BCE-on-logits losses, for `reduce` to turn into 'sum' or 'mean'.
 *
 * NOTE: the one fused loss that sums inside its kernel, for speed: this is the benchmarked hot
 * path (L1), and returning the per-element losses for `sum` to add up costs a loss buffer, a
 * pass to sum it and a pass to spread the gradient back, measured 1.2x slower end to end for
 * [1e6] logits. The sum is as exact as `reduce`'s (pairwise over blocks).
 */
export function bceWithLogitsSummed(input: Tensor, target: Tensor): Tensor {
  return logitsNode(input, target, true, null, null);
}

function logitsNode(input: Tensor, target: Tensor, summed: boolean, w: F64 | null, pw: F64 | null): Tensor {
  const track = isGradEnabled();
  return apply(BCE_WITH_LOGITS, [input, target], {
    summed,
    w,
    pw,
    keepSigmoid: track && input.requiresGrad,
    keepSoftplus: track && target.requiresGrad && pw !== null,
  });
}
