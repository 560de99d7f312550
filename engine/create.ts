/** Tensor constructors. */
import { allocate, flatten, shapeArg } from './convert.js';
import type { NestedNumbers } from './convert.js';
import { describe, fail, fmtShape } from './errors.js';
import { boolean, custom, parseOptions } from './options.js';
import { Rng, defaultRng, seedArg } from './random.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface TensorOptions {
  /** View flat values (a `number[]` or a `Float64Array`) as this shape. */
  shape?: readonly number[];
  /** Record operations on this tensor so that `backward()` fills its `.grad` (default false). */
  requiresGrad?: boolean;
}

export interface CreateOptions {
  /** Record operations on the new tensor so that `backward()` fills its `.grad` (default false). */
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  /** An integer seed in [0, 2^32): the same seed gives the same numbers everywhere. */
  seed?: number;
}

const CREATE = { requiresGrad: boolean(false) };
const RANDOM = { requiresGrad: boolean(false), seed: custom((fn, name, v) => (v === undefined ? undefined : seedArg(fn, name, v))) };

/**
 * A tensor from a number, nested arrays, a number[] or a Float64Array. A Float64Array is used
 * as the storage itself, not copied; pass `shape` to view flat data as n-dimensional.
 *
 * @param values the values; nested arrays must be rectangular
 * @param opts `shape` (for flat data) and `requiresGrad`
 * @returns a tensor of the nested arrays' shape (0-d for a number), or `shape`
 *
 * PyTorch: `torch.tensor(values, dtype=torch.float64, requires_grad=...)`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * y.item(); // => 30
 * x.grad.toArray(); // => [[2, 4], [6, 8]]
 */
export function tensor(values: NestedNumbers | Float64Array | Tensor, opts?: TensorOptions): Tensor {
  const o = parseOptions('tensor', opts, {
    shape: custom((fn, name, v) => (v === undefined ? undefined : shapeArg(fn, v, name))),
    requiresGrad: boolean(false),
  });
  let data: Float64Array;
  let shape: number[];
  if (values instanceof Tensor) {
    data = values.data.slice();
    shape = values.shape.slice();
  } else if (values instanceof Float64Array) {
    data = values;
    shape = [values.length];
  } else if (typeof values === 'number') {
    data = Float64Array.of(values);
    shape = [];
  } else if (Array.isArray(values)) {
    ({ data, shape } = flatten('tensor', 'values', values));
  } else {
    return fail('tensor', `values must be a number, nested number arrays, a Float64Array or a Tensor, got ${describe(values)}`);
  }
  if (o.shape !== undefined) {
    if (sizeOf(o.shape) !== data.length) fail('tensor', `shape ${fmtShape(o.shape)} needs ${sizeOf(o.shape)} values, got ${data.length}`);
    shape = o.shape;
  }
  return new Tensor(data, shape, o.requiresGrad);
}

function filled(fn: string, shape: unknown, value: number, opts: unknown): Tensor {
  const o = parseOptions(fn, opts, CREATE);
  const s = shapeArg(fn, shape);
  const data = allocate(fn, s);
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, o.requiresGrad);
}

/**
 * A tensor of `shape` filled with `value`.
 * @param shape the dims (an array, or one number for 1-D)
 * @param value any number (NaN and ±Infinity included)
 * @returns a tensor of `shape`
 * PyTorch: `torch.full(shape, value)`.
 * @example
 * full([2], 7).toArray(); // => [7, 7]
 */
export function full(shape: number | readonly number[], value: number, opts?: CreateOptions): Tensor {
  if (typeof value !== 'number') fail('full', `value must be a number, got ${describe(value)}`);
  return filled('full', shape, value, opts);
}

/**
 * A tensor of zeros. PyTorch: `torch.zeros(shape)`.
 * @example
 * zeros([2, 1]).toArray(); // => [[0], [0]]
 */
export function zeros(shape: number | readonly number[], opts?: CreateOptions): Tensor {
  return filled('zeros', shape, 0, opts);
}

/**
 * A tensor of ones. PyTorch: `torch.ones(shape)`.
 * @example
 * ones(3).toArray(); // => [1, 1, 1]
 */
export function ones(shape: number | readonly number[], opts?: CreateOptions): Tensor {
  return filled('ones', shape, 1, opts);
}

/**
 * `arange(end)` or `arange(start, end, step = 1)`: the values `start + i·step` in [start, end).
 * @returns a 1-D tensor of `max(0, ⌈(end - start) / step⌉)` values
 * PyTorch: `torch.arange(start, end, step)`.
 * @example
 * arange(1, 7, 2).toArray(); // => [1, 3, 5]
 */
export function arange(start: number, end?: number, step = 1, opts?: CreateOptions): Tensor {
  const o = parseOptions('arange', opts, CREATE);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every((v) => typeof v === 'number' && Number.isFinite(v)) || step === 0) {
    fail('arange', `start, end and step must be finite numbers with step != 0, got ${describe(lo)}, ${describe(hi)}, ${describe(step)}`);
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate('arange', [n]);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return new Tensor(data, [n], o.requiresGrad);
}

function sampled(fn: string, shape: unknown, opts: unknown, draw: (rng: Rng) => number): Tensor {
  const o = parseOptions(fn, opts, RANDOM);
  const s = shapeArg(fn, shape);
  const data = allocate(fn, s);
  const rng = o.seed === undefined ? defaultRng() : new Rng(o.seed);
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Tensor(data, s, o.requiresGrad);
}

/**
 * Uniform samples in [0, 1), from a seeded stream when `seed` is given.
 * PyTorch: `torch.rand(shape)` (the streams differ: the same seed gives different numbers there).
 * @example
 * rand([2], { seed: 1 }).toArray().length; // => 2
 */
export function rand(shape: number | readonly number[], opts?: RandomOptions): Tensor {
  return sampled('rand', shape, opts, (rng) => rng.uniform());
}

/**
 * Standard normal samples, from a seeded stream when `seed` is given.
 * PyTorch: `torch.randn(shape)` (the streams differ).
 * @example
 * randn([2, 3], { seed: 0 }).shape; // => [2, 3]
 */
export function randn(shape: number | readonly number[], opts?: RandomOptions): Tensor {
  return sampled('randn', shape, opts, (rng) => rng.normal());
}
