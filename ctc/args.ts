/**
 * Argument reading shared by every CTC function. Everything is validated here, before any
 * recursion runs, so a call that throws leaves its inputs and their gradients untouched.
 */
import type { IndexLike, Tensor } from '../engine/index.js';
import type { ctcKernels } from '../engine/internal.js';
import { describe, fail, fmtShape, number, toTensor } from '../engine/internal.js';

/** Index-valued arguments: a Tensor or (nested) number arrays. */
export type IndexInput = IndexLike;
/** Per-sample lengths: a `number[]` or a Tensor; an unbatched call also takes a plain number. */
export type LengthsInput = Tensor | number | readonly number[];

type Dims = ctcKernels.CtcDims;
type Targets = ctcKernels.CtcTargets;

export function logProbsArg(fn: string, x: unknown): { lp: Tensor; dims: Dims } {
  const lp = toTensor(fn, 'logProbs', x);
  if (lp.ndim === 3) return { lp, dims: { T: lp.shape[0], N: lp.shape[1], C: lp.shape[2], batched: true } };
  if (lp.ndim === 2) return { lp, dims: { T: lp.shape[0], N: 1, C: lp.shape[1], batched: false } };
  return fail(fn, `logProbs must have shape [T, N, C] or [T, C], got shape ${fmtShape(lp.shape)}`);
}

/** The `blank` option of every CTC function: a number here, checked against C once logProbs is read. */
export const blankOption = number({ default: 0 });

export function blankArg(fn: string, b: number, C: number): number {
  if (!Number.isInteger(b) || b < 0 || b >= C) fail(fn, `blank must be an integer in [0, ${C}) (C = ${C} classes), got ${describe(b)}`);
  return b;
}

/**
 * Reads `N` non-negative integer lengths, each at most `max`. A batched call takes a 1-D array
 * or Tensor of length N; an unbatched one also takes a plain number, a 0-d Tensor or a one-element array.
 */
export function lengthsArg(fn: string, arg: string, x: unknown, N: number, batched: boolean, max = Infinity, maxWhat = ''): Int32Array {
  if (x === undefined || x === null) fail(fn, `${arg} is required (expected ${batched ? `${N} lengths` : 'a length'}), got ${describe(x)}`);
  let values: Float64Array;
  if (!batched && typeof x === 'number') values = new Float64Array([x]);
  else {
    const t = toTensor(fn, arg, x);
    const scalar = !batched && t.ndim === 0;
    if (!scalar && (t.ndim !== 1 || t.size !== N)) {
      const want = batched ? `a 1-D array of N = ${N} lengths` : 'a number or a one-element array';
      fail(fn, `${arg} must be ${want}, got ${Array.isArray(x) ? `an array of shape ${fmtShape(t.shape)}` : describe(x)}`);
    }
    values = t.data;
  }
  const out = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const v = values[n];
    if (!Number.isInteger(v) || v < 0) fail(fn, `${arg}[${n}] must be a non-negative integer, got ${describe(v)}`);
    if (v > max) fail(fn, `${arg}[${n}] is ${v}, above ${maxWhat}`);
    out[n] = v;
  }
  return out;
}

/**
 * Reads targets as padded `[N, S]` (batched, 2-D) or `[S]` (unbatched), or concatenated 1-D
 * (batched, 1-D, of length Σ targetLengths). Positions of a padded row past its length are
 * ignored, as in PyTorch. Each used label must be an integer in [0, C) other than `blank`.
 */
export function targetsArg(fn: string, x: unknown, lengths: Int32Array, batched: boolean, C = Infinity, blank = -1): Targets {
  const t = toTensor(fn, 'targets', x);
  const N = lengths.length;
  const offsets = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) offsets[n + 1] = offsets[n] + lengths[n];
  const labels = new Int32Array(offsets[N]);
  let source: (n: number, i: number) => number;
  let where: (n: number, i: number) => string;
  if (!batched) {
    if (t.ndim !== 1) fail(fn, `targets of an unbatched call must be 1-D [S], got shape ${fmtShape(t.shape)}`);
    if (lengths[0] > t.size) fail(fn, `targetLengths[0] is ${lengths[0]}, above the padded target length S = ${t.size}`);
    source = (_n, i) => t.data[i];
    where = (_n, i) => `targets[${i}]`;
  } else if (t.ndim === 2) {
    const [rows, S] = t.shape;
    if (rows !== N) fail(fn, `padded targets must have shape [N, S] with N = ${N}, got shape ${fmtShape(t.shape)}`);
    for (let n = 0; n < N; n++) {
      if (lengths[n] > S) fail(fn, `targetLengths[${n}] is ${lengths[n]}, above the padded target length S = ${S}`);
    }
    source = (n, i) => t.data[n * S + i];
    where = (n, i) => `targets[${n}][${i}]`;
  } else if (t.ndim === 1) {
    if (t.size !== offsets[N]) {
      fail(fn, `concatenated 1-D targets must have length sum(targetLengths) = ${offsets[N]}, got length ${t.size}`);
    }
    source = (n, i) => t.data[offsets[n] + i];
    where = (n, i) => `targets[${offsets[n] + i}]`;
  } else {
    return fail(fn, `targets must be [N, S] (padded) or 1-D (concatenated), got shape ${fmtShape(t.shape)}`);
  }
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < lengths[n]; i++) {
      const v = source(n, i);
      if (!Number.isInteger(v) || v < 0 || v >= C) {
        fail(fn, `${where(n, i)} is ${describe(v)}, expected an integer label in [0, ${C})${Number.isFinite(C) ? ` (C = ${C} classes)` : ''}`);
      }
      if (v === blank) fail(fn, `${where(n, i)} is ${v}, the blank index; targets must not contain the blank`);
      labels[offsets[n] + i] = v;
    }
  }
  return { labels, offsets };
}

/** Everything a loss or an alignment reads, checked: the shared front half of ctcLoss and ctcAlign. */
export interface Problem {
  lp: Tensor;
  dims: Dims;
  blank: number;
  targets: Targets;
  inputLengths: Int32Array;
  targetLengths: Int32Array;
}

export function problemArgs(fn: string, logProbs: unknown, targets: unknown, inputLengths: unknown, targetLengths: unknown, blank: number): Problem {
  const { lp, dims } = logProbsArg(fn, logProbs);
  const b = blankArg(fn, blank, dims.C);
  const il = lengthsArg(fn, 'inputLengths', inputLengths, dims.N, dims.batched, dims.T, `the number of frames T = ${dims.T}`);
  const tl = lengthsArg(fn, 'targetLengths', targetLengths, dims.N, dims.batched);
  const t = targetsArg(fn, targets, tl, dims.batched, dims.C, b);
  return { lp, dims, blank: b, targets: t, inputLengths: il, targetLengths: tl };
}
