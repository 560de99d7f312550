/**
 * tripletMarginLoss: its fused kernel against the composed version (tripletMarginWithDistanceLoss
 * over pairwiseDistance), against a plain-loop reference, gradient checks in the active region,
 * and bad input.
 */
import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import { tripletMarginLoss, tripletMarginWithDistanceLoss } from '../../losses/index.js';
import { expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';

/** PyTorch's `pairwise_distance`, composed from engine ops: `‖x - y + eps‖_p` over the last dim. */
const pairwiseDistance = (x: Tensor, y: Tensor, p: number, eps: number): Tensor => x.sub(y).add(eps).norm(p, -1);

type Reduction = 'none' | 'mean' | 'sum';

interface Triplets {
  n: number;
  d: number;
  a: number[];
  p: number[];
  neg: number[];
}

/** `(Σ_j |x_j - y_j + eps|^p)^(1/p)` straight from the definition, with Math.pow for every p. */
function naiveDistance(x: number[], y: number[], p: number, eps: number): number {
  const terms = x.map((xj, j) => Math.abs(xj - y[j] + eps));
  if (p === Infinity) return terms.reduce((m, v) => Math.max(m, v), 0);
  return Math.pow(terms.reduce((s, v) => s + Math.pow(v, p), 0), 1 / p);
}

function rows(flat: number[], n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

/** Per-row `max(0, margin + d(a, p) - d(a, n))`, with the swap, as plain numbers. */
function naiveTriplet(t: Triplets, margin: number, p: number, eps: number, swap: boolean): number[] {
  const [A, P, N] = [t.a, t.p, t.neg].map((f) => rows(f, t.n, t.d));
  return A.map((a, i) => {
    let dn = naiveDistance(a, N[i], p, eps);
    if (swap) dn = Math.min(dn, naiveDistance(P[i], N[i], p, eps));
    return Math.max(0, margin + naiveDistance(a, P[i], p, eps) - dn);
  });
}

const P_VALUES = [0.5, 1, 1.5, 2, 3, Infinity];

/** Random triplets: positives and negatives scattered around the anchors. */
const arbTriplets = (maxN = 4, maxD = 4): fc.Arbitrary<Triplets> =>
  fc.record({ n: fc.integer({ min: 1, max: maxN }), d: fc.integer({ min: 1, max: maxD }) }).chain(({ n, d }) => {
    const vals = (lo: number, hi: number) => fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n * d, maxLength: n * d });
    return fc.record({ a: vals(-2, 2), dp: vals(-1, 1), dn: vals(-1.5, 1.5) }).map(({ a, dp, dn }) => ({
      n, d, a, p: a.map((v, i) => v + dp[i]), neg: a.map((v, i) => v + dn[i]),
    }));
  });

/**
 * Triplets away from the kinks of |v| (where p <= 1 and p = ∞ have them): every component of
 * `a - p` and `p - n` is at least 0.1 from 0 by construction, those of `a - n` by a filter.
 */
const arbSmoothTriplets: fc.Arbitrary<Triplets> =
  fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) => {
    const vals = (lo: number, hi: number) => fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n * d, maxLength: n * d });
    const away = fc.array(fc.tuple(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.boolean()).map(([m, s]) => (s ? m : -m)), { minLength: n * d, maxLength: n * d });
    return fc.record({ a: vals(-2, 2), u: away, w: away }).map(({ a, u, w }) => {
      const p = a.map((v, i) => v - u[i]);
      return { n, d, a, p, neg: p.map((v, i) => v - w[i]) };
    });
  }).filter((t) => t.a.every((v, i) => Math.abs(v - t.neg[i] + 1e-6) > 0.05));

/**
 * A case in the active region away from every kink: each row's hinge is at least 0.05 above 0,
 * and with `swap` the two negative distances differ by at least 0.05.
 */
const arbActiveCase = (p: fc.Arbitrary<number>) => fc.record({
  t: arbSmoothTriplets,
  p,
  swap: fc.boolean(),
  slack: fc.double({ min: 0.1, max: 1, noNaN: true }),
  reduction: fc.constantFrom<Reduction>('none', 'mean', 'sum'),
}).map((c) => {
  const [A, P, N] = [c.t.a, c.t.p, c.t.neg].map((f) => rows(f, c.t.n, c.t.d));
  const gaps = A.map((a, i) => naiveDistance(a, P[i], c.p, 1e-6) - naiveDistance(a, N[i], c.p, 1e-6));
  // margin = slack - min_i (d(a, p) - d(a, n)) lifts every row's hinge (before the swap) to slack or above.
  return { ...c, margin: c.slack - Math.min(...gaps) };
}).filter((c) => {
  if (!c.swap) return true;
  const [A, P, N] = [c.t.a, c.t.p, c.t.neg].map((f) => rows(f, c.t.n, c.t.d));
  return A.every((a, i) => Math.abs(naiveDistance(a, N[i], c.p, 1e-6) - naiveDistance(P[i], N[i], c.p, 1e-6)) > 0.05);
}).filter((c) => naiveTriplet(c.t, c.margin, c.p, 1e-6, c.swap).every((h) => h > 0.05))
  .filter((c) => c.p !== Infinity || infinityNormsSmooth(c.t));

/** For p = ∞, the kink is a tie for the largest |component|: keep the top two 0.05 apart. */
function infinityNormsSmooth(t: Triplets): boolean {
  const [A, P, N] = [t.a, t.p, t.neg].map((f) => rows(f, t.n, t.d));
  const gapOk = (x: number[], y: number[]) => {
    const m = x.map((v, j) => Math.abs(v - y[j] + 1e-6)).sort((u, v) => v - u);
    return m.length < 2 || m[0] - m[1] > 0.05;
  };
  return A.every((a, i) => gapOk(a, P[i]) && gapOk(a, N[i]) && gapOk(P[i], N[i]));
}

const leaf = (data: number[], n: number, d: number, requiresGrad = true): Tensor => tensor(data, { shape: [n, d], requiresGrad });

describe('tripletMarginLoss against a plain-loop reference', () => {
  it('matches the per-row formula for every p, swap and margin (clamped rows included)', () => {
    fc.assert(fc.property(arbTriplets(5, 5), fc.constantFrom(...P_VALUES), fc.boolean(), fc.double({ min: -1, max: 3, noNaN: true }),
      (t, p, swap, margin) => {
        const out = tripletMarginLoss(leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d), { p, swap, margin, reduction: 'none' });
        expectClose(out, naiveTriplet(t, margin, p, 1e-6, swap), 1e-10, 1e-12);
      }), fcParams(30));
  });

  it('reduces with the mean and the sum of the rows', () => {
    fc.assert(fc.property(arbTriplets(), (t) => {
      const args = [leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d)] as const;
      const ref = naiveTriplet(t, 1, 2, 1e-6, false);
      const total = ref.reduce((s, v) => s + v, 0);
      expectClose(tripletMarginLoss(...args, { reduction: 'sum' }), [total]);
      expectClose(tripletMarginLoss(...args), [total / t.n]);
    }), fcParams(15));
  });

  it('uses eps as PyTorch does: added to each component, so d(a, a) = eps·D^(1/p)', () => {
    const a = tensor([[1, 2, 3]]);
    const out = tripletMarginLoss(a, a, tensor([[1, 2, 4]]), { p: 3, eps: 0.01, margin: 0, reduction: 'none' });
    expectClose(out, [Math.max(0, 0.01 * Math.cbrt(3) - Math.cbrt(2 * 0.01 ** 3 + 0.99 ** 3))]);
  });
});

describe('tripletMarginLoss: the fused kernel against the composed version', () => {
  it('gives the same values and gradients as tripletMarginWithDistanceLoss over pairwiseDistance', () => {
    fc.assert(fc.property(arbActiveCase(fc.constantFrom(...P_VALUES)), ({ t, p, swap, margin, reduction }) => {
      const fused = [leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d)];
      const composed = [leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d)];
      const u = tensor(t.a.slice(0, t.n).map((v) => 0.5 + Math.abs(v)));
      const y1 = tripletMarginLoss(fused[0], fused[1], fused[2], { p, swap, margin, reduction });
      const y2 = tripletMarginWithDistanceLoss(composed[0], composed[1], composed[2],
        { distanceFunction: (x, y) => pairwiseDistance(x, y, p, 1e-6), swap, margin, reduction });
      expectClose(y1, y2);
      y1.backward(reduction === 'none' ? u : undefined);
      y2.backward(reduction === 'none' ? u : undefined);
      for (let k = 0; k < 3; k++) expectClose(fused[k].grad!, composed[k].grad!, 1e-9, 1e-12);
    }), fcParams(30));
  });
});

describe('tripletMarginLoss gradients (central differences, active region, away from kinks)', () => {
  it.each([1, 2, 3])('p = %d, with and without swap, every reduction', (p) => {
    fc.assert(fc.property(arbActiveCase(fc.constant(p)), ({ t, swap, margin, reduction }) => {
      expectGradOk((a, pos, neg) => tripletMarginLoss(a, pos, neg, { p, swap, margin, reduction }),
        [leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d)]);
    }), fcParams(20));
  });

  it.each([0.5, 1.5, Infinity])('p = %s', (p) => {
    fc.assert(fc.property(arbActiveCase(fc.constant(p)), ({ t, swap, margin, reduction }) => {
      expectGradOk((a, pos, neg) => tripletMarginLoss(a, pos, neg, { p, swap, margin, reduction }),
        [leaf(t.a, t.n, t.d), leaf(t.p, t.n, t.d), leaf(t.neg, t.n, t.d)]);
    }), fcParams(15));
  });

  it('checks only the inputs that require grad', () => {
    const a = tensor([[0.3, -0.2], [1, 0.5]], { requiresGrad: true });
    const pos = tensor([[0.5, 0.1], [0.2, 0.4]]);
    const neg = tensor([[0.9, -0.8], [1.3, 1.5]], { requiresGrad: true });
    tripletMarginLoss(a, pos, neg, { margin: 3 }).backward();
    expect(pos.grad).toBeNull();
    expect(a.grad).not.toBeNull();
    expect(neg.grad).not.toBeNull();
  });
});

describe('tripletMarginLoss edge cases', () => {
  it('takes [D] inputs and returns a 0-d loss', () => {
    const out = tripletMarginLoss(tensor([0, 0]), tensor([3, 4]), tensor([0, 5.5]), { eps: 0, reduction: 'none' });
    expect(out.shape).toEqual([]);
    expectClose(out, [0.5]);
  });

  it('propagates NaN in the data to the loss of its row only', () => {
    const out = tripletMarginLoss(tensor([[NaN, 0], [0, 0]]), tensor([[1, 0], [1, 0]]), tensor([[2, 0], [0, 0.5]]), { reduction: 'none' });
    expect(Number.isNaN(out.data[0])).toBe(true);
    expect(Number.isFinite(out.data[1])).toBe(true);
  });

  it('overflows to Infinity only where the p-th powers do (p = 3 with 1e110)', () => {
    const out = tripletMarginLoss(tensor([[1e110, 0]]), tensor([[0, 0]]), tensor([[1e110, 1]]), { p: 3, reduction: 'none' });
    expect(out.item()).toBe(Infinity);
  });
});

describe('tripletMarginLoss bad input', () => {
  const a = () => tensor([[1, 2], [3, 4]], { requiresGrad: true });

  it.each([
    [{ margn: 1 }, "tripletMarginLoss: unknown option 'margn'"],
    [{ reduction: 'avg' }, "tripletMarginLoss: reduction must be one of 'none', 'mean', 'sum', got \"avg\""],
    [{ p: 0 }, ['tripletMarginLoss: p must be', '0', 'got 0']],
    [{ p: -1 }, ['tripletMarginLoss: p must be', 'got -1']],
    [{ p: NaN }, ['tripletMarginLoss: p must be', 'got NaN']],
    [{ eps: '1e-6' }, ['tripletMarginLoss: eps must be a', 'number', 'got "1e-6"']],
    [{ eps: Infinity }, ['tripletMarginLoss: eps must be a finite number', 'got Infinity']],
    [{ margin: null }, ['tripletMarginLoss: margin must be a', 'number', 'got null']],
    [{ margin: Infinity }, ['tripletMarginLoss: margin must be a finite number', 'got Infinity']],
    [{ swap: 1 }, 'tripletMarginLoss: swap must be a boolean, got 1'],
  ])('rejects options %j', (opts, message) => {
    expectThrowsWith(() => tripletMarginLoss(a(), a(), a(), opts as object), ...[message].flat());
  });

  it('rejects shapes that differ (PyTorch would broadcast) and inputs that are not [N, D] or [D]', () => {
    expectThrowsWith(() => tripletMarginLoss(a(), tensor([[1, 2]]), a()), 'tripletMarginLoss: positive shape [1, 2] does not match anchor shape [2, 2]');
    expectThrowsWith(() => tripletMarginLoss(a(), a(), tensor([1, 2])), 'tripletMarginLoss: negative shape [2] does not match anchor shape [2, 2]');
    expectThrowsWith(() => tripletMarginLoss(tensor(1), tensor(1), tensor(1)), 'tripletMarginLoss: anchor must have shape [N, D] or [D], got shape []');
    expectThrowsWith(() => tripletMarginLoss(tensor([[[1]]]), tensor([[[1]]]), tensor([[[1]]])), 'anchor must have shape [N, D] or [D], got shape [1, 1, 1]');
    expectThrowsWith(() => tripletMarginLoss(a(), a(), 'x' as unknown as Tensor), 'tripletMarginLoss: negative must be a Tensor', 'got "x"');
  });

  it('leaves inputs and existing gradients unchanged when it throws', () => {
    const x = a();
    x.grad = tensor([[7, 7], [7, 7]]);
    expectThrowsWith(() => tripletMarginLoss(x, x, tensor([1, 2]), { margin: 2 }), 'negative shape');
    expectClose(x, [1, 2, 3, 4]);
    expectClose(x.grad, [7, 7, 7, 7]);
    expect(x.grad).toBeInstanceOf(Tensor);
  });
});
