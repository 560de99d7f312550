/**
 * `toArray` with the rank in the type. `Tensor#toArray()` returns `NestedNumbers` (a number or
 * nested arrays), since a tensor's rank is known only at run time; these check the rank and
 * return `number[]`, `number[][]` or `number[][][]`, so that `toArray2d(t).map(...)` type-checks.
 */
import { describe, fail, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

function checked(fn: string, t: unknown, rank: number): Tensor {
  if (!(t instanceof Tensor)) fail(fn, `t must be a Tensor, got ${describe(t)}`);
  if (t.ndim !== rank) fail(fn, `t must be a ${rank}-D tensor, got shape ${fmtShape(t.shape)}; use toArray() for any rank`);
  return t;
}

/**
 * The values of a 1-D tensor as a plain array.
 *
 * @param t a tensor of shape `[n]`.
 * @returns `number[]` of length `n`.
 *
 * PyTorch: `t.tolist()`.
 *
 * @example
 * toArray1d(tensor([1, 2, 3])).map((v) => v * 2);   // => [2, 4, 6]
 */
export function toArray1d(t: Tensor): number[] {
  return Array.from(checked('toArray1d', t, 1).data);
}

/**
 * The values of a 2-D tensor as nested plain arrays, one per row.
 *
 * @param t a tensor of shape `[m, n]`.
 * @returns `number[][]`: `m` rows of `n` numbers.
 *
 * PyTorch: `t.tolist()`.
 *
 * @example
 * toArray2d(tensor([[1, 2], [3, 4]])).map((row) => row.length);   // => [2, 2]
 */
export function toArray2d(t: Tensor): number[][] {
  const { data, shape } = checked('toArray2d', t, 2);
  const [m, n] = shape;
  return Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));
}

/**
 * The values of a 3-D tensor as nested plain arrays.
 *
 * @param t a tensor of shape `[a, b, c]`.
 * @returns `number[][][]`.
 *
 * PyTorch: `t.tolist()`.
 *
 * @example
 * toArray3d(zeros([2, 1, 3]))[1][0].length;   // => 3
 */
export function toArray3d(t: Tensor): number[][][] {
  const { data, shape } = checked('toArray3d', t, 3);
  const [a, b, c] = shape;
  return Array.from({ length: a }, (_, i) =>
    Array.from({ length: b }, (_, j) => Array.from(data.subarray((i * b + j) * c, (i * b + j + 1) * c))));
}
