import fc from 'fast-check';
import type { Tensor } from '../../engine/index.js';
import * as E from '../../engine/index.js';
import { expectGradOk, fcParams } from '../helpers/index.js';
import { arbTensorAndDim, arbTensorAndDims, distinct } from './arbitraries.js';
import { fixtureCases, replay } from './fixture-cases.js';

describe('reductions match PyTorch (dim, keepDim, negative dims, lists of dims)', () => {
  it.each(fixtureCases('reduce'))('%s', (_name, c) => replay(c));
});

type Reduce = (x: Tensor, dim: number | number[] | undefined, keepDim: boolean) => Tensor;

// max and min are checked on pairwise distinct values: a tie is a kink (tested in kinks.spec.ts).
const reductions: { name: string; f: Reduce; map?: (v: number, i: number) => number }[] = [
  { name: 'sum', f: (x, d, k) => x.sum(d, k) },
  { name: 'mean', f: (x, d, k) => x.mean(d, k) },
  { name: 'max', f: (x, d, k) => x.max(d, k), map: distinct },
  { name: 'min', f: (x, d, k) => x.min(d, k), map: distinct },
  { name: 'logSumExp', f: (x, d, k) => x.logSumExp(d, k) },
];

describe('reduction gradients pass gradCheck', () => {
  it.each(reductions)('$name over one dim', ({ f, map }) => {
    fc.assert(
      fc.property(arbTensorAndDim(-3, 3, map), fc.boolean(), ([x, d], k) => expectGradOk((t) => f(t, d, k), [x])),
      fcParams(20),
    );
  });

  it.each(reductions)('$name over a list of dims', ({ f, map }) => {
    fc.assert(
      fc.property(arbTensorAndDims(-3, 3, map), fc.boolean(), ([x, d], k) => expectGradOk((t) => f(t, d, k), [x])),
      fcParams(20),
    );
  });

  it.each(reductions)('$name over all dims (full Jacobian)', ({ f, map }) => {
    fc.assert(
      fc.property(arbTensorAndDim(-3, 3, map), fc.boolean(), ([x], k) => expectGradOk((t) => f(t, undefined, k), [x], { mode: 'full' })),
      fcParams(10),
    );
  });
});

describe('minExcluding: the min over a dim leaving one entry out', () => {
  it.each(fixtureCases('minExcluding'))('%s', (_name, c) => replay(c));

  /** Plain loops over rows: the lowest value among the other entries, lowest index on ties. */
  const naive = (rows: number[][], skip: number[]): { value: number; at: number }[] =>
    rows.map((row, i) => {
      let at = -1;
      for (let k = 0; k < row.length; k++) if (k !== skip[i] && (at < 0 || row[k] < row[at])) at = k;
      return { value: row[at], at };
    });

  const arbTable = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 6 }))
    .chain(([p, k]) =>
      fc.tuple(
        fc.array(fc.array(fc.integer({ min: -3, max: 3 }).map((v) => v / 2), { minLength: k, maxLength: k }), { minLength: p, maxLength: p }),
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: p, maxLength: p }),
      ),
    );

  it('equals a plain-loop reference, ties included, and sends the gradient to the entry it picked', () => {
    fc.assert(
      fc.property(arbTable, ([rows, skip]) => {
        const x = E.tensor(rows, { requiresGrad: true });
        const y = x.minExcluding(1, skip);
        const want = naive(rows, skip);
        expect(y.toArray()).toEqual(want.map((w) => w.value));
        y.sum().backward();
        const grad = x.grad!.toArray() as number[][];
        grad.forEach((row, i) => row.forEach((g, k) => expect(g).toBe(k === want[i].at ? 1 : 0)));
      }),
      fcParams(40),
    );
  });

  it('passes gradCheck away from ties, over any dim', () => {
    fc.assert(
      fc.property(arbTensorAndDim(-3, 3, distinct).filter(([x, d]) => x.ndim > 0 && x.shape[d < 0 ? d + x.ndim : d] >= 2), fc.boolean(), fc.nat(), ([x, d], k, seed) => {
        const dd = d < 0 ? d + x.ndim : d;
        const n = x.shape[dd];
        const outShape = x.shape.filter((_, i) => i !== dd);
        const count = outShape.reduce((p, s) => p * s, 1);
        const index = E.tensor(Float64Array.from({ length: count }, (_, i) => (seed + i) % n), { shape: k ? x.shape.map((s, i) => (i === dd ? 1 : s)) : outShape });
        expectGradOk((t) => t.minExcluding(d, index, k), [x]);
      }),
      fcParams(20),
    );
  });

  it('rejects bad arguments before any work', () => {
    const x = E.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expect(() => x.minExcluding(1, [0, 3])).toThrow('minExcluding: index 3 is out of range for dim 1 of size 3');
    expect(() => x.minExcluding(1, [-1, 0])).toThrow('minExcluding: index -1 is out of range');
    expect(() => x.minExcluding(1, [0])).toThrow('minExcluding: index must hold one position per slice (2, shape [2]), got shape [1]');
    expect(() => x.slice(1, 0, 1).minExcluding(1, [0, 0])).toThrow('minExcluding: dim 1 must have at least 2 entries');
    expect(() => x.minExcluding(2, [0, 0])).toThrow('minExcluding: dim 2 is out of range');
    expect(x.grad).toBeNull();
  });
});
