/**
 * What every loss shares: option checking, argument conversion, and the one place where the
 * per-element loss is reduced with PyTorch's rules.
 */
import { describe, fail, fmtShape } from '../engine/errors.js';
import { sameShape } from '../engine/shape.js';
import { flatten } from '../engine/convert.js';
import type { NestedNumbers } from '../engine/tensor.js';
import { Tensor } from '../engine/tensor.js';

import type { Reduction } from '../engine/options.js';

export type { Reduction };

export interface ReductionOption {
  /** `'none'`: the per-element losses; `'mean'` (default): their mean; `'sum'`: their sum. */
  reduction?: Reduction;
}

/**
 * Checks that `opts` is an object whose keys are all in `allowed`, and returns it.
 * Unknown names throw, so a misspelt option never passes silently.
 */
export function checkOpts<T extends object>(fn: string, opts: T | undefined, allowed: readonly string[]): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) fail(fn, `options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) fail(fn, `unknown option '${k}' (expected one of: ${allowed.join(', ')})`);
  }
  return opts;
}

export function checkReduction<R extends string = Reduction>(
  fn: string,
  reduction: unknown,
  allowed: readonly R[] = ['none', 'mean', 'sum'] as unknown as R[],
): R {
  const r = reduction ?? 'mean';
  if (!allowed.includes(r as R)) {
    fail(fn, `reduction must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(r)}`);
  }
  return r as R;
}

/** Reduces per-element losses: `'mean'` of no elements is NaN, as in PyTorch. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  return loss.mean();
}

/** Accepts a Tensor, or converts a number / nested number array to a constant Tensor. */
export function toTensor(fn: string, arg: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return new Tensor(new Float64Array([x]), [], false);
  if (Array.isArray(x)) {
    const { data, shape } = flatten(fn, arg, x as NestedNumbers);
    return new Tensor(data, shape, false);
  }
  if (x instanceof Float64Array) return new Tensor(x, [x.length], false);
  return fail(fn, `${arg} must be a Tensor or a (nested) number array, got ${describe(x)}`);
}

/** Throws unless `t` has exactly `ref`'s shape (PyTorch would sometimes broadcast with a warning). */
export function expectShape(fn: string, arg: string, t: Tensor, ref: Tensor, refArg = 'input'): void {
  if (!sameShape(t.shape, ref.shape)) {
    fail(fn, `${arg} shape ${fmtShape(t.shape)} does not match ${refArg} shape ${fmtShape(ref.shape)}`);
  }
}

/** Reads class indices (a Tensor or nested arrays) as integers, checking each lies in [0, n) or equals `ignore`. */
export function classIndices(fn: string, arg: string, x: unknown, n: number, ignore?: number): Tensor {
  const t = toTensor(fn, arg, x);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v)) fail(fn, `${arg} must hold integer class indices, got ${describe(v)}`);
    if (v !== ignore && (v < 0 || v >= n)) fail(fn, `${arg} holds class index ${v}, outside [0, ${n})`);
  }
  return t;
}
