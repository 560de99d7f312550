/**
 * Every EBM loss against a naive reference written straight from the tutorial's formulas: plain
 * loops over number[] rows, no tensors, no masking tricks, no log-sum-exp shift. Random tables
 * (ties included) from fast-check with the fixed seed.
 */
import fc from 'fast-check';
import { Tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { expectClose, fcParams } from '../helpers/index.js';

type Opts = { margin?: number; beta?: number; gamma?: number; delta?: number; C?: (yi: number, y: number) => number; h?: 'hinge' | 'softplus' };

/** The most offending incorrect answer by a scan: the first strictly lower energy wins, so ties go to the lowest index. */
function offending(row: number[], t: number): number {
  let best = -1;
  for (let y = 0; y < row.length; y++) if (y !== t && (best < 0 || row[y] < row[best])) best = y;
  return best;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const gibbs = (row: number[], b: number, t: number): number => Math.exp(-b * row[t]) / row.reduce((s, v) => s + Math.exp(-b * v), 0);

/** The per-sample loss of Table 1, from the formula. */
function naive(name: string, row: number[], t: number, o: Opts): number {
  const e = row[t];
  const eb = row[offending(row, t)];
  const m = o.margin ?? 1;
  const b = o.beta ?? 1;
  switch (name) {
    case 'energyLoss': return e;
    case 'nllLoss': return e + Math.log(row.reduce((s, v) => s + Math.exp(-b * v), 0)) / b;
    case 'perceptronLoss': return e - Math.min(...row);
    case 'hingeLoss': return Math.max(0, m + e - eb);
    case 'logLoss': return Math.log(1 + Math.exp(e - eb));
    case 'squareSquareLoss': return e * e + Math.max(0, m - eb) ** 2;
    case 'squareExpLoss': return e * e + (o.gamma ?? 1) * Math.exp(-eb);
    case 'lvq2Loss': return Math.min(m, Math.max(0, (e - eb) / ((o.delta ?? 1) * eb)));
    case 'mceLoss': return sigmoid(e - eb);
    case 'meeLoss': return 1 - gibbs(row, b, t);
    case 'pairwiseHingeLoss': {
      let s = 0;
      for (let y = 0; y < row.length; y++) {
        if (y === t) continue;
        const d = e - row[y] + (o.C ? o.C(t, y) : m);
        s += o.h === 'softplus' ? Math.log(1 + Math.exp(d)) : Math.max(0, d);
      }
      return s;
    }
    default: throw new Error(`no reference for ${name}`);
  }
}

/** The pair form of Table 1, from the formula. */
function naivePair(name: string, e: number, eb: number, o: Opts): number {
  const m = o.margin ?? 1;
  const b = o.beta ?? 1;
  switch (name) {
    case 'energy': return e;
    case 'perceptron': return e - Math.min(e, eb);
    case 'hinge': return Math.max(0, m + e - eb);
    case 'log': return Math.log(1 + Math.exp(e - eb));
    case 'squareSquare': return e * e + Math.max(0, m - eb) ** 2;
    case 'squareExp': return e * e + (o.gamma ?? 1) * Math.exp(-eb);
    case 'lvq2': return Math.min(m, Math.max(0, (e - eb) / ((o.delta ?? 1) * eb)));
    case 'mce': return sigmoid(e - eb);
    case 'nll': return e + Math.log(Math.exp(-b * e) + Math.exp(-b * eb)) / b;
    case 'mee': return 1 - Math.exp(-b * e) / (Math.exp(-b * e) + Math.exp(-b * eb));
    default: throw new Error(`no reference for pair.${name}`);
  }
}

/** P x K tables; `coarse` draws from a few values so that ties between answers are common. */
const arbTable = (lo: number, hi: number) =>
  fc.record({ p: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 2, max: 6 }), coarse: fc.boolean() }).chain(({ p, k, coarse }) =>
    fc.record({
      rows: fc.array(
        fc.array(coarse ? fc.integer({ min: 0, max: 3 }).map((v) => lo + ((hi - lo) * v) / 3) : fc.double({ min: lo, max: hi, noNaN: true }), { minLength: k, maxLength: k }),
        { minLength: p, maxLength: p },
      ),
      targets: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: p, maxLength: p }),
      reduction: fc.constantFrom('mean' as const, 'sum' as const, 'none' as const),
    }),
  );

function reduced(per: number[], reduction: 'mean' | 'sum' | 'none'): number | number[] {
  if (reduction === 'none') return per;
  const s = per.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? s : s / per.length;
}

const tableOf = (rows: number[][]): Tensor => new Tensor(Float64Array.from(rows.flat()), [rows.length, rows[0].length], true);
const losses = ebm as unknown as Record<string, (e: Tensor, t: number[], o: object) => Tensor>;

const CASES: [string, Opts, number, number][] = [
  ['energyLoss', {}, -3, 3],
  ['nllLoss', {}, -3, 3],
  ['nllLoss', { beta: 2.5 }, -3, 3],
  ['perceptronLoss', {}, -3, 3],
  ['hingeLoss', {}, -3, 3],
  ['hingeLoss', { margin: 0.3 }, -3, 3],
  ['logLoss', {}, -3, 3],
  ['squareSquareLoss', { margin: 1.5 }, -3, 3],
  ['squareExpLoss', { gamma: 0.7 }, -3, 3],
  ['lvq2Loss', {}, 0.2, 3],
  ['lvq2Loss', { margin: 0.4, delta: 0.3 }, 0.2, 3],
  ['mceLoss', {}, -3, 3],
  ['meeLoss', {}, -3, 3],
  ['meeLoss', { beta: 0.5 }, -3, 3],
  ['pairwiseHingeLoss', {}, -3, 3],
  ['pairwiseHingeLoss', { margin: 0.25, h: 'softplus' }, -3, 3],
  ['pairwiseHingeLoss', { C: (yi, y) => 0.5 + 0.25 * Math.abs(yi - y) }, -3, 3],
];

describe('discrete EBM losses equal their naive reference on random tables (ties included)', () => {
  it.each(CASES.map(([n, o, lo, hi]) => [`${n} ${JSON.stringify(o)}${o.C ? ' with a margin function' : ''}`, n, o, lo, hi] as const))('%s', (_l, name, o, lo, hi) => {
    fc.assert(
      fc.property(arbTable(lo, hi), ({ rows, targets, reduction }) => {
        const { C, ...rest } = o;
        const opts = C ? { ...rest, margin: C, reduction } : { ...rest, reduction };
        const out = losses[name](tableOf(rows), targets, opts);
        const expected = reduced(rows.map((r, i) => naive(name, r, targets[i], o)), reduction);
        expectClose(out, expected as number[], 1e-9, 1e-12);
        expect(out.shape).toEqual(reduction === 'none' ? [rows.length] : []);
      }),
      fcParams(20),
    );
  });

  it('pairwiseHingeLoss with a [K, K] margin Tensor equals the same margins as a function', () => {
    fc.assert(
      fc.property(arbTable(-3, 3), ({ rows, targets, reduction }) => {
        const k = rows[0].length;
        const cf = (yi: number, y: number): number => 0.1 * (yi + 2 * y);
        const cData = Float64Array.from({ length: k * k }, (_, i) => cf(Math.floor(i / k), i % k));
        const out = ebm.pairwiseHingeLoss(tableOf(rows), targets, { margin: new Tensor(cData, [k, k]), reduction });
        expectClose(out, reduced(rows.map((r, i) => naive('pairwiseHingeLoss', r, targets[i], { C: cf })), reduction) as number[], 1e-9, 1e-12);
      }),
      fcParams(20),
    );
  });
});

describe('mostOffendingIncorrect equals a scan for the lowest incorrect energy, ties to the lowest index', () => {
  it('on random tables', () => {
    fc.assert(
      fc.property(arbTable(-3, 3), ({ rows, targets }) => {
        expect(ebm.mostOffendingIncorrect(rows, targets)).toEqual(rows.map((r, i) => offending(r, targets[i])));
      }),
      fcParams(30),
    );
  });
  it('on hand-made ties, NaN and infinite rows', () => {
    expect(ebm.mostOffendingIncorrect([[1, 1, 1], [0, 1, 1]], [0, 0])).toEqual([1, 1]);
    expect(ebm.mostOffendingIncorrect([[0, 2, 2, 0]], [0])).toEqual([3]);
    expect(ebm.mostOffendingIncorrect([[1, NaN, 0, NaN]], [0])).toEqual([1]);
    expect(ebm.mostOffendingIncorrect([[-Infinity, Infinity, Infinity]], [0])).toEqual([1]);
  });
  it('is the answer that receives the gradient of Ē in the losses', () => {
    const e = new Tensor(Float64Array.from([0, 1, 1, 1, 2, 0, 3, 0, 0]), [3, 3], true);
    ebm.mceLoss(e, [0, 1, 2], { reduction: 'sum' }).backward();
    const g = (e.grad as Tensor).toArray() as number[][];
    const chosen = ebm.mostOffendingIncorrect(e.detach(), [0, 1, 2]);
    g.forEach((row, i) => row.forEach((v, y) => expect(v < 0).toBe(y === chosen[i])));
  });
});

describe('pair forms equal their naive reference on random pairs', () => {
  const names = Object.keys(ebm.pair) as (keyof typeof ebm.pair)[];
  const optsFor: Record<string, Opts> = { hinge: { margin: 0.7 }, squareSquare: { margin: 1.3 }, squareExp: { gamma: 2 }, lvq2: { margin: 0.5, delta: 0.8 }, nll: { beta: 1.7 }, mee: { beta: 0.6 } };
  it.each(names.map((n) => [n] as const))('pair.%s', (name) => {
    const lo = name === 'lvq2' ? 0.2 : -3;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(
          fc.array(fc.double({ min: lo, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
          fc.array(fc.double({ min: lo, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
          fc.constantFrom('mean' as const, 'sum' as const, 'none' as const),
        )),
        ([e, eb, reduction]) => {
          const o = optsFor[name] ?? {};
          const out = ebm.pair[name](new Tensor(Float64Array.from(e), [e.length]), new Tensor(Float64Array.from(eb), [eb.length]), { ...o, reduction });
          expectClose(out, reduced(e.map((v, i) => naivePair(name, v, eb[i], o)), reduction) as number[], 1e-9, 1e-12);
        },
      ),
      fcParams(20),
    );
  });
});

describe('marginReport equals counts made by hand', () => {
  it('on random tables', () => {
    fc.assert(
      fc.property(arbTable(-3, 3), fc.double({ min: 0, max: 2, noNaN: true }), ({ rows, targets }, margin) => {
        const r = ebm.marginReport(rows, targets, { margin });
        const gaps = rows.map((row, i) => row[offending(row, targets[i])] - row[targets[i]]);
        expect(r.accuracy).toBeCloseTo(gaps.filter((g) => g > 0).length / rows.length, 14);
        expect(r.marginAccuracy).toBeCloseTo(gaps.filter((g) => g >= margin).length / rows.length, 14);
        expect(r.meanGap).toBeCloseTo(gaps.reduce((a, b) => a + b, 0) / rows.length, 12);
        const spread = rows.reduce((s, row) => s + Math.max(...row) - Math.min(...row), 0) / rows.length;
        expect(r.meanSpread).toBeCloseTo(spread, 12);
        expect(r.collapsed).toBe(spread <= 0.1 * margin);
      }),
      fcParams(30),
    );
  });
  it('flags a surface flat on the scale of the margin, at any offset, and a separated one as not', () => {
    expect(ebm.marginReport([[0, 0, 0], [0, 0, 0]], [0, 1]).collapsed).toBe(true);
    expect(ebm.marginReport([[0, 0, 0], [0, 0, 0]], [0, 1], { margin: 0 }).collapsed).toBe(true);
    expect(ebm.marginReport([[1e-3, 3e-3, 2e-3], [2e-4, 1e-3, 9e-4]], [0, 1]).collapsed).toBe(true);
    expect(ebm.marginReport([[5e6, 5e6 + 0.01, 5e6], [5e6, 5e6, 5e6 + 0.02]], [0, 1]).collapsed).toBe(true);
    expect(ebm.marginReport([[5e6, 5e6 + 1, 5e6], [5e6, 5e6, 5e6 + 2]], [0, 1]).collapsed).toBe(false);
    expect(ebm.marginReport([[1e-9, 3e-9, 2e-9]], [0], { margin: 0 }).collapsed).toBe(false);
    expect(ebm.marginReport([[1e-9, 3e-9, 2e-9]], [0], { margin: 1e-8 }).collapsed).toBe(false);
    const r = ebm.marginReport([[0, 2, 3], [1, 0, 1.5], [0.2, 0.2, 4]], [0, 1, 0], { margin: 1.5 });
    expect(r).toEqual({ accuracy: 2 / 3, marginAccuracy: 1 / 3, meanGap: (2 + 1 + 0) / 3, meanSpread: (3 + 1.5 + 3.8) / 3, collapsed: false });
  });
  it('counts a NaN row as incorrect and lets NaN reach meanGap', () => {
    const r = ebm.marginReport([[NaN, 1], [0, 2]], [0, 0]);
    expect([r.accuracy, r.marginAccuracy]).toEqual([0.5, 0.5]);
    expect(r.meanGap).toBeNaN();
  });
});
