import fc from 'fast-check';
import { concat, stack, tensor } from '../../engine/index.js';
import { arbShape, expectGradOk, fcParams } from '../helpers/index.js';
import { arbTensorAndDim, arbTensorOf } from './arbitraries.js';
import { fixtureCases, replay } from './fixture-cases.js';

describe('shape ops match PyTorch', () => {
  it.each(fixtureCases('shape'))('%s', (_name, c) => replay(c));
});

describe('shape-op gradients pass gradCheck', () => {
  it('reshape, with -1 in a random position', () => {
    fc.assert(
      fc.property(arbShape(1, 3, 4).chain((s) => fc.tuple(arbTensorOf(s), fc.integer({ min: 0, max: s.length - 1 }))), ([x, free]) => {
        const target = x.shape.map((d, i) => (i === free ? -1 : d)).reverse();
        expectGradOk((t) => t.reshape(target).mul(t.reshape(target)), [x]);
      }),
      fcParams(15),
    );
  });

  it('transpose and permute', () => {
    fc.assert(
      fc.property(arbShape(2, 4, 3).chain((s) => fc.tuple(arbTensorOf(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length }))), ([x, perm]) => {
        expectGradOk((t) => t.permute(perm).transpose(0, -1).exp(), [x]);
      }),
      fcParams(15),
    );
  });

  it('unsqueeze, squeeze and expand', () => {
    fc.assert(
      fc.property(arbTensorAndDim(), fc.integer({ min: 1, max: 3 }), ([x, d], n) => {
        expectGradOk((t) => {
          const u = t.unsqueeze(d);
          const shape = u.shape.map((s) => (s === 1 ? n : s));
          return u.expand([2, ...shape]).mul(u).squeeze();
        }, [x]);
      }),
      fcParams(15),
    );
  });

  it('gather with random (repeated) indices', () => {
    fc.assert(
      fc.property(
        arbTensorAndDim().chain(([x, d]) => {
          const dd = d < 0 ? d + x.ndim : d;
          const ishape = x.shape.map((s, i) => (i === dd ? s + 1 : s));
          const n = ishape.reduce((p, v) => p * v, 1);
          return fc.tuple(fc.constant(x), fc.constant(d), fc.array(fc.integer({ min: 0, max: x.shape[dd] - 1 }), { minLength: n, maxLength: n }), fc.constant(ishape));
        }),
        ([x, d, idx, ishape]) => {
          const index = tensor(Float64Array.from(idx), { shape: ishape });
          expectGradOk((t) => t.gather(d, index), [x]);
        },
      ),
      fcParams(15),
    );
  });

  it('indexSelect with random (repeated) indices', () => {
    fc.assert(
      fc.property(
        arbTensorAndDim().chain(([x, d]) =>
          fc.tuple(fc.constant(x), fc.constant(d), fc.array(fc.integer({ min: 0, max: x.shape[d < 0 ? d + x.ndim : d] - 1 }), { minLength: 1, maxLength: 5 })),
        ),
        ([x, d, idx]) => expectGradOk((t) => t.indexSelect(d, idx), [x]),
      ),
      fcParams(15),
    );
  });

  it('slice with random bounds and step', () => {
    fc.assert(
      fc.property(arbTensorAndDim(), fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 3 }), ([x, d], s, e, step) => {
        expectGradOk((t) => t.slice(d, s, e, step).sum().add(t.slice(d, s, e, step).pow(2).sum()), [x]);
      }),
      fcParams(20),
    );
  });

  it('concat and stack of several tensors (full Jacobian)', () => {
    fc.assert(
      fc.property(
        arbShape(1, 3, 3).chain((s) => fc.tuple(arbTensorOf(s), arbTensorOf(s), arbTensorOf(s), fc.integer({ min: -s.length, max: s.length - 1 }))),
        ([a, b, c, d]) => {
          expectGradOk((x, y, z) => concat([x, y.mul(y), z], d), [a, b, c], { mode: 'full' });
          expectGradOk((x, y, z) => stack([x, y, z.exp()], d), [a, b, c]);
        },
      ),
      fcParams(10),
    );
  });
});
