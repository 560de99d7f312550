/**
 * Pair forms of the energy-based-model losses: each per-sample loss written as a function of
 * `E = E(W, Y^i, X^i)` and `Ē = E(W, Ȳ^i, X^i)` only. The discrete losses in `discrete.ts` find
 * `E` and `Ē` in an energy table and then apply these same rules; continuous answers get `Ē`
 * from `mostOffendingIncorrectContinuous`. Reference: LeCun, Chopra, Hadsell, Ranzato, Huang,
 * "A Tutorial on Energy-Based Learning" (2006), Section 2.2 and Table 1.
 */
import { stack } from '../engine/ops/shape-ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { Reduction } from '../losses/common.js';
import { reduce } from '../losses/common.js';
import { lossOpts, numberOpt, pairArgs } from './args.js';

export interface ReductionOptions {
  /** `'mean'` (default): `1/P Σ`, the loss functional's average; `'sum'`; `'none'`: one loss per sample. */
  reduction?: Reduction;
}
export interface MarginOptions extends ReductionOptions {
  /** The margin `m` (default 1). */
  margin?: number;
}
export interface BetaOptions extends ReductionOptions {
  /** The inverse temperature `β > 0` (default 1). */
  beta?: number;
}
export interface GammaOptions extends ReductionOptions {
  /** The weight `γ > 0` of the pull-up term (default 1). */
  gamma?: number;
}
export interface Lvq2Options extends ReductionOptions {
  /** The cap `M > 0` of the loss (default 1). */
  margin?: number;
  /** The scale `δ > 0` of the relative gap (default 1). */
  delta?: number;
}

/**
 * One per-sample rule: its option names, how they are read, and the loss as a composition of
 * engine ops on `E` and `Ē` (tensors of one shape).
 */
export interface PairRule<P> {
  readonly options: readonly string[];
  parse(fn: string, o: Record<string, unknown>): P;
  rule(e: Tensor, eBar: Tensor, p: P): Tensor;
}

const none: Pick<PairRule<null>, 'options' | 'parse'> = { options: [], parse: () => null };
const margin = (fn: string, o: Record<string, unknown>): number => numberOpt(fn, 'margin', o.margin, 1, 'nonnegative');
const beta = (fn: string, o: Record<string, unknown>): number => numberOpt(fn, 'beta', o.beta, 1, 'positive');

export const RULES = {
  energy: { ...none, rule: (e: Tensor) => e } as PairRule<null>,
  // E - min(E, Ē): with two answers the min over all answers is the smaller of the pair.
  perceptron: { ...none, rule: (e: Tensor, eb: Tensor) => e.sub(eb).relu() } as PairRule<null>,
  hinge: { options: ['margin'], parse: margin, rule: (e, eb, m) => e.sub(eb).add(m).relu() } as PairRule<number>,
  log: { ...none, rule: (e: Tensor, eb: Tensor) => e.sub(eb).softplus() } as PairRule<null>,
  squareSquare: {
    options: ['margin'],
    parse: margin,
    rule: (e, eb, m) => e.pow(2).add(eb.neg().add(m).relu().pow(2)),
  } as PairRule<number>,
  squareExp: {
    options: ['gamma'],
    parse: (fn, o) => numberOpt(fn, 'gamma', o.gamma, 1, 'positive'),
    rule: (e, eb, g) => e.pow(2).add(eb.neg().exp().mul(g)),
  } as PairRule<number>,
  lvq2: {
    options: ['margin', 'delta'],
    parse: (fn, o) => ({ cap: numberOpt(fn, 'margin', o.margin, 1, 'positive'), delta: numberOpt(fn, 'delta', o.delta, 1, 'positive') }),
    rule: (e, eb, { cap, delta }) => e.sub(eb).div(eb.mul(delta)).relu().clamp(null, cap),
  } as PairRule<{ cap: number; delta: number }>,
  mce: { ...none, rule: (e: Tensor, eb: Tensor) => e.sub(eb).sigmoid() } as PairRule<null>,
  // E + (1/β) log(exp(-βE) + exp(-βĒ)): the NLL loss over the two answers.
  nll: {
    options: ['beta'],
    parse: beta,
    rule: (e, eb, b) => stack([e, eb], -1).mul(-b).logSumExp(-1).div(b).add(e), // [..., 2] -> [...]
  } as PairRule<number>,
  // 1 - exp(-βE) / (exp(-βE) + exp(-βĒ)) = σ(β(E - Ē)).
  mee: { options: ['beta'], parse: beta, rule: (e, eb, b) => e.sub(eb).mul(b).sigmoid() } as PairRule<number>,
};

function pairForm<P>(name: string, r: PairRule<P>, e: unknown, eBar: unknown, opts: object | undefined): Tensor {
  const fn = `pair.${name}`;
  const { o, reduction } = lossOpts(fn, opts as Record<string, unknown> & { reduction?: Reduction }, r.options);
  const p = r.parse(fn, o);
  const [a, b] = pairArgs(fn, e, eBar);
  return reduce(r.rule(a, b, p), reduction);
}

/**
 * The pair forms: every loss of the tutorial's Table 1 as a function of `E` (energy of the
 * correct answer) and `Ē` (energy of the most offending incorrect answer), tensors of one shape
 * (also nested number arrays). Each takes the discrete loss's options plus `reduction`
 * (`'mean'` default, `'sum'`, `'none'`: the shape of `E`).
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
 * Numerical notes: `log` uses the engine's softplus (the identity above 20, off by < 2.1e-9
 * there, as torch.nn.functional.softplus); `nll` uses a max-shifted log-sum-exp; max(0, ·) is
 * `relu`, whose gradient at 0 is 0; `lvq2`'s cap is a clamp, which passes the gradient at `M`.
 * Errors name the form, e.g. `pair.hinge: Ebar shape [2] does not match E shape [3]`.
 *
 * Reference: LeCun et al., "A Tutorial on Energy-Based Learning" (2006), Section 2.2, Table 1.
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
  energy: (E: Tensor, Ebar: Tensor, opts?: ReductionOptions): Tensor => pairForm('energy', RULES.energy, E, Ebar, opts),
  /** `max(0, E - Ē)`: the perceptron loss over two answers. Margin: 0. */
  perceptron: (E: Tensor, Ebar: Tensor, opts?: ReductionOptions): Tensor => pairForm('perceptron', RULES.perceptron, E, Ebar, opts),
  /** `max(0, m + E - Ē)`, `margin = 1`. Margin: m. */
  hinge: (E: Tensor, Ebar: Tensor, opts?: MarginOptions): Tensor => pairForm('hinge', RULES.hinge, E, Ebar, opts),
  /** `log(1 + exp(E - Ē))`. Margin: > 0. */
  log: (E: Tensor, Ebar: Tensor, opts?: ReductionOptions): Tensor => pairForm('log', RULES.log, E, Ebar, opts),
  /** `E² + max(0, m - Ē)²`, `margin = 1`. Margin: m. */
  squareSquare: (E: Tensor, Ebar: Tensor, opts?: MarginOptions): Tensor => pairForm('squareSquare', RULES.squareSquare, E, Ebar, opts),
  /** `E² + γ exp(-Ē)`, `gamma = 1`. Margin: > 0. */
  squareExp: (E: Tensor, Ebar: Tensor, opts?: GammaOptions): Tensor => pairForm('squareExp', RULES.squareExp, E, Ebar, opts),
  /** `min(M, max(0, (E - Ē) / (δ Ē)))`, `margin = 1` (M), `delta = 1`; positive energies. Margin: 0. */
  lvq2: (E: Tensor, Ebar: Tensor, opts?: Lvq2Options): Tensor => pairForm('lvq2', RULES.lvq2, E, Ebar, opts),
  /** `σ(E - Ē)`. Margin: > 0. */
  mce: (E: Tensor, Ebar: Tensor, opts?: ReductionOptions): Tensor => pairForm('mce', RULES.mce, E, Ebar, opts),
  /** `E + (1/β) log(exp(-βE) + exp(-βĒ))`, `beta = 1`. Margin: > 0. */
  nll: (E: Tensor, Ebar: Tensor, opts?: BetaOptions): Tensor => pairForm('nll', RULES.nll, E, Ebar, opts),
  /** `σ(β(E - Ē))`, `beta = 1`. Margin: > 0. */
  mee: (E: Tensor, Ebar: Tensor, opts?: BetaOptions): Tensor => pairForm('mee', RULES.mee, E, Ebar, opts),
};

/** A pair-form loss: `(E, Ē, opts)` with `opts.reduction` honoured. */
export type PairLoss = (E: Tensor, Ebar: Tensor, opts?: Record<string, unknown>) => Tensor;
