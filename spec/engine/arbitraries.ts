/**
 * Input domains for gradient checks: each op is checked where it is smooth, at least a
 * finite-difference step's worth of distance away from its kinks and singularities.
 */
import fc from 'fast-check';
import { Tensor } from '../../engine/index.js';
import { arbBroadcastShapes, arbData, arbShape } from '../helpers/index.js';

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** A tensor requiring grad of the given shape, values in [min, max] passed through `map`. */
export const arbTensorOf = (shape: number[], min = -3, max = 3, map: (v: number, i: number) => number = (v) => v): fc.Arbitrary<Tensor> =>
  arbData(size(shape), min, max).map((d) => new Tensor(d.map(map), shape, true));

/** Values at least 0.05 away from 0 (abs, relu, the 1-norm, divisors). */
export const awayFromZero = (v: number): number => (v >= 0 ? v + 0.05 : v - 0.05);

/** Pairwise distinct values: the biased generator repeats 0 and the bounds, which would tie max/min. */
export const distinct = (v: number, i: number): number => v + 0.0137 * (i + 1);

/** Values on the grid 0.25 + 0.5ℤ: never equal to a value on the grid 0.5ℤ (see `onHalfGrid`). */
export const offHalfGrid = (v: number): number => Math.round(v * 2) / 2 + 0.25;
export const onHalfGrid = (v: number): number => Math.round(v * 2) / 2;

/** Two tensors of shapes that broadcast together, in either order. */
export const arbBroadcastPair = (
  mapA: (v: number, i: number) => number = (v) => v,
  mapB: (v: number, i: number) => number = (v) => v,
  rangeA: [number, number] = [-3, 3],
  rangeB: [number, number] = [-3, 3],
): fc.Arbitrary<[Tensor, Tensor]> =>
  fc.tuple(arbBroadcastShapes(), fc.boolean()).chain(([[s1, s2], swap]) => {
    const [sa, sb] = swap ? [s2, s1] : [s1, s2];
    return fc.tuple(arbTensorOf(sa, rangeA[0], rangeA[1], mapA), arbTensorOf(sb, rangeB[0], rangeB[1], mapB));
  });

/** A tensor of random shape (1 to 3 dims) and a valid dim of it, possibly negative. */
export const arbTensorAndDim = (min = -3, max = 3, map?: (v: number, i: number) => number): fc.Arbitrary<[Tensor, number]> =>
  arbShape(1, 3, 4).chain((s) => fc.tuple(arbTensorOf(s, min, max, map), fc.integer({ min: -s.length, max: s.length - 1 })));

/** A tensor of random shape and a non-empty list of distinct dims of it, possibly negative. */
export const arbTensorAndDims = (min = -3, max = 3, map?: (v: number, i: number) => number): fc.Arbitrary<[Tensor, number[]]> =>
  arbShape(1, 3, 4).chain((s) =>
    fc.tuple(
      arbTensorOf(s, min, max, map),
      fc.subarray(s.map((_, i) => i), { minLength: 1 }).chain((dims) =>
        fc.tuple(...dims.map((d) => fc.constantFrom(d, d - s.length))).map((ds) => ds as number[]),
      ),
    ),
  );
