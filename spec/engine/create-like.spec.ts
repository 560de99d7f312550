/** zerosLike, onesLike, fullLike, randLike, randnLike, and the rank-typed toArray helpers. */
import {
  fullLike, onesLike, rand, randLike, randn, randnLike, tensor, toArray1d, toArray2d, toArray3d, zeros, zerosLike,
} from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import { expectThrowsWith } from '../helpers/index.js';

describe('*Like constructors', () => {
  const like = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });

  it.each([
    ['zerosLike', zerosLike(like), 0],
    ['onesLike', onesLike(like), 1],
    ['fullLike', fullLike(like, -2.5), -2.5],
    ['fullLike with NaN', fullLike(like, NaN), NaN],
  ] as const)('%s has the shape of its model and the value everywhere', (_name, t, value) => {
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual(new Array(6).fill(value));
  });

  it('gives a new leaf: no shared storage, no graph, requiresGrad false unless asked', () => {
    const y = like.mul(2);
    const z = zerosLike(y);
    expect(z.isLeaf).toBe(true);
    expect(z.requiresGrad).toBe(false);
    expect(z.data).not.toBe(y.data);
    z.data[0] = 9;
    expect(y.data[0]).toBe(2);
    expect(onesLike(y, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('keeps the shape of 0-d and empty models', () => {
    expect(onesLike(tensor(3)).shape).toEqual([]);
    expect(onesLike(tensor(3)).item()).toBe(1);
    expect(zerosLike(zeros([0, 4])).shape).toEqual([0, 4]);
  });

  it('randLike and randnLike draw the streams of rand and randn with the same seed', () => {
    expect(randLike(like, { seed: 7 }).data).toEqual(rand([2, 3], { seed: 7 }).data);
    expect(randnLike(like, { seed: 7 }).data).toEqual(randn([2, 3], { seed: 7 }).data);
    expect(randnLike(like, { seed: 7, requiresGrad: true }).requiresGrad).toBe(true);
    expect(randLike(like).shape).toEqual([2, 3]);
  });

  it('rejects a model that is not a Tensor, a bad value and bad options, by name', () => {
    expectThrowsWith(() => zerosLike([1, 2] as unknown as Tensor), 'zerosLike', 'like', 'Tensor', '[1,2]');
    expectThrowsWith(() => randnLike(undefined as unknown as Tensor), 'randnLike', 'like', 'undefined');
    expectThrowsWith(() => fullLike(like, '1' as unknown as number), 'fullLike', 'value', 'number');
    expectThrowsWith(() => onesLike(like, { requiresGrad: 1 as unknown as boolean }), 'onesLike', 'requiresGrad', 'boolean');
    expectThrowsWith(() => randLike(like, { seed: 1.5 }), 'randLike', 'seed', 'integer');
    expectThrowsWith(() => zerosLike(like, { shape: [3] } as object), 'zerosLike', 'unknown option', 'shape');
  });
});

describe('toArray1d, toArray2d, toArray3d', () => {
  it('return the nested values that toArray returns, with the rank in the type', () => {
    const a = tensor([1, -2, 3]);
    const b = tensor([[1, 2, 3], [4, 5, 6]]);
    const c = tensor([[[1], [2]], [[3], [4]], [[5], [6]]]);
    const one: number[] = toArray1d(a);
    const two: number[][] = toArray2d(b);
    const three: number[][][] = toArray3d(c);
    expect(one).toEqual(a.toArray());
    expect(two).toEqual(b.toArray());
    expect(three).toEqual(c.toArray());
    expect(two.map((row) => row.reduce((s, v) => s + v, 0))).toEqual([6, 15]);
    expect(toArray2d(zeros([0, 3]))).toEqual([]);
    expect(toArray2d(zeros([2, 0]))).toEqual([[], []]);
  });

  it('return copies: changing the array leaves the tensor as it was', () => {
    const a = tensor([1, 2]);
    toArray1d(a)[0] = 5;
    expect(a.data[0]).toBe(1);
  });

  it('reject another rank, naming the shape and the way out', () => {
    expectThrowsWith(() => toArray1d(tensor([[1]])), 'toArray1d', '1-D', '[1, 1]', 'toArray()');
    expectThrowsWith(() => toArray2d(tensor(1)), 'toArray2d', '2-D', '[]');
    expectThrowsWith(() => toArray3d([1] as unknown as Tensor), 'toArray3d', 'Tensor');
  });
});
