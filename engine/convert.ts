/**
 * The argument-checking layer for values: every public function turns what the caller gave
 * (a Tensor, a number, nested number arrays, a Float64Array) into a Tensor here, or throws an
 * error naming the function and the argument. Nothing here touches the caller's data.
 */
import { describe, fail, fmtShape } from './errors.js';
import type { Shape } from './shape.js';
import { checkSize, sameShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

// One definition of nested arrays, beside the Tensor's toArray that returns them.
import type { NestedNumbers } from './tensor.js';
export type { NestedNumbers };

/** What every tensor argument accepts: a Tensor, or values converted to a constant Tensor. */
export type TensorLike = Tensor | NestedNumbers | Float64Array;

/** More dims than any real tensor has (PyTorch's own limit is 64); deeper nesting is a mistake or a cycle. */
const MAX_DIMS = 64;

/**
 * A fresh zeroed buffer of `n` values, or an error naming `fn` and the shape when the size is
 * beyond what a Float64Array can hold or memory can give.
 */
export function allocate(fn: string, shape: Shape): Float64Array {
  checkSize(fn, shape);
  const n = sizeOf(shape);
  try {
    return new Float64Array(n);
  } catch {
    return fail(fn, `cannot allocate a tensor of shape ${fmtShape(shape)}: ${n} values (${(n * 8 / 2 ** 30).toFixed(1)} GiB) is more than a Float64Array can hold here`);
  }
}

/** Checks a shape given by the caller: an array (or a single number) of non-negative integers. */
export function shapeArg(fn: string, shape: unknown, arg = 'shape'): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s) || s.length > MAX_DIMS || !s.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(fn, `${arg} must be an array of non-negative integers (at most ${MAX_DIMS} of them) or one such integer, got ${describe(shape)}`);
  }
  checkSize(fn, s);
  return s.slice();
}

/**
 * Flattens nested number arrays, checking that they are rectangular, at most `MAX_DIMS` deep and
 * free of cycles.
 */
export function flatten(fn: string, arg: string, x: NestedNumbers): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  const path: unknown[] = [];
  let probe: unknown = x;
  while (Array.isArray(probe)) {
    if (path.includes(probe)) fail(fn, `${arg} is a circular array (it contains itself at depth ${path.length})`);
    if (shape.length === MAX_DIMS) fail(fn, `${arg} is nested more than ${MAX_DIMS} levels deep`);
    path.push(probe);
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const data = allocate(fn, shape);
  let k = 0;
  const walk = (v: unknown, d: number): void => {
    if (d === shape.length) {
      if (typeof v !== 'number') fail(fn, `${arg} must be a number or nested arrays of numbers, found ${describe(v)}`);
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      fail(fn, `${arg} is ragged: expected an array of length ${shape[d]} at depth ${d}, found ${describe(v)}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], d + 1);
  };
  walk(x, 0);
  return { data, shape };
}

/**
 * Accepts a Tensor as it is, or converts a number, nested number arrays or a Float64Array (copied)
 * to a constant Tensor; anything else throws, naming `fn` and `arg`.
 */
export function toTensor(fn: string, arg: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return new Tensor(Float64Array.of(x), [], false);
  if (Array.isArray(x)) {
    const { data, shape } = flatten(fn, arg, x as NestedNumbers);
    return new Tensor(data, shape, false);
  }
  if (x instanceof Float64Array) return new Tensor(x.slice(), [x.length], false);
  return fail(fn, `${arg} must be a Tensor, a number, nested number arrays or a Float64Array, got ${describe(x)}`);
}

/** Reads integer indices from a Tensor or nested arrays, naming `fn` and `arg` on bad input. */
export function toIndex(fn: string, arg: string, x: unknown): { data: Float64Array; shape: number[] } {
  const t = toTensor(fn, arg, x);
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i])) fail(fn, `${arg} must hold integers, got ${describe(data[i])} at flat position ${i}`);
  }
  return { data, shape: t.shape.slice() };
}

/** Reads class indices as integers, checking each lies in [0, n) or equals `ignore`. */
export function classIndices(fn: string, arg: string, x: unknown, n: number, ignore?: number): Tensor {
  const t = toTensor(fn, arg, x);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v)) fail(fn, `${arg} must hold integer class indices, got ${describe(v)}`);
    if (v !== ignore && (v < 0 || v >= n)) fail(fn, `${arg} holds class index ${v}, outside [0, ${n})`);
  }
  return t;
}

/** Throws unless `t` has exactly `ref`'s shape (PyTorch would sometimes broadcast with a warning). */
export function expectShape(fn: string, arg: string, t: Tensor, ref: Tensor, refArg = 'input'): void {
  if (!sameShape(t.shape, ref.shape)) {
    fail(fn, `${arg} shape ${fmtShape(t.shape)} does not match ${refArg} shape ${fmtShape(ref.shape)}`);
  }
}

/** A boolean argument (such as `keepDim`): only `true` and `false` are booleans. */
export function flag(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, `${arg} must be a boolean, got ${describe(v)}`);
  return v;
}

/** A list of Tensors (for concat and stack): a non-empty array whose every entry is a Tensor. */
export function tensorList(fn: string, arg: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.length === 0) fail(fn, `${arg} must be a non-empty array of Tensors, got ${describe(v)}`);
  v.forEach((t, i) => {
    if (!(t instanceof Tensor)) fail(fn, `${arg}[${i}] must be a Tensor, got ${describe(t)}`);
  });
  return v.slice();
}
