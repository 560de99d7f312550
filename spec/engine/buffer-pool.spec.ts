/**
 * Large tensors (at least 32768 values) take their buffers from the engine's pool of dead
 * gradient buffers; these tests run graphs big enough to recycle, several times over, and check
 * the results against plain loops and against values kept from before.
 */
import { tensor } from '../../engine/index.js';
import { expectClose } from '../helpers/index.js';

const N = 50_000;
const data = (seed: number): Float64Array => Float64Array.from({ length: N }, (_, i) => Math.sin(seed + i * 0.37) * 2);

/** d/dx, d/da, d/db of Σ σ(a x + b)² + Σ tanh(x)·x, by hand. */
function reference(x: Float64Array, a: number, b: number): { gx: Float64Array; ga: number; gb: number; loss: number } {
  const gx = new Float64Array(x.length);
  let ga = 0;
  let gb = 0;
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const s = 1 / (1 + Math.exp(-(a * x[i] + b)));
    const th = Math.tanh(x[i]);
    loss += s * s + th * x[i];
    const dz = 2 * s * s * (1 - s);
    gx[i] = dz * a + (1 - th * th) * x[i] + th;
    ga += dz * x[i];
    gb += dz;
  }
  return { gx, ga, gb, loss };
}

describe('the pool of recycled buffers', () => {
  it('gives the same values and gradients as plain loops, step after step', () => {
    const xd = data(1);
    const want = reference(xd, 0.7, -0.3);
    for (let step = 0; step < 4; step++) {
      const x = tensor(xd.slice(), { requiresGrad: true });
      const a = tensor(0.7, { requiresGrad: true });
      const b = tensor(-0.3, { requiresGrad: true });
      const loss = a.mul(x).add(b).sigmoid().pow(2).sum().add(x.tanh().mul(x).sum());
      loss.backward();
      expectClose(loss, [want.loss], 1e-12);
      expectClose(x.grad!, want.gx, 1e-12, 1e-14);
      expectClose(a.grad!, [want.ga], 1e-10);
      expectClose(b.grad!, [want.gb], 1e-10);
    }
  });

  it('never recycles a buffer that a live tensor or gradient still holds', () => {
    const x = tensor(data(2), { requiresGrad: true });
    const w = tensor(data(5), { requiresGrad: true });
    const kept = x.exp().detach();
    const keptCopy = kept.data.slice();
    const held: { grad: Float64Array; copy: Float64Array }[] = [];
    for (let step = 0; step < 3; step++) {
      x.zeroGrad();
      x.mul(2).add(1).tanh().sum().backward();
      held.push({ grad: x.grad!.data, copy: x.grad!.data.slice() });
      // Unrelated big graphs churn the pool between checks.
      w.sigmoid().mul(kept).exp().sum().backward();
      w.tanh().pow(2).sum().backward();
    }
    expectClose(kept, keptCopy, 0, 0);
    held.forEach(({ grad, copy }) => expectClose(grad, copy, 0, 0));
    expect(new Set(held.map((h) => h.grad)).size).toBe(held.length);
  });

  it('keeps a retained graph intact for a second backward', () => {
    const x = tensor(data(3), { requiresGrad: true });
    const y = x.mul(x).add(x).sigmoid().sum();
    y.backward(undefined, { retainGraph: true });
    const once = x.grad!.data.slice();
    y.backward();
    expectClose(x.grad!, once.map((g) => 2 * g), 1e-15);
  });

  it('copies a passed-through gradient for a second consumer (x + x)', () => {
    const x = tensor(data(4), { requiresGrad: true });
    x.add(x).mul(3).sum().backward();
    expectClose(x.grad!, new Float64Array(N).fill(6), 0, 0);
  });
});
