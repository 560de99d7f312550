/**
 * `nn.init`: in-place initialisers with PyTorch's fan and gain rules (`torch.nn.init`).
 *
 * The random ones draw from lossgrad's seeded generator (`Rng`), not PyTorch's Mersenne
 * Twister, so the same seed gives different numbers from PyTorch's: the distributions (bounds,
 * means, variances) are PyTorch's, the samples are not.
 */
import { Rng, Tensor } from '../engine/index.js';
import { checkOptions, describe, fail } from './check.js';

let globalRng = new Rng(Math.floor(Math.random() * 2 ** 32));

/**
 * Reseeds the stream that layers and initialisers use when given no `seed` or `generator`, as
 * `torch.manual_seed` does for PyTorch's default generator.
 * @param seed a 32-bit integer
 * @example
 * nn.init.manualSeed(7);
 * const a = new nn.Linear(3, 2).weight.toArray();
 * nn.init.manualSeed(7);
 * JSON.stringify(new nn.Linear(3, 2).weight.toArray()) === JSON.stringify(a); // => true
 */
export function manualSeed(seed: number): void {
  globalRng = new Rng(checkSeed('manualSeed', seed));
}

function checkSeed(where: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) fail(where, `seed must be an integer in [0, 2^32), got ${describe(seed)}`);
  return seed;
}

/** Where random draws come from: a fresh stream from `seed`, a `generator` you share, or the global stream. */
export interface RandomSource {
  seed?: number;
  generator?: Rng;
}

/** The generator for `src`, checked; `where` names the caller in errors. */
export function rngFrom(where: string, src: RandomSource = {}): Rng {
  if (typeof where !== 'string') fail('rngFrom', `where must be the calling function's name, got ${describe(where)}`);
  if (Object.prototype.toString.call(src) !== '[object Object]') fail(where, `options must be an object, got ${describe(src)}`);
  if (src.seed !== undefined && src.generator !== undefined) fail(where, 'give seed or generator, not both');
  if (src.generator !== undefined) {
    if (!(src.generator instanceof Rng)) fail(where, `generator must be an Rng, got ${describe(src.generator)}`);
    return src.generator;
  }
  if (src.seed !== undefined) {
    return new Rng(checkSeed(where, src.seed));
  }
  return globalRng;
}

function checkTensor(where: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) fail(where, `tensor must be a Tensor, got ${describe(t)}`);
  return t;
}

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `${name} must be a finite number, got ${describe(v)}`);
  return v;
}

/**
 * `fanIn = shape[1] · receptive`, `fanOut = shape[0] · receptive`, with `receptive` the product
 * of `shape[2:]`, as `torch.nn.init._calculate_fan_in_and_fan_out`.
 * @param shape at least 2 dims: `[out, in, ...kernel]`
 * @returns `{ fanIn, fanOut }`
 * @example
 * nn.init.calculateFans([64, 40, 5]).fanIn; // => 200
 * nn.init.calculateFans([64, 40, 5]).fanOut; // => 320
 */
export function calculateFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape) || shape.length < 2) fail('calculateFans', `fans need a shape with at least 2 dims, got ${describe(shape)}`);
  const receptive = shape.slice(2).reduce((p, s) => p * s, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * The gain PyTorch recommends for a nonlinearity (`torch.nn.init.calculate_gain`): 1 for linear,
 * convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + a²)) for leaky_relu with
 * negative slope `a` (default 0.01), 3/4 for selu.
 * @param nonlinearity PyTorch's name of the function
 * @param param leaky_relu's negative slope
 * @returns the gain
 * @example
 * nn.init.calculateGain('leaky_relu', Math.sqrt(5)); // => 0.5773502691896257
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const a = param === undefined ? 0.01 : finite('calculateGain', 'param', param);
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      return fail('calculateGain', `unknown nonlinearity ${describe(nonlinearity)}`);
  }
}

function fill(t: Tensor, draw: () => number): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw();
  return t;
}

/**
 * Fills `tensor` in place with U(a, b), as `torch.nn.init.uniform_`.
 * @param tensor any shape
 * @param a lower bound (default 0)
 * @param b upper bound (default 1)
 * @param src `seed` or `generator`
 * @returns `tensor`
 * @example
 * const w = nn.init.uniform(zeros([1000]), -2, 2, { seed: 0 });
 * w.max().item() <= 2 && w.min().item() >= -2; // => true
 */
export function uniform(tensor: Tensor, a = 0, b = 1, src: RandomSource = {}): Tensor {
  checkTensor('uniform', tensor);
  checkOptions('uniform', src, ['seed', 'generator']);
  finite('uniform', 'a', a);
  finite('uniform', 'b', b);
  if (!(a <= b)) fail('uniform', `a must not exceed b, got a = ${a}, b = ${b}`);
  const rng = rngFrom('uniform', src);
  return fill(tensor, () => a + (b - a) * rng.uniform());
}

/**
 * Fills `tensor` in place with N(mean, std²), as `torch.nn.init.normal_`.
 * @param tensor any shape
 * @param mean default 0
 * @param std default 1
 * @param src `seed` or `generator`
 * @returns `tensor`
 * @example
 * nn.init.normal(zeros([2, 2]), 0, 0, { seed: 1 }).toArray(); // => [[0, 0], [0, 0]]
 */
export function normal(tensor: Tensor, mean = 0, std = 1, src: RandomSource = {}): Tensor {
  checkTensor('normal', tensor);
  checkOptions('normal', src, ['seed', 'generator']);
  finite('normal', 'mean', mean);
  if (finite('normal', 'std', std) < 0) fail('normal', `std must be >= 0, got ${std}`);
  const rng = rngFrom('normal', src);
  return fill(tensor, () => mean + std * rng.normal());
}

/**
 * Fills `tensor` with `value`, as `torch.nn.init.constant_`.
 * @param tensor any shape
 * @param value the number
 * @returns `tensor`
 * @example
 * nn.init.constant(zeros([2]), 0.5).toArray(); // => [0.5, 0.5]
 */
export function constant(tensor: Tensor, value: number): Tensor {
  checkTensor('constant', tensor);
  if (typeof value !== 'number') fail('constant', `value must be a number, got ${describe(value)}`);
  tensor.data.fill(value);
  return tensor;
}

/**
 * Fills `tensor` with 0, as `torch.nn.init.zeros_`.
 * @param tensor any shape
 * @returns `tensor`
 * @example
 * nn.init.zeros(ones([2])).toArray(); // => [0, 0]
 */
export function zeros(tensor: Tensor): Tensor {
  return constant(checkTensor('zeros', tensor), 0);
}

/**
 * Fills `tensor` with 1, as `torch.nn.init.ones_`.
 * @param tensor any shape
 * @returns `tensor`
 * @example
 * nn.init.ones(zeros([2])).toArray(); // => [1, 1]
 */
export function ones(tensor: Tensor): Tensor {
  return constant(checkTensor('ones', tensor), 1);
}

export interface XavierOptions extends RandomSource {
  /** Scale (default 1); `calculateGain` gives the recommended one. */
  gain?: number;
}

/**
 * Glorot uniform, as `torch.nn.init.xavier_uniform_`: U(-a, a) with
 * `a = gain · √(6 / (fanIn + fanOut))`.
 * @param tensor at least 2 dims
 * @param opts `gain` (default 1), `seed` or `generator`
 * @returns `tensor`
 * @example
 * const w = nn.init.xavierUniform(zeros([20, 30]), { seed: 0 });
 * w.abs().max().item() <= Math.sqrt(6 / 50); // => true
 */
export function xavierUniform(tensor: Tensor, opts: XavierOptions = {}): Tensor {
  checkTensor('xavierUniform', tensor);
  checkOptions('xavierUniform', opts, ['gain', 'seed', 'generator']);
  const { fanIn, fanOut } = fansOf('xavierUniform', tensor);
  const a = finite('xavierUniform', 'gain', opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(tensor, -a, a, randomPart(opts));
}

/**
 * Glorot normal, as `torch.nn.init.xavier_normal_`: N(0, std²) with
 * `std = gain · √(2 / (fanIn + fanOut))`.
 * @param tensor at least 2 dims
 * @param opts `gain` (default 1), `seed` or `generator`
 * @returns `tensor`
 * @example
 * nn.init.xavierNormal(zeros([3, 4]), { seed: 0 }).shape; // => [3, 4]
 */
export function xavierNormal(tensor: Tensor, opts: XavierOptions = {}): Tensor {
  checkTensor('xavierNormal', tensor);
  checkOptions('xavierNormal', opts, ['gain', 'seed', 'generator']);
  const { fanIn, fanOut } = fansOf('xavierNormal', tensor);
  const std = finite('xavierNormal', 'gain', opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal(tensor, 0, std, randomPart(opts));
}

export interface KaimingOptions extends RandomSource {
  /** leaky_relu's negative slope (default 0). */
  a?: number;
  /** Which fan keeps its variance: `'fanIn'` (default, the forward pass) or `'fanOut'` (the backward pass). */
  mode?: 'fanIn' | 'fanOut';
  /** Default `'leaky_relu'`. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(where: string, tensor: Tensor, opts: KaimingOptions): number {
  checkOptions(where, opts, ['a', 'mode', 'nonlinearity', 'seed', 'generator']);
  const mode = opts.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') fail(where, `mode must be 'fanIn' or 'fanOut', got ${describe(mode)}`);
  const fans = fansOf(where, tensor);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  if (fan === 0) fail(where, `cannot initialise a tensor of shape [${tensor.shape.join(', ')}]: its ${mode} is 0`);
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', finite(where, 'a', opts.a ?? 0)) / Math.sqrt(fan);
}

/**
 * He uniform, as `torch.nn.init.kaiming_uniform_`: U(-b, b) with `b = gain · √(3 / fan)`.
 * Linear and Conv1d weights use it with `a = √5`, which makes `b = 1 / √fanIn`.
 * @param tensor at least 2 dims
 * @param opts `a` (default 0), `mode` (default `'fanIn'`), `nonlinearity` (default `'leaky_relu'`), `seed` or `generator`
 * @returns `tensor`
 * @example
 * const w = nn.init.kaimingUniform(zeros([10, 25]), { a: Math.sqrt(5), seed: 0 });
 * w.abs().max().item() <= 1 / 5; // => true
 */
export function kaimingUniform(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  checkTensor('kaimingUniform', tensor);
  const b = Math.sqrt(3) * kaimingStd('kaimingUniform', tensor, opts);
  return uniform(tensor, -b, b, randomPart(opts));
}

/**
 * He normal, as `torch.nn.init.kaiming_normal_`: N(0, std²) with `std = gain / √fan`.
 * @param tensor at least 2 dims
 * @param opts `a` (default 0), `mode` (default `'fanIn'`), `nonlinearity` (default `'leaky_relu'`), `seed` or `generator`
 * @returns `tensor`
 * @example
 * nn.init.kaimingNormal(zeros([4, 9]), { nonlinearity: 'relu', seed: 0 }).shape; // => [4, 9]
 */
export function kaimingNormal(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  checkTensor('kaimingNormal', tensor);
  return normal(tensor, 0, kaimingStd('kaimingNormal', tensor, opts), randomPart(opts));
}

function fansOf(where: string, tensor: Tensor): { fanIn: number; fanOut: number } {
  if (tensor.ndim < 2) fail(where, `fan in and fan out need a tensor with at least 2 dims, got shape [${tensor.shape.join(', ')}]`);
  return calculateFans(tensor.shape);
}

function randomPart(opts: RandomSource): RandomSource {
  const out: RandomSource = {};
  if (opts.seed !== undefined) out.seed = opts.seed;
  if (opts.generator !== undefined) out.generator = opts.generator;
  return out;
}
