/**
 * Argument checking shared by the energy-based-model losses. Every check runs before any tensor
 * work, so a call that throws leaves its inputs and their gradients untouched.
 */
import type { Reduction, Tensor } from '../engine/index.js';
import type { Parsed, Schema } from '../engine/internal.js';
import { classIndices, fail, fmtShape, number, parseOptions, reduction, toTensor } from '../engine/internal.js';

/** Reads a loss's options: the fields of `schema`, and `reduction`, which every loss takes. */
export function lossOptions<S extends Schema>(fn: string, opts: unknown, schema: S): Parsed<S> & { reduction: Reduction } {
  // The cast only restates what the spread schema's `reduction` field reads.
  return parseOptions(fn, opts, { ...schema, reduction: reduction() }) as Parsed<S> & { reduction: Reduction };
}

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

/** Two tensors of one shape: the pair forms' `E` (correct answer) and `Ē` (most offending answer). */
export function pairArgs(fn: string, e: unknown, eBar: unknown): [Tensor, Tensor] {
  const a = toTensor(fn, 'E', e);
  const b = toTensor(fn, 'Ebar', eBar);
  if (a.ndim !== b.ndim || a.shape.some((s, i) => s !== b.shape[i])) {
    fail(fn, `Ebar shape ${fmtShape(b.shape)} does not match E shape ${fmtShape(a.shape)}`);
  }
  return [a, b];
}

/** A positive finite option (an inverse temperature, a weight, a scale) with default 1. */
export const positiveOne = number({ default: 1, above: 0 });
