/**
 * Diagnostics for energy-based training: how well an energy table separates the correct answers
 * (`marginReport`), and which margin a loss guarantees by the tutorial's sufficient condition
 * (`marginClass`). Reference: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 5.
 */
import type { TensorLike } from '../engine/index.js';
import { Tensor, noGrad } from '../engine/index.js';
import { custom, describe, fail, margin, number, optionalNumber, parseOptions } from '../engine/internal.js';
import { energiesArg, targetsArg } from './args.js';
import type { PairLoss } from './pair.js';

export interface MarginReportOptions {
  /** The margin `m` for `marginAccuracy` (default 1). */
  margin?: number;
  /** The surface counts as collapsed when its mean spread is at most `collapseTol · margin` (default 0.1). */
  collapseTol?: number;
}

export interface MarginReport {
  /** Fraction of samples whose correct answer has strictly the lowest energy (`E < Ē`). */
  accuracy: number;
  /** Fraction correct by at least the margin (`Ē - E >= m`). */
  marginAccuracy: number;
  /** Mean over samples of `Ē - E` (NaN propagates). */
  meanGap: number;
  /** Mean over samples of the spread `max_y E(y) - min_y E(y)`: 0 for a flat surface. */
  meanSpread: number;
  /**
   * True when the energy surface is flat: `meanSpread <= collapseTol · margin`, i.e. the answers
   * lie much closer together than the margin a contrastive loss asks for. The margin, not the
   * energies' magnitude, sets the scale: energies matter only through their differences, and a
   * surface that collapses towards 0 must be flagged too. With `margin = 0`, only an exactly flat
   * surface counts.
   */
  collapsed: boolean;
}

/**
 * How well `energies` separate the correct answers: accuracy, accuracy with a margin, the mean
 * gap `Ē - E` to the most offending incorrect answer, and whether the surface has collapsed.
 *
 * `accuracy = #{E < Ē} / P`, `marginAccuracy = #{Ē - E >= m} / P`, `meanGap = Σ (Ē - E) / P`,
 * `meanSpread = Σ (max_y E(y) - min_y E(y)) / P`, `collapsed = meanSpread <= collapseTol · m`.
 *
 * @param energies `[P, K]` energies of `K >= 2` answers per sample.
 * @param targets `[P]` the correct answers, integers in `[0, K)`.
 * @param opts `margin = 1` (any finite number), `collapseTol = 0.1` (>= 0).
 * @returns a `MarginReport` of plain numbers (no graph).
 *
 * PyTorch: none.
 *
 * Numerics: a sample with a NaN `E` or `Ē` counts as incorrect; `meanGap` is then NaN. With
 * `P = 0` the fractions are NaN. A collapsed surface (every answer near one energy) is the
 * failure the energy loss and the perceptron loss allow (Sections 2.2.1-2.2.2).
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Sections 2.2 and 5.
 *
 * @example
 * const r = ebm.marginReport([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { margin: 0.5 });
 * [r.accuracy, r.marginAccuracy, r.meanGap, r.meanSpread, r.collapsed]; // => [0.5, 0.5, 0, 1.75, false]
 */
export function marginReport(energies: TensorLike, targets: TensorLike, opts?: MarginReportOptions): MarginReport {
  const fn = 'marginReport';
  const { margin: m, collapseTol: tol } = parseOptions(fn, opts, { margin: margin(1), collapseTol: number({ default: 0.1, min: 0 }) });
  const e = energiesArg(fn, energies);
  const t = targetsArg(fn, targets, e);
  const [p, k] = e.shape;
  const x = e.data;
  let correct = 0;
  let byMargin = 0;
  let gap = 0;
  let spread = 0;
  for (let i = 0; i < p; i++) {
    const eY = x[i * k + t[i]];
    let eBar = Infinity;
    let lo = Infinity;
    let hi = -Infinity;
    for (let y = 0; y < k; y++) {
      const v = x[i * k + y];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (y !== t[i]) eBar = Math.min(eBar, v);
    }
    if (eY < eBar) correct++;
    if (eBar - eY >= m) byMargin++;
    gap += eBar - eY;
    spread += hi - lo;
  }
  return {
    accuracy: correct / p,
    marginAccuracy: byMargin / p,
    meanGap: gap / p,
    meanSpread: spread / p,
    collapsed: spread / p <= tol * m,
  };
}

export type MarginClassValue = 'none' | 0 | 'm' | '> 0';

export interface MarginClassOptions {
  /** Options passed to the pair loss, besides `reduction: 'none'` (e.g. `{ margin: 2 }`). */
  lossOptions?: Record<string, unknown>;
  /** The energy interval `[lo, hi]` the grid covers (default [-8, 8]; [0, 8] for positive energies). */
  range?: readonly [number, number];
  /** Grid points per axis (default 321). */
  steps?: number;
  /** Largest margin tested (default an eighth of the range's width). */
  maxMargin?: number;
}

export interface MarginClassResult {
  /** The margin column of the tutorial's Table 1: `'none'`, `0`, `'m'` (a finite margin) or `'> 0'`. */
  margin: MarginClassValue;
  /** The largest tested margin at which the condition held; null when it held at none. */
  holdsUpTo: number | null;
}

const LOSS_OPTIONS = custom((fn, name, v): Record<string, unknown> => {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(fn, `${name} must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
});

const RANGE = custom((fn, name, v): readonly [number, number] => {
  if (v === undefined) return [-8, 8];
  if (!Array.isArray(v) || v.length !== 2 || !v.every(Number.isFinite) || !(v[0] < v[1])) {
    fail(fn, `${name} must be [lo, hi] with finite lo < hi, got ${describe(v)}`);
  }
  return [v[0], v[1]];
});

/**
 * Which margin a pair loss guarantees, by checking on a grid the tutorial's sufficient
 * condition for a good loss (Section 5, Condition 3): for a margin `m`, some point of
 * `HP1 = {E + m < Ē}` must have a loss strictly below the loss at every point of
 * `HP2 = {E + m > Ē}`.
 *
 * The check: evaluate `pairLoss(E, Ē, { ...lossOptions, reduction: 'none' })` on a square grid
 * over `range` (spacing h). For each tested margin `m = j h` (j = 0, 1, … up to `maxMargin`) it
 * compares the least loss over HP1 points of the inner half of the grid with the least loss over
 * HP2 points of the whole grid; HP2 searched wider than HP1 stands in for the unbounded
 * half-plane, so a loss that only looks good at the grid's edge (the energy loss) fails.
 * Points where the loss is NaN are skipped (LVQ2 at `Ē = E = 0`). The condition at `m` implies
 * it at every smaller margin, so the margins where it holds form an interval from 0:
 * held nowhere gives `'none'`; only at 0 gives `0`; up to some `m < maxMargin` gives `'m'`
 * (`holdsUpTo` is then the loss's margin, to the grid spacing); at every tested margin gives `'> 0'`.
 *
 * @param pairLoss one of `ebm.pair.*` or any `(E, Ē, opts) => Tensor` that honours
 *   `reduction: 'none'` (`E`, `Ē` and the result are `[steps²]`).
 * @param opts `lossOptions` (passed to `pairLoss`), `range = [-8, 8]`, `steps = 321` (5 to 2049),
 *   `maxMargin = (hi - lo) / 8` (>= 0).
 * @returns `{ margin, holdsUpTo }` (plain values, no graph).
 *
 * PyTorch: none.
 *
 * Numerics: a grid check, not a proof: a margin larger than `maxMargin` reads as `'> 0'`, and a
 * loss meant for positive energies (LVQ2, whose `Ē` divides) needs `range: [0, R]`.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 5 and Table 1.
 *
 * @example
 * ebm.marginClass(ebm.pair.hinge, { lossOptions: { margin: 1 } }).margin; // => "m"
 * ebm.marginClass(ebm.pair.hinge, { lossOptions: { margin: 1 } }).holdsUpTo; // => 1.0
 * ebm.marginClass(ebm.pair.log).margin; // => "> 0"
 * ebm.marginClass(ebm.pair.perceptron).margin; // => 0
 * ebm.marginClass(ebm.pair.energy).margin; // => "none"
 */
export function marginClass(pairLoss: PairLoss, opts?: MarginClassOptions): MarginClassResult {
  const fn = 'marginClass';
  if (typeof pairLoss !== 'function') fail(fn, `pairLoss must be a function (E, Ebar, opts) => Tensor, got ${describe(pairLoss)}`);
  const o = parseOptions(fn, opts, {
    lossOptions: LOSS_OPTIONS,
    range: RANGE,
    // The grid holds steps² pairs: past 2049 (4.2 million) a call would take minutes and gigabytes.
    steps: number({ default: 321, integer: true, min: 5, max: 2049 }),
    maxMargin: optionalNumber({ min: 0 }),
  });
  const { lossOptions, steps: n } = o;
  const [lo, hi] = o.range;
  const h = (hi - lo) / (n - 1);
  const maxMargin = o.maxMargin ?? (hi - lo) / 8;
  const jMax = Math.floor(maxMargin / h + 1e-9);
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = lo + i * h;
  const eData = new Float64Array(n * n);
  const bData = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      eData[a * n + b] = grid[a];
      bData[a * n + b] = grid[b];
    }
  }
  const q = noGrad(() => pairLoss(new Tensor(eData, [n * n]), new Tensor(bData, [n * n]), { ...lossOptions, reduction: 'none' }));
  if (!(q instanceof Tensor) || q.size !== n * n) {
    fail(fn, `pairLoss must return one loss per pair with reduction 'none' (${n * n} values), got ${describe(q)}`);
  }
  // The least loss on each diagonal `Ē - E = k h`, k in (-n, n): over the whole grid (for HP2)
  // and over its inner half (for HP1).
  const inner = (i: number): boolean => i >= (n - 1) / 4 && i <= (3 * (n - 1)) / 4;
  const all = new Float64Array(2 * n - 1).fill(Infinity);
  const mid = new Float64Array(2 * n - 1).fill(Infinity);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const v = q.data[a * n + b];
      if (v !== v) continue;
      const k = b - a + n - 1;
      if (v < all[k]) all[k] = v;
      if (inner(a) && inner(b) && v < mid[k]) mid[k] = v;
    }
  }
  // below[k]: least over gaps < (k - n + 1) h, whole grid; above[k]: least over gaps > (k - n + 1) h, inner half.
  const below = new Float64Array(2 * n - 1);
  const above = new Float64Array(2 * n - 1);
  for (let k = 0, run = Infinity; k < 2 * n - 1; k++) {
    below[k] = run;
    run = Math.min(run, all[k]);
  }
  for (let k = 2 * n - 2, run = Infinity; k >= 0; k--) {
    above[k] = run;
    run = Math.min(run, mid[k]);
  }
  let held = -1;
  for (let j = 0; j <= jMax; j++) {
    const k = j + n - 1;
    const best1 = above[k];
    const best2 = below[k];
    if (!(best1 < best2 - 1e-12 * Math.max(1, Math.abs(best2)))) break;
    held = j;
  }
  if (held < 0) return { margin: 'none', holdsUpTo: null };
  const holdsUpTo = held * h;
  if (held === 0) return { margin: 0, holdsUpTo };
  return { margin: held === jMax ? '> 0' : 'm', holdsUpTo };
}
