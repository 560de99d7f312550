/**
 * Argument reading shared by every CTC function. Everything is validated here, before any
 * recursion runs, so a call that throws leaves its inputs and their gradients untouched.
 */
import type { IndexLike, Tensor } from '../engine/index.js';
import type { ctcKernels } from '../engine/internal.js';
import { describe, fail, fmtShape, number, toTensor } from '../engine/internal.js';

/** Index-valued arguments: a Tensor or (nested) number arrays. */
export type IndexInput = IndexLike;
/** Per-sample lengths: a `number[]`, a Float64Array or a Tensor; an unbatched call also takes a plain number. */
export type LengthsInput = Tensor | number | readonly number[] | Float64Array;

type Dims = ctcKernels.CtcDims;
type Targets = ctcKernels.CtcTargets;

export function logProbsArg(fn: string, x: unknown): { lp: Tensor; dims: Dims } {
  const lp = toTensor(fn, 'logProbs', x);
  if (lp.ndim === 3) return { lp, dims: { T: lp.shape[0], N: lp.shape[1], C: lp.shape[2], batched: true } };
  if (lp.ndim === 2) return { lp, dims: { T: lp.shape[0], N: 1, C: lp.shape[1], batched: false } };
  return fail(fn, `logProbs must have shape [T, N, C] (time first) or [T, C] (one sample), got shape ${fmtShape(lp.shape)}`);
}

/** The `blank` option of every CTC function: a number here, checked against C once logProbs is read. */
export const blankOption = number({ default: 0 });

export function blankArg(fn: string, b: number, C: number): number {
  if (!Number.isInteger(b) || b < 0 || b >= C) fail(fn, `blank must be an integer in [0, ${C}) (C = ${C} classes), got ${describe(b)}`);
  return b;
}

/** How errors name the logProbs they are checked against: `logProbs [T, N, C] = [2, 12, 5]`. */
function layout(d: Dims): string {
  return d.batched ? `logProbs [T, N, C] = ${fmtShape([d.T, d.N, d.C])}` : `logProbs [T, C] = ${fmtShape([d.T, d.C])}, one sample`;
}

/**
 * The hint for the commonest CTC mistake, logProbs given batch first: added where a count that
 * should be N is T instead (or a length that should be at most T is at most N).
 */
function batchFirstHint(d: Dims | null, suspicious: boolean): string {
  if (d === null || !d.batched || !suspicious || d.T === d.N) return '';
  return '. The CTC functions take logProbs as [T, N, C] (time first); if yours is batch-first [N, T, C], pass logProbs.transpose(0, 1)';
}

/** Lengths index Int32Arrays: a length of 2^31 or more is never a real one. */
const MAX_LENGTH = 2 ** 31 - 1;

/**
 * Reads `N` non-negative integer lengths. A batched call takes a 1-D array or Tensor of length N;
 * an unbatched one also takes a plain number, a 0-d Tensor or a one-element array. With `dims`
 * (the logProbs they belong to), errors name its shape, and with `frames` each length is at most T.
 */
export function lengthsArg(fn: string, arg: string, x: unknown, N: number, batched: boolean, dims: Dims | null = null, frames = false): Int32Array {
  const of = dims !== null ? ` (${layout(dims)})` : '';
  if (x === undefined || x === null) fail(fn, `${arg} is required (expected ${batched ? `N = ${N} lengths` : 'a length'}${of}), got ${describe(x)}`);
  let values: Float64Array;
  if (!batched && typeof x === 'number') values = new Float64Array([x]);
  else {
    const t = toTensor(fn, arg, x);
    const scalar = !batched && t.ndim === 0;
    if (!scalar && (t.ndim !== 1 || t.size !== N)) {
      const want = batched ? `a 1-D array of N = ${N} lengths, one per sample${of}` : `a number or a one-element array${of}`;
      const given = Array.isArray(x) || x instanceof Float64Array ? `an array of shape ${fmtShape(t.shape)}` : describe(x);
      fail(fn, `${arg} must be ${want}, got ${given}${batchFirstHint(dims, t.ndim === 1 && dims !== null && t.size === dims.T)}`);
    }
    values = t.data;
  }
  const max = frames && dims !== null ? dims.T : MAX_LENGTH;
  const out = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const v = values[n];
    if (!Number.isInteger(v) || v < 0) fail(fn, `${arg}[${n}] must be a non-negative integer, got ${describe(v)}`);
    if (v > max) {
      if (max === MAX_LENGTH) fail(fn, `${arg}[${n}] is ${v}, above the largest supported length ${MAX_LENGTH}`);
      fail(fn, `${arg}[${n}] is ${v}, above the number of frames T = ${max}${of}${batchFirstHint(dims, dims !== null && v <= dims.N)}`);
    }
    out[n] = v;
  }
  return out;
}

/**
 * Reads targets as padded `[N, S]` (batched, 2-D) or concatenated 1-D (of length Σ
 * targetLengths: batched, or unbatched, where it is the one sample's target, as in PyTorch).
 * Positions of a padded row past its length are ignored, as in PyTorch. Each used label must be
 * an integer in [0, C) other than `blank`. With `dims`, errors name the logProbs' shape.
 */
export function targetsArg(fn: string, x: unknown, lengths: Int32Array, batched: boolean, dims: Dims | null = null, blank = -1): Targets {
  const t = toTensor(fn, 'targets', x);
  const N = lengths.length;
  const C = dims !== null ? dims.C : Infinity;
  let total = 0;
  for (let n = 0; n < N; n++) total += lengths[n];
  let source: (n: number, i: number, offset: number) => number;
  let where: (n: number, i: number, offset: number) => string;
  if (!batched) {
    if (t.ndim !== 1) fail(fn, `targets of an unbatched call must be 1-D [targetLength], got shape ${fmtShape(t.shape)}`);
    if (t.size !== lengths[0]) {
      fail(fn, `targets of an unbatched call must have length targetLength = ${lengths[0]} (a 1-D target is read as concatenated, as in PyTorch), got length ${t.size}`);
    }
    source = (_n, i) => t.data[i];
    where = (_n, i) => `targets[${i}]`;
  } else if (t.ndim === 2) {
    const [rows, S] = t.shape;
    if (rows !== N) {
      const of = dims !== null ? ` (${layout(dims)})` : '';
      fail(fn, `padded targets must have shape [N, S] with N = ${N}${of}, got shape ${fmtShape(t.shape)}${batchFirstHint(dims, dims !== null && rows === dims.T)}`);
    }
    for (let n = 0; n < N; n++) {
      if (lengths[n] > S) fail(fn, `targetLengths[${n}] is ${lengths[n]}, above the padded target length S = ${S} (targets shape ${fmtShape(t.shape)})`);
    }
    source = (n, i) => t.data[n * S + i];
    where = (n, i) => `targets[${n}][${i}]`;
  } else if (t.ndim === 1) {
    if (t.size !== total) fail(fn, `concatenated 1-D targets must have length sum(targetLengths) = ${total}, got length ${t.size}`);
    source = (_n, i, offset) => t.data[offset + i];
    where = (_n, i, offset) => `targets[${offset + i}]`;
  } else {
    return fail(fn, `targets must be [N, S] (padded) or 1-D (concatenated), got shape ${fmtShape(t.shape)}`);
  }
  // Every length is now bounded by the targets' own size, so the buffers below are too.
  const offsets = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) offsets[n + 1] = offsets[n] + lengths[n];
  const labels = new Int32Array(total);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < lengths[n]; i++) {
      const v = source(n, i, offsets[n]);
      if (!Number.isInteger(v) || v < 0 || v >= C) {
        fail(fn, `${where(n, i, offsets[n])} is ${describe(v)}, expected an integer label in [0, ${C})${Number.isFinite(C) ? ` (C = ${C} classes)` : ''}`);
      }
      if (v === blank) fail(fn, `${where(n, i, offsets[n])} is ${v}, the blank index; targets must not contain the blank`);
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
  const il = lengthsArg(fn, 'inputLengths', inputLengths, dims.N, dims.batched, dims, true);
  const tl = lengthsArg(fn, 'targetLengths', targetLengths, dims.N, dims.batched, dims);
  const t = targetsArg(fn, targets, tl, dims.batched, dims, b);
  return { lp, dims, blank: b, targets: t, inputLengths: il, targetLengths: tl };
}
