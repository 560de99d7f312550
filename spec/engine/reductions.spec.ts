import fc from 'fast-check';
import type { Tensor } from '../../engine/index.js';
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
