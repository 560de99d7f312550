/** Seeded inputs, so every run and every contender sees the same numbers. */
import { Rng } from '../engine/index.js';

export function normal(n: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

export function uniform(n: number, seed: number, lo = 0, hi = 1): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.uniform();
  return out;
}

/** Integers in [lo, hi). */
export function ints(n: number, seed: number, lo: number, hi: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => lo + rng.int(hi - lo));
}

/** Float64 one-hot rows for class indices: the label format tfjs's losses take. */
export function oneHot(idx: readonly number[], classes: number): Float64Array {
  const out = new Float64Array(idx.length * classes);
  idx.forEach((c, i) => { out[i * classes + c] = 1; });
  return out;
}
