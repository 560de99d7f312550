/**
 * A discrete-answer task for energy-based models: a scalar input x in [-1, 1] and one of K
 * answers, the correct one following a wave through the answers as x moves. A fraction of the
 * labels are replaced by a random other answer, so the data are ambiguous as real data are.
 */
import { Rng } from '../lib/sampling.js';

export interface AnswerData {
  x: number[];
  y: number[];
}

/** The noise-free answer at `x`. */
export function answerAt(x: number, answers: number): number {
  return Math.min(answers - 1, Math.floor(answers * (0.5 + 0.48 * Math.sin(2.6 * x))));
}

export function answerData({ n, answers, labelNoise, seed }: { n: number; answers: number; labelNoise: number; seed: number }): AnswerData {
  const rng = new Rng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = 2 * rng.uniform() - 1;
    const clean = answerAt(xi, answers);
    x.push(xi);
    y.push(rng.uniform() < labelNoise ? (clean + 1 + rng.int(answers - 1)) % answers : clean);
  }
  return { x, y };
}
