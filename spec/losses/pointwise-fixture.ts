/**
 * What the regression and probabilistic specs share: the cases of pointwise.json (written by
 * gen_pointwise.py from PyTorch), the reductions, and a plain-loop reduction for the naive references.
 */
import fc from 'fast-check';
import { loadFixture } from '../helpers/index.js';

export type Nested = number | Nested[];
export type Opts = Record<string, unknown>;

export interface Case {
  fn: string;
  name: string;
  args: Record<string, Nested>;
  opts: Opts;
  gradOutput: Nested;
  loss: Nested;
  grads: Record<string, Nested>;
}

/** The cases of the named functions. */
export function pointwiseCases(fns: readonly string[]): Case[] {
  return loadFixture<{ cases: Case[] }>('pointwise.json').cases.filter((c) => fns.includes(c.fn));
}

export type Red = 'none' | 'mean' | 'sum';
export const REDUCTIONS: Red[] = ['none', 'mean', 'sum'];
export const arbRed = fc.constantFrom<Red>(...REDUCTIONS);

/** Sums or averages per-element losses with a loop; `'batchmean'` divides the sum by `batch`. */
export function reduceNaive(l: number[], r: Red | 'batchmean', batch = 1): number[] | number {
  if (r === 'none') return l;
  let s = 0;
  for (const v of l) s += v;
  return r === 'sum' ? s : r === 'batchmean' ? s / batch : s / l.length;
}
