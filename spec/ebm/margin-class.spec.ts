/**
 * marginClass reproduces the margin column of the tutorial's Table 1 for every built-in loss,
 * by its grid check of the sufficient condition of Section 5; and the loss functional of
 * Section 2.2 with its L2 regulariser.
 */
import { Tensor, tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { expectClose, expectThrowsWith } from '../helpers/index.js';

describe("marginClass reproduces Table 1's margin column", () => {
  const table: [string, ebm.PairLoss, ebm.MarginClassOptions, ebm.MarginClassValue][] = [
    ['energy', ebm.pair.energy, {}, 'none'],
    ['perceptron', ebm.pair.perceptron, {}, 0],
    ['LVQ2 (positive energies)', ebm.pair.lvq2, { range: [0, 8] }, 0],
    ['hinge', ebm.pair.hinge, {}, 'm'],
    ['square-square', ebm.pair.squareSquare, {}, 'm'],
    ['log', ebm.pair.log, {}, '> 0'],
    ['MCE', ebm.pair.mce, {}, '> 0'],
    ['square-exp', ebm.pair.squareExp, {}, '> 0'],
    ['NLL/MMI', ebm.pair.nll, {}, '> 0'],
    ['MEE', ebm.pair.mee, {}, '> 0'],
  ];
  it.each(table.map(([n, l, o, m]) => [`${n}: ${m}`, l, o, m] as const))('%s', (_n, loss, opts, expected) => {
    expect(ebm.marginClass(loss, { steps: 161, ...opts }).margin).toBe(expected);
  });

  it.each([0.5, 1, 1.5])('hinge and square-square with margin %p guarantee exactly that margin', (m) => {
    for (const loss of [ebm.pair.hinge, ebm.pair.squareSquare]) {
      const r = ebm.marginClass(loss, { lossOptions: { margin: m }, steps: 161 });
      expect(r.margin).toBe('m');
      expect(r.holdsUpTo).toBeCloseTo(m, 9);
    }
  });

  it('perceptron and LVQ2 hold at margin 0 only; the energy loss nowhere', () => {
    expect(ebm.marginClass(ebm.pair.perceptron, { steps: 161 }).holdsUpTo).toBe(0);
    expect(ebm.marginClass(ebm.pair.lvq2, { range: [0, 8], lossOptions: { margin: 0.5, delta: 2 }, steps: 161 })).toEqual({ margin: 0, holdsUpTo: 0 });
    expect(ebm.marginClass(ebm.pair.energy, { steps: 161 })).toEqual({ margin: 'none', holdsUpTo: null });
  });

  it('judges a user-written loss: (E - Ē + 1)² wants a gap of exactly 1, so it guarantees every margin below 1: 1 - h on the grid', () => {
    const sq = (e: Tensor, eb: Tensor, o?: Record<string, unknown>): Tensor => ebm.pair.energy(e.sub(eb).add(1).pow(2), eb, o);
    const r = ebm.marginClass(sq, { steps: 161 });
    expect(r.margin).toBe('m');
    expect(r.holdsUpTo).toBeCloseTo(1 - 16 / 160, 9); // h = (hi - lo) / (steps - 1)
  });

  it('reads a margin beyond maxMargin as > 0, as documented', () => {
    expect(ebm.marginClass(ebm.pair.hinge, { lossOptions: { margin: 3 }, steps: 161 }).margin).toBe('> 0');
    expect(ebm.marginClass(ebm.pair.hinge, { lossOptions: { margin: 3 }, steps: 161, maxMargin: 4 }).margin).toBe('m');
  });

  it('rejects bad input', () => {
    expectThrowsWith(() => ebm.marginClass('hinge' as never), 'marginClass: pairLoss must be a function', '"hinge"');
    expectThrowsWith(() => ebm.marginClass(ebm.pair.hinge, { range: [1, 1] }), 'marginClass: range must be [lo, hi] with finite lo < hi, got [1,1]');
    expectThrowsWith(() => ebm.marginClass(ebm.pair.hinge, { steps: 3 }), 'marginClass: steps must be', '5', 'got 3');
    expectThrowsWith(() => ebm.marginClass(ebm.pair.hinge, { steps: 1e300 }), 'marginClass: steps must be', '2049', 'got 1e+300');
    expectThrowsWith(() => ebm.marginClass(ebm.pair.hinge, { grid: 3 } as never), "marginClass: unknown option 'grid'");
    expectThrowsWith(() => ebm.marginClass(ebm.pair.hinge, { lossOptions: { margn: 1 } }), "pair.hinge: unknown option 'margn'");
    expectThrowsWith(() => ebm.marginClass((e) => e.sum(), { steps: 5 }), 'marginClass: pairLoss must return one loss per pair', '25 values');
  });
});

describe('lossFunctional and l2Regularizer', () => {
  it('L(W, S) = (1/P) Σ L_i + λ Σ W², against the sums written out', () => {
    const w1 = tensor([[1, -2], [0.5, 3]]);
    const w2 = tensor([0.25, -1]);
    const per = ebm.squareExpLoss([[0.5, 2, 1], [3, 1, 1.5], [0.1, 0.2, 0.3]], [0, 2, 1], { reduction: 'none' });
    const p = per.toArray() as number[];
    const l = ebm.lossFunctional(per, ebm.l2Regularizer([w1, w2], 0.05));
    expectClose(l, (p[0] + p[1] + p[2]) / 3 + 0.05 * (1 + 4 + 0.25 + 9 + 0.0625 + 1));
    expectClose(ebm.lossFunctional(per), (p[0] + p[1] + p[2]) / 3);
    expectClose(ebm.lossFunctional(per, 0.5), (p[0] + p[1] + p[2]) / 3 + 0.5);
    expectClose(ebm.l2Regularizer(w2, 2), 2 * (0.0625 + 1));
    expect(ebm.lossFunctional(new Tensor(new Float64Array(0), [0])).item()).toBeNaN();
  });
  it('rejects bad input', () => {
    expectThrowsWith(() => ebm.lossFunctional(tensor([[1, 2]])), 'lossFunctional: perSample must be a [P] Tensor', 'got shape [1, 2]');
    expectThrowsWith(() => ebm.lossFunctional([1, 2] as never), 'lossFunctional: perSample must be a [P] Tensor', 'got [1,2]');
    expectThrowsWith(() => ebm.lossFunctional(tensor([1, 2]), tensor([1, 2])), 'lossFunctional: regularizer must be a one-element Tensor or a number, got a Tensor of shape [2]');
    expectThrowsWith(() => ebm.l2Regularizer([tensor([1]), 3] as never, 0.1), 'l2Regularizer: params must be a Tensor or an array of Tensors');
    expectThrowsWith(() => ebm.l2Regularizer([tensor([1])], -1), 'l2Regularizer: lambda must be', 'got -1');
    expectThrowsWith(() => (ebm.l2Regularizer as unknown as (p: Tensor[]) => Tensor)([tensor([1])]), 'l2Regularizer:', 'lambda', 'got undefined');
  });
});
