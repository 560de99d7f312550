/**
 * Property tests for the classification losses on random inputs: agreement with the naive
 * references of classification-naive.ts, the fused cross-entropy kernel against its composed
 * definition (logSoftmax + nllLoss), and finite-difference gradient checks with generators that
 * keep every hinge in its active region and away from its kink.
 */
import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import {
  crossEntropyLoss, multiLabelMarginLoss, multiLabelSoftMarginLoss, multiMarginLoss, nllLoss,
} from '../../losses/index.js';
import { arbData, expectClose, expectGradOk, fcParams } from '../helpers/index.js';
import type { Red } from './classification-naive.js';
import {
  naiveCrossEntropy, naiveCrossEntropyProb, naiveMultiLabelMargin, naiveMultiLabelSoftMargin, naiveMultiMargin, naiveNll,
} from './classification-naive.js';

const IGNORE = -100;
const prod = (s: number[]): number => s.reduce((p, d) => p * d, 1);
const arbRed = fc.constantFrom<Red>('none', 'mean', 'sum');
const arbWeights = (c: number) =>
  fc.option(fc.array(fc.double({ min: 0.1, max: 2, noNaN: true }), { minLength: c, maxLength: c }), { nil: null });

interface Problem {
  shape: number[];
  targetShape: number[];
  x: Float64Array;
  y: number[];
  w: number[] | null;
  red: Red;
}

/** Input [C], [N, C] or [N, C, d1, d2], class indices with about one position in C ignored. */
const arbProblem: fc.Arbitrary<Problem> = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    c: fc.integer({ min: 2, max: 5 }),
    extra: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    unbatched: fc.boolean(),
  })
  .chain(({ n, c, extra, unbatched }) => {
    const shape = unbatched ? [c] : [n, c, ...extra];
    const targetShape = unbatched ? [] : [n, ...extra];
    const positions = prod(targetShape);
    return fc.record({
      shape: fc.constant(shape),
      targetShape: fc.constant(targetShape),
      x: arbData(prod(shape), -4, 4),
      y: fc.array(fc.integer({ min: -1, max: c - 1 }).map((v) => (v < 0 ? IGNORE : v)), { minLength: positions, maxLength: positions }),
      w: arbWeights(c),
      red: arbRed,
    });
  });

/** A NaN 'mean' (0/0) has no finite differences; the fixture pins its zero gradient. */
const allIgnoredMean = (p: Problem): boolean => p.red === 'mean' && p.y.every((v) => v === IGNORE);
const targetOf = (p: Problem): Tensor => new Tensor(Float64Array.from(p.y), p.targetShape);
const upstream = (out: Tensor): Tensor => new Tensor(Float64Array.from({ length: out.size }, (_v, i) => 0.5 + 0.25 * i), out.shape);

describe('nllLoss on random inputs', () => {
  it('equals the naive reference for every reduction, weights, ignored positions and K-dim inputs', () => {
    fc.assert(fc.property(arbProblem, (p) => {
      const opts = p.w ? { weight: p.w, reduction: p.red } : { reduction: p.red };
      const out = nllLoss(new Tensor(p.x, p.shape), targetOf(p), opts);
      expectClose(out, naiveNll({ data: Array.from(p.x), shape: p.shape }, p.y, p.w, IGNORE, p.red));
    }), fcParams(30));
  });

  it('has correct gradients', () => {
    fc.assert(fc.property(arbProblem, (p) => {
      const opts = p.w ? { weight: p.w, reduction: p.red } : { reduction: p.red };
      fc.pre(!allIgnoredMean(p));
      expectGradOk((x) => nllLoss(x, targetOf(p), opts), [new Tensor(p.x.slice(), p.shape, true)]);
    }), fcParams(20));
  });
});

describe('crossEntropyLoss with class indices on random inputs', () => {
  it('equals the probability-space reference, value and gradient, with and without label smoothing', () => {
    fc.assert(fc.property(arbProblem, fc.constantFrom(0, 0.1, 0.35, 1), (p, eps) => {
      const x = new Tensor(p.x.slice(), p.shape, true);
      const opts = { labelSmoothing: eps, reduction: p.red, ...(p.w ? { weight: p.w } : {}) };
      const out = crossEntropyLoss(x, targetOf(p), opts);
      const g = upstream(out);
      const ref = naiveCrossEntropy({ data: Array.from(p.x), shape: p.shape }, p.y, p.w, IGNORE, eps, p.red, Array.from(g.data));
      expectClose(out, ref.value, 1e-9, 1e-12);
      out.backward(g);
      // With every position ignored the 'mean' is NaN and both gradients are exactly zero.
      expectClose(x.grad!, ref.grad, 1e-9, 1e-12);
    }), fcParams(30));
  });

  it('fused kernel equals its composed definition logSoftmax + nllLoss, value and gradient', () => {
    fc.assert(fc.property(arbProblem, (p) => {
      const opts = p.w ? { weight: p.w, reduction: p.red } : { reduction: p.red };
      const x1 = new Tensor(p.x.slice(), p.shape, true);
      const x2 = new Tensor(p.x.slice(), p.shape, true);
      const fused = crossEntropyLoss(x1, targetOf(p), opts);
      const composed = nllLoss(x2.logSoftmax(p.shape.length === 1 ? 0 : 1), targetOf(p), opts);
      expectClose(fused, composed, 1e-12, 1e-14);
      const g = upstream(fused);
      fused.backward(g);
      composed.backward(g);
      expectClose(x1.grad!, x2.grad!, 1e-12, 1e-14);
    }), fcParams(30));
  });

  it('has correct gradients (fused path and label-smoothing path)', () => {
    fc.assert(fc.property(arbProblem, fc.constantFrom(0, 0.2), (p, eps) => {
      fc.pre(!allIgnoredMean(p));
      const opts = { labelSmoothing: eps, reduction: p.red, ...(p.w ? { weight: p.w } : {}) };
      expectGradOk((x) => crossEntropyLoss(x, targetOf(p), opts), [new Tensor(p.x.slice(), p.shape, true)]);
    }), fcParams(20));
  });
});

/** Logits and a probability target (rows of a random softmax) of the same shape. */
const arbProbProblem = arbProblem.chain((p) =>
  arbData(p.x.length, -2, 2).map((raw) => {
    const t = new Tensor(raw, p.shape).softmax(p.shape.length === 1 ? 0 : 1);
    return { ...p, t: Array.from(t.data) };
  }));

describe('crossEntropyLoss with probability targets on random inputs', () => {
  it('equals the naive reference', () => {
    fc.assert(fc.property(arbProbProblem, fc.constantFrom(0, 0.25), (p, eps) => {
      const opts = { labelSmoothing: eps, reduction: p.red, ...(p.w ? { weight: p.w } : {}) };
      const out = crossEntropyLoss(new Tensor(p.x, p.shape), new Tensor(Float64Array.from(p.t), p.shape), opts);
      expectClose(out, naiveCrossEntropyProb({ data: Array.from(p.x), shape: p.shape }, p.t, p.w, eps, p.red), 1e-9, 1e-12);
    }), fcParams(25));
  });

  it('has correct gradients for input, target and weight', () => {
    fc.assert(fc.property(arbProbProblem, fc.constantFrom(0, 0.25), (p, eps) => {
      const w = p.w ?? [1, 0.5, 2, 0.3, 1.5].slice(0, p.shape[p.shape.length === 1 ? 0 : 1]);
      expectGradOk(
        (x, t, wt) => crossEntropyLoss(x, t, { weight: wt, labelSmoothing: eps, reduction: p.red }),
        [new Tensor(p.x.slice(), p.shape, true), new Tensor(Float64Array.from(p.t), p.shape, true), tensor(w, { requiresGrad: true })],
      );
    }), fcParams(20));
  });
});

/** Scores [N, C] with targets; `spread` bounds the scores. */
const arbScores = (spread: number) =>
  fc.record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 6 }) }).chain(({ n, c }) =>
    fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      x: arbData(n * c, -spread, spread),
      y: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      w: arbWeights(c),
      red: arbRed,
    }));

const rows = (x: Float64Array, n: number, c: number): number[][] =>
  Array.from({ length: n }, (_v, i) => Array.from(x.subarray(i * c, (i + 1) * c)));

describe('multiMarginLoss on random inputs', () => {
  it('equals the naive reference for p 1 and 2, margins and weights', () => {
    fc.assert(fc.property(arbScores(3), fc.constantFrom(1, 2), fc.double({ min: -1, max: 3, noNaN: true }), (s, p, margin) => {
      const opts = { p, margin, reduction: s.red, ...(s.w ? { weight: s.w } : {}) };
      const out = multiMarginLoss(new Tensor(s.x, [s.n, s.c]), s.y, opts);
      expectClose(out, naiveMultiMargin(rows(s.x, s.n, s.c), s.y, p, margin, s.w, s.red), 1e-10, 1e-12);
    }), fcParams(30));
  });

  it('has correct gradients in the active region, away from the hinge', () => {
    // Scores in [-1, 1] with margin 1: most terms are active; samples within 1e-3 of a kink are dropped.
    const away = (s: { n: number; c: number; x: Float64Array; y: number[] }) =>
      rows(s.x, s.n, s.c).every((r, i) => r.every((v, k) => k === s.y[i] || Math.abs(1 - r[s.y[i]] + v) > 1e-3));
    fc.assert(fc.property(arbScores(1).filter(away), fc.constantFrom(1, 2), (s, p) => {
      const opts = { p, reduction: s.red, ...(s.w ? { weight: s.w } : {}) };
      const x = new Tensor(s.x.slice(), [s.n, s.c], true);
      expect(multiMarginLoss(x, s.y, { p, reduction: 'sum' }).item()).toBeGreaterThan(0);
      expectGradOk((xx) => multiMarginLoss(xx, s.y, opts), [x]);
    }), fcParams(20));
  });
});

describe('multiLabelSoftMarginLoss on random inputs', () => {
  it('equals the naive reference with {0, 1} labels and weights', () => {
    fc.assert(fc.property(arbScores(6), (s) => {
      const t = rows(s.x, s.n, s.c).map((r, i) => r.map((_v, k) => (i + k + s.y[i]) % 2));
      const opts = { reduction: s.red, ...(s.w ? { weight: s.w } : {}) };
      const out = multiLabelSoftMarginLoss(new Tensor(s.x, [s.n, s.c]), t, opts);
      expectClose(out, naiveMultiLabelSoftMargin(rows(s.x, s.n, s.c), t, s.w, s.red), 1e-9, 1e-12);
    }), fcParams(30));
  });

  it('has correct gradients for input, soft target and weight', () => {
    fc.assert(fc.property(arbScores(6).chain((s) => arbData(s.n * s.c, 0, 1).map((t) => ({ ...s, t }))), (s) => {
      const w = s.w ?? new Array<number>(s.c).fill(0.7);
      expectGradOk(
        (x, t, wt) => multiLabelSoftMarginLoss(x, t, { weight: wt, reduction: s.red }),
        [new Tensor(s.x.slice(), [s.n, s.c], true), new Tensor(s.t, [s.n, s.c], true), tensor(w, { requiresGrad: true })],
      );
    }), fcParams(20));
  });
});

/** Targets for multiLabelMarginLoss: a random list of classes (repeats allowed), then -1, then filler. */
const arbLabelLists = (n: number, c: number) =>
  fc.array(
    fc.tuple(fc.array(fc.integer({ min: 0, max: c - 1 }), { maxLength: c }), fc.array(fc.integer({ min: -1, max: c - 1 }), { minLength: c, maxLength: c }))
      .map(([list, filler]) => (list.length === c ? list : [...list, -1, ...filler.slice(list.length + 1)])),
    { minLength: n, maxLength: n },
  );

describe('multiLabelMarginLoss on random inputs', () => {
  it('equals the naive reference, duplicates and entries after -1 included', () => {
    fc.assert(fc.property(arbScores(2).chain((s) => arbLabelLists(s.n, s.c).map((t) => ({ ...s, t }))), (s) => {
      const out = multiLabelMarginLoss(new Tensor(s.x, [s.n, s.c]), s.t, { reduction: s.red });
      expectClose(out, naiveMultiLabelMargin(rows(s.x, s.n, s.c), s.t, s.red), 1e-10, 1e-12);
    }), fcParams(30));
  });

  it('has correct gradients in the active region, away from the hinge', () => {
    // Scores in [-0.45, 0.45]: every 1 − x[j] + x[i] lies in [0.1, 1.9], active and far from 0.
    fc.assert(fc.property(arbScores(0.45).chain((s) => arbLabelLists(s.n, s.c).map((t) => ({ ...s, t }))), (s) => {
      fc.pre(s.t.some((r) => r[0] !== -1 && new Set(r.slice(0, r.indexOf(-1) < 0 ? s.c : r.indexOf(-1))).size < s.c));
      const x = new Tensor(s.x.slice(), [s.n, s.c], true);
      expect(multiLabelMarginLoss(x, s.t, { reduction: 'sum' }).item()).toBeGreaterThan(0);
      expectGradOk((xx) => multiLabelMarginLoss(xx, s.t, { reduction: s.red }), [x]);
    }), fcParams(20));
  });
});
