/**
 * Constructors shaped like an existing tensor, as PyTorch's `*_like` functions. The result is a
 * new leaf: it shares nothing with the model tensor and takes none of its graph or
 * `requiresGrad` (pass `requiresGrad` to set it).
 */
import { full, rand, randn } from './create.js';
import type { CreateOptions, RandomOptions } from './create.js';
import { describe, fail } from './errors.js';
import { boolean, optionalNumber, parseOptions } from './options.js';
import { Tensor } from './tensor.js';

function shapeOf(fn: string, like: unknown): readonly number[] {
  if (!(like instanceof Tensor)) fail(fn, `like must be a Tensor, got ${describe(like)}`);
  return like.shape;
}

function likeFull(fn: string, like: Tensor, value: number, opts: CreateOptions | undefined): Tensor {
  const shape = shapeOf(fn, like);
  const { requiresGrad } = parseOptions(fn, opts, { requiresGrad: boolean(false) });
  return full(shape, value, { requiresGrad });
}

/**
 * A tensor of zeros with the shape of `like`.
 *
 * @param like any tensor; only its shape is read.
 * @param opts `requiresGrad` (default false).
 * @returns a new leaf tensor of `like`'s shape.
 *
 * PyTorch: `torch.zeros_like(like, requires_grad=...)`.
 *
 * @example
 * zerosLike(tensor([[1, 2], [3, 4]])).toArray();   // => [[0, 0], [0, 0]]
 */
export function zerosLike(like: Tensor, opts?: CreateOptions): Tensor {
  return likeFull('zerosLike', like, 0, opts);
}

/**
 * A tensor of ones with the shape of `like`.
 *
 * @param like any tensor; only its shape is read.
 * @param opts `requiresGrad` (default false).
 * @returns a new leaf tensor of `like`'s shape.
 *
 * PyTorch: `torch.ones_like(like, requires_grad=...)`.
 *
 * @example
 * onesLike(tensor([1, 2, 3])).toArray();   // => [1, 1, 1]
 */
export function onesLike(like: Tensor, opts?: CreateOptions): Tensor {
  return likeFull('onesLike', like, 1, opts);
}

/**
 * A tensor filled with `value`, with the shape of `like`.
 *
 * @param like any tensor; only its shape is read.
 * @param value the fill value (NaN and ±Infinity allowed, as in PyTorch).
 * @param opts `requiresGrad` (default false).
 * @returns a new leaf tensor of `like`'s shape.
 *
 * PyTorch: `torch.full_like(like, value, requires_grad=...)`.
 *
 * @example
 * fullLike(tensor([[1], [2]]), 7).toArray();   // => [[7], [7]]
 */
export function fullLike(like: Tensor, value: number, opts?: CreateOptions): Tensor {
  shapeOf('fullLike', like);
  if (typeof value !== 'number') fail('fullLike', `value must be a number, got ${describe(value)}`);
  return likeFull('fullLike', like, value, opts);
}

function likeRandom(fn: string, like: Tensor, opts: RandomOptions | undefined, draw: typeof rand): Tensor {
  const shape = shapeOf(fn, like);
  const { requiresGrad, seed } = parseOptions(fn, opts, { requiresGrad: boolean(false), seed: optionalNumber({ integer: true }) });
  return draw(shape, seed === undefined ? { requiresGrad } : { requiresGrad, seed });
}

/**
 * Uniform samples in [0, 1) with the shape of `like`; the same stream as `rand`.
 *
 * @param like any tensor; only its shape is read.
 * @param opts `seed` (an integer: the same numbers as `rand(like.shape, { seed })`),
 *   `requiresGrad` (default false).
 * @returns a new leaf tensor of `like`'s shape.
 *
 * PyTorch: `torch.rand_like(like)` (which takes no seed: it draws from the global generator).
 *
 * @example
 * randLike(zeros([2, 3]), { seed: 1 }).shape;   // => [2, 3]
 */
export function randLike(like: Tensor, opts?: RandomOptions): Tensor {
  return likeRandom('randLike', like, opts, rand);
}

/**
 * Standard normal samples with the shape of `like`; the same stream as `randn`.
 *
 * @param like any tensor; only its shape is read.
 * @param opts `seed` (an integer: the same numbers as `randn(like.shape, { seed })`),
 *   `requiresGrad` (default false).
 * @returns a new leaf tensor of `like`'s shape.
 *
 * PyTorch: `torch.randn_like(like)` (which takes no seed: it draws from the global generator).
 *
 * @example
 * randnLike(zeros([4]), { seed: 2 }).shape;   // => [4]
 */
export function randnLike(like: Tensor, opts?: RandomOptions): Tensor {
  return likeRandom('randnLike', like, opts, randn);
}
