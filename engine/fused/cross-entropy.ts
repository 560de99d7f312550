/**
 * Cross-entropy with class-index targets as one fused primitive, returning the per-position
 * losses (the caller reduces them with `reduce`).
 *
 * Why fused: this is the hot loss of classifier training. Composed as logSoftmax + gather +
 * where, a [4096, 1000] batch allocates and walks four [N, C] arrays forward and as many
 * backward; fused, the forward makes one pass per position (max, exponentials and their sum,
 * loss) and keeps the exponentials, and the backward scales them in place into the closed form
 * `g · w[y] · (softmax(x) − onehot(y))`: one exp per element in all, like a hand-written loop.
 * `ebm.nllLoss` runs on this same kernel, so it equals `crossEntropyLoss(−βE, y) / β` exactly.
 *
 * Composed twin: `logSoftmax` + `nllLoss`, which spec/losses/classification-properties.spec.ts
 * checks this kernel against (values and gradients), besides PyTorch's fixtures.
 */
import { apply, isGradEnabled, primitive } from '../autograd.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { RowShare } from '../threads/pool.js';
import { SPLIT_MIN, splitRows, threadsFor } from '../threads/pool.js';


/** Input viewed as [outer, C, inner]: [N, C, d1, …] has outer N and inner d1·…; [C] has outer 1. */
export interface ClassLayout {
  outer: number;
  classes: number;
  inner: number;
  /** The shape of the per-position loss: the target's shape. */
  outShape: Shape;
}

interface Attrs {
  lay: ClassLayout;
  /** Class index per position, [outer · inner], already range-checked. */
  target: Float64Array;
  /** Class weights [C], or null for all ones. */
  weight: Float64Array | null;
  ignoreIndex: number;
}

interface Saved {
  /** Per position: the row maximum m and s = Σ exp(x − m), so log p = (x − m) − log s. */
  max: Float64Array;
  sum: Float64Array;
  /**
   * exp(x − m) per element ([outer, C, inner], 0 at ignored positions), kept so that the
   * backward does no exp of its own. The first backward scales it in place into the gradient
   * it returns and sets this to null: the engine may hand that array on as the input's grad.
   */
  exps: Float64Array | null;
}

export const CROSS_ENTROPY = primitive<Attrs, Saved>({
  name: 'crossEntropy',
  forward([input], { lay, target, weight, ignoreIndex }) {
    const x = input.data;
    const positions = lay.outer * lay.inner;
    // Without a node to record, nothing would read the exponentials back.
    const exps = input.requiresGrad && isGradEnabled() ? new Float64Array(x.length) : null;
    const job: CeShare = { x, lay, target, weight, ignoreIndex, loss: new Float64Array(positions), max: new Float64Array(positions), sum: new Float64Array(positions), exps, u0: 0, u1: lay.outer };
    const threads = threadsFor(x.length, SPLIT_MIN.crossEntropy, lay.outer);
    if (threads === 1) ceRange(job);
    else splitRows('crossEntropy', ceRange, job, lay.outer, threads, ['x', 'target'], ['loss', 'max', 'sum', 'exps']);
    return { data: job.loss, shape: lay.outShape, saved: { max: job.max, sum: job.sum, exps } };
  },
  backward(g, { inputs: [input], attrs: { lay, target, weight, ignoreIndex }, saved }) {
    // NOTE: a second backward through a retained graph finds the exponentials consumed by the
    // first and recomputes them; they come out bit-identical, and so does the gradient.
    const gx = saved.exps ?? expShifted(input.data, lay, target, ignoreIndex, saved.max);
    saved.exps = null;
    const { classes, inner } = lay;
    const span = classes * inner;
    for (let p = 0; p < target.length; p++) {
      const y = target[p];
      // NOTE: ignored positions get exactly zero, even when every position is ignored and the
      // 'mean' value is NaN (as in PyTorch).
      if (y === ignoreIndex) continue;
      const base = (p - (p % inner)) * classes + (p % inner);
      const end = base + span;
      const scale = g[p] * (weight === null ? 1 : weight[y]);
      // softmax = exp(x − m) / s: one division per position, a multiply per element.
      const k0 = scale / saved.sum[p];
      for (let k = base; k < end; k += inner) gx[k] *= k0;
      gx[base + y * inner] -= scale;
    }
    return [{ shape: input.shape, data: gx }];
  },
});

/** One share of the forward: outer rows [u0, u1), every position of each. */
interface CeShare extends RowShare {
  x: Float64Array;
  lay: ClassLayout;
  target: Float64Array;
  weight: Float64Array | null;
  ignoreIndex: number;
  loss: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  exps: Float64Array | null;
}

/**
 * The forward over one share. A worker task too (engine/threads/worker.ts): positions are
 * independent, so a position's values do not depend on which thread computes it.
 * @internal
 */
export function ceRange({ x, lay: { classes, inner }, target, weight, ignoreIndex, loss, max, sum, exps, u0, u1 }: CeShare): null {
  const span = classes * inner;
  for (let p = u0 * inner; p < u1 * inner; p++) {
    const y = target[p];
    // Class c of position p sits at base + c · inner; with inner = 1 the row is contiguous.
    const base = (p - (p % inner)) * classes + (p % inner);
    const end = base + span;
    if (y === ignoreIndex) {
      // Written, not assumed: a worker's outputs are arena views holding the last kernel's values.
      loss[p] = 0;
      max[p] = 0;
      sum[p] = 0;
      if (exps !== null) for (let k = base; k < end; k += inner) exps[k] = 0;
      continue;
    }
    let m = -Infinity;
    // Math.max, like PyTorch's max, returns NaN once any entry is NaN.
    for (let k = base; k < end; k += inner) m = Math.max(m, x[k]);
    let s = 0;
    if (exps === null) {
      for (let k = base; k < end; k += inner) s += Math.exp(x[k] - m);
    } else {
      for (let k = base; k < end; k += inner) {
        const e = Math.exp(x[k] - m);
        exps[k] = e;
        s += e;
      }
    }
    const wy = weight === null ? 1 : weight[y];
    // (x − m) − log s, in PyTorch's order: x − (m + log s) loses digits when x ≈ m is large.
    loss[p] = -((x[base + y * inner] - m) - Math.log(s)) * wy;
    max[p] = m;
    sum[p] = s;
  }
  return null;
}

/** exp(x − m) at every counted position, 0 at ignored ones: the forward's `exps`, recomputed. */
function expShifted(x: Float64Array, lay: ClassLayout, target: Float64Array, ignoreIndex: number, max: Float64Array): Float64Array {
  const { classes, inner } = lay;
  const e = new Float64Array(x.length);
  for (let p = 0; p < target.length; p++) {
    if (target[p] === ignoreIndex) continue;
    const base = (p - (p % inner)) * classes + (p % inner);
    const end = base + classes * inner;
    const m = max[p];
    for (let k = base; k < end; k += inner) e[k] = Math.exp(x[k] - m);
  }
  return e;
}

/**
 * Per-position cross-entropy `−w[y] log softmax(x)[y]` (0 where ignored) of logits `input`
 * against checked class indices, in the target's shape. Callers validate everything.
 */
export function crossEntropyPositions(
  input: Tensor,
  lay: ClassLayout,
  target: Float64Array,
  weight: Float64Array | null,
  ignoreIndex: number,
): Tensor {
  return apply(CROSS_ENTROPY, [input], { lay, target, weight, ignoreIndex });
}
