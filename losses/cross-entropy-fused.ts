/**
 * Cross-entropy with class-index targets as one fused primitive.
 *
 * Why fused: this is the hot loss of classifier training. Composed as logSoftmax + gather +
 * where + sum, a [4096, 1000] batch allocates and walks four [N, C] arrays forward and as many
 * backward; fused, the forward makes one pass per position (max, sum of exponentials, loss) and
 * keeps only two numbers per position, and the backward is the closed form
 * `scale · w[y] · (softmax(x) − onehot(y))`. The composed version (`logSoftmax` + `nllLoss`)
 * stays in the tests as the reference this kernel must equal.
 */
import { apply, primitive } from '../engine/autograd.js';
import type { Shape } from '../engine/shape.js';
import type { Tensor } from '../engine/tensor.js';
import type { Reduction } from './common.js';

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
  reduction: Reduction;
}

interface Saved {
  /** Per position: the row maximum m and log Σ exp(x − m), so log p = (x − m) − logSum. */
  max: Float64Array;
  logSum: Float64Array;
  /** Σ w[y] over the positions not ignored: the 'mean' divisor. */
  totalWeight: number;
}

const CROSS_ENTROPY = primitive<Attrs, Saved>({
  name: 'crossEntropy',
  forward([input], { lay: { outer, classes, inner, outShape }, target, weight, ignoreIndex, reduction }) {
    const x = input.data;
    const positions = outer * inner;
    const loss = new Float64Array(positions);
    const max = new Float64Array(positions);
    const logSum = new Float64Array(positions);
    let totalWeight = 0;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const p = o * inner + j;
        const y = target[p];
        if (y === ignoreIndex) continue;
        const base = o * classes * inner + j;
        let m = -Infinity;
        for (let c = 0; c < classes; c++) {
          const v = x[base + c * inner];
          if (v > m || v !== v) m = v;
        }
        let s = 0;
        for (let c = 0; c < classes; c++) s += Math.exp(x[base + c * inner] - m);
        const ls = Math.log(s);
        const wy = weight === null ? 1 : weight[y];
        // (x − m) − log s, in PyTorch's order: x − (m + log s) loses digits when x ≈ m is large.
        loss[p] = -((x[base + y * inner] - m) - ls) * wy;
        max[p] = m;
        logSum[p] = ls;
        totalWeight += wy;
      }
    }
    const saved = { max, logSum, totalWeight };
    if (reduction === 'none') return { data: loss, shape: outShape, saved };
    let total = 0;
    for (let p = 0; p < positions; p++) total += loss[p];
    return { data: new Float64Array([reduction === 'sum' ? total : total / totalWeight]), shape: [], saved };
  },
  backward(g, { inputs: [input], attrs: { lay: { outer, classes, inner }, target, weight, ignoreIndex, reduction }, saved }) {
    const x = input.data;
    const gx = new Float64Array(x.length);
    const shared = reduction === 'mean' ? g[0] / saved.totalWeight : g[0];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const p = o * inner + j;
        const y = target[p];
        // NOTE: ignored positions get exactly zero, even when every position is ignored and the
        // 'mean' value is NaN (as in PyTorch).
        if (y === ignoreIndex) continue;
        const base = o * classes * inner + j;
        const scale = (reduction === 'none' ? g[p] : shared) * (weight === null ? 1 : weight[y]);
        const m = saved.max[p];
        const ls = saved.logSum[p];
        for (let c = 0; c < classes; c++) {
          const k = base + c * inner;
          gx[k] = scale * Math.exp((x[k] - m) - ls);
        }
        gx[base + y * inner] -= scale;
      }
    }
    return [{ shape: input.shape, data: gx }];
  },
});

/**
 * Per-position (or reduced) cross-entropy of logits `input` against checked class indices.
 * Callers validate everything; this only computes.
 */
export function crossEntropyFused(
  input: Tensor,
  lay: ClassLayout,
  target: Float64Array,
  weight: Float64Array | null,
  ignoreIndex: number,
  reduction: Reduction,
): Tensor {
  return apply(CROSS_ENTROPY, [input], { lay, target, weight, ignoreIndex, reduction });
}
