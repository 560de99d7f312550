/**
 * tripletMarginWithDistanceLoss: custom distances against a plain-loop reference, the default
 * distance (PyTorch's pairwise_distance), gradient checks in the active region, and bad input.
 */
import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import { tripletMarginWithDistanceLoss } from '../../losses/index.js';
import { expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';

type Reduction = 'none' | 'mean' | 'sum';

const l1 = (x: Tensor, y: Tensor): Tensor => x.sub(y).abs().sum(-1);
const squaredEuclidean = (x: Tensor, y: Tensor): Tensor => x.sub(y).pow(2).sum(-1);

interface Case { n: number; d: number; a: number[][]; p: number[][]; neg: number[][] }

const arbCase: fc.Arbitrary<Case> = fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) => {
  const mat = fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n });
  return fc.record({ a: mat, p: mat, neg: mat }).map((r) => ({ n, d, ...r }));
});

/** Every component of a - p and p - n at least 0.1 from 0 by construction, of a - n by a filter (the kinks of |v|). */
const arbSmoothCase: fc.Arbitrary<Case> = fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) => {
  const away = fc.tuple(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.boolean()).map(([v, s]) => (s ? v : -v));
  const mat = (x: fc.Arbitrary<number>) => fc.array(fc.array(x, { minLength: d, maxLength: d }), { minLength: n, maxLength: n });
  return fc.record({ a: mat(fc.double({ min: -2, max: 2, noNaN: true })), u: mat(away), w: mat(away) }).map(({ a, u, w }) => {
    const p = a.map((r, i) => r.map((v, j) => v - u[i][j]));
    return { n, d, a, p, neg: p.map((r, i) => r.map((v, j) => v - w[i][j])) };
  });
}).filter((c) => c.a.every((r, i) => r.every((v, j) => Math.abs(v - c.neg[i][j]) > 0.05)));

const naiveSquared = (x: number[], y: number[]): number => x.reduce((s, v, j) => s + (v - y[j]) ** 2, 0);
const naiveEuclidean = (x: number[], y: number[]): number => Math.sqrt(x.reduce((s, v, j) => s + (v - y[j] + 1e-6) ** 2, 0));

function naiveLoss(c: Case, dist: (x: number[], y: number[]) => number, margin: number, swap: boolean): number[] {
  return c.a.map((a, i) => {
    const dn = swap ? Math.min(dist(a, c.neg[i]), dist(c.p[i], c.neg[i])) : dist(a, c.neg[i]);
    return Math.max(0, dist(a, c.p[i]) - dn + margin);
  });
}

const leaves = (c: Case): Tensor[] => [c.a, c.p, c.neg].map((m) => tensor(m, { requiresGrad: true }));

describe('tripletMarginWithDistanceLoss against a plain-loop reference', () => {
  it('uses the given distance, with and without swap, every reduction', () => {
    fc.assert(fc.property(arbCase, fc.boolean(), fc.double({ min: -1, max: 3, noNaN: true }), (c, swap, margin) => {
      const ref = naiveLoss(c, naiveSquared, margin, swap);
      const run = (reduction: Reduction) => {
        const [a, p, n] = leaves(c);
        return tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: squaredEuclidean, margin, swap, reduction });
      };
      expectClose(run('none'), ref, 1e-12, 1e-13);
      const total = ref.reduce((s, v) => s + v, 0);
      expectClose(run('sum'), [total], 1e-12, 1e-13);
      expectClose(run('mean'), [total / c.n], 1e-12, 1e-13);
    }), fcParams(25));
  });

  it('defaults to pairwise_distance: ‖x - y + 1e-6‖₂ over the last dim', () => {
    fc.assert(fc.property(arbCase, fc.boolean(), (c, swap) => {
      const [a, p, n] = leaves(c);
      expectClose(tripletMarginWithDistanceLoss(a, p, n, { swap, reduction: 'none' }), naiveLoss(c, naiveEuclidean, 1, swap), 1e-12, 1e-13);
    }), fcParams(20));
  });
});

describe('tripletMarginWithDistanceLoss gradients (central differences, active region)', () => {
  it.each([['l1', l1], ['squared Euclidean', squaredEuclidean], ['default', undefined]] as const)('%s distance', (_name, distanceFunction) => {
    fc.assert(fc.property(arbSmoothCase, fc.boolean(), fc.constantFrom<Reduction>('none', 'mean', 'sum'), (c, swap, reduction) => {
      // Away from swap ties; the margin then puts every hinge 0.1 or more above 0.
      const d = (x: Tensor, y: Tensor) => (distanceFunction ?? ((u: Tensor, w: Tensor) => u.sub(w).add(1e-6).norm(2, -1)))(x, y).data;
      const [a, p, n] = leaves(c);
      const dp = d(a, p), dn = d(a, n), ds = d(p, n);
      if (swap) fc.pre(Array.from(dn).every((v, i) => Math.abs(v - ds[i]) > 0.05));
      const neg = swap ? Array.from(dn, (v, i) => Math.min(v, ds[i])) : Array.from(dn);
      const margin = 0.1 + Math.max(...neg.map((v, i) => v - dp[i]));
      expectGradOk((x, y, z) => tripletMarginWithDistanceLoss(x, y, z, { distanceFunction, margin, swap, reduction }), [a, p, n]);
    }), fcParams(20));
  });

  it('splits the gradient evenly on a swap tie (identical anchor and positive), as torch.min', () => {
    const a = tensor([[0, 0]], { requiresGrad: true });
    const p = tensor([[0, 0]], { requiresGrad: true });
    const n = tensor([[3, 4]], { requiresGrad: true });
    tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: l1, margin: 10, swap: true, reduction: 'sum' }).backward();
    // d(a, p) = |a - p|₁ gives sign(0) = 0; d(a, n) and d(p, n) tie at 7 and share -1 half each.
    expectClose(a.grad!, [0.5, 0.5]);
    expectClose(p.grad!, [0.5, 0.5]);
    expectClose(n.grad!, [-1, -1]);
  });
});

describe('tripletMarginWithDistanceLoss bad input', () => {
  const m = () => tensor([[1, 2], [3, 4]], { requiresGrad: true });

  it('rejects options and arguments, naming them', () => {
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { distance: l1 } as object), "tripletMarginWithDistanceLoss: unknown option 'distance'");
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { distanceFunction: 'l1' } as object), 'tripletMarginWithDistanceLoss: distanceFunction must be a function', 'got "l1"');
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { swap: 'yes' } as object), 'tripletMarginWithDistanceLoss: swap must be a boolean, got "yes"');
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { reduction: 'max' } as object), 'tripletMarginWithDistanceLoss: reduction must be one of');
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), tensor([1, 2]), m()), 'tripletMarginWithDistanceLoss: positive shape [2] does not match anchor shape [2, 2]');
    expectThrowsWith(() => tripletMarginWithDistanceLoss(tensor(1), tensor(1), tensor(1)), 'tripletMarginWithDistanceLoss: anchor must have at least one dim, got shape []');
  });

  it('rejects a distance that returns no Tensor, or different shapes for the pairs', () => {
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { distanceFunction: () => 3 as unknown as Tensor }),
      'tripletMarginWithDistanceLoss: distanceFunction must return a Tensor, got 3 for (anchor, positive)');
    let calls = 0;
    const uneven = (x: Tensor, y: Tensor) => (calls++ === 0 ? l1(x, y) : x.sub(y).abs());
    expectThrowsWith(() => tripletMarginWithDistanceLoss(m(), m(), m(), { distanceFunction: uneven }),
      'tripletMarginWithDistanceLoss: distanceFunction(anchor, negative) shape [2, 2] does not match distanceFunction(anchor, positive) shape [2]');
  });

  it('leaves inputs and existing gradients unchanged when it throws', () => {
    const a = m();
    a.grad = tensor([[1, 1], [1, 1]]);
    expectThrowsWith(() => tripletMarginWithDistanceLoss(a, a, tensor([1])), 'negative shape');
    expectClose(a.grad, [1, 1, 1, 1]);
    expectClose(a, [1, 2, 3, 4]);
    expect(a.grad).toBeInstanceOf(Tensor);
  });
});
