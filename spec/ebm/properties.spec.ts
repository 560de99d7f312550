/**
 * Properties the tutorial states or implies, and identities with the torch.nn losses: the
 * perceptron loss is >= 0 and vanishes exactly when the correct answer has the lowest energy;
 * NLL tends to the perceptron loss as β grows and, at β = 1, is cross-entropy on -E; the hinge
 * loss is a margin ranking loss and the log loss a soft margin loss on the gap Ē - E.
 */
import fc from 'fast-check';
import { Tensor, tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { crossEntropyLoss, marginRankingLoss, softMarginLoss } from '../../losses/index.js';
import { expectClose, fcParams } from '../helpers/index.js';

const arbTable = (coarse = false) =>
  fc.record({ p: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 2, max: 6 }) }).chain(({ p, k }) =>
    fc.record({
      rows: fc.array(
        fc.array(coarse ? fc.integer({ min: -2, max: 2 }).map((v) => v / 2) : fc.double({ min: -3, max: 3, noNaN: true }), { minLength: k, maxLength: k }),
        { minLength: p, maxLength: p },
      ),
      targets: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: p, maxLength: p }),
    }),
  );
const table = (rows: number[][], requiresGrad = false): Tensor => new Tensor(Float64Array.from(rows.flat()), [rows.length, rows[0].length], requiresGrad);

/** `E(Y^i)` and `Ē` read through mostOffendingIncorrect, independently of the losses' masked min. */
function pairOf(rows: number[][], targets: number[]): { e: number[]; eb: number[] } {
  const bar = ebm.mostOffendingIncorrect(rows, targets);
  return { e: rows.map((r, i) => r[targets[i]]), eb: rows.map((r, i) => r[bar[i]]) };
}

describe('perceptron loss', () => {
  it('is >= 0, and 0 exactly when the correct answer has the lowest energy (ties included)', () => {
    fc.assert(
      fc.property(fc.boolean().chain((c) => arbTable(c)), ({ rows, targets }) => {
        const l = ebm.perceptronLoss(rows, targets, { reduction: 'none' }).toArray() as number[];
        l.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v === 0).toBe(rows[i][targets[i]] <= Math.min(...rows[i]));
        });
      }),
      fcParams(30),
    );
  });
});

describe('NLL loss', () => {
  it('tends to the perceptron loss as β grows (the gap is at most log(K) / β)', () => {
    fc.assert(
      fc.property(arbTable(), ({ rows, targets }) => {
        const k = rows[0].length;
        const perc = ebm.perceptronLoss(rows, targets, { reduction: 'none' }).toArray() as number[];
        for (const beta of [1, 10, 100, 1e4]) {
          const nll = ebm.nllLoss(rows, targets, { beta, reduction: 'none' }).toArray() as number[];
          nll.forEach((v, i) => {
            expect(v).toBeGreaterThanOrEqual(perc[i] - 1e-12);
            expect(v - perc[i]).toBeLessThanOrEqual(Math.log(k) / beta + 1e-12);
          });
        }
      }),
      fcParams(20),
    );
  });
  it('equals crossEntropyLoss(-βE, y) / β exactly, values and gradients (β = 1: cross-entropy of -E)', () => {
    fc.assert(
      fc.property(arbTable(), fc.constantFrom(1, 0.5, 3), fc.constantFrom('mean' as const, 'sum' as const, 'none' as const), ({ rows, targets }, beta, reduction) => {
        const a = table(rows, true);
        const b = table(rows, true);
        const ours = ebm.nllLoss(a, targets, { beta, reduction });
        const theirs = beta === 1 ? crossEntropyLoss(b.neg(), targets, { reduction }) : crossEntropyLoss(b.mul(-beta), targets, { reduction: 'none' }).div(beta);
        const theirsReduced = beta === 1 || reduction === 'none' ? theirs : reduction === 'sum' ? theirs.sum() : theirs.mean();
        expectSame(ours, theirsReduced);
        ours.sum().backward();
        theirsReduced.sum().backward();
        expectSame(a.grad as Tensor, b.grad as Tensor);
      }),
      fcParams(20),
    );
  });
});

/** Bit-for-bit equality, NaN matching NaN (+0 and -0 count as equal). */
const expectSame = (a: Tensor | number[], b: Tensor | number[]): void => expectClose(a, b, 0, 0);

describe('hinge and log losses as torch.nn losses on the gap', () => {
  it('hinge equals marginRankingLoss(Ē, E, 1, margin) exactly, values and gradients, kinks included', () => {
    fc.assert(
      fc.property(fc.boolean().chain((c) => arbTable(c)), fc.constantFrom(0, 0.5, 1, -0.5, 0.37), ({ rows, targets }, margin) => {
        const { e, eb } = pairOf(rows, targets);
        const ours = ebm.hingeLoss(table(rows), targets, { margin, reduction: 'none' });
        const theirs = marginRankingLoss(eb, e, e.map(() => 1), { margin, reduction: 'none' });
        expectSame(ours, theirs);
        const a = new Tensor(Float64Array.from(e), [e.length], true);
        const b = new Tensor(Float64Array.from(eb), [eb.length], true);
        const a2 = new Tensor(Float64Array.from(e), [e.length], true);
        const b2 = new Tensor(Float64Array.from(eb), [eb.length], true);
        ebm.pair.hinge(a, b, { margin, reduction: 'sum' }).backward();
        marginRankingLoss(b2, a2, e.map(() => 1), { margin, reduction: 'sum' }).backward();
        expectSame(a.grad as Tensor, a2.grad as Tensor);
        expectSame(b.grad as Tensor, b2.grad as Tensor);
      }),
      fcParams(30),
    );
  });
  it('at the kink m + E - Ē = 0 both pass the gradient (PyTorch\'s clamp_min rule)', () => {
    const e = tensor([[0.5, 1.5, 2]], { requiresGrad: true });
    const l = ebm.hingeLoss(e, [0], { margin: 1, reduction: 'sum' });
    expect(l.item()).toBe(0);
    l.backward();
    expect((e.grad as Tensor).toArray()).toEqual([[1, -1, 0]]);
    const x1 = tensor([1.5], { requiresGrad: true });
    const x2 = tensor([0.5], { requiresGrad: true });
    marginRankingLoss(x1, x2, [1], { margin: 1, reduction: 'sum' }).backward();
    expect([(x2.grad as Tensor).item(), (x1.grad as Tensor).item()]).toEqual([1, -1]);
  });
  it('a negative margin is legal in both, as in PyTorch', () => {
    expectSame(ebm.hingeLoss([[0.5, 0.2, 2]], [0], { margin: -1, reduction: 'none' }), marginRankingLoss([0.2], [0.5], [1], { margin: -1, reduction: 'none' }));
  });
  it('log loss equals softMarginLoss(Ē - E, 1) exactly, values and gradients, large gaps included', () => {
    fc.assert(
      fc.property(arbTable(), fc.constantFrom(1, 30, 800), fc.constantFrom('mean' as const, 'sum' as const, 'none' as const), ({ rows, targets }, scale, reduction) => {
        const scaled = rows.map((r) => r.map((v) => v * scale));
        const { e, eb } = pairOf(scaled, targets);
        const a = new Tensor(Float64Array.from(e), [e.length], true);
        const b = new Tensor(Float64Array.from(eb), [eb.length], true);
        const a2 = new Tensor(Float64Array.from(e), [e.length], true);
        const b2 = new Tensor(Float64Array.from(eb), [eb.length], true);
        const ours = ebm.pair.log(a, b, { reduction });
        const theirs = softMarginLoss(b2.sub(a2), e.map(() => 1), { reduction });
        expectSame(ours, theirs);
        expectSame(ebm.logLoss(scaled, targets, { reduction }), theirs);
        ours.sum().backward();
        theirs.sum().backward();
        expectSame(a.grad as Tensor, a2.grad as Tensor);
        expectSame(b.grad as Tensor, b2.grad as Tensor);
      }),
      fcParams(20),
    );
  });
});

describe('the discrete margin losses are their pair forms applied to E and Ē', () => {
  const cases: [string, (e: Tensor, t: number[]) => Tensor, (a: Tensor, b: Tensor) => Tensor][] = [
    ['hinge', (e, t) => ebm.hingeLoss(e, t, { margin: 0.4, reduction: 'none' }), (a, b) => ebm.pair.hinge(a, b, { margin: 0.4, reduction: 'none' })],
    ['squareSquare', (e, t) => ebm.squareSquareLoss(e, t, { reduction: 'none' }), (a, b) => ebm.pair.squareSquare(a, b, { reduction: 'none' })],
    ['squareExp', (e, t) => ebm.squareExpLoss(e, t, { gamma: 3, reduction: 'none' }), (a, b) => ebm.pair.squareExp(a, b, { gamma: 3, reduction: 'none' })],
    ['mce', (e, t) => ebm.mceLoss(e, t, { reduction: 'none' }), (a, b) => ebm.pair.mce(a, b, { reduction: 'none' })],
    ['perceptron', (e, t) => ebm.perceptronLoss(e, t, { reduction: 'none' }), (a, b) => ebm.pair.perceptron(a, b, { reduction: 'none' })],
  ];
  it.each(cases)('%s', (_n, discrete, pairForm) => {
    fc.assert(
      fc.property(arbTable(), ({ rows, targets }) => {
        const { e, eb } = pairOf(rows, targets);
        expectClose(discrete(table(rows), targets), pairForm(new Tensor(Float64Array.from(e), [e.length]), new Tensor(Float64Array.from(eb), [eb.length])), 1e-12, 1e-14);
      }),
      fcParams(20),
    );
  });
  it('with two answers, NLL and MEE equal their pair forms', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 5 }), fc.double({ min: 0.1, max: 4, noNaN: true }), (pairs, beta) => {
        const rows = pairs.map(([a, b]) => [a, b]);
        const t = pairs.map(() => 0);
        const e = new Tensor(Float64Array.from(pairs.map((p) => p[0])), [pairs.length]);
        const eb = new Tensor(Float64Array.from(pairs.map((p) => p[1])), [pairs.length]);
        expectClose(ebm.nllLoss(rows, t, { beta, reduction: 'none' }), ebm.pair.nll(e, eb, { beta, reduction: 'none' }), 1e-12, 1e-14);
        expectClose(ebm.meeLoss(rows, t, { beta, reduction: 'none' }), ebm.pair.mee(e, eb, { beta, reduction: 'none' }), 1e-10, 1e-14);
      }),
      fcParams(20),
    );
  });
});

describe('edge cases', () => {
  it('NaN energies propagate to the loss', () => {
    const rows = [[NaN, 1, 2], [0, 1, 2]];
    for (const f of [ebm.energyLoss, ebm.nllLoss, ebm.perceptronLoss, ebm.hingeLoss, ebm.logLoss, ebm.squareSquareLoss, ebm.squareExpLoss, ebm.mceLoss, ebm.meeLoss, ebm.pairwiseHingeLoss]) {
      const l = f(rows, [0, 0], { reduction: 'none' }).toArray() as number[];
      expect(l[0]).toBeNaN();
      expect(Number.isNaN(l[1])).toBe(false);
    }
  });
  it('a correct answer at -Infinity leaves Ē finite', () => {
    expect(ebm.hingeLoss([[-Infinity, 1, 2]], [0], { reduction: 'none' }).toArray()).toEqual([0]);
    expect(ebm.mceLoss([[-Infinity, 1, 2]], [0], { reduction: 'none' }).toArray()).toEqual([0]);
  });
  it("'mean' over no samples is NaN and 'sum' is 0", () => {
    const empty = new Tensor(new Float64Array(0), [0, 3]);
    expect(ebm.hingeLoss(empty, []).item()).toBeNaN();
    expect(ebm.nllLoss(empty, [], { reduction: 'sum' }).item()).toBe(0);
  });
  it('a call leaves the energies and their gradient unchanged', () => {
    const e = table([[0.5, 2, 1]], true);
    const before = e.data.slice();
    ebm.squareExpLoss(e, [1]).backward();
    expect(e.data).toEqual(before);
    expect(() => ebm.hingeLoss(e, [5])).toThrow();
    expect((e.grad as Tensor).toArray()).toEqual([[-Math.exp(-0.5), 4, 0]]);
  });
});
