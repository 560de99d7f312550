/**
 * mostOffendingIncorrectContinuous against constrained minima computed independently: a dense
 * search over the circle in 2-D, and the Lagrange (secular) equation in 3-D, for quadratic
 * energies `(y - c)ᵀ A (y - c)` with `c` inside the ε-ball, so the minimum lies on the sphere;
 * then a small neural energy against a dense grid over the allowed region.
 */
import fc from 'fast-check';
import { Tensor, tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { expectThrowsWith, fcParams } from '../helpers/index.js';

type Vec = number[];
const dist = (a: Vec, b: Vec): number => Math.hypot(...a.map((v, i) => v - b[i]));

/** E(y) = (y - c)ᵀ A (y - c) as an engine composition, and the same in plain numbers. */
function quadratic(a: number[][], c: Vec): { fn: (y: Tensor) => Tensor; value: (y: Vec) => number } {
  const A = tensor(a);
  const C = tensor(c);
  return {
    fn: (y) => {
      const d = y.sub(C).reshape([c.length, 1]); // [n, 1]
      return d.transpose().matmul(A).matmul(d).reshape([]);
    },
    value: (y) => {
      const d = y.map((v, i) => v - c[i]);
      return d.reduce((s, di, i) => s + di * a[i].reduce((t, aij, j) => t + aij * d[j], 0), 0);
    },
  };
}

/** The minimum of `value` over the circle of radius eps around y0: 20,000 angles, then a golden-section refinement. */
function circleMin(value: (y: Vec) => number, y0: Vec, eps: number): Vec {
  const at = (th: number): Vec => [y0[0] + eps * Math.cos(th), y0[1] + eps * Math.sin(th)];
  const n = 20000;
  let best = 0;
  for (let i = 1; i < n; i++) if (value(at((2 * Math.PI * i) / n)) < value(at((2 * Math.PI * best) / n))) best = i;
  let lo = (2 * Math.PI * (best - 1)) / n;
  let hi = (2 * Math.PI * (best + 1)) / n;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 100; it++) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    if (value(at(x1)) < value(at(x2))) hi = x2;
    else lo = x1;
  }
  return at((lo + hi) / 2);
}

/** A rotation of 3-D space (product of rotations about z and x). */
function rotation(t1: number, t2: number): number[][] {
  const rz = [[Math.cos(t1), -Math.sin(t1), 0], [Math.sin(t1), Math.cos(t1), 0], [0, 0, 1]];
  const rx = [[1, 0, 0], [0, Math.cos(t2), -Math.sin(t2)], [0, Math.sin(t2), Math.cos(t2)]];
  return rz.map((r) => [0, 1, 2].map((j) => r.reduce((s, v, k) => s + v * rx[k][j], 0)));
}

/**
 * The global minimum of (z - b)ᵀ A (z - b) on ‖z‖ = ε, A = R diag(λ) Rᵀ: in A's eigenbasis
 * z_i = λ_i b_i / (λ_i - μ), with μ < λ_min fixed by ‖z‖ = ε (the secular equation, solved by
 * bisection: ‖z(μ)‖ grows from 0 to ∞ as μ goes from -∞ to λ_min).
 */
function secularMin(lams: Vec, r: number[][], b: Vec, eps: number): Vec {
  const bt = [0, 1, 2].map((i) => r.reduce((s, row, k) => s + row[i] * b[k], 0)); // Rᵀ b
  const zt = (mu: number): Vec => bt.map((v, i) => (lams[i] * v) / (lams[i] - mu));
  const lmin = Math.min(...lams);
  let lo = lmin - 1;
  while (Math.hypot(...zt(lo)) > eps) lo = lmin - 2 * (lmin - lo);
  let hi = lmin;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (Math.hypot(...zt(mid)) < eps) lo = mid;
    else hi = mid;
  }
  const z = zt((lo + hi) / 2);
  return [0, 1, 2].map((i) => r[i].reduce((s, v, k) => s + v * z[k], 0)); // R z
}

describe('mostOffendingIncorrectContinuous finds the constrained minimum of a quadratic energy', () => {
  it('isotropic: the point of the sphere nearest c', () => {
    const y0 = [0.3, -0.2];
    const c = [0.5, 0.1];
    const q = quadratic([[2, 0], [0, 2]], c);
    const y = ebm.mostOffendingIncorrectContinuous(q.fn, y0, { epsilon: 1 }).toArray() as Vec;
    const d = dist(c, y0);
    const exact = y0.map((v, i) => v + (c[i] - v) / d);
    expect(dist(y, exact)).toBeLessThan(1e-3);
  });

  it('anisotropic 2-D, against a dense search over the circle', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 2, max: 8, noNaN: true }), fc.double({ min: 0, max: Math.PI, noNaN: true }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0.3, max: 2, noNaN: true }),
        (l1, l2, rot, frac, ang, eps) => {
          const [co, si] = [Math.cos(rot), Math.sin(rot)];
          const a = [[l1 * co * co + l2 * si * si, (l1 - l2) * co * si], [(l1 - l2) * co * si, l1 * si * si + l2 * co * co]];
          const y0 = [0.4, -0.7];
          const c = [y0[0] + frac * eps * Math.cos(ang), y0[1] + frac * eps * Math.sin(ang)];
          const q = quadratic(a, c);
          const y = ebm.mostOffendingIncorrectContinuous(q.fn, tensor(y0), { epsilon: eps }).toArray() as Vec;
          const exact = circleMin(q.value, y0, eps);
          expect(dist(y, y0)).toBeGreaterThanOrEqual(eps * (1 - 1e-12));
          expect(dist(y, exact)).toBeLessThan(1e-3);
        },
      ),
      fcParams(6),
    );
  });

  it('anisotropic 3-D, against the Lagrange (secular) equation', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.double({ min: 2, max: 4, noNaN: true }), fc.double({ min: 5, max: 9, noNaN: true })),
        fc.tuple(fc.double({ min: 0, max: Math.PI, noNaN: true }), fc.double({ min: 0, max: Math.PI, noNaN: true })),
        fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        (lams, [t1, t2], dir, frac) => {
          const norm = Math.hypot(...dir);
          const r = rotation(t1, t2);
          // b must reach the eigenvector of the least eigenvalue (λ_1 here), or the secular
          // equation has no root below λ_min (the trust-region 'hard case').
          fc.pre(norm > 0.1 && Math.abs(r.reduce((s, row, k) => s + row[0] * dir[k], 0)) > 0.1 * norm);
          const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => lams.reduce((s, l, k) => s + r[i][k] * l * r[j][k], 0)));
          const eps = 1.2;
          const y0 = [1, 0, -1];
          const b = dir.map((v) => (frac * eps * v) / norm);
          const q = quadratic(a, y0.map((v, i) => v + b[i]));
          const y = ebm.mostOffendingIncorrectContinuous(q.fn, tensor(y0), { epsilon: eps, seed: 3 }).toArray() as Vec;
          const exact = secularMin([...lams], r, b, eps).map((v, i) => v + y0[i]);
          expect(q.value(y)).toBeGreaterThanOrEqual(q.value(exact) - 1e-9);
          expect(dist(y, exact)).toBeLessThan(1e-3);
        },
      ),
      fcParams(6),
    );
  });
});

describe('mostOffendingIncorrectContinuous on a small neural energy', () => {
  // E(y) = Σ_j v_j tanh(w_j · y + b_j) + 0.3 ‖y‖²: non-convex, bounded below, minima inside [-4, 4]².
  const W = tensor([[1.5, -0.7], [0.3, 2.1], [-1.2, 0.9], [0.8, 0.8]], { requiresGrad: true });
  const B = tensor([0.2, -0.5, 0.4, 0.1], { requiresGrad: true });
  const V = tensor([1.1, -0.9, 1.3, -1.4], { requiresGrad: true });
  const energy = (y: Tensor): Tensor => W.matmul(y.reshape([2, 1])).reshape([4]).add(B).tanh().mul(V).sum().add(y.pow(2).sum().mul(0.3));
  const value = (y: Vec): number => {
    let s = 0.3 * (y[0] * y[0] + y[1] * y[1]);
    for (let j = 0; j < 4; j++) s += V.data[j] * Math.tanh(W.data[2 * j] * y[0] + W.data[2 * j + 1] * y[1] + B.data[j]);
    return s;
  };

  it('is at least as low as a dense grid over the allowed region, and outside the ball', () => {
    for (const [y0, eps] of [[[-0.5, 0.5], 0.8], [[1, -1], 1.5], [[0.2, 0.3], 0.4]] as [Vec, number][]) {
      const y = ebm.mostOffendingIncorrectContinuous(energy, y0, { epsilon: eps, starts: 16 }).toArray() as Vec;
      let gridMin = Infinity;
      const n = 400;
      for (let i = 0; i <= n; i++) {
        for (let j = 0; j <= n; j++) {
          const p = [-4 + (8 * i) / n, -4 + (8 * j) / n];
          if (dist(p, y0) >= eps) gridMin = Math.min(gridMin, value(p));
        }
      }
      for (let i = 0; i < 20000; i++) gridMin = Math.min(gridMin, value([y0[0] + eps * Math.cos((2 * Math.PI * i) / 20000), y0[1] + eps * Math.sin((2 * Math.PI * i) / 20000)]));
      expect(dist(y, y0)).toBeGreaterThanOrEqual(eps * (1 - 1e-12));
      expect(value(y)).toBeLessThanOrEqual(gridMin + 1e-9);
    }
  });

  it("leaves the energy's parameters and their gradients as they were", () => {
    const before = [W, B, V].map((t) => t.data.slice());
    V.grad = tensor([1, 2, 3, 4]);
    const out = ebm.mostOffendingIncorrectContinuous(energy, [0, 0], { epsilon: 1, starts: 2, steps: 20 });
    expect(W.grad).toBeNull();
    expect(B.grad).toBeNull();
    expect((V.grad as Tensor).toArray()).toEqual([1, 2, 3, 4]);
    [W, B, V].forEach((t, i) => expect(t.data).toEqual(before[i]));
    expect(out.requiresGrad).toBe(false);
    expect(out.shape).toEqual([2]);
  });

  it('feeds the pair forms: a gradient step on the hinge loss widens the gap E(Ȳ) - E(Y)', () => {
    const saved = [W, B, V].map((t) => t.data.slice());
    const y0 = tensor([0.5, -0.5]);
    const yBar = ebm.mostOffendingIncorrectContinuous(energy, y0, { epsilon: 1 });
    const gap = (): number => value(yBar.toArray() as Vec) - value(y0.toArray() as Vec);
    const before = gap();
    ebm.pair.hinge(energy(y0).reshape([1]), energy(yBar).reshape([1]), { margin: 10 }).backward();
    for (const p of [W, B, V]) {
      for (let i = 0; i < p.size; i++) p.data[i] -= 0.01 * (p.grad as Tensor).data[i];
      p.grad = null;
    }
    expect(gap()).toBeGreaterThan(before);
    [W, B, V].forEach((t, i) => t.data.set(saved[i]));
  });
});

describe('mostOffendingIncorrectContinuous rejects bad input', () => {
  const f = (y: Tensor): Tensor => y.pow(2).sum();
  const FN = 'mostOffendingIncorrectContinuous: ';
  it('names the argument, what was expected and what was given', () => {
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], {} as never), FN, 'epsilon', 'got undefined');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], undefined as never), FN, 'epsilon');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 0 }), FN, 'epsilon must be', 'got 0');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: NaN }), FN, 'epsilon must be a finite number', 'got NaN');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, start: 3 } as never), FN, "unknown option 'start'");
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, starts: 0 }), FN, 'starts must be', '1', 'got 0');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, lr: -1 }), FN, 'lr must be', 'got -1');
    // A count no search needs fails at once instead of running for hours; seeds are the library's [0, 2³²).
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, starts: 1e300 }), FN, 'starts must be', '10000');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, steps: 2e6 }), FN, 'steps must be', '1000000');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, seed: -3 }), FN, 'seed must be', 'got -3');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [0, 0], { epsilon: 1, seed: 2 ** 32 }), FN, 'seed must be', 'got 4294967296');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous('f' as never, [0, 0], { epsilon: 1 }), FN, 'energyFn must be a function', '"f"');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous((y) => y, [0, 0], { epsilon: 1 }), FN, 'energyFn must return a one-element Tensor, got a Tensor of shape [2]');
    expectThrowsWith(() => ebm.mostOffendingIncorrectContinuous(f, [], { epsilon: 1 }), FN, 'yTrue must hold at least one value');
  });
  it('lets NaN in yTrue propagate to the answer', () => {
    const y = ebm.mostOffendingIncorrectContinuous(f, [NaN, 0], { epsilon: 1, starts: 2, steps: 5 }).toArray() as Vec;
    expect(y[0]).toBeNaN();
  });
});
