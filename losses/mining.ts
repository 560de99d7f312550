/**
 * Triplet mining: choosing, inside one batch of embeddings, the (anchor, positive, negative)
 * triplets that `tripletMarginLoss` should train on.
 *
 * The choice is made on the values (it has no gradient, as a selection); the chosen rows are then
 * gathered from `embeddings` with `indexSelect`, so the loss on them is differentiable with respect
 * to `embeddings`. PyTorch has no equivalent of these helpers.
 */
import type { TensorLike } from '../engine/index.js';
import { Tensor } from '../engine/index.js';
import { describe, fail, fmtShape, margin, number, numerics, parseOptions, toTensor } from '../engine/internal.js';

export interface MinedTriplets {
  /** `[T, D]`: the rows of `embeddings` at `anchorIndex`. */
  readonly anchor: Tensor;
  /** `[T, D]`: the rows at `positiveIndex`. */
  readonly positive: Tensor;
  /** `[T, D]`: the rows at `negativeIndex`. */
  readonly negative: Tensor;
  readonly anchorIndex: number[];
  readonly positiveIndex: number[];
  readonly negativeIndex: number[];
}

export interface MineBatchHardOptions {
  /** The norm of the distance `‖x_i - x_j‖_p` used to rank candidates: any p > 0 or Infinity (default 2). */
  p?: number;
}

export interface MineSemiHardOptions {
  /** The width of the semi-hard band `d(a, p) < d(a, n) < d(a, p) + margin`: any finite number (default 1). */
  margin?: number;
  /** The norm of the distance `‖x_i - x_j‖_p` (default 2). */
  p?: number;
}

interface Batch {
  readonly x: Tensor;
  readonly n: number;
  readonly labels: Float64Array;
  readonly p: number;
}

/** The norm order of the ranking distance: any p > 0, Infinity included. */
const NORM_ORDER = number({ default: 2, above: 0, nonFinite: true });

function readBatch(fn: string, embeddings: unknown, labels: unknown, p: number): Batch {
  if (!(embeddings instanceof Tensor)) fail(fn, `embeddings must be a Tensor of shape [N, D], got ${describe(embeddings)}`);
  if (embeddings.ndim !== 2) fail(fn, `embeddings must have shape [N, D], got shape ${fmtShape(embeddings.shape)}`);
  const n = embeddings.shape[0];
  let lab: Float64Array;
  if (Array.isArray(labels)) {
    // Read element by element, so that the error names the first entry that is not an integer.
    lab = Float64Array.from(labels, (v) => (typeof v === 'number' ? v : NaN));
  } else if (labels instanceof Tensor || labels instanceof Float64Array) {
    const t = toTensor(fn, 'labels', labels);
    if (t.ndim !== 1) fail(fn, `labels must be 1-D with N = ${n} entries, got shape ${fmtShape(t.shape)}`);
    lab = t.data;
  } else {
    return fail(fn, `labels must be a number[], a Float64Array or a 1-D Tensor, got ${describe(labels)}`);
  }
  if (lab.length !== n) fail(fn, `labels must have N = ${n} entries (one per row of embeddings), got ${lab.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(lab[i])) fail(fn, `labels must hold integer class labels, got ${describe(Array.isArray(labels) ? labels[i] : lab[i])} at index ${i}`);
  }
  return { x: embeddings, n, labels: lab, p };
}

/** The `[N, N]` matrix of `‖x_i - x_j‖_p` (the engine's p-norm distance with no eps), row-major. */
function distances({ x, n, p }: Batch): Float64Array {
  const d = x.shape[1];
  const e = x.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dist = numerics.pNormDistance(e, i * d, e, j * d, d, p, 0);
      out[i * n + j] = dist;
      out[j * n + i] = dist;
    }
  }
  return out;
}

function gathered(x: Tensor, anchorIndex: number[], positiveIndex: number[], negativeIndex: number[]): MinedTriplets {
  return {
    anchor: x.indexSelect(0, anchorIndex), // [T, D]
    positive: x.indexSelect(0, positiveIndex), // [T, D]
    negative: x.indexSelect(0, negativeIndex), // [T, D]
    anchorIndex,
    positiveIndex,
    negativeIndex,
  };
}

/** Whether `v` beats `best` for the extreme of sign `s` (1: largest, -1: smallest); the first NaN wins. */
const beats = (v: number, best: number, s: number): boolean => (v !== v ? best === best : best === best && (v - best) * s > 0);

/**
 * Batch-hard triplet mining: for each anchor, its farthest positive and its closest negative.
 *
 * For every row `a` that has another row of its label and a row of another label,
 * `p = argmax_{j ≠ a, y_j = y_a} d(a, j)` and `n = argmin_{k: y_k ≠ y_a} d(a, k)`, with
 * `d(i, j) = ‖x_i - x_j‖_p`. Rows without a positive or without a negative are not anchors.
 *
 * @param embeddings `[N, D]`.
 * @param labels `N` integer class labels (a `number[]` or a 1-D Tensor).
 * @param opts `p` (default 2), the norm used to rank distances.
 * @returns `{ anchor, positive, negative }`, each `[T, D]` rows of `embeddings` (differentiable
 *   with respect to it), with `anchorIndex`, `positiveIndex`, `negativeIndex` (`T` numbers each)
 *   in anchor order. `T` may be 0 (then `'mean'` of the loss is NaN; use `'sum'`).
 *
 * PyTorch: no equivalent in torch (pytorch-metric-learning's `BatchHardMiner` is the closest).
 *
 * Numerics: ties go to the lowest index; a NaN distance is always chosen (the first of several,
 * as `argMax`/`argMin` do), so NaN in the embeddings reaches the loss rather than being hidden. The distances carry no
 * eps, unlike `tripletMarginLoss`'s.
 *
 * References: Hermans, Beyer and Leibe, "In defense of the triplet loss for person
 * re-identification" (2017), the batch-hard loss.
 *
 * @example
 * const x = tensor([[0, 0], [1, 0], [0, 3], [4, 0]], { requiresGrad: true });
 * const mined = mineBatchHard(x, [0, 0, 1, 1]);
 * mined.positiveIndex; // => [1, 0, 3, 2]
 * mined.negativeIndex; // => [2, 3, 0, 1]
 * tripletMarginLoss(mined.anchor, mined.positive, mined.negative).item(); // => 1.50000
 */
export function mineBatchHard(embeddings: Tensor, labels: TensorLike, opts?: MineBatchHardOptions): MinedTriplets {
  const FN = 'mineBatchHard';
  const o = parseOptions(FN, opts, { p: NORM_ORDER });
  const batch = readBatch(FN, embeddings, labels, o.p);
  const { n, labels: y } = batch;
  const dist = distances(batch);
  const ai: number[] = [], pi: number[] = [], ni: number[] = [];
  for (let a = 0; a < n; a++) {
    let pos = -1, neg = -1;
    for (let j = 0; j < n; j++) {
      if (j === a) continue;
      const v = dist[a * n + j];
      if (y[j] === y[a]) {
        if (pos < 0 || beats(v, dist[a * n + pos], 1)) pos = j;
      } else if (neg < 0 || beats(v, dist[a * n + neg], -1)) neg = j;
    }
    if (pos < 0 || neg < 0) continue;
    ai.push(a);
    pi.push(pos);
    ni.push(neg);
  }
  return gathered(batch.x, ai, pi, ni);
}

/**
 * Semi-hard triplet mining (FaceNet): for each anchor-positive pair, the closest negative that is
 * farther than the positive but within the margin; the hardest negative when there is none.
 *
 * For every ordered pair `(a, p)`, `a ≠ p`, `y_a = y_p`, with a negative available,
 * `n = argmin { d(a, k) : y_k ≠ y_a, d(a, p) < d(a, k) < d(a, p) + margin }`, or, when that set is
 * empty, `n = argmin_{k: y_k ≠ y_a} d(a, k)`; `d(i, j) = ‖x_i - x_j‖_p`.
 *
 * @param embeddings `[N, D]`.
 * @param labels `N` integer class labels (a `number[]` or a 1-D Tensor).
 * @param opts `margin` (default 1, use the loss's margin), `p` (default 2).
 * @returns as `mineBatchHard`: `[T, D]` rows and their indices, one triplet per anchor-positive
 *   pair, ordered by anchor, then positive. `T` may be 0.
 *
 * PyTorch: no equivalent in torch (TensorFlow Addons' `triplet_semihard_loss` falls back to the
 * farthest negative instead, and pytorch-metric-learning's `TripletMarginMiner` filters).
 *
 * Numerics: the band is open at both ends; ties go to the lowest index; a NaN distance is never
 * in the band but is always chosen by the hardest-negative fallback. The distances carry no eps.
 *
 * References: Schroff, Kalenichenko and Philbin, "FaceNet: a unified embedding for face
 * recognition and clustering" (CVPR 2015), §3.2.
 *
 * @example
 * const x = tensor([[0, 0], [1, 0], [0, 0.8], [-1.5, 0]]);
 * const mined = mineSemiHard(x, [0, 0, 1, 1], { margin: 1 });
 * mined.anchorIndex; // => [0, 1, 2, 3]
 * mined.positiveIndex; // => [1, 0, 3, 2]
 * mined.negativeIndex; // => [3, 2, 0, 1]
 */
export function mineSemiHard(embeddings: Tensor, labels: TensorLike, opts?: MineSemiHardOptions): MinedTriplets {
  const FN = 'mineSemiHard';
  const o = parseOptions(FN, opts, { margin: margin(1), p: NORM_ORDER });
  const batch = readBatch(FN, embeddings, labels, o.p);
  const { n, labels: y } = batch;
  const dist = distances(batch);
  const ai: number[] = [], pi: number[] = [], ni: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let p = 0; p < n; p++) {
      if (p === a || y[p] !== y[a]) continue;
      const dap = dist[a * n + p];
      let semi = -1, hardest = -1;
      for (let k = 0; k < n; k++) {
        if (y[k] === y[a]) continue;
        const v = dist[a * n + k];
        if (hardest < 0 || beats(v, dist[a * n + hardest], -1)) hardest = k;
        if (v > dap && v < dap + o.margin && (semi < 0 || v < dist[a * n + semi])) semi = k;
      }
      if (hardest < 0) continue;
      ai.push(a);
      pi.push(p);
      ni.push(semi >= 0 ? semi : hardest);
    }
  }
  return gathered(batch.x, ai, pi, ni);
}
