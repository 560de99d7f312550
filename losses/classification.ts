/**
 * Classification losses with PyTorch 1.13's semantics: negative log-likelihood, cross-entropy
 * (class indices or probabilities, label smoothing), and the multi-class and multi-label margin
 * losses. Cross-entropy with index targets runs on a fused kernel (engine/fused/cross-entropy.ts);
 * the rest are compositions of engine ops.
 */
import type { Reduction, TensorLike } from '../engine/index.js';
import { Tensor, logSigmoid } from '../engine/index.js';
import type { ClassLayout } from '../engine/internal.js';
import {
  classIndices, crossEntropyPositions, custom, describe, expectShape, fail, fmtShape, margin, number, parseOptions,
  reduce, reduction, sameShape, sizeOf, toTensor,
} from '../engine/internal.js';

export interface NllLossOptions {
  /** Per-class weights `[C]`; no gradient flows to them (PyTorch implements none either). */
  weight?: TensorLike;
  /** Positions whose target equals this contribute nothing, not even to the 'mean' divisor. */
  ignoreIndex?: number;
  reduction?: Reduction;
}

export interface CrossEntropyLossOptions extends NllLossOptions {
  /** In [0, 1]: the target becomes `(1 − ε)·onehot + ε/C` (or `(1 − ε)·p + ε/C`). */
  labelSmoothing?: number;
}

export interface MultiMarginLossOptions {
  /** 1 (hinge) or 2 (squared hinge). */
  p?: number;
  /** Any finite number (default 1). */
  margin?: number;
  /** Per-class weights `[C]`, applied by the target class; no gradient flows to them. */
  weight?: TensorLike;
  reduction?: Reduction;
}

export interface MultiLabelSoftMarginLossOptions {
  /** Per-class weights `[C]`; differentiable, as in PyTorch. */
  weight?: TensorLike;
  reduction?: Reduction;
}

export interface MultiLabelMarginLossOptions {
  reduction?: Reduction;
}

// The class weight is checked against the input's class count once the input is converted.
const RAW = custom((_fn, _name, v) => v);
const IGNORE_INDEX = number({ default: -100, integer: true });
const HINGE_POWER = custom((fn, name, v) => {
  if (v === undefined) return 1;
  if (v !== 1 && v !== 2) fail(fn, `${name} must be 1 or 2, got ${describe(v)}`);
  return v;
});

// ---------------------------------------------------------------------------------------------
// Validation shared by the index-target losses.

/** Where the class dim is: 0 for an unbatched `[C]` input, else 1 (`[N, C, d1, …]`). */
const classDimOf = (x: Tensor): number => (x.ndim === 1 ? 0 : 1);

/** Checks that `target` has the shape of `input` without its class dim, and returns the layout. */
function classLayout(fn: string, x: Tensor, t: Tensor): ClassLayout {
  if (x.ndim === 0) fail(fn, `input must be [C], [N, C] or [N, C, d1, …], got shape ${fmtShape(x.shape)}`);
  const want = x.ndim === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
  if (!sameShape(t.shape, want)) {
    fail(fn, `target shape ${fmtShape(t.shape)} does not match input shape ${fmtShape(x.shape)} (expected target shape ${fmtShape(want)})`);
  }
  const cd = classDimOf(x);
  return { outer: sizeOf(x.shape.slice(0, cd)), classes: x.shape[cd], inner: sizeOf(x.shape.slice(cd + 1)), outShape: want };
}

/** A weight argument as a `[C]` Tensor, or null when absent. */
function classWeight(fn: string, w: unknown, classes: number): Tensor | null {
  if (w === undefined) return null;
  const t = toTensor(fn, 'weight', w);
  if (!sameShape(t.shape, [classes])) fail(fn, `weight must have shape [${classes}] (one per class), got shape ${fmtShape(t.shape)}`);
  return t;
}

/** The weight tensor reshaped to broadcast along the class dim of an input with `ndim` dims. */
function alongClassDim(w: Tensor, ndim: number): Tensor {
  return ndim === 1 ? w : w.reshape([1, w.size, ...new Array<number>(ndim - 2).fill(1)]);
}

/**
 * Per position `p`: whether it counts (target ≠ ignoreIndex), the index to gather (0 where
 * ignored, so the gather stays in range), and `w[y]` (0 where ignored). Also the weighted-'mean'
 * divisor `Σ w[y]` over the counted positions, or undefined when that is simply the number of
 * positions (no weights, nothing ignored), so that the mean is the plain mean.
 */
interface TargetWeights { keep: Float64Array; safe: Float64Array; wy: Float64Array; total: number | undefined }

function targetWeights(t: Tensor, w: Float64Array | null, ignoreIndex: number): TargetWeights {
  const n = t.size;
  const keep = new Float64Array(n);
  const safe = new Float64Array(n);
  const wy = new Float64Array(n);
  let total = 0;
  let counted = 0;
  for (let p = 0; p < n; p++) {
    const y = t.data[p];
    if (y === ignoreIndex) continue;
    keep[p] = 1;
    safe[p] = y;
    wy[p] = w === null ? 1 : w[y];
    total += wy[p];
    counted++;
  }
  return { keep, safe, wy, total: w === null && counted === n ? undefined : total };
}

/** `−w[y] · input[y]` per position, 0 where ignored: nllLoss's core, reused by label smoothing. */
function nllCore(x: Tensor, { keep, safe, wy, total }: TargetWeights, lay: ClassLayout, reduction: Reduction): Tensor {
  const cd = classDimOf(x);
  const idxShape = x.shape.map((s, i) => (i === cd ? 1 : s));
  const picked = x.gather(cd, new Tensor(safe, idxShape)).reshape(lay.outShape); // [N, d1, …]
  const negW = new Tensor(wy.map((v) => -v), lay.outShape);
  // `where`, not a product with the mask: an ignored position holding -Infinity or NaN must
  // still give exactly 0, as in PyTorch.
  const loss = picked.mul(negW).where(new Tensor(keep, lay.outShape), 0); // [N, d1, …]
  return reduce(loss, reduction, total);
}

// ---------------------------------------------------------------------------------------------
// Public losses.

/**
 * Negative log-likelihood of class indices under log-probabilities.
 *
 * `ℓ_n = −w[y_n] · input[n, y_n]` (0 where `y_n = ignoreIndex`); `'mean'` is the weighted mean
 * `Σ ℓ_n / Σ_{n not ignored} w[y_n]`, `'sum'` is `Σ ℓ_n`. Positions are the batch entries and
 * every extra spatial index `d1, …`.
 *
 * @param input log-probabilities `[N, C]`, `[N, C, d1, …]`, or `[C]` (one sample)
 * @param target class indices in `[0, C)` or `ignoreIndex`: `[N]`, `[N, d1, …]`, or `[]` for a `[C]` input
 * @param opts `weight` `[C]` (default all ones), `ignoreIndex = -100`, `reduction = 'mean'`
 * @returns `'none'`: the target's shape; `'mean'`, `'sum'`: a scalar `[]`
 *
 * PyTorch: `torch.nn.functional.nll_loss(input, target, weight, ignore_index=, reduction=)`.
 *
 * Numerics: when every position is ignored (or the counted weights sum to 0), `'mean'` is NaN
 * (0/0), as in PyTorch; the gradient is then 0 at ignored positions. Weights get no gradient.
 *
 * References: PyTorch `aten/src/ATen/native/LossNLL.cpp`.
 *
 * @example
 * const logp = tensor([[-0.5, -1.2, -2.3], [-1.6, -0.4, -1.9]], { requiresGrad: true });
 * nllLoss(logp, [0, 2]).item(); // => 1.2
 * nllLoss(logp, [0, 2], { weight: [1, 2, 3] }).item(); // => 1.55
 * nllLoss(logp, [0, -100], { reduction: 'none' }).toArray(); // => [0.5, 0]
 */
export function nllLoss(input: TensorLike, target: TensorLike, opts?: NllLossOptions): Tensor {
  const fn = 'nllLoss';
  const o = parseOptions(fn, opts, { weight: RAW, ignoreIndex: IGNORE_INDEX, reduction: reduction() });
  const x = toTensor(fn, 'input', input);
  const tt = toTensor(fn, 'target', target);
  const lay = classLayout(fn, x, tt);
  const w = classWeight(fn, o.weight, lay.classes);
  const t = classIndices(fn, 'target', tt, lay.classes, o.ignoreIndex);
  return nllCore(x, targetWeights(t, w && w.data, o.ignoreIndex), lay, o.reduction);
}

/**
 * Cross-entropy between logits and class indices or class probabilities.
 *
 * Class indices: `ℓ_n = −w[y_n] log softmax(x_n)[y_n]`, reduced like `nllLoss` (weighted mean).
 * With label smoothing ε the result is `(1 − ε)·nll + (ε/C)·s`, where
 * `s_n = −Σ_c w[c] log softmax(x_n)[c]` (0 where ignored), reduced the same way (its 'mean'
 * also divides by `Σ w[y_n]` over the positions not ignored), exactly as PyTorch 1.13.
 * Probabilities (`target` of the input's shape): `ℓ_n = −Σ_c w[c] q_nc log softmax(x_n)[c]` with
 * `q = (1 − ε)·target + ε/C`; here `'mean'` divides by the number of positions, not by weights.
 *
 * @param input logits `[N, C]`, `[N, C, d1, …]`, or `[C]`
 * @param target class indices (`[N]`, `[N, d1, …]`, or `[]` for a `[C]` input), or probabilities
 *   of the input's shape (differentiable)
 * @param opts `weight` `[C]`, `ignoreIndex = -100` (index targets only; PyTorch rejects
 *   `ignoreIndex >= 0` with probabilities), `labelSmoothing = 0` in [0, 1], `reduction = 'mean'`
 * @returns `'none'`: `[N, d1, …]` (`[]` for a `[C]` input); `'mean'`, `'sum'`: a scalar `[]`
 *
 * PyTorch: `torch.nn.functional.cross_entropy(input, target, weight, ignore_index=,
 * reduction=, label_smoothing=)`.
 *
 * Numerics: computed from `(x − max) − log Σ exp(x − max)`, so logits of ±1000 give finite
 * losses and gradients. Index targets without smoothing run as one fused kernel (see
 * engine/fused/cross-entropy.ts). Weights get a gradient only with probability targets, as in PyTorch.
 * NOTE: PyTorch silently ignores a negative `labelSmoothing`; here it throws.
 *
 * References: PyTorch `aten/src/ATen/native/LossNLL.cpp` (`cross_entropy_loss_label_smoothing`,
 * `cross_entropy_loss_prob_target`); Szegedy et al., "Rethinking the Inception Architecture"
 * (2016), for label smoothing.
 *
 * @example
 * const logits = tensor([[2, 0.5, -1], [0.1, 0.2, 3]], { requiresGrad: true });
 * const loss = crossEntropyLoss(logits, [0, 2]);
 * loss.item(); // => 0.1754564
 * loss.backward();
 * logits.grad.toArray(); // => [[-0.1072, 0.0876, 0.0196], [0.0247, 0.0272, -0.0519]]
 * crossEntropyLoss(logits, [0, 2], { labelSmoothing: 0.1 }).item(); // => 0.3454564
 */
export function crossEntropyLoss(input: TensorLike, target: TensorLike, opts?: CrossEntropyLossOptions): Tensor {
  const fn = 'crossEntropyLoss';
  const o = parseOptions(fn, opts, {
    weight: RAW, ignoreIndex: IGNORE_INDEX, reduction: reduction(), labelSmoothing: number({ default: 0, min: 0, max: 1 }),
  });
  const { ignoreIndex, labelSmoothing: ls } = o;
  const x = toTensor(fn, 'input', input);
  if (x.ndim === 0) fail(fn, `input must be [C], [N, C] or [N, C, d1, …], got shape ${fmtShape(x.shape)}`);
  const cd = classDimOf(x);
  const classes = x.shape[cd];
  const tt = toTensor(fn, 'target', target);
  const w = classWeight(fn, o.weight, classes);

  if (sameShape(tt.shape, x.shape)) {
    if (ignoreIndex >= 0) fail(fn, `ignoreIndex is not supported with probability targets (target shape ${fmtShape(tt.shape)} equals the input's), got ${ignoreIndex}`);
    const logp = x.logSoftmax(cd); // [N, C, d1, …]
    const q = ls > 0 ? tt.mul(1 - ls).add(ls / classes) : tt; // [N, C, d1, …]
    const prod = w ? logp.mul(q).mul(alongClassDim(w, x.ndim)) : logp.mul(q); // [N, C, d1, …]
    return reduce(prod.sum(cd).neg(), o.reduction); // [N, d1, …]
  }

  const lay = classLayout(fn, x, tt);
  const t = classIndices(fn, 'target', tt, classes, ignoreIndex);
  const wd = w && w.data;
  const tw = targetWeights(t, wd, ignoreIndex);
  if (ls === 0) return reduce(crossEntropyPositions(x, lay, t.data, wd, ignoreIndex), o.reduction, tw.total); // [N, d1, …]

  const logp = x.logSoftmax(cd); // [N, C, d1, …]
  const nll = nllCore(logp, tw, lay, o.reduction);
  const weighted = w ? logp.mul(alongClassDim(w.detach(), x.ndim)) : logp; // [N, C, d1, …]
  const smooth = weighted.sum(cd).neg().where(new Tensor(tw.keep, lay.outShape), 0); // [N, d1, …]
  return nll.mul(1 - ls).add(reduce(smooth, o.reduction, tw.total).mul(ls / classes));
}

/**
 * Multi-class hinge loss: the target class's score must beat every other by `margin`.
 *
 * `ℓ_n = (1/C) Σ_{i ≠ y_n} w[y_n] · max(0, margin − x[n, y_n] + x[n, i])^p`, p ∈ {1, 2}.
 *
 * @param input scores `[N, C]` or `[C]`
 * @param target class indices `[N]` (`[]` or `[1]` for a `[C]` input)
 * @param opts `p = 1` (1 or 2), `margin = 1`, `weight` `[C]`, `reduction = 'mean'`
 * @returns `'none'`: the target's shape; `'mean'` (over N), `'sum'`: a scalar `[]`
 *
 * PyTorch: `torch.nn.functional.multi_margin_loss(input, target, p=, margin=, weight=, reduction=)`.
 *
 * Numerics: at the hinge (`margin − x[y] + x[i] = 0` exactly) the term and its gradient are 0,
 * as in PyTorch; `margin − x[y]` is formed first, in PyTorch's order, so the same inputs land on
 * the same side of the hinge. NOTE: NaN in the input propagates here; PyTorch's CPU kernel skips
 * a NaN term (its `z > 0` test fails) and returns a finite loss. An empty batch gives NaN for
 * 'mean', where PyTorch returns uninitialized memory.
 *
 * References: Weston & Watkins, "Multi-class support vector machines" (1998); PyTorch
 * `aten/src/ATen/native/LossMultiMargin.cpp`.
 *
 * @example
 * const x = tensor([[0.1, 0.2, 0.4, 0.8], [0.3, -0.2, 0.5, 0.1]], { requiresGrad: true });
 * multiMarginLoss(x, [3, 0]).item(); // => 0.475
 * multiMarginLoss(x, [3, 0], { p: 2, margin: 0.5, reduction: 'none' }).toArray(); // => [0.0025, 0.145]
 */
export function multiMarginLoss(input: TensorLike, target: TensorLike, opts?: MultiMarginLossOptions): Tensor {
  const fn = 'multiMarginLoss';
  const o = parseOptions(fn, opts, { p: HINGE_POWER, margin: margin(1), weight: RAW, reduction: reduction() });
  const x = toTensor(fn, 'input', input);
  if (x.ndim !== 1 && x.ndim !== 2) fail(fn, `input must be [N, C] or [C], got shape ${fmtShape(x.shape)}`);
  const n = x.ndim === 1 ? 1 : x.shape[0];
  const classes = x.shape[x.ndim - 1];
  const tt = toTensor(fn, 'target', target);
  const okShape = x.ndim === 2 ? sameShape(tt.shape, [n]) : sameShape(tt.shape, []) || sameShape(tt.shape, [1]);
  if (!okShape) {
    fail(fn, `target shape ${fmtShape(tt.shape)} does not match input shape ${fmtShape(x.shape)} (expected ${x.ndim === 2 ? `[${n}]` : '[] or [1]'})`);
  }
  const w = classWeight(fn, o.weight, classes);
  const t = classIndices(fn, 'target', tt, classes);

  const others = new Float64Array(n * classes).fill(1);
  for (let i = 0; i < n; i++) others[i * classes + t.data[i]] = 0;
  const x2 = x.reshape([n, classes]); // [N, C]
  const xy = x2.gather(1, new Tensor(t.data, [n, 1])); // [N, 1]
  const z = xy.neg().add(o.margin).add(x2); // [N, C]: (margin − x[y]) + x[i]
  let h = z.relu(); // [N, C]
  if (o.p === 2) h = h.mul(h);
  if (w) h = h.mul(new Tensor(Float64Array.from(t.data, (y) => w.data[y]), [n, 1]));
  const loss = h.where(new Tensor(others, [n, classes]), 0).sum(1).div(classes); // [N]
  return reduce(loss.reshape(tt.shape), o.reduction);
}

/**
 * Multi-label one-versus-all logistic loss.
 *
 * `ℓ_n = −(1/C) Σ_c w[c] (t[n, c] log σ(x[n, c]) + (1 − t[n, c]) log σ(−x[n, c]))`.
 *
 * @param input logits `[N, C]` (any shape with the classes last, as in PyTorch)
 * @param target labels in {0, 1} of the input's shape (soft labels are accepted; differentiable)
 * @param opts `weight` `[C]` (differentiable), `reduction = 'mean'`
 * @returns `'none'`: `[N]` (the input's shape without its last dim); `'mean'`, `'sum'`: a scalar
 *
 * PyTorch: `torch.nn.functional.multilabel_soft_margin_loss(input, target, weight=, reduction=)`.
 *
 * Numerics: `log σ` is evaluated as `min(x, 0) − log1p(exp(−|x|))`, finite for logits ±1000
 * and exact in its tails (no `softplus` threshold).
 *
 * References: PyTorch `torch/nn/functional.py`.
 *
 * @example
 * const x = tensor([[1.5, -0.5, 0.2], [-2, 0.3, 1]], { requiresGrad: true });
 * multiLabelSoftMarginLoss(x, [[1, 0, 1], [0, 0, 1]]).item(); // => 0.4280290
 * multiLabelSoftMarginLoss(x, [[1, 0, 1], [0, 0, 1]], { weight: [1, 0.5, 2], reduction: 'none' }).toArray(); // => [0.5449098, 0.3935430]
 */
export function multiLabelSoftMarginLoss(input: TensorLike, target: TensorLike, opts?: MultiLabelSoftMarginLossOptions): Tensor {
  const fn = 'multiLabelSoftMarginLoss';
  const o = parseOptions(fn, opts, { weight: RAW, reduction: reduction() });
  const x = toTensor(fn, 'input', input);
  if (x.ndim === 0) fail(fn, `input must be [N, C] (classes last), got shape ${fmtShape(x.shape)}`);
  const t = toTensor(fn, 'target', target);
  expectShape(fn, 'target', t, x);
  const classes = x.shape[x.ndim - 1];
  const w = classWeight(fn, o.weight, classes);
  const pos = t.mul(logSigmoid(x)); // [N, C]
  const neg = t.neg().add(1).mul(logSigmoid(x.neg())); // [N, C]
  let loss = pos.add(neg).neg(); // [N, C]
  if (w) loss = loss.mul(w);
  return reduce(loss.sum(-1).div(classes), o.reduction); // [N] before reduction
}

/**
 * Multi-label hinge loss: every target class must beat every non-target class by 1.
 *
 * `ℓ_n = (1/C) Σ_{j ∈ T_n} Σ_{i ∉ T_n} max(0, 1 − (x[n, j] − x[n, i]))`, where `T_n` lists the
 * entries of `target[n]` before its first -1. A class listed twice counts twice, as in PyTorch.
 *
 * @param input scores `[N, C]` or `[C]`
 * @param target the input's shape: class indices in `[0, C)`, ended by -1; every entry, even after
 *   the -1, must lie in [-1, C) (PyTorch checks them all)
 * @param opts `reduction = 'mean'`
 * @returns `'none'`: `[N]` (`[]` for a `[C]` input); `'mean'`, `'sum'`: a scalar `[]`
 *
 * PyTorch: `torch.nn.functional.multilabel_margin_loss(input, target, reduction=)`.
 *
 * Numerics: at the hinge the term and its gradient are 0, as in PyTorch. The pairs are formed
 * densely, `[N, C, C]`. NOTE: NaN in the input propagates; PyTorch's CPU kernel skips NaN terms.
 *
 * References: PyTorch `aten/src/ATen/native/LossMultiLabelMargin.cpp`.
 *
 * @example
 * const x = tensor([[0.1, 0.2, 0.4, 0.8], [0.5, -0.3, 0.9, 0.0]], { requiresGrad: true });
 * multiLabelMarginLoss(x, [[3, 0, -1, 1], [2, -1, 0, 0]]).item(); // => 0.5125
 * multiLabelMarginLoss(x, [[3, 0, -1, 1], [2, -1, 0, 0]], { reduction: 'none' }).toArray(); // => [0.85, 0.175]
 */
export function multiLabelMarginLoss(input: TensorLike, target: TensorLike, opts?: MultiLabelMarginLossOptions): Tensor {
  const fn = 'multiLabelMarginLoss';
  const o = parseOptions(fn, opts, { reduction: reduction() });
  const x = toTensor(fn, 'input', input);
  if (x.ndim !== 1 && x.ndim !== 2) fail(fn, `input must be [N, C] or [C], got shape ${fmtShape(x.shape)}`);
  const tt = toTensor(fn, 'target', target);
  expectShape(fn, 'target', tt, x);
  const n = x.ndim === 1 ? 1 : x.shape[0];
  const classes = x.shape[x.ndim - 1];
  const t = tt.data;
  for (let k = 0; k < t.length; k++) {
    const v = t[k];
    if (!Number.isInteger(v)) fail(fn, `target must hold integer class indices, got ${describe(v)}`);
    if (v < -1 || v >= classes) fail(fn, `target holds class index ${v}, outside [0, ${classes}) and not the terminator -1`);
  }

  // count[n, j]: how often j is listed before the first -1; pair[n, j, i]: j listed, i not.
  const count = new Float64Array(n * classes);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < classes; k++) {
      const y = t[s * classes + k];
      if (y < 0) break;
      count[s * classes + y] += 1;
    }
  }
  const pair = new Float64Array(n * classes * classes);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < classes; j++) {
      if (count[s * classes + j] === 0) continue;
      for (let i = 0; i < classes; i++) {
        if (count[s * classes + i] === 0) pair[(s * classes + j) * classes + i] = 1;
      }
    }
  }
  const x2 = x.reshape([n, classes]); // [N, C]
  const z = x2.unsqueeze(2).neg().add(1).add(x2.unsqueeze(1)); // [N, C, C]: (1 − x[j]) + x[i]
  const h = z.relu().mul(new Tensor(count, [n, classes, 1])); // [N, C, C]
  const loss = h.where(new Tensor(pair, [n, classes, classes]), 0).sum([1, 2]).div(classes); // [N]
  return reduce(x.ndim === 1 ? loss.reshape([]) : loss, o.reduction);
}
