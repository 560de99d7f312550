import fc from 'fast-check';
import { arbShape, expectGradOk, fcParams } from '../helpers/index.js';
import { arbTensorAndDim, arbTensorAndDims, arbTensorOf, awayFromZero, distinct } from './arbitraries.js';
import { fixtureCases, replay } from './fixture-cases.js';

describe('matmul matches PyTorch (1-D, 2-D, batched with broadcasting)', () => {
  it.each(fixtureCases('matmul'))('%s', (_name, c) => replay(c));
});

describe('norm matches PyTorch (p = 1, 2, 3, inf, 0.5; dims)', () => {
  it.each(fixtureCases('norm'))('%s', (_name, c) => replay(c));
});

describe('softmax and logSoftmax match PyTorch', () => {
  it.each(fixtureCases('softmax'))('%s', (_name, c) => replay(c));
});

/** Shapes [..batchA, M, K] and [..batchB, K, N] whose batch dims broadcast, or 1-D operands. */
const arbMatmulShapes = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), arbShape(0, 2, 3), fc.boolean(), fc.constantFrom('both', 'a1d', 'b1d'))
  .map(([m, k, n, batch, dropB, kind]): [number[], number[]] => {
    const bb = dropB ? batch.slice(1) : batch.map((d, i) => (i === 0 ? 1 : d));
    if (kind === 'a1d') return [[k], [...bb, k, n]];
    if (kind === 'b1d') return [[...batch, m, k], [k]];
    return [[...batch, m, k], [...bb, k, n]];
  });

describe('linear-algebra gradients pass gradCheck', () => {
  it('matmul over broadcast batch shapes', () => {
    fc.assert(
      fc.property(arbMatmulShapes.chain(([sa, sb]) => fc.tuple(arbTensorOf(sa), arbTensorOf(sb))), ([a, b]) => expectGradOk((x, y) => x.matmul(y), [a, b])),
      fcParams(25),
    );
  });

  it('matmul (full Jacobian)', () => {
    fc.assert(
      fc.property(arbMatmulShapes.chain(([sa, sb]) => fc.tuple(arbTensorOf(sa), arbTensorOf(sb))), ([a, b]) => expectGradOk((x, y) => x.matmul(y), [a, b], { mode: 'full' })),
      fcParams(8),
    );
  });

  // Entries away from 0 (the 1-norm and p < 1 have kinks there) with distinct magnitudes (ties are the inf-norm's kink).
  const awayDistinct = (v: number, i: number): number => awayFromZero(distinct(Math.abs(v), i)) * Math.sign(v || 1);
  it.each([1, 2, 3, 0.5, Infinity])('norm with p = %p over dims', (p) => {
    fc.assert(
      fc.property(arbTensorAndDims(-3, 3, awayDistinct), fc.boolean(), ([x, d], k) => expectGradOk((t) => t.norm(p, d, k), [x])),
      fcParams(15),
    );
    fc.assert(
      fc.property(arbTensorAndDim(-3, 3, awayDistinct), ([x]) => expectGradOk((t) => t.norm(p), [x], { mode: 'full' })),
      fcParams(5),
    );
  });

  it.each(['softmax', 'logSoftmax'] as const)('%s over a random dim', (op) => {
    fc.assert(
      fc.property(arbTensorAndDim(-5, 5), ([x, d]) => {
        expectGradOk((t) => t[op](d), [x]);
        expectGradOk((t) => t[op](d), [x], { mode: 'full' });
      }),
      fcParams(15),
    );
  });
});
