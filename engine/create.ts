/** Tensor constructors. */
import { describe, fail, fmtShape } from './errors.js';
import { Rng, defaultRng } from './random.js';
import { checkShapeArg, sizeOf } from './shape.js';
import { flatten } from './ops/shape-ops.js';
import type { NestedNumbers } from './tensor.js';
import { Tensor } from './tensor.js';

export interface TensorOptions {
  shape?: readonly number[];
  requiresGrad?: boolean;
}

const TENSOR_KEYS = ['shape', 'requiresGrad'];

/** Throws when `opts` has a key outside `allowed`, naming the function. */
export function checkOptions(fn: string, opts: object | undefined, allowed: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) fail(fn, `options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) fail(fn, `unknown option '${k}' (expected one of: ${allowed.join(', ')})`);
  }
}

/**
 * A tensor from a number, nested arrays, a number[] or a Float64Array. A Float64Array is used
 * as the storage itself, not copied; pass `shape` to view flat data as n-dimensional.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * y.item(); // => 30
 * x.grad.toArray(); // => [[2, 4], [6, 8]]
 */
export function tensor(values: NestedNumbers | Float64Array | Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts, TENSOR_KEYS);
  const rg = opts.requiresGrad ?? false;
  if (typeof rg !== 'boolean') fail('tensor', `requiresGrad must be a boolean, got ${describe(rg)}`);
  let data: Float64Array;
  let shape: number[];
  if (values instanceof Tensor) {
    data = values.data.slice();
    shape = values.shape.slice();
  } else if (values instanceof Float64Array) {
    data = values;
    shape = [values.length];
  } else if (typeof values === 'number') {
    data = new Float64Array([values]);
    shape = [];
  } else if (Array.isArray(values)) {
    ({ data, shape } = flatten('tensor', 'values', values));
  } else {
    return fail('tensor', `values must be a number, nested number arrays, a Float64Array or a Tensor, got ${describe(values)}`);
  }
  if (opts.shape !== undefined) {
    const s = checkShapeArg('tensor', opts.shape);
    if (sizeOf(s) !== data.length) fail('tensor', `shape ${fmtShape(s)} needs ${sizeOf(s)} values, got ${data.length}`);
    shape = s.slice();
  }
  return new Tensor(data, shape, rg);
}

export interface CreateOptions {
  requiresGrad?: boolean;
}

function shapeArg(fn: string, shape: number | readonly number[]): number[] {
  return typeof shape === 'number' ? checkShapeArg(fn, [shape]) : checkShapeArg(fn, shape).slice();
}

export function full(shape: number | readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  checkOptions('full', opts, ['requiresGrad']);
  const s = shapeArg('full', shape);
  if (typeof value !== 'number') fail('full', `value must be a number, got ${describe(value)}`);
  return new Tensor(new Float64Array(sizeOf(s)).fill(value), s, opts.requiresGrad ?? false);
}

export function zeros(shape: number | readonly number[], opts: CreateOptions = {}): Tensor {
  checkOptions('zeros', opts, ['requiresGrad']);
  const s = shapeArg('zeros', shape);
  return new Tensor(new Float64Array(sizeOf(s)), s, opts.requiresGrad ?? false);
}

export function ones(shape: number | readonly number[], opts: CreateOptions = {}): Tensor {
  checkOptions('ones', opts, ['requiresGrad']);
  return full(shape, 1, opts);
}

/** `arange(end)` or `arange(start, end, step = 1)`: values in [start, end), as torch.arange. */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  checkOptions('arange', opts, ['requiresGrad']);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every(Number.isFinite) || step === 0) {
    fail('arange', `start, end and step must be finite numbers with step != 0, got ${lo}, ${hi}, ${step}`);
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return new Tensor(data, [n], opts.requiresGrad ?? false);
}

export interface RandomOptions extends CreateOptions {
  /** A 32-bit integer seed: the same seed gives the same numbers everywhere. */
  seed?: number;
}

function rngFor(fn: string, opts: RandomOptions): Rng {
  checkOptions(fn, opts, ['requiresGrad', 'seed']);
  if (opts.seed === undefined) return defaultRng();
  if (!Number.isInteger(opts.seed)) fail(fn, `seed must be an integer, got ${describe(opts.seed)}`);
  return new Rng(opts.seed);
}

/** Uniform samples in [0, 1). */
export function rand(shape: number | readonly number[], opts: RandomOptions = {}): Tensor {
  const rng = rngFor('rand', opts);
  const s = shapeArg('rand', shape);
  const data = new Float64Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform();
  return new Tensor(data, s, opts.requiresGrad ?? false);
}

/** Standard normal samples. */
export function randn(shape: number | readonly number[], opts: RandomOptions = {}): Tensor {
  const rng = rngFor('randn', opts);
  const s = shapeArg('randn', shape);
  const data = new Float64Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, s, opts.requiresGrad ?? false);
}
