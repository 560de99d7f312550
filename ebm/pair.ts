/**
 * Pair forms of the energy-based-model losses: each per-sample loss written as a function of
 * `E = E(W, Y^i, X^i)` and `Ē = E(W, Ȳ^i, X^i)` only. The discrete losses in `discrete.ts` find
 * `E` and `Ē` in an energy table and then apply these same rules; continuous answers get `Ē`
 * from `mostOffendingIncorrectContinuous`. Reference: LeCun, Chopra, Hadsell, Ranzato, Huang,
 * "A Tutorial on Energy-Based Learning" (2006), Section 2.2 and Table 1.
 */
import type { Reduction, Tensor, TensorLike } from '../engine/index.js';
import { logAddExp, logSigmoid } from '../engine/index.js';
import type { Parsed, Schema } from '../engine/internal.js';
import { margin, reduce } from '../engine/internal.js';
import { lossOptions, pairArgs, positiveOne } from './args.js';

export interface EbmLossOptions {
  /** `'mean'` (default): `1/P Σ`, the loss functional's average; `'sum'`; `'none'`: one loss per sample. */
  reduction?: Reduction;
}
export interface MarginOptions extends EbmLossOptions {
  /** The margin `m`: any finite number (default 1). */
  margin?: number;
}
export interface BetaOptions extends EbmLossOptions {
  /** The inverse temperature `β > 0` (default 1). */
  beta?: number;
}
export interface GammaOptions extends EbmLossOptions {
  /** The weight `γ > 0` of the pull-up term (default 1). */
  gamma?: number;
}
export interface Lvq2Options extends EbmLossOptions {
  /** The cap `M` of the loss: any finite number, as every margin (default 1). */
  margin?: number;
  /** The scale `δ > 0` of the relative gap (default 1). */
  delta?: number;
}

/**
 * One per-sample rule: the schema of its options (besides `reduction`), and the loss as a
 * composition of engine ops on `E` and `Ē` (tensors of one shape).
 */
export interface PairRule<S extends Schema> {
  readonly schema: S;
  rule(e: Tensor, eBar: Tensor, o: Parsed<S>): Tensor;
}

const pairRule = <S extends Schema>(schema: S, rule: (e: Tensor, eBar: Tensor, o: Parsed<S>) => Tensor): PairRule<S> => ({ schema, rule });

const MARGIN = { margin: margin(1) };
const BETA = { beta: positiveOne };

export const RULES = {
  energy: pairRule({}, (e) => e),
  // E - min(E, Ē): with two answers the min over all answers is the smaller of the pair.
  perceptron: pairRule({}, (e, eb) => e.sub(eb).relu()),
  // NOTE: max(0, ·) is a clamp at 0, which passes the gradient at the kink: marginRankingLoss's
  // (PyTorch's clamp_min) rule, so that hinge(E, Ē) and marginRankingLoss(Ē, E, 1) agree there too.
  hinge: pairRule(MARGIN, (e, eb, o) => e.sub(eb).add(o.margin).clamp(0)),
  // log(1 + exp(E - Ē)) = -log σ(Ē - E): softMarginLoss(Ē - E, 1) to the last bit.
  log: pairRule({}, (e, eb) => logSigmoid(eb.sub(e)).neg()),
  squareSquare: pairRule(MARGIN, (e, eb, o) => e.pow(2).add(eb.neg().add(o.margin).relu().pow(2))),
  squareExp: pairRule({ gamma: positiveOne }, (e, eb, o) => e.pow(2).add(eb.neg().exp().mul(o.gamma))),
  lvq2: pairRule({ margin: margin(1), delta: positiveOne }, (e, eb, o) => e.sub(eb).div(eb.mul(o.delta)).relu().clamp(null, o.margin)),
  mce: pairRule({}, (e, eb) => e.sub(eb).sigmoid()),
  // E + (1/β) log(exp(-βE) + exp(-βĒ)): the NLL loss over the two answers.
  nll: pairRule(BETA, (e, eb, o) => logAddExp(e.mul(-o.beta), eb.mul(-o.beta)).div(o.beta).add(e)),
  // 1 - exp(-βE) / (exp(-βE) + exp(-βĒ)) = σ(β(E - Ē)).
  mee: pairRule(BETA, (e, eb, o) => e.sub(eb).mul(o.beta).sigmoid()),
};

function pairForm<S extends Schema>(name: string, r: PairRule<S>, e: unknown, eBar: unknown, opts: unknown): Tensor {
  const fn = `pair.${name}`;
  const o = lossOptions(fn, opts, r.schema);
  const [a, b] = pairArgs(fn, e, eBar);
  return reduce(r.rule(a, b, o), o.reduction);
}

/**
 * The pair forms: every loss of the tutorial's Table 1 as a function of `E` (energy of the
 * correct answer) and `Ē` (energy of the most offending incorrect answer), tensors of one shape
 * (also nested number arrays). Each takes the discrete loss's options plus `reduction`.
 *
 * @param E `[*]` the energies of the correct answers (a Tensor or nested number arrays).
 * @param Ebar `[*]`, the shape of `E`: the energies of the most offending incorrect answers.
 * @param opts the form's options listed below, and `reduction`.
 * @returns `[*]` for `'none'`; a 0-d Tensor for `'mean'` (default: `1/P Σ`) and `'sum'`.
 *
 * PyTorch: none, except `hinge`, which is `margin_ranking_loss(Ē, E, ones, margin)`, and `log`,
 * which is `soft_margin_loss(Ē - E, ones)`, each to the last bit, values and gradients.
 *
 * - `energy(E, Ē)`: `E`. Margin: none.
 * - `perceptron(E, Ē)`: `max(0, E - Ē)` (the perceptron loss `E - min(E, Ē)`). Margin: 0.
 * - `hinge(E, Ē, { margin = 1 })`: `max(0, m + E - Ē)`. Margin: m.
 * - `log(E, Ē)`: `log(1 + exp(E - Ē))`. Margin: > 0.
 * - `squareSquare(E, Ē, { margin = 1 })`: `E² + max(0, m - Ē)²`. Margin: m.
 * - `squareExp(E, Ē, { gamma = 1 })`: `E² + γ exp(-Ē)`. Margin: > 0.
 * - `lvq2(E, Ē, { margin = 1, delta = 1 })`: `min(M, max(0, (E - Ē) / (δ Ē)))`, `M = margin`;
 *   meant for positive energies (distances). Margin: 0.
 * - `mce(E, Ē)`: `σ(E - Ē)`. Margin: > 0.
 * - `nll(E, Ē, { beta = 1 })`: `E + (1/β) log(exp(-βE) + exp(-βĒ))`, the NLL over two answers. Margin: > 0.
 * - `mee(E, Ē, { beta = 1 })`: `1 - exp(-βE) / (exp(-βE) + exp(-βĒ)) = σ(β(E - Ē))`. Margin: > 0.
 *
 * Numerics: `log` is `-logSigmoid(Ē - E)`, the engine's exact log-sigmoid (finite and accurate
 * for any gap); `nll` uses the engine's `logAddExp`, so large energies do not overflow; `hinge`'s
 * max(0, ·) is a clamp, which passes the gradient at the kink (as `marginRankingLoss`), the other
 * max(0, ·) are `relu`, whose gradient at 0 is 0; `lvq2`'s cap is a clamp, which passes the
 * gradient at `M`.
 * Errors name the form, e.g. `pair.hinge: Ebar shape [2] does not match E shape [3]`.
 *
 * References: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2, Table 1.
 *
 * @example
 * const e = tensor([0.5, 2.0], { requiresGrad: true });
 * const eBar = tensor([1.0, 1.5]);
 * const l = ebm.pair.hinge(e, eBar, { margin: 1, reduction: 'sum' });
 * l.item(); // => 2.0
 * l.backward();
 * e.grad.toArray(); // => [1, 1]
 * ebm.pair.log(e, eBar, { reduction: 'none' }).toArray(); // => [0.474077, 0.974077]
 * ebm.pair.squareSquare(e, eBar, { reduction: 'none' }).toArray(); // => [0.25, 4]
 * ebm.pair.nll(e, eBar, { beta: 2, reduction: 'none' }).toArray(); // => [0.156631, 0.656631]
 */
export const pair = {
  /** `E`: the energy loss; Ē only fixes the shape. Margin: none. */
  energy: (E: TensorLike, Ebar: TensorLike, opts?: EbmLossOptions): Tensor => pairForm('energy', RULES.energy, E, Ebar, opts),
  /** `max(0, E - Ē)`: the perceptron loss over two answers. Margin: 0. */
  perceptron: (E: TensorLike, Ebar: TensorLike, opts?: EbmLossOptions): Tensor => pairForm('perceptron', RULES.perceptron, E, Ebar, opts),
  /** `max(0, m + E - Ē)`, `margin = 1`. Margin: m. */
  hinge: (E: TensorLike, Ebar: TensorLike, opts?: MarginOptions): Tensor => pairForm('hinge', RULES.hinge, E, Ebar, opts),
  /** `log(1 + exp(E - Ē))`. Margin: > 0. */
  log: (E: TensorLike, Ebar: TensorLike, opts?: EbmLossOptions): Tensor => pairForm('log', RULES.log, E, Ebar, opts),
  /** `E² + max(0, m - Ē)²`, `margin = 1`. Margin: m. */
  squareSquare: (E: TensorLike, Ebar: TensorLike, opts?: MarginOptions): Tensor => pairForm('squareSquare', RULES.squareSquare, E, Ebar, opts),
  /** `E² + γ exp(-Ē)`, `gamma = 1`. Margin: > 0. */
  squareExp: (E: TensorLike, Ebar: TensorLike, opts?: GammaOptions): Tensor => pairForm('squareExp', RULES.squareExp, E, Ebar, opts),
  /** `min(M, max(0, (E - Ē) / (δ Ē)))`, `margin = 1` (M), `delta = 1`; positive energies. Margin: 0. */
  lvq2: (E: TensorLike, Ebar: TensorLike, opts?: Lvq2Options): Tensor => pairForm('lvq2', RULES.lvq2, E, Ebar, opts),
  /** `σ(E - Ē)`. Margin: > 0. */
  mce: (E: TensorLike, Ebar: TensorLike, opts?: EbmLossOptions): Tensor => pairForm('mce', RULES.mce, E, Ebar, opts),
  /** `E + (1/β) log(exp(-βE) + exp(-βĒ))`, `beta = 1`. Margin: > 0. */
  nll: (E: TensorLike, Ebar: TensorLike, opts?: BetaOptions): Tensor => pairForm('nll', RULES.nll, E, Ebar, opts),
  /** `σ(β(E - Ē))`, `beta = 1`. Margin: > 0. */
  mee: (E: TensorLike, Ebar: TensorLike, opts?: BetaOptions): Tensor => pairForm('mee', RULES.mee, E, Ebar, opts),
};

/** A pair-form loss: `(E, Ē, opts)` with `opts.reduction` honoured. */
export type PairLoss = (E: Tensor, Ebar: Tensor, opts?: Record<string, unknown>) => Tensor;
