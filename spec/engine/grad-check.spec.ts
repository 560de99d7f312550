import { apply, gradCheck, primitive, tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';

// A primitive whose backward rule is deliberately wrong: y = x², but it claims dy/dx = 3x.
const WRONG_SQUARE = primitive<void, Float64Array>({
  name: 'wrongSquare',
  forward([a]) {
    return { data: a.data.map((v) => v * v), shape: a.shape, saved: a.data };
  },
  backward(g, { saved, inputs }) {
    return [{ shape: inputs[0].shape, data: g.map((v, i) => 3 * saved[i] * v) }];
  },
});
const wrongSquare = (x: Tensor): Tensor => apply(WRONG_SQUARE, [x], undefined);

describe('gradCheck', () => {
  it.each(['vjp', 'full'] as const)('reports ok for correct gradients (%s mode)', (mode) => {
    const x = tensor([[0.3, -1.1], [2.0, 0.7]], { requiresGrad: true });
    const w = tensor([0.5, -2], { requiresGrad: true });
    const r = gradCheck((a, b) => a.mul(b).tanh().matmul(b), [x, w], { mode });
    expect(r.ok).toBe(true);
    expect(r.mode).toBe(mode);
    expect(r.checks).toBe(mode === 'vjp' ? 6 : 2 * 4 + 2 * 2);
    expect(r.failures).toEqual([]);
    expect(r.maxAbsError).toBeLessThan(1e-7);
  });

  it.each(['vjp', 'full'] as const)('reports NOT ok for a deliberately wrong primitive (%s mode)', (mode) => {
    const x = tensor([0.5, -1.5, 2], { requiresGrad: true });
    const r = gradCheck(wrongSquare, [x], { mode });
    expect(r.ok).toBe(false);
    expect(r.failures.length).toBeGreaterThan(0);
    expect(r.maxRelError).toBeGreaterThan(0.1);
    if (mode === 'full') {
      // The Jacobian is diagonal: entry j of the output against entry j of the input, 3x against 2x.
      const f = r.failures.find((e) => e.index === 2)!;
      expect(f.analytic).toBeCloseTo(6, 12);
      expect(f.numeric).toBeCloseTo(4, 6);
    }
  });

  it('never throws: an exception in fn, a non-Tensor result or no input requiring grad are reported', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const boom = gradCheck(() => { throw new Error('boom'); }, [x]);
    expect(boom.ok).toBe(false);
    expect(boom.error).toBe('boom');
    const notTensor = gradCheck(() => 3 as unknown as Tensor, [x]);
    expect(notTensor.ok).toBe(false);
    expect(notTensor.error).toContain('fn must return a Tensor');
    const noGradInput = gradCheck((t) => t.exp(), [tensor([1])]);
    expect(noGradInput.ok).toBe(false);
    expect(noGradInput.error).toContain('no input has requiresGrad');
  });

  it('checks a non-leaf input as a leaf, without touching any .grad (it differentiates through gradientsOf)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const nonLeaf = gradCheck((t) => t.exp().sum(), [x.mul(2)]);
    expect(nonLeaf.ok).toBe(true);
    expect(nonLeaf.checks).toBeGreaterThan(0);
    expect(x.grad).toBeNull();
    const wrong = gradCheck((t) => wrongSquare(t).sum(), [x.mul(2)]);
    expect(wrong.ok).toBe(false);
  });

  it('restores the inputs\' data and gradients, even when fn throws at a perturbed point', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const before = x.data.slice();
    x.mul(5).sum().backward();
    const grad = x.grad;
    const ok = gradCheck((t) => t.pow(3), [x], { mode: 'full' });
    expect(ok.ok).toBe(true);
    // Throws only at x + eps·e_j, a perturbed point, never at x itself.
    const r = gradCheck((t) => {
      if (t.data[1] !== before[1]) throw new Error('perturbed');
      return t.exp();
    }, [x], { mode: 'full' });
    expect(r.error).toBe('perturbed');
    expect(Array.from(x.data)).toEqual(Array.from(before));
    expect(x.grad).toBe(grad);
    expect(Array.from(x.grad!.data)).toEqual([5, 5, 5]);
  });

  it('is deterministic for a given seed', () => {
    const x = tensor([0.1, 0.2, -0.7], { requiresGrad: true });
    const a = gradCheck((t) => t.tanh().sum(), [x], { seed: 7 });
    const b = gradCheck((t) => t.tanh().sum(), [x], { seed: 7 });
    expect(a.checks).toBe(3);
    expect(b).toEqual(a);
  });
});
