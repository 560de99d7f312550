/**
 * The CTC lattice of one target over T frames, every quantity read off lossgrad's ctcLoss.
 *
 * With the extended labels l' = (blank, l1, blank, …, lU, blank) and α_t(s) the probability of
 * the paths over frames 0..t that end in state s (the frame-t emission included), ctcLoss on a
 * prefix gives P_t(u) = α_t(2u − 1) + α_t(2u), the probability that frames 0..t collapse to
 * l1..lu. A path that is in the blank state 2u at frame t was, one frame earlier, in either state
 * of l1..lu, so α_t(2u) = P_{t−1}(u) · y_t(blank), and α_t(2u − 1) = P_t(u) − α_t(2u). β comes
 * the same way from the time-reversed problem, and the posterior of a state is
 * γ_t(s) = α_t(s) β_t(s) / (y_t(l'_s) · p). The page checks Σ_{s: l'_s = k} γ_t(s) against
 * −∂ctcLoss/∂logProbs[t, k] from backward: two routes through the library that must agree.
 */
import { ctcAlign, ctcFeasible, ctcLoss, logSoftmax, randn, tensor } from '../../../index.js';
import type { Tensor } from '../../../index.js';

export const ALPHABET = 'abcd';
export const BLANK = '∅';

/** Letters of the alphabet as class indices 1..4 (0 is the blank); anything else is dropped. */
export function parseTarget(text: string): number[] {
  return [...text.toLowerCase()].map((ch) => ALPHABET.indexOf(ch) + 1).filter((k) => k > 0);
}

/** Seeded per-frame log-probabilities `[T, C]` whose best class drifts through the target. */
export function syntheticLogProbs(target: number[], frames: number, seed: number, sharpness: number): Tensor {
  const C = ALPHABET.length + 1;
  const noise = randn([frames, C], { seed }).toArray() as number[][];
  const rows = noise.map((r, t) => {
    const u = target.length === 0 ? -1 : Math.min(target.length - 1, Math.floor(((t + 0.5) * target.length) / frames));
    return r.map((v, k) => v + (u >= 0 && k === target[u] ? sharpness : 0) + (k === 0 ? sharpness / 2 : 0));
  });
  return logSoftmax(tensor(rows), 1);
}

export interface Lattice {
  /** Extended labels l', length 2U + 1. */
  states: number[];
  /** Frames the target needs, from ctcFeasible. */
  minFrames: number;
  feasible: boolean;
  /** −log p(target | frames), from ctcLoss ('sum'). */
  loss: number;
  /** `[T][2U + 1]` probabilities. */
  alpha: number[][];
  beta: number[][];
  posterior: number[][];
  /** Largest |Σ_s γ_t(s) − (−∂loss/∂logProbs[t, k])| over frames and classes. */
  gradCheck: number;
  /** The most likely single path (ctcAlign), as states and as classes; empty when infeasible. */
  bestStates: number[];
  bestClasses: number[];
}

const lossOf = (lp: Tensor, target: number[]): number => ctcLoss(lp, target, lp.shape[0], target.length, { reduction: 'sum' }).item();

/** prefix[t][u] = P_t(u), the probability that frames 0..t collapse to the first u labels. */
function prefixProbs(lp: Tensor, target: number[]): number[][] {
  const T = lp.shape[0];
  return Array.from({ length: T }, (_, t) => {
    const head = lp.slice(0, 0, t + 1);
    return Array.from({ length: target.length + 1 }, (_, u) => Math.exp(-lossOf(head, target.slice(0, u))));
  });
}

function forward(lp: Tensor, target: number[], y: number[][]): number[][] {
  const P = prefixProbs(lp, target);
  return P.map((row, t) => {
    const a = new Array<number>(2 * target.length + 1).fill(0);
    a[0] = row[0];
    for (let u = 1; u <= target.length; u++) {
      a[2 * u] = t === 0 ? 0 : P[t - 1][u] * Math.exp(y[t][0]);
      a[2 * u - 1] = Math.max(0, row[u] - a[2 * u]);
    }
    return a;
  });
}

export function lattice(lp: Tensor, target: number[]): Lattice {
  const T = lp.shape[0];
  const y = lp.toArray() as number[][];
  const states = [0, ...target.flatMap((k) => [k, 0])];
  const [feas] = ctcFeasible(target, T, target.length);
  const leaf = tensor(y, { requiresGrad: true });
  const lossT = ctcLoss(leaf, target, T, target.length, { reduction: 'sum' });
  const loss = lossT.item();
  const grad = Number.isFinite(loss) ? (lossT.backward(), (leaf.grad as Tensor).toArray() as number[][]) : null;
  const alpha = forward(lp, target, y);
  const reversed = tensor([...y].reverse());
  const betaRev = forward(reversed, [...target].reverse(), [...y].reverse());
  // State s of the reversed lattice is state 2U − s of the original.
  const beta = betaRev.reverse().map((row) => [...row].reverse());
  const p = Math.exp(-loss);
  const posterior = alpha.map((row, t) => row.map((a, s) => (p > 0 ? (a * beta[t][s]) / (Math.exp(y[t][states[s]]) * p) : 0)));
  let gradCheck = 0;
  if (grad) {
    for (let t = 0; t < T; t++) {
      for (let k = 0; k <= ALPHABET.length; k++) {
        const sum = states.reduce((acc, l, s) => acc + (l === k ? posterior[t][s] : 0), 0);
        gradCheck = Math.max(gradCheck, Math.abs(sum + grad[t][k]));
      }
    }
  }
  let bestClasses: number[] = [];
  let bestStates: number[] = [];
  if (feas.feasible) {
    [bestClasses] = ctcAlign(lp, target, T, target.length);
    bestStates = toStates(bestClasses, states);
  }
  return { states, minFrames: feas.minFrames, feasible: feas.feasible, loss, alpha, beta, posterior, gradCheck, bestStates, bestClasses };
}

/** Walks an aligned class sequence through the lattice: stay, or advance to the next state showing the new class. */
function toStates(classes: number[], states: number[]): number[] {
  let s = classes[0] === 0 ? 0 : 1;
  return classes.map((k, t) => {
    if (t > 0 && k !== states[s]) s = states[s + 1] === k ? s + 1 : s + 2;
    return s;
  });
}

/** CTC's many-to-one map: merge runs of the same class, then drop blanks. */
export function collapse(path: number[]): number[] {
  return path.filter((k, i) => (i === 0 || k !== path[i - 1])).filter((k) => k !== 0);
}

export const show = (labels: number[]): string => labels.map((k) => (k === 0 ? BLANK : ALPHABET[k - 1])).join('');
