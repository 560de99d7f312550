/**
 * Energy-based-model losses over a discrete answer set: `energies` `[P, K]` holds
 * `E(W, y, X^i)` for each of `K` answers and `P` samples, `targets` `[P]` the correct answers.
 * The margin losses apply the pair rules of `pair.ts` to `E = E(Y^i)` and `Ē = E(Ȳ^i)`; the
 * losses that look at every answer (NLL, perceptron, MEE, pairwise hinge) are written out here.
 * All are compositions of engine ops, except NLL, which runs on cross-entropy's fused kernel.
 * Reference: LeCun, Chopra, Hadsell, Ranzato, Huang, "A Tutorial on Energy-Based Learning"
 * (2006), Section 2.2 and Table 1.
 */
import type { TensorLike } from '../engine/index.js';
import { Tensor, logSigmoid, where } from '../engine/index.js';
import type { Schema } from '../engine/internal.js';
import { crossEntropyPositions, custom, describe, fail, fmtShape, margin, oneOf, reduce } from '../engine/internal.js';
import { energiesArg, lossOptions, positiveOne, targetsArg } from './args.js';
import { correctAndOffending } from './offending.js';
import type { BetaOptions, GammaOptions, Lvq2Options, MarginOptions, EbmLossOptions, PairRule } from './pair.js';
import { RULES } from './pair.js';

/** Checks everything, then applies a pair rule to `E(Y^i)` and `Ē`. */
function viaPair<S extends Schema>(fn: string, r: PairRule<S>, energies: unknown, targets: unknown, opts: unknown): Tensor {
  const o = lossOptions(fn, opts, r.schema);
  const e = energiesArg(fn, energies);
  const t = targetsArg(fn, targets, e);
  const [eY, eBar] = correctAndOffending(e, t); // [P], [P]
  return reduce(r.rule(eY, eBar, o), o.reduction);
}

/** Checks options, energies and targets for a loss that reads every answer. */
function prepare<S extends Schema>(fn: string, energies: unknown, targets: unknown, opts: unknown, schema: S) {
  const o = lossOptions(fn, opts, schema);
  const e = energiesArg(fn, energies);
  const t = targetsArg(fn, targets, e);
  const idx = new Tensor(Float64Array.from(t), [t.length, 1]);
  return { o, e, t, idx };
}

/**
 * Energy loss: the energy of the correct answer.
 *
 * `L_i = E(W, Y^i, X^i)`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none (it is `energies.gather(1, targets[:, None])`).
 *
 * Numerics: a gather; the gradient is 1 at each correct answer. Margin (Table 1): none. It only
 * pushes down; it works when the architecture pulls other energies up by itself, and otherwise
 * collapses the energy surface.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.1.
 *
 * @example
 * ebm.energyLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2]).item(); // => 1.0
 */
export function energyLoss(energies: TensorLike, targets: TensorLike, opts?: EbmLossOptions): Tensor {
  const { o, e, idx } = prepare('energyLoss', energies, targets, opts, {});
  return reduce(e.gather(1, idx).reshape([idx.shape[0]]), o.reduction); // [P]
}

/**
 * Negative log-likelihood loss: the Gibbs free energy of all answers against the correct one.
 *
 * `L_i = E(Y^i) + (1/β) log Σ_y exp(-β E(y))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `beta = 1` (the inverse temperature, > 0), `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.cross_entropy(-beta * energies, targets) / beta`, which this
 * equals to the last bit, values and gradients.
 *
 * Numerics: it runs on cross-entropy's own fused kernel (a max-shifted log-sum-exp), so large
 * energies do not overflow. It tends to the perceptron loss as β grows. Margin (Table 1): > 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.4.
 *
 * @example
 * ebm.nllLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2]).item(); // => 0.829544
 * ebm.nllLoss([[0.5, 2.0, 1.0]], [1], { beta: 4, reduction: 'none' }).toArray(); // => [1.532277]
 */
export function nllLoss(energies: TensorLike, targets: TensorLike, opts?: BetaOptions): Tensor {
  const { o, e, t } = prepare('nllLoss', energies, targets, opts, { beta: positiveOne });
  const [p, k] = e.shape;
  // Cross-entropy's own kernel on -βE (no target is ignored: -1 is never an answer index).
  const ce = crossEntropyPositions(e.mul(-o.beta), { outer: p, classes: k, inner: 1, outShape: [p] }, Float64Array.from(t), null, -1); // [P]
  return reduce(ce.div(o.beta), o.reduction);
}

/**
 * Generalized perceptron loss: the correct answer's energy above the lowest energy.
 *
 * `L_i = E(Y^i) - min_y E(y)`, over all answers, the correct one included, so it is >= 0 and 0
 * exactly when the correct answer has the lowest energy.
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none (`energies.gather(1, targets[:, None]) - energies.min(1).values`).
 *
 * Numerics: Margin (Table 1): 0. NOTE: when the correct answer ties for the lowest energy but is
 * not the lowest index, the min's gradient goes to the lowest index, as torch.min(x, dim) does:
 * the loss is 0 but its gradient is not.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.2.
 *
 * @example
 * ebm.perceptronLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0, 0.5]
 */
export function perceptronLoss(energies: TensorLike, targets: TensorLike, opts?: EbmLossOptions): Tensor {
  const { o, e, idx } = prepare('perceptronLoss', energies, targets, opts, {});
  return reduce(e.gather(1, idx).reshape([idx.shape[0]]).sub(e.min(1)), o.reduction); // [P]
}

/**
 * Hinge loss: the correct answer must beat the most offending incorrect answer `Ȳ^i` by `m`.
 *
 * `L_i = max(0, m + E(Y^i) - E(Ȳ^i))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `margin = 1` (any finite number), `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.margin_ranking_loss(Ē, E, ones, margin)`, which this equals to
 * the last bit, values and gradients, kinks included.
 *
 * Numerics: `Ē` is one `minExcluding` over dim 1 (ties to the lowest index, and so is its
 * gradient) and `E` one gather; max(0, ·) is a clamp, which passes the gradient at the kink
 * (PyTorch's `clamp_min` rule, as `marginRankingLoss`). Margin (Table 1): m.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * const e = tensor([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], { requiresGrad: true });
 * const l = ebm.hingeLoss(e, [0, 2]);
 * l.item(); // => 1.0
 * l.backward();
 * e.grad.toArray(); // => [[0.5, 0, -0.5], [0, -0.5, 0.5]]
 */
export function hingeLoss(energies: TensorLike, targets: TensorLike, opts?: MarginOptions): Tensor {
  return viaPair('hingeLoss', RULES.hinge, energies, targets, opts);
}

/**
 * Log loss, the soft hinge: a smooth penalty on the gap to the most offending incorrect answer.
 *
 * `L_i = log(1 + exp(E(Y^i) - E(Ȳ^i)))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: `torch.nn.functional.soft_margin_loss(Ē - E, ones)`, which this equals to the last
 * bit (`softMarginLoss(Ē - E, 1)`), values and gradients.
 *
 * Numerics: `-logSigmoid(Ē - E)`, the engine's exact log-sigmoid: finite and accurate for any
 * gap (PyTorch's soft margin loss overflows above 709). Margin (Table 1): > 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.logLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0.474077, 0.974077]
 */
export function logLoss(energies: TensorLike, targets: TensorLike, opts?: EbmLossOptions): Tensor {
  return viaPair('logLoss', RULES.log, energies, targets, opts);
}

/**
 * Square-square loss: pushes the correct energy to 0 and the most offending one above `m`.
 *
 * `L_i = E(Y^i)² + max(0, m - E(Ȳ^i))²`, for non-negative energies.
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `margin = 1` (any finite number), `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none.
 *
 * Numerics: max(0, ·) is `relu`; the square makes the gradient vanish at the kink anyway.
 * Margin (Table 1): m.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.squareSquareLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { margin: 2, reduction: 'none' }).toArray(); // => [1.25, 3.25]
 */
export function squareSquareLoss(energies: TensorLike, targets: TensorLike, opts?: MarginOptions): Tensor {
  return viaPair('squareSquareLoss', RULES.squareSquare, energies, targets, opts);
}

/**
 * Square-exponential loss: pushes the correct energy to 0 and the most offending one up.
 *
 * `L_i = E(Y^i)² + γ exp(-E(Ȳ^i))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `gamma = 1` (> 0), `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none.
 *
 * Numerics: `exp(-Ē)` overflows to +Infinity for `Ē` below about -709. Margin (Table 1): > 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.squareExpLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0.617879, 2.617879]
 */
export function squareExpLoss(energies: TensorLike, targets: TensorLike, opts?: GammaOptions): Tensor {
  return viaPair('squareExpLoss', RULES.squareExp, energies, targets, opts);
}

/**
 * LVQ2 loss: the relative gap to the most offending answer, capped, for positive energies
 * (distances to prototypes).
 *
 * `L_i = min(M, max(0, (E(Y^i) - E(Ȳ^i)) / (δ E(Ȳ^i))))`, `M = margin`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `margin = 1` (the cap M; any finite number, as every margin), `delta = 1` (> 0),
 *   `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none.
 *
 * Numerics: `Ē = 0` divides by zero (Infinity, or NaN when `E = 0` too); the cap is a clamp,
 * which passes the gradient at `M`. Margin (Table 1): 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3 and
 * Section 6 (LVQ2).
 *
 * @example
 * ebm.lvq2Loss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [1, 2], { delta: 0.5, reduction: 'none' }).toArray(); // => [1, 1]
 * ebm.lvq2Loss([[1.0, 1.2, 3.0]], [1], { reduction: 'none' }).toArray(); // => [0.2]
 */
export function lvq2Loss(energies: TensorLike, targets: TensorLike, opts?: Lvq2Options): Tensor {
  return viaPair('lvq2Loss', RULES.lvq2, energies, targets, opts);
}

/**
 * Minimum classification error loss: a sigmoid of the gap to the most offending answer.
 *
 * `L_i = σ(E(Y^i) - E(Ȳ^i))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none (`torch.sigmoid(E - Ē)`).
 *
 * Numerics: non-convex, flat far from the decision boundary. Margin (Table 1): > 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3.
 *
 * @example
 * ebm.mceLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0.377541, 0.622459]
 */
export function mceLoss(energies: TensorLike, targets: TensorLike, opts?: EbmLossOptions): Tensor {
  return viaPair('mceLoss', RULES.mce, energies, targets, opts);
}

/**
 * Minimum empirical error loss: one minus the Gibbs probability of the correct answer.
 *
 * `L_i = 1 - exp(-β E(Y^i)) / Σ_y exp(-β E(y))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `beta = 1` (> 0), `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none (`1 - torch.softmax(-beta * energies, 1).gather(1, targets[:, None])`).
 *
 * Numerics: computed as `1 - exp(logSoftmax(-βE)[Y^i])`, so large energies do not overflow.
 * Margin (Table 1): > 0.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.4.
 *
 * @example
 * ebm.meeLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0.453451, 0.651793]
 */
export function meeLoss(energies: TensorLike, targets: TensorLike, opts?: BetaOptions): Tensor {
  const { o, e, idx } = prepare('meeLoss', energies, targets, opts, { beta: positiveOne });
  const logP = e.mul(-o.beta).logSoftmax(1).gather(1, idx).reshape([idx.shape[0]]); // [P, K] -> [P]
  return reduce(logP.exp().neg().add(1), o.reduction);
}

export interface PairwiseHingeOptions extends EbmLossOptions {
  /**
   * The margin `C(Y^i, y)`: a finite number (the same for every pair, default 1), a `[K, K]`
   * Tensor indexed `C[Y^i][y]`, or a function `(yi, y) => number`.
   */
  margin?: number | Tensor | ((yi: number, y: number) => number);
  /** `H`: `'hinge'` (default), `max(0, x)`; or `'softplus'`, `log(1 + exp(x))`. */
  h?: 'hinge' | 'softplus';
}

type MarginSpec = number | Tensor | ((yi: number, y: number) => number);

// A number is read as every margin is; a Tensor or a function is checked against K in `marginRows`.
const PAIRWISE_MARGIN = custom((fn, name, v): MarginSpec => {
  if (v instanceof Tensor || typeof v === 'function') return v as MarginSpec;
  if (v === undefined || typeof v === 'number') return margin(1).read(fn, name, v);
  return fail(fn, `${name} must be a number, a [K, K] Tensor or a function (yi, y) => number, got ${describe(v)}`);
});

/** The margins `C(Y^i, y)` of each sample's row, `[P, K]`, from any of the three forms. */
function marginRows(fn: string, margin: MarginSpec, t: readonly number[], k: number): Tensor | number {
  if (typeof margin === 'number') return margin;
  if (margin instanceof Tensor) {
    if (margin.ndim !== 2 || margin.shape[0] !== k || margin.shape[1] !== k) {
      fail(fn, `margin must be a number, a [${k}, ${k}] Tensor or a function, got a Tensor of shape ${fmtShape(margin.shape)}`);
    }
    return margin.indexSelect(0, t as number[]); // [K, K] -> [P, K]
  }
  {
    const rows = new Map<number, Float64Array>();
    const data = new Float64Array(t.length * k);
    t.forEach((yi, i) => {
      let row = rows.get(yi);
      if (row === undefined) {
        row = new Float64Array(k);
        for (let y = 0; y < k; y++) {
          const c = margin(yi, y);
          if (typeof c !== 'number') fail(fn, `margin(${yi}, ${y}) must return a number, got ${describe(c)}`);
          row[y] = c;
        }
        rows.set(yi, row);
      }
      data.set(row, i * k);
    });
    return new Tensor(data, [t.length, k]);
  }
}

/**
 * Pairwise hinge loss: a margin against every incorrect answer rather than only the most
 * offending one.
 *
 * `L_i = Σ_{y ≠ Y^i} H(E(Y^i) - E(y) + C(Y^i, y))`
 *
 * @param energies `[P, K]` the energy `E(W, y, X^i)` of each of `K >= 2` answers (lower is better) for each of
 *   `P` samples: a Tensor (differentiable) or nested number arrays.
 * @param targets `[P]` the correct answers `Y^i`, integers in `[0, K)`.
 * @param opts `margin = 1`: a finite number, a `[K, K]` Tensor `C[Y^i][y]` (which may require
 *   grad), or `(yi, y) => number` (called once per distinct target and answer); `h = 'hinge'`
 *   (`max(0, x)`) or `'softplus'` (`log(1 + exp(x))`); `reduction`.
 * @returns `[P]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`, the loss functional's
 *   average) and `'sum'`.
 *
 * PyTorch: none.
 *
 * Numerics: the correct answer's own term is removed with `where`, so it contributes neither
 * value nor gradient; `'softplus'` is `-logSigmoid(-x)`, exact for every x. Margin: that of its
 * `H` against each answer: `C(Y^i, y)` for `'hinge'`, > 0 for `'softplus'`.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2.3 (the loss
 * of Taskar et al.'s max-margin Markov networks and of Altun et al., without the max).
 *
 * @example
 * ebm.pairwiseHingeLoss([[0.5, 2.0, 1.0], [3.0, 1.0, 1.5]], [0, 2], { reduction: 'none' }).toArray(); // => [0.5, 1.5]
 * ebm.pairwiseHingeLoss([[0.5, 2.0, 1.0]], [0], { margin: (yi, y) => Math.abs(yi - y), reduction: 'none' }).toArray(); // => [1.5]
 */
export function pairwiseHingeLoss(energies: TensorLike, targets: TensorLike, opts?: PairwiseHingeOptions): Tensor {
  const fn = 'pairwiseHingeLoss';
  const { o, e, t, idx } = prepare(fn, energies, targets, opts, { margin: PAIRWISE_MARGIN, h: oneOf(['hinge', 'softplus'] as const, 'hinge') });
  const [p, k] = e.shape;
  const c = marginRows(fn, o.margin, t, k);
  const mask = new Float64Array(p * k);
  t.forEach((y, i) => (mask[i * k + y] = 1));
  const d = e.gather(1, idx).sub(e).add(c); // [P, 1] - [P, K] -> [P, K]
  // softplus(d) = -log σ(-d), exact for every d (as logLoss's).
  const terms = o.h === 'hinge' ? d.relu() : logSigmoid(d.neg()).neg(); // [P, K]
  return reduce(where(new Tensor(mask, [p, k]), 0, terms).sum(1), o.reduction); // [P]
}
