/** P classes × K samples per batch: every anchor then has positives and negatives to mine. */
import type { Rng } from '../lib/sampling.js';
import { sample } from '../lib/sampling.js';

export interface PkSampler {
  /** Row indices of one batch: `classes` classes, `perClass` rows of each. */
  next(): number[];
}

export function pkSampler(labels: readonly number[], classes: number, perClass: number, rng: Rng): PkSampler {
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => byClass.set(l, [...(byClass.get(l) ?? []), i]));
  const all = [...byClass.keys()];
  return {
    next: () => sample(rng, all, classes).flatMap((c) => sample(rng, byClass.get(c)!, perClass)),
  };
}
