/**
 * cosineEmbeddingLoss: its fused kernel against PyTorch's composition written with engine ops,
 * against a plain-loop reference, gradient checks in the active region, and bad input.
 */
import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import { cosineEmbeddingLoss } from '../../losses/index.js';
import { expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';

type Reduction = 'none' | 'mean' | 'sum';

/** ATen's `constexpr float EPSILON = 1e-12`, read as a double. */
const EPSILON = 9.999999960041972e-13;

/** PyTorch's `cosine_embedding_loss`, op for op (Loss.cpp), composed from engine ops: the fused kernel's reference. */
function composedCosine(x1: Tensor, x2: Tensor, y: Tensor, margin: number, reduction: Reduction): Tensor {
  const dim = x1.ndim - 1;
  const prod = x1.mul(x2).sum(dim); // [N]
  const m1 = x1.mul(x1).sum(dim).add(EPSILON); // [N]
  const m2 = x2.mul(x2).sum(dim).add(EPSILON); // [N]
  const cos = prod.div(m1.mul(m2).sqrt()); // [N]
  const pos = cos.neg().add(1).where(y.eq(1), 0);
  const neg = cos.sub(margin).clamp(0).where(y.eq(-1), 0);
  const out = pos.add(neg);
  return reduction === 'none' ? out : reduction === 'sum' ? out.sum() : out.mean();
}

/** Per-row loss straight from the formula, over plain arrays. */
function naiveCosine(x1: number[][], x2: number[][], y: number[], margin: number): number[] {
  return x1.map((u, i) => {
    let dot = 0, uu = 0, vv = 0;
    u.forEach((uj, j) => {
      dot += uj * x2[i][j];
      uu += uj ** 2;
      vv += x2[i][j] ** 2;
    });
    const cos = dot / Math.sqrt((uu + EPSILON) * (vv + EPSILON));
    if (y[i] === 1) return 1 - cos;
    if (y[i] === -1) return Math.max(0, cos - margin);
    return 0;
  });
}

interface Pairs { n: number; d: number; x1: number[][]; x2: number[][]; y: number[] }

const arbPairs: fc.Arbitrary<Pairs> = fc.record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 5 }) }).chain(({ n, d }) => {
  const row = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d });
  return fc.record({
    x1: fc.array(row, { minLength: n, maxLength: n }),
    x2: fc.array(row, { minLength: n, maxLength: n }),
    y: fc.array(fc.constantFrom(1, -1), { minLength: n, maxLength: n }),
  }).map((r) => ({ n, d, ...r }));
});

const cosines = (c: Pairs): number[] => naiveCosine(c.x1, c.x2, c.y.map(() => 1), 0).map((l) => 1 - l);

/** Away from zero vectors, with the margin below every y = -1 row's cosine by at least 0.05: every row active. */
const arbActive = fc.record({ c: arbPairs, slack: fc.double({ min: 0.05, max: 0.5, noNaN: true }), reduction: fc.constantFrom<Reduction>('none', 'mean', 'sum') })
  .filter(({ c }) => [...c.x1, ...c.x2].every((r) => Math.hypot(...r) > 0.3))
  .map(({ c, slack, reduction }) => {
    const cos = cosines(c).filter((_, i) => c.y[i] === -1);
    return { c, reduction, margin: cos.length === 0 ? 0 : Math.min(...cos) - slack };
  });

const leaves = (c: Pairs): [Tensor, Tensor] => [tensor(c.x1, { requiresGrad: true }), tensor(c.x2, { requiresGrad: true })];

describe('cosineEmbeddingLoss against a plain-loop reference', () => {
  it('matches the per-row formula for any margin, clamped rows included', () => {
    fc.assert(fc.property(arbPairs, fc.double({ min: -1, max: 1, noNaN: true }), (c, margin) => {
      const [x1, x2] = leaves(c);
      expectClose(cosineEmbeddingLoss(x1, x2, c.y, { margin, reduction: 'none' }), naiveCosine(c.x1, c.x2, c.y, margin), 1e-10, 1e-12);
      const total = naiveCosine(c.x1, c.x2, c.y, margin).reduce((s, v) => s + v, 0);
      expectClose(cosineEmbeddingLoss(x1, x2, c.y, { margin, reduction: 'sum' }), [total], 1e-10, 1e-12);
      expectClose(cosineEmbeddingLoss(x1, x2, c.y, { margin }), [total / c.n], 1e-10, 1e-12);
    }), fcParams(30));
  });

  it('gives 0 for targets other than ±1, as PyTorch\'s two wheres do', () => {
    const out = cosineEmbeddingLoss(tensor([[1, 2], [3, 1]]), tensor([[2, 1], [1, 1]]), [0, 2], { reduction: 'none' });
    expectClose(out, [0, 0]);
  });
});

describe('cosineEmbeddingLoss: the fused kernel against the composed version', () => {
  it('gives the same values and gradients, every row active', () => {
    fc.assert(fc.property(arbActive, ({ c, margin, reduction }) => {
      const [a1, a2] = leaves(c);
      const [b1, b2] = leaves(c);
      const y = tensor(c.y);
      const fused = cosineEmbeddingLoss(a1, a2, y, { margin, reduction });
      const composed = composedCosine(b1, b2, y, margin, reduction);
      expectClose(fused, composed, 1e-12, 1e-14);
      const u = reduction === 'none' ? tensor(c.y.map((_, i) => 1 + i)) : undefined;
      fused.backward(u);
      composed.backward(u);
      expectClose(a1.grad!, b1.grad!, 1e-10, 1e-13);
      expectClose(a2.grad!, b2.grad!, 1e-10, 1e-13);
    }), fcParams(30));
  });

  it('agrees with the composition on a zero vector, NaN and the kink cos = margin', () => {
    const x1 = [[0, 0], [NaN, 1], [1, 0]];
    const x2 = [[1, 2], [1, 1], [0.6, 0.8]];
    const y = tensor([1, -1, -1]);
    const kink = composedCosine(tensor([[1, 0]]), tensor([[0.6, 0.8]]), tensor([1]), 0, 'none').neg().add(1).item();
    const [a1, a2] = [tensor(x1, { requiresGrad: true }), tensor(x2, { requiresGrad: true })];
    const [b1, b2] = [tensor(x1, { requiresGrad: true }), tensor(x2, { requiresGrad: true })];
    const fused = cosineEmbeddingLoss(a1, a2, y, { margin: kink, reduction: 'sum' });
    const composed = composedCosine(b1, b2, y, kink, 'sum');
    expect(Number.isNaN(fused.item())).toBe(true);
    fused.backward();
    composed.backward();
    expectClose(a1.grad!, b1.grad!, 1e-12);
    expectClose(a2.grad!, b2.grad!, 1e-12);
    // NOTE: at the kink the gradient passes (clamp_min's rule), so the third row's is not zero.
    expect(Math.abs(a1.grad!.data[5])).toBeGreaterThan(0.1);
  });
});

describe('cosineEmbeddingLoss gradients (central differences, active region)', () => {
  it('every reduction, with y = ±1 mixed', () => {
    fc.assert(fc.property(arbActive, ({ c, margin, reduction }) => {
      expectGradOk((x1, x2) => cosineEmbeddingLoss(x1, x2, c.y, { margin, reduction }), leaves(c));
    }), fcParams(30));
  });

  it('[D] inputs with a scalar target', () => {
    const x1 = tensor([0.5, -1, 2], { requiresGrad: true });
    const x2 = tensor([1, 0.3, 1], { requiresGrad: true });
    expectGradOk((a, b) => cosineEmbeddingLoss(a, b, -1, { margin: -0.5 }), [x1, x2]);
    expectGradOk((a, b) => cosineEmbeddingLoss(a, b, tensor(1)), [x1, x2]);
  });
});

describe('cosineEmbeddingLoss bad input', () => {
  const x = () => tensor([[1, 2], [3, 4]], { requiresGrad: true });

  it.each([
    [{ margins: 0 }, "cosineEmbeddingLoss: unknown option 'margins'"],
    [{ reduction: 'batchmean' }, 'cosineEmbeddingLoss: reduction must be one of'],
    [{ margin: '0.5' }, ['cosineEmbeddingLoss: margin must be a', 'number', 'got "0.5"']],
  ])('rejects options %j', (opts, message) => {
    expectThrowsWith(() => cosineEmbeddingLoss(x(), x(), [1, -1], opts as object), ...[message].flat());
  });

  it('rejects mismatched shapes, with the shapes it expected and got', () => {
    expectThrowsWith(() => cosineEmbeddingLoss(x(), tensor([[1, 2, 3], [4, 5, 6]]), [1, 1]), 'cosineEmbeddingLoss: x2 shape [2, 3] does not match x1 shape [2, 2]');
    expectThrowsWith(() => cosineEmbeddingLoss(x(), x(), [1, 1, 1]), 'cosineEmbeddingLoss: y must have shape [2] for x1 of shape [2, 2], got shape [3]');
    expectThrowsWith(() => cosineEmbeddingLoss(x(), x(), 1), 'y must have shape [2] for x1 of shape [2, 2], got shape []');
    expectThrowsWith(() => cosineEmbeddingLoss(tensor([1, 2]), tensor([1, 2]), [1]), 'y must have shape [] for x1 of shape [2], got shape [1]');
    expectThrowsWith(() => cosineEmbeddingLoss(tensor([[[1]]]), tensor([[[1]]]), [[1]]), 'cosineEmbeddingLoss: x1 must have shape [N, D] or [D], got shape [1, 1, 1]');
  });

  it('leaves inputs and existing gradients unchanged when it throws', () => {
    const a = x();
    a.grad = tensor([[5, 5], [5, 5]]);
    expectThrowsWith(() => cosineEmbeddingLoss(a, a, [1]), 'y must have shape');
    expectClose(a, [1, 2, 3, 4]);
    expectClose(a.grad, [5, 5, 5, 5]);
  });
});
