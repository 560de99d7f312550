/**
 * The strided copies of engine/storage.ts against ndarray-ops, the library the design first
 * named for them: an independent implementation (code generated per layout) of the same views.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import type { Box } from '../../engine/storage.js';
import { boxAddInto, boxCopy, boxPositions, permuteCopy } from '../../engine/storage.js';
import { fcParams } from '../helpers/index.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const filled = (n: number, from: number): Float64Array => Float64Array.from({ length: n }, (_, i) => from + i);

const arbShape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
const arbPermuted = arbShape.chain((shape) =>
  fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }).map((perm) => ({ shape, perm })),
);
// A box per dim: a start inside the side, a step of 1 to 3, and as many steps as fit.
const arbBoxed = arbShape.chain((shape) =>
  fc
    .tuple(...shape.map((side) => fc.tuple(fc.integer({ min: 0, max: Math.max(0, side - 1) }), fc.integer({ min: 1, max: 3 }), fc.nat())))
    .map((parts) => ({
      shape,
      box: parts.map(([start, step, k], d): [number, number, number] => {
        const room = shape[d] === 0 ? 0 : Math.ceil((shape[d] - start) / step);
        return [start, step, room === 0 ? 0 : k % (room + 1)];
      }) as Box,
    })),
);

function oracleBoxView(data: Float64Array, shape: readonly number[], box: Box): ndarray.NdArray<Float64Array> {
  let v = ndarray(data, shape.slice());
  v = v.lo(...box.map((b) => b[0]));
  v = v.step(...box.map((b) => b[1]));
  return v.hi(...box.map((b) => b[2]));
}

describe('strided copies', () => {
  it('permuteCopy equals ndarray-ops assigning a transposed view, on every rank up to 4', () => {
    fc.assert(
      fc.property(arbPermuted, ({ shape, perm }) => {
        const data = filled(sizeOf(shape), 1);
        const expected = new Float64Array(data.length);
        if (data.length > 0) ops.assign(ndarray(expected, perm.map((p) => shape[p])), ndarray(data, shape.slice()).transpose(...perm));
        expect(permuteCopy(data, shape, perm)).toEqual(expected);
      }),
      fcParams(60),
    );
  });

  it('boxCopy equals ndarray-ops copying a lo/step/hi view, empty boxes included', () => {
    fc.assert(
      fc.property(arbBoxed, ({ shape, box }) => {
        const data = filled(sizeOf(shape), 1);
        const outShape = box.map((b) => b[2]);
        const expected = new Float64Array(sizeOf(outShape));
        if (expected.length > 0) ops.assign(ndarray(expected, outShape), oracleBoxView(data, shape, box));
        expect(boxCopy(data, shape, box)).toEqual(expected);
      }),
      fcParams(60),
    );
  });

  it('boxAddInto adds into the box and leaves the rest of the buffer as it was', () => {
    fc.assert(
      fc.property(arbBoxed, ({ shape, box }) => {
        const src = filled(sizeOf(box.map((b) => b[2])), 100);
        const dest = filled(sizeOf(shape), 1);
        const expected = dest.slice();
        if (src.length > 0) ops.addeq(oracleBoxView(expected, shape, box), ndarray(src, box.map((b) => b[2])));
        boxAddInto(dest, shape, box, src);
        expect(dest).toEqual(expected);
      }),
      fcParams(60),
    );
  });

  it('boxPositions lists the flat positions of the box, in the order boxCopy reads them', () => {
    fc.assert(
      fc.property(arbBoxed, ({ shape, box }) => {
        // Each entry holds its own flat position, so the copied box is the list of positions.
        const positions = Float64Array.from({ length: sizeOf(shape) }, (_, i) => i);
        const expected = new Float64Array(sizeOf(box.map((b) => b[2])));
        if (expected.length > 0) ops.assign(ndarray(expected, box.map((b) => b[2])), oracleBoxView(positions, shape, box));
        expect(Float64Array.from(boxPositions(shape, box))).toEqual(expected);
      }),
      fcParams(60),
    );
  });

  it('a 0-d tensor copies its one value', () => {
    expect(permuteCopy(Float64Array.of(7), [], [])).toEqual(Float64Array.of(7));
    expect(boxCopy(Float64Array.of(7), [], [])).toEqual(Float64Array.of(7));
    const dest = Float64Array.of(7);
    boxAddInto(dest, [], [], Float64Array.of(2));
    expect(dest).toEqual(Float64Array.of(9));
  });
});
