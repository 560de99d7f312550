/**
 * The elementwise margin losses (marginRankingLoss, softMarginLoss, hingeEmbeddingLoss) against
 * plain-loop references, gradient checks in the active region, and bad input.
 */
import fc from 'fast-check';
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import { hingeEmbeddingLoss, marginRankingLoss, softMarginLoss } from '../../losses/index.js';
import { arbData, expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';

type Reduction = 'none' | 'mean' | 'sum';

const arbReduction = fc.constantFrom<Reduction>('none', 'mean', 'sum');
const arbSigns = (n: number) => fc.array(fc.constantFrom(1, -1), { minLength: n, maxLength: n });
const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);

/** Checks 'none' against `ref` elementwise, and 'sum' and 'mean' against its sum and mean. */
function expectReductions(loss: (reduction: Reduction) => Tensor, ref: number[]): void {
  expectClose(loss('none'), ref, 1e-12, 1e-14);
  expectClose(loss('sum'), [sum(ref)], 1e-12, 1e-14);
  expectClose(loss('mean'), [sum(ref) / ref.length], 1e-12, 1e-14);
}

describe('marginRankingLoss', () => {
  const arbCase = fc.integer({ min: 1, max: 8 }).chain((n) => fc.record({
    x1: arbData(n), x2: arbData(n), y: arbSigns(n), slack: fc.double({ min: 0.05, max: 1, noNaN: true }), reduction: arbReduction,
  }));

  it('matches max(0, -y (x1 - x2) + margin) elementwise, for any y', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbData(n), arbData(n), arbData(n, -2, 2))),
      fc.double({ min: -1, max: 2, noNaN: true }), ([x1, x2, y], margin) => {
        const ref = Array.from(x1, (a, i) => Math.max(0, margin - y[i] * (a - x2[i])));
        expectReductions((reduction) => marginRankingLoss(tensor(x1), tensor(x2), tensor(y), { margin, reduction }), ref);
      }), fcParams(30));
  });

  it('has the gradient of x1, x2 and y in the active region', () => {
    fc.assert(fc.property(arbCase, ({ x1, x2, y, slack, reduction }) => {
      // margin = slack + max_i y_i (x1_i - x2_i) puts every element at least slack above the kink.
      const margin = slack + Math.max(...Array.from(x1, (a, i) => y[i] * (a - x2[i])));
      expectGradOk((a, b, t) => marginRankingLoss(a, b, t, { margin, reduction }),
        [tensor(x1, { requiresGrad: true }), tensor(x2, { requiresGrad: true }), tensor(y, { requiresGrad: true })]);
    }), fcParams(25));
  });

  it('accepts nested arrays and keeps the shape for reduction none', () => {
    const out = marginRankingLoss([[1, 2]], [[2, 0]], [[1, -1]], { reduction: 'none', margin: 0.5 });
    expect(out.shape).toEqual([1, 2]);
    expectClose(out, [1.5, 2.5]);
  });

  it('rejects bad input before any work, naming the argument', () => {
    const x1 = tensor([1, 2], { requiresGrad: true });
    x1.grad = tensor([3, 3]);
    expectThrowsWith(() => marginRankingLoss(x1, tensor([1, 2, 3]), [1, 1]), 'marginRankingLoss: x2 shape [3] does not match x1 shape [2]');
    expectThrowsWith(() => marginRankingLoss(x1, tensor([1, 2]), [[1, 1]]), 'marginRankingLoss: y shape [1, 2] does not match x1 shape [2]');
    expectThrowsWith(() => marginRankingLoss(x1, x1, [1, 1], { marginn: 1 } as object), "marginRankingLoss: unknown option 'marginn'");
    expectThrowsWith(() => marginRankingLoss(x1, x1, [1, 1], { margin: NaN }), 'marginRankingLoss: margin must be a finite number', 'got NaN');
    expectThrowsWith(() => marginRankingLoss(x1, x1, [1, 1], { reduction: 'Mean' as Reduction }), "marginRankingLoss: reduction must be one of 'none', 'mean', 'sum', got \"Mean\"");
    expectThrowsWith(() => marginRankingLoss(x1, x1, 'y' as unknown as number[]), 'marginRankingLoss: y must be a Tensor', 'got "y"');
    expectClose(x1.grad, [3, 3]);
    expectClose(x1, [1, 2]);
  });

  it('propagates NaN', () => {
    expect(Number.isNaN(marginRankingLoss(tensor([NaN]), tensor([0]), [1]).item())).toBe(true);
  });
});

describe('softMarginLoss', () => {
  /** log(1 + e^z), written from the definition; exact enough for |z| < 30. */
  const naive = (z: number): number => Math.log(1 + Math.exp(z));

  it('matches log(1 + exp(-y x)) elementwise for moderate inputs, any y', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbData(n, -10, 10), arbData(n, -2, 2))), ([x, y]) => {
      const ref = Array.from(x, (v, i) => naive(-y[i] * v));
      expectReductions((reduction) => softMarginLoss(tensor(x), tensor(y), { reduction }), ref);
    }), fcParams(30));
  });

  it('stays finite and exact for huge |x|, where the literal formula overflows', () => {
    const out = softMarginLoss(tensor([1000, -1000, 750, 40]), [-1, -1, -1, 1], { reduction: 'none' });
    // log(1 + e^1000) = 1000 + log1p(e^-1000) = 1000; log(1 + e^-40) = e^-40 to double precision.
    expectClose(out, [1000, 0, 750, Math.exp(-40)], 1e-15, 0);
    const x = tensor([1000, -1000], { requiresGrad: true });
    softMarginLoss(x, [-1, -1], { reduction: 'sum' }).backward();
    expectClose(x.grad!, [1, 0]);
  });

  it('has the gradient -y σ(-y x), including -y/2 at x = 0, and NaN at NaN', () => {
    const x = tensor([0, 0, NaN], { requiresGrad: true });
    softMarginLoss(x, [1, -1, 1], { reduction: 'sum' }).backward();
    expectClose(x.grad!, [-0.5, 0.5, NaN]);
  });

  it('passes central differences, every reduction, moderate and large inputs', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbData(n, -8, 8), arbSigns(n))), arbReduction, fc.constantFrom(1, 100),
      ([x, y], reduction, scale) => {
        expectGradOk((t) => softMarginLoss(t, y, { reduction }), [tensor(x.map((v) => v * scale), { requiresGrad: true })]);
      }), fcParams(25));
  });

  it('with y = -1 is max(x, 0) + log1p(exp(-|x|)): same values and gradients as that composition', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => arbData(n, -50, 50)), (z) => {
      const a = tensor(z, { requiresGrad: true });
      const b = tensor(z, { requiresGrad: true });
      const fused = softMarginLoss(a, Array.from(z, () => -1), { reduction: 'none' });
      const composed = b.maximum(0).add(b.abs().neg().exp().log1p());
      expectClose(fused, composed, 1e-15, 1e-300);
      const u = tensor(Array.from(z, (_, i) => i + 1));
      fused.backward(u);
      composed.backward(u);
      expectClose(a.grad!, b.grad!, 1e-14, 1e-300);
    }), fcParams(25));
  });

  it('treats the target as a constant (NOTE: PyTorch refuses a target that requires grad)', () => {
    const y = tensor([1, -1], { requiresGrad: true });
    const out = softMarginLoss(tensor([0.5, 2], { requiresGrad: true }), y);
    expect(out.requiresGrad).toBe(true);
    out.backward();
    expect(y.grad).toBeNull();
  });

  it('rejects bad input, naming the argument', () => {
    expectThrowsWith(() => softMarginLoss(tensor([1, 2]), [1]), 'softMarginLoss: target shape [1] does not match input shape [2]');
    expectThrowsWith(() => softMarginLoss(tensor([1]), [1], { margin: 1 } as object), "softMarginLoss: unknown option 'margin'");
    expectThrowsWith(() => softMarginLoss(tensor([1]), [1], { reduction: 'none ' as Reduction }), 'softMarginLoss: reduction must be one of');
    expectThrowsWith(() => softMarginLoss(tensor([1]), [1], 'sum' as unknown as object), 'softMarginLoss: options must be an object, got "sum"');
  });
});

describe('hingeEmbeddingLoss', () => {
  /** PyTorch's rule per element, written as cases. */
  const naive = (x: number, y: number, margin: number): number =>
    y === 1 ? x : y === -1 ? Math.max(0, margin - x) : x + Math.max(0, margin - x);

  it('matches x for y = 1, max(0, margin - x) for y = -1, both for other targets', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbData(n, -1, 3),
      fc.array(fc.constantFrom(1, -1, 0, 2, -0.5), { minLength: n, maxLength: n }))), fc.double({ min: -0.5, max: 2, noNaN: true }),
    ([x, y], margin) => {
      const ref = Array.from(x, (v, i) => naive(v, y[i], margin));
      expectReductions((reduction) => hingeEmbeddingLoss(tensor(x), tensor(y), { margin, reduction }), ref);
    }), fcParams(30));
  });

  it('has the gradient of the input away from the kink x = margin, every reduction', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbData(n, 0, 2),
      fc.array(fc.constantFrom(1, -1, 0), { minLength: n, maxLength: n }))), fc.double({ min: 0.5, max: 2.5, noNaN: true }), arbReduction,
    ([x, y], margin, reduction) => {
      fc.pre(Array.from(x).every((v) => Math.abs(v - margin) > 0.05));
      // Every y = -1 element is put below the margin, where its hinge is active.
      const data = x.map((v, i) => (y[i] === -1 ? Math.min(v, margin - 0.05 - Math.abs(v - margin) / 4) : v));
      expectGradOk((t) => hingeEmbeddingLoss(t, y, { margin, reduction }), [tensor(data, { requiresGrad: true })]);
    }), fcParams(25));
  });

  it('rejects bad input, naming the argument', () => {
    expectThrowsWith(() => hingeEmbeddingLoss(tensor([[1, 2]]), [1, 2]), 'hingeEmbeddingLoss: target shape [2] does not match input shape [1, 2]');
    expectThrowsWith(() => hingeEmbeddingLoss(tensor([1]), [1], { margin: '1' } as object), 'hingeEmbeddingLoss: margin must be a', 'number', 'got "1"');
    expectThrowsWith(() => hingeEmbeddingLoss(tensor([1]), [1], { p: 1 } as object), "hingeEmbeddingLoss: unknown option 'p'");
    expectThrowsWith(() => hingeEmbeddingLoss({} as Tensor, [1]), 'hingeEmbeddingLoss: input must be a Tensor', 'got', 'object');
  });
});
