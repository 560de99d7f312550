/**
 * Argument checking shared by the energy-based-model losses. Every check runs before any tensor
 * work, so a call that throws leaves its inputs and their gradients untouched.
 */
import { describe, fail, fmtShape } from '../engine/errors.js';
import { Tensor } from '../engine/tensor.js';
import type { Reduction } from '../losses/common.js';
import { checkOpts, checkReduction, classIndices, toTensor } from '../losses/common.js';

export type { Reduction };

/** Discrete energies `[P, K]` with `K >= 2` answers (a most offending incorrect answer must exist). */
export function energiesArg(fn: string, energies: unknown): Tensor {
  const e = toTensor(fn, 'energies', energies);
  if (e.ndim !== 2) fail(fn, `energies must have shape [P, K], got shape ${fmtShape(e.shape)}`);
  if (e.shape[1] < 2) fail(fn, `energies must hold at least two answers per sample (K >= 2), got shape ${fmtShape(e.shape)}`);
  return e;
}

/** Targets `[P]`: integer answer indices in [0, K), as a plain index array. */
export function targetsArg(fn: string, targets: unknown, energies: Tensor): number[] {
  const [p, k] = energies.shape;
  const t = classIndices(fn, 'targets', targets, k);
  if (t.ndim !== 1 || t.shape[0] !== p) {
    fail(fn, `targets must have shape [${p}] (one answer per row of energies ${fmtShape(energies.shape)}), got shape ${fmtShape(t.shape)}`);
  }
  return Array.from(t.data);
}

/** A finite number (optionally > 0 or >= 0), or its default when absent. */
export function numberOpt(fn: string, name: string, value: unknown, dflt: number, sign: 'any' | 'positive' | 'nonnegative' = 'any'): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(fn, `${name} must be a finite number, got ${describe(value)}`);
  if (sign === 'positive' && !(value > 0)) fail(fn, `${name} must be > 0, got ${value}`);
  if (sign === 'nonnegative' && !(value >= 0)) fail(fn, `${name} must be >= 0, got ${value}`);
  return value;
}

/** A positive integer, or its default when absent. */
export function intOpt(fn: string, name: string, value: unknown, dflt: number, min = 1): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(fn, `${name} must be an integer >= ${min}, got ${describe(value)}`);
  return value;
}

/** Checks option names and the reduction, returning both. */
export function lossOpts<T extends { reduction?: Reduction }>(fn: string, opts: T | undefined, allowed: readonly string[]): { o: T; reduction: Reduction } {
  const o = checkOpts(fn, opts, [...allowed, 'reduction']);
  return { o, reduction: checkReduction(fn, o.reduction) };
}

/** Two tensors of one shape: the pair forms' `E` (correct answer) and `Ē` (most offending answer). */
export function pairArgs(fn: string, e: unknown, eBar: unknown): [Tensor, Tensor] {
  const a = toTensor(fn, 'E', e);
  const b = toTensor(fn, 'Ebar', eBar);
  if (a.ndim !== b.ndim || a.shape.some((s, i) => s !== b.shape[i])) {
    fail(fn, `Ebar shape ${fmtShape(b.shape)} does not match E shape ${fmtShape(a.shape)}`);
  }
  return [a, b];
}
