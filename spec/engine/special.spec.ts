/**
 * The exact special functions (engine/ops/special.ts): logSigmoid, xlogy, logAddExp, against
 * PyTorch 1.13 (spec/fixtures/special.json, from gen_special.py) at their edges, against plain
 * formulas where those are exact, and through gradient checks on random shapes.
 */
import fc from 'fast-check';
import { logAddExp, logSigmoid, tensor, xlogy } from '../../index.js';
import { arbBroadcastShapes, arbData, arbTensor, expectClose, expectGradOk, expectThrowsWith, fcParams, loadFixture } from '../helpers/index.js';

interface Unary { name: string; x: number[]; y: number[]; gx: number[] }
interface Binary { name: string; x: number[]; y: number[]; out: number[]; gx: number[]; gy: number[] }
const fx = loadFixture<{ unary: Unary[]; binary: Binary[] }>('special.json');
const BINARY = { xlogy, logAddExp } as const;

describe('special functions against PyTorch 1.13', () => {
  it.each(fx.unary.map((c) => [c.name, c] as const))('%s: values and gradients at its edges', (_n, c) => {
    const x = tensor(c.x, { requiresGrad: true });
    const y = logSigmoid(x);
    y.backward(tensor(c.x.map(() => 1)));
    expectClose(y, c.y, 1e-15, 0);
    expectClose(x.grad!, c.gx, 1e-15, 0);
  });

  it.each(fx.binary.map((c) => [c.name, c] as const))('%s: values and gradients at its edges', (name, c) => {
    const x = tensor(c.x, { requiresGrad: true });
    const y = tensor(c.y, { requiresGrad: true });
    const out = BINARY[name as keyof typeof BINARY](x, y);
    out.backward(tensor(c.x.map(() => 1)));
    expectClose(out, c.out, 1e-15, 0);
    expectClose(x.grad!, c.gx, 1e-15, 0);
    expectClose(y.grad!, c.gy, 1e-15, 0);
  });
});

describe('special functions: independent formulas where they are exact', () => {
  it('logSigmoid(x) = -log1p(exp(-x)) for moderate x, and logSigmoid(x) - logSigmoid(-x) = x', () => {
    fc.assert(fc.property(arbData(20, -30, 30), (d) => {
      const y = logSigmoid(tensor(d)).data;
      const z = logSigmoid(tensor(d.map((v) => -v))).data;
      d.forEach((v, i) => {
        expect(Math.abs(y[i] + Math.log1p(Math.exp(-v)))).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(y[i])));
        expect(Math.abs(y[i] - z[i] - v)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(v)));
      });
    }), fcParams());
  });

  it('logAddExp(a, b) = log(e^a + e^b) where that does not overflow, and it broadcasts', () => {
    fc.assert(fc.property(arbBroadcastShapes(), ([sa, sb]) => {
      const a = tensor(Array.from({ length: sa.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(i) * 5), { shape: sa });
      const b = tensor(Array.from({ length: sb.reduce((p, q) => p * q, 1) }, (_, i) => Math.cos(i) * 5), { shape: sb });
      expectClose(logAddExp(a, b), a.exp().add(b.exp()).log(), 1e-14);
    }), fcParams());
  });

  it('xlogy(x, y) = x log y for y > 0 and 0 wherever x = 0', () => {
    expectClose(xlogy([2, 0, -1], [3, 0, 0.5]), [2 * Math.log(3), 0, -Math.log(0.5)], 1e-15);
  });
});

describe('special functions: gradient checks', () => {
  it('logSigmoid', () => {
    fc.assert(fc.property(arbTensor(-25, 25), (x) => expectGradOk((t) => logSigmoid(t), [x.requiresGrad_()])), fcParams());
  });

  it('xlogy, through both arguments (y kept positive; x = 0 included, where d/dx is log y)', () => {
    fc.assert(fc.property(arbTensor(-3, 3), (x) => {
      const y = tensor(x.data.map((v, i) => Math.abs(v) * 0.7 + 0.3 + 0.1 * i), { shape: x.shape, requiresGrad: true });
      expectGradOk((a, b) => xlogy(a, b), [x.requiresGrad_(), y]);
    }), fcParams());
  });

  it('logAddExp, through both arguments', () => {
    fc.assert(fc.property(arbTensor(-30, 30), (x) => {
      const y = tensor(x.data.map((v, i) => v * 0.5 + i), { shape: x.shape, requiresGrad: true });
      expectGradOk((a, b) => logAddExp(a, b), [x.requiresGrad_(), y]);
    }), fcParams());
  });
});

describe('special functions: bad input', () => {
  it.each([
    ['logSigmoid', () => logSigmoid('x' as never), 'logSigmoid: input must be a Tensor'],
    ['xlogy', () => xlogy([1], null as never), 'xlogy: y must be a Tensor'],
    ['logAddExp', () => logAddExp([1, 2], [1, 2, 3]), 'logAddExp: shapes [2] and [3] cannot be broadcast'],
  ] as const)('%s names itself', (_n, f, msg) => expectThrowsWith(f, msg));

  it('NaN propagates', () => {
    expect(logSigmoid([NaN]).item()).toBeNaN();
    expect(logAddExp([NaN], [1]).item()).toBeNaN();
  });
});
