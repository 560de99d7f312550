import fc from 'fast-check';
import { Tensor, concat, noGrad, tensor } from '../../engine/index.js';
import { expectClose, expectGradOk, fcParams } from '../helpers/index.js';
import { arbTensorOf } from './arbitraries.js';

describe('the backward pass', () => {
  it('backpropagates through a chain of 100,000 ops without overflowing the stack', () => {
    const x = tensor([0.5], { requiresGrad: true });
    let y: Tensor = x;
    // Each step multiplies by 1 + 1e-6, so dy/dx = (1 + 1e-6)^100000, computed here in closed form.
    for (let i = 0; i < 100_000; i++) y = y.mul(1 + 1e-6);
    y.sum().backward();
    expectClose(x.grad!, [Math.exp(100_000 * Math.log1p(1e-6))], 1e-9);
  });

  it('accumulates gradients across backward calls until they are zeroed (grad = null)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.grad).toBeNull();
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    expectClose(x.grad!, [2 * 1 + 3, 2 * 2 + 3]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(3).sum().backward();
    expectClose(x.grad!, [3, 3]);
  });

  it('sums the gradient of a tensor used several times', () => {
    const x = tensor([3], { requiresGrad: true });
    x.mul(x).add(x).add(x.exp()).sum().backward();
    expectClose(x.grad!, [2 * 3 + 1 + Math.exp(3)]);
  });

  it('gives no gradient to inputs that do not require grad, and none to intermediates', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4]);
    const h = a.mul(b);
    h.sum().backward();
    expect(b.grad).toBeNull();
    expect(h.grad).toBeNull();
    expectClose(a.grad!, [3, 4]);
  });

  it('takes a number as the gradOutput of a scalar', () => {
    const x = tensor([2], { requiresGrad: true });
    x.mul(x).sum().backward(0.5);
    expectClose(x.grad!, [2]);
  });
});

describe('requiresGrad, detach and noGrad', () => {
  it('propagates requiresGrad from any input', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1]);
    expect(a.add(b).requiresGrad).toBe(true);
    expect(b.add(a).requiresGrad).toBe(true);
    expect(b.add(b).requiresGrad).toBe(false);
    expect(a.argMax().requiresGrad).toBe(false);
    expect(a.gt(0).requiresGrad).toBe(false);
  });

  it('records nothing inside noGrad, and restores recording after it (even after a throw)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => a.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => noGrad(() => { throw new Error('inside'); })).toThrow('inside');
    expect(a.mul(2).requiresGrad).toBe(true);
  });

  it('detach cuts the graph but shares the data', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const d = a.mul(3).detach();
    expect(d.requiresGrad).toBe(false);
    const y = a.mul(d).sum();
    y.backward();
    expectClose(a.grad!, [3, 6]);
    const e = a.detach();
    e.data[0] = 10;
    expect(a.data[0]).toBe(10);
  });
});

describe('the graph does not alias the caller\'s arrays', () => {
  it('concat keeps its inputs even if the caller edits the array afterwards', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const parts = [a, b];
    const y = concat(parts);
    parts.push(tensor([4], { requiresGrad: true }));
    y.backward(tensor([10, 20, 30]));
    expectClose(a.grad!, [10, 20]);
    expectClose(b.grad!, [30]);
  });
});

describe('tensor storage', () => {
  it('tensor() uses a given Float64Array as its storage, without copying', () => {
    const buf = new Float64Array([1, 2, 3, 4]);
    const t = tensor(buf, { shape: [2, 2] });
    expect(t.data).toBe(buf);
    buf[3] = 9;
    expect(t.toArray()).toEqual([[1, 2], [3, 9]]);
  });

  it('tensor() copies a Tensor and nested arrays', () => {
    const a = tensor([[1, 2]]);
    const b = tensor(a);
    expect(b.data).not.toBe(a.data);
    expect(b.shape).toEqual([1, 2]);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor(5).toArray()).toBe(5);
  });
});

describe('determinism', () => {
  it('the same graph gives bit-identical gradients run after run', () => {
    const run = (): number[] => {
      const x = tensor([0.3, -1.2, 2.5, 0.7], { shape: [2, 2], requiresGrad: true });
      const w = tensor([1.1, -0.4, 0.2, 0.9], { shape: [2, 2], requiresGrad: true });
      const h = x.matmul(w).tanh();
      h.add(h.mul(x)).logSumExp(1).sum().add(h.softmax(0).max()).backward();
      return [...x.grad!.data, ...w.grad!.data];
    };
    const first = run();
    for (let i = 0; i < 3; i++) expect(run()).toEqual(first);
  });
});

describe('one-element operands take the scalar rules and agree with full broadcasting', () => {
  const ops = ['add', 'sub', 'mul', 'div'] as const;
  const shapes = [[], [1], [1, 1]];

  it.each(ops)('%s: value and both gradients equal those of the same op on an expanded operand', (op) => {
    fc.assert(
      fc.property(arbTensorOf([2, 3], 0.5, 3), arbTensorOf([], 0.5, 3), fc.constantFrom(...shapes), fc.boolean(), (x, s0, sShape, scalarFirst) => {
        const s = tensor(s0.data.slice(), { shape: sShape, requiresGrad: true });
        const sWide = tensor(s0.data.slice(), { shape: sShape, requiresGrad: true });
        const y = scalarFirst ? s[op](x) : x[op](s);
        // An expanded [2, 3] copy forces the general broadcasting path: the reference.
        const xRef = tensor(x.data.slice(), { shape: x.shape, requiresGrad: true });
        const wide = sWide.reshape([1, 1]).expand([2, 3]);
        const yRef = scalarFirst ? wide[op](xRef) : xRef[op](wide);
        expect(y.shape).toEqual(yRef.shape);
        expectClose(y, yRef, 1e-15);
        const u = tensor(Float64Array.from({ length: y.size }, (_, i) => 0.3 + i), { shape: y.shape });
        y.backward(u);
        yRef.backward(u);
        expectClose(x.grad!, xRef.grad!, 1e-14);
        expect(s.grad!.shape).toEqual(sShape);
        expectClose(s.grad!, sWide.grad!, 1e-13);
      }),
      fcParams(15),
    );
  });

  it.each(ops)('%s with a one-element tensor passes gradCheck in both operand orders', (op) => {
    fc.assert(
      fc.property(arbTensorOf([3, 2], 0.5, 3), arbTensorOf([1], 0.5, 3), (x, s) => {
        expectGradOk((a, b) => a[op](b), [x, s]);
        expectGradOk((a, b) => b[op](a), [x, s]);
      }),
      fcParams(10),
    );
  });
});
