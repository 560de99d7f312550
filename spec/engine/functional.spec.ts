/**
 * grad and valueAndGrad: gradients as values, equal to what backward() accumulates, computed
 * without reading or writing any `.grad` and without freeing any graph the inputs belong to.
 */
import fc from 'fast-check';
import { grad, noGrad, tensor, valueAndGrad } from '../../index.js';
import type { Tensor } from '../../index.js';
import { arbTensor, expectClose, expectThrowsWith, fcParams } from '../helpers/index.js';

const f = (x: Tensor, w: Tensor): Tensor => x.matmul(w).tanh().pow(2).sum();

describe('grad and valueAndGrad', () => {
  it('equal the gradients backward() accumulates, on random shapes', () => {
    fc.assert(fc.property(arbTensor(-2, 2, fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([a, b]) => [a, b])), (x) => {
      const w = tensor(Array.from({ length: x.shape[1] * 3 }, (_, i) => Math.sin(i + 1)), { shape: [x.shape[1], 3] });
      const { value, grads } = valueAndGrad(f, [x, w]);
      const xl = tensor(x.data.slice(), { shape: x.shape, requiresGrad: true });
      const wl = tensor(w.data.slice(), { shape: w.shape, requiresGrad: true });
      const y = f(xl, wl);
      y.backward();
      expect(value.item()).toBe(y.item());
      expectClose(grads[0], xl.grad!, 0, 0);
      expectClose(grads[1], wl.grad!, 0, 0);
      expect(grad(f, [x, w]).map((g) => Array.from(g.data))).toEqual(grads.map((g) => Array.from(g.data)));
    }), fcParams());
  });

  it('touch no .grad, leave a graph the inputs belong to usable, and return a detached value', () => {
    const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    w.grad = tensor([[9, 9], [9, 9]]);
    const h = w.mul(3); // a graph built before, through w
    const { value, grads } = valueAndGrad((a) => a.exp().sum(), [h]);
    expect(Array.from(w.grad.data)).toEqual([9, 9, 9, 9]);
    expect(value.requiresGrad).toBe(false);
    expectClose(grads[0], h.exp());
    // fn may also close over tensors of an outside graph: their gradients are not accumulated,
    // and that graph is not freed.
    const [gz] = grad((z) => z.mul(h).sum(), [tensor([[1, 1], [1, 1]])]);
    expectClose(gz, h);
    expect(Array.from(w.grad.data)).toEqual([9, 9, 9, 9]);
    h.sum().backward(); // not freed by valueAndGrad or grad
    expect(Array.from(w.grad.data)).toEqual([12, 12, 12, 12]);
  });

  it('give zeros for an input the function does not use, and work inside noGrad', () => {
    const [ga, gb] = grad((a) => a.mul(a).sum(), [tensor([1, 2]), tensor([5, 6, 7])]);
    expect(ga.toArray()).toEqual([2, 4]);
    expect(gb.toArray()).toEqual([0, 0, 0]);
    expect(noGrad(() => grad((a) => a.pow(3).sum(), [tensor([2])])[0].item())).toBe(12);
  });

  it.each([
    ['fn not a function', () => grad(5 as never, [tensor([1])]), 'valueAndGrad: fn must be a function, got 5'],
    ['inputs not an array', () => grad((a) => a.sum(), tensor([1]) as never), 'valueAndGrad: inputs must be an array of Tensors'],
    ['an input not a Tensor', () => grad((a) => a.sum(), [[1, 2]] as never), 'valueAndGrad: inputs[0] must be a Tensor, got [1,2]'],
    ['fn returns a non-Tensor', () => grad(() => 3 as never, [tensor([1])]), 'valueAndGrad: fn must return a Tensor, got 3'],
    ['fn returns a non-scalar', () => grad((a) => a.mul(2), [tensor([1, 2])]), 'valueAndGrad: fn must return a one-element tensor, got shape [2]'],
  ] as const)('%s throws a named error', (_n, call, msg) => expectThrowsWith(call, msg));
});
