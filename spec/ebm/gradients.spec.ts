/**
 * Gradient checks (central differences, `expectGradOk`) of every differentiable EBM function,
 * on tables whose answers are well separated (no ties in the min) and kept away from each loss's
 * kinks, so that the loss is differentiable where it is probed.
 */
import fc from 'fast-check';
import { Tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { expectGradOk, fcParams } from '../helpers/index.js';

const KINK_GAP = 1e-3;

/**
 * Rows whose K energies are `lo + 0.4 * rank + jitter` (jitter < 0.1) in a random order: any two
 * answers differ by at least 0.3, so the most offending answer is unique.
 */
const arbSeparated = (lo: number, hi: number) =>
  fc.record({ p: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 2, max: 5 }) }).chain(({ p, k }) =>
    fc.record({
      rows: fc.array(
        fc.tuple(
          fc.double({ min: lo, max: hi, noNaN: true }),
          fc.shuffledSubarray([...Array(k).keys()], { minLength: k, maxLength: k }),
          fc.array(fc.double({ min: 0, max: 0.1, noNaN: true }), { minLength: k, maxLength: k }),
        ).map(([base, order, jitter]) => order.map((r, y) => base + 0.4 * r + jitter[y])),
        { minLength: p, maxLength: p },
      ),
      targets: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: p, maxLength: p }),
      reduction: fc.constantFrom('mean' as const, 'sum' as const, 'none' as const),
    }),
  );

const offending = (row: number[], t: number): number => Math.min(...row.filter((_, y) => y !== t));
const table = (rows: number[][]): Tensor => new Tensor(Float64Array.from(rows.flat()), [rows.length, rows[0].length], true);

/** Distance of each sample from the loss's kinks (Infinity for a smooth loss). */
type Kinks = (row: number[], t: number) => number;
const smooth: Kinks = () => Infinity;
const hingeKink = (m: number): Kinks => (row, t) => Math.abs(m + row[t] - offending(row, t));

const CASES: [string, object, number, number, Kinks][] = [
  ['energyLoss', {}, -2, 1, smooth],
  ['nllLoss', { beta: 1.5 }, -2, 1, smooth],
  ['perceptronLoss', {}, -2, 1, smooth],
  ['hingeLoss', { margin: 0.7 }, -2, 1, hingeKink(0.7)],
  ['logLoss', {}, -2, 1, smooth],
  ['squareSquareLoss', { margin: 1.2 }, -2, 1, (row, t) => Math.abs(1.2 - offending(row, t))],
  ['squareExpLoss', { gamma: 0.8 }, -2, 1, smooth],
  ['lvq2Loss', { margin: 0.5, delta: 0.7 }, 0.3, 1.5, (row, t) => {
    const x = (row[t] - offending(row, t)) / (0.7 * offending(row, t));
    return Math.min(Math.abs(x), Math.abs(x - 0.5));
  }],
  ['mceLoss', {}, -2, 1, smooth],
  ['meeLoss', { beta: 0.9 }, -2, 1, smooth],
  ['pairwiseHingeLoss', { margin: 0.55 }, -2, 1, (row, t) => Math.min(...row.map((v, y) => (y === t ? Infinity : Math.abs(row[t] - v + 0.55))))],
  ['pairwiseHingeLoss', { h: 'softplus' }, -2, 1, smooth],
];
const losses = ebm as unknown as Record<string, (e: Tensor, t: number[], o: object) => Tensor>;

describe('gradients of the discrete EBM losses agree with central differences', () => {
  it.each(CASES.map(([n, o, lo, hi, k]) => [`${n} ${JSON.stringify(o)}`, n, o, lo, hi, k] as const))('%s', (_l, name, o, lo, hi, kinks) => {
    fc.assert(
      fc.property(arbSeparated(lo, hi), ({ rows, targets, reduction }) => {
        fc.pre(rows.every((r, i) => kinks(r, targets[i]) > KINK_GAP));
        expectGradOk((e) => losses[name](e, targets, { ...o, reduction }), [table(rows)]);
      }),
      fcParams(20),
    );
  });

  it('pairwiseHingeLoss carries gradients to a [K, K] margin Tensor', () => {
    fc.assert(
      fc.property(arbSeparated(-2, 1), ({ rows, targets, reduction }) => {
        const k = rows[0].length;
        const c = new Tensor(Float64Array.from({ length: k * k }, (_, i) => 0.3 + 0.05 * i), [k, k], true);
        fc.pre(rows.every((row, i) => row.every((v, y) => y === targets[i] || Math.abs(row[targets[i]] - v + c.data[targets[i] * k + y]) > KINK_GAP)));
        expectGradOk((e, cm) => ebm.pairwiseHingeLoss(e, targets, { margin: cm, reduction }), [table(rows), c]);
      }),
      fcParams(20),
    );
  });
});

describe('gradients of the pair forms agree with central differences (E and Ē)', () => {
  const kinks: Record<string, (e: number, eb: number) => number> = {
    perceptron: (e, eb) => Math.abs(e - eb),
    hinge: (e, eb) => Math.abs(1 + e - eb),
    squareSquare: (_e, eb) => Math.abs(1 - eb),
    lvq2: (e, eb) => Math.min(Math.abs(e - eb), Math.abs((e - eb) / eb - 1)),
  };
  const names = Object.keys(ebm.pair) as (keyof typeof ebm.pair)[];
  it.each(names.map((n) => [n] as const))('pair.%s', (name) => {
    const lo = name === 'lvq2' ? 0.3 : -2;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(
          fc.array(fc.double({ min: lo, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
          fc.array(fc.double({ min: lo, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
          fc.constantFrom('mean' as const, 'sum' as const, 'none' as const),
        )),
        ([e, eb, reduction]) => {
          const kink = kinks[name];
          if (kink) fc.pre(e.every((v, i) => kink(v, eb[i]) > KINK_GAP));
          const E = new Tensor(Float64Array.from(e), [e.length], true);
          const B = new Tensor(Float64Array.from(eb), [eb.length], name !== 'energy');
          expectGradOk((a, b) => ebm.pair[name](a, b, { reduction }), [E, B]);
        },
      ),
      fcParams(20),
    );
  });
});

describe('gradients of the loss functional and the L2 regulariser agree with central differences', () => {
  it('lossFunctional(hinge per-sample, l2Regularizer(W))', () => {
    fc.assert(
      fc.property(arbSeparated(-2, 1), fc.double({ min: 0, max: 2, noNaN: true }), ({ rows, targets }, lambda) => {
        fc.pre(rows.every((r, i) => hingeKink(1)(r, targets[i]) > KINK_GAP));
        const w = new Tensor(Float64Array.from(rows.flat().map((v) => v * 0.5 - 0.1)), [rows.flat().length], true);
        expectGradOk((e, W) => ebm.lossFunctional(ebm.hingeLoss(e, targets, { reduction: 'none' }), ebm.l2Regularizer([W], lambda)), [table(rows), w]);
      }),
      fcParams(20),
    );
  });
  it('l2Regularizer over several tensors', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.double({ min: 0, max: 3, noNaN: true }), (v, lambda) => {
        const a = new Tensor(Float64Array.from(v), [v.length], true);
        const b = new Tensor(Float64Array.from(v.map((x) => x * x - 1)), [v.length, 1], true);
        expectGradOk((x, y) => ebm.l2Regularizer([x, y], lambda), [a, b]);
      }),
      fcParams(20),
    );
  });
});
