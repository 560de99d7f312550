/**
 * The fused kernels split over threads (BCE on logits, cross-entropy, logSoftmax, CTC) give the
 * single-threaded bits for every thread count, for every variant that reaches the split code.
 * The split thresholds are lowered to 0 so that small inputs split (each case checks that it
 * did); one case per kernel runs at the default threshold.
 */
import { ctcLoss } from '../../ctc/index.js';
import { cacheBytes, emptyCache, getNumThreads, Rng, setNumThreads, tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import type { TaskName } from '../../engine/threads/pool.js';
import { arenaBytes, poolWorkers, SPLIT_MIN, splitCounts } from '../../engine/threads/pool.js';
import { bceWithLogitsLoss, crossEntropyLoss, tripletMarginLoss } from '../../losses/index.js';
import { firstBitDifference } from '../helpers/index.js';

const defaults = { ...SPLIT_MIN };
const defaultThreads = getNumThreads();
afterEach(() => Object.assign(SPLIT_MIN, defaults));
afterAll(() => setNumThreads(defaultThreads));

function randn(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

/** A leaf on a copy of `d`, so each run starts from the same values. */
const leaf = (d: Float64Array, shape: number[]): Tensor => tensor(d.slice(), { shape, requiresGrad: true });

/**
 * Runs `f` (which returns the arrays to compare: outputs and gradients) with 1 thread, then with
 * 2 and 3, expecting the same bits and that each of `tasks` was split in both.
 */
function expectSameBits(tasks: TaskName[], f: () => Float64Array[]): void {
  setNumThreads(1);
  const before = splitCounts();
  const one = f();
  for (const t of tasks) expect(splitCounts()[t]).toBe(before[t]);
  for (const n of [2, 3]) {
    setNumThreads(n);
    const was = splitCounts();
    const many = f();
    for (const t of tasks) expect(splitCounts()[t]).toBeGreaterThan(was[t]);
    expect(many).toHaveLength(one.length);
    many.forEach((x, i) => expect(firstBitDifference(x, one[i])).toBe(-1));
  }
}

describe('bceWithLogitsLoss split over threads', () => {
  const n = 1000; // not a multiple of the 128-logit blocks
  const x = randn(n, 1).map((v) => 6 * v);
  const y = randn(n, 2).map((v) => (v > 0 ? 1 : 0));

  it.each(['mean', 'sum', 'none'] as const)('reduction %s', (reduction) => {
    SPLIT_MIN.bceLogits = 0;
    expectSameBits(['bceLogits'], () => {
      const xl = leaf(x, [n]);
      const l = bceWithLogitsLoss(xl, tensor(y.slice()), { reduction });
      l.sum().backward();
      return [l.data, xl.grad!.data];
    });
  });

  it('with weight, posWeight and a target that requires grad', () => {
    SPLIT_MIN.bceLogits = 0;
    const w = randn(n, 3).map(Math.abs);
    const pw = randn(n, 4).map((v) => 1 + Math.abs(v));
    expectSameBits(['bceLogits'], () => {
      const xl = leaf(x, [n]);
      const yl = leaf(y.map((v) => 0.2 + 0.6 * v), [n]);
      const l = bceWithLogitsLoss(xl, yl, { weight: tensor(w.slice()), posWeight: tensor(pw.slice()), reduction: 'none' });
      l.mul(tensor(randn(n, 5))).sum().backward();
      return [l.data, xl.grad!.data, yl.grad!.data];
    });
  });

  it('with NaN and infinite logits', () => {
    SPLIT_MIN.bceLogits = 0;
    const odd = x.slice();
    odd[3] = NaN;
    odd[700] = Infinity;
    odd[900] = -Infinity;
    expectSameBits(['bceLogits'], () => {
      const xl = leaf(odd, [n]);
      const l = bceWithLogitsLoss(xl, tensor(y.slice()), { reduction: 'none' });
      l.sum().backward();
      return [l.data, xl.grad!.data];
    });
  });

  it('at the default threshold', () => {
    const big = SPLIT_MIN.bceLogits + 77;
    const xb = randn(big, 6);
    const yb = randn(big, 7).map((v) => (v > 0 ? 1 : 0));
    expectSameBits(['bceLogits'], () => {
      const xl = leaf(xb, [big]);
      const l = bceWithLogitsLoss(xl, tensor(yb));
      l.backward();
      return [l.data, xl.grad!.data];
    });
  });
});

describe('crossEntropyLoss split over threads', () => {
  it('[N, C] with class weights and ignored positions', () => {
    SPLIT_MIN.crossEntropy = 0;
    const [N, C] = [37, 11];
    const x = randn(N * C, 8).map((v) => 20 * v);
    const t = Float64Array.from({ length: N }, (_, i) => (i % 5 === 0 ? -100 : (i * 7) % C));
    const w = randn(C, 9).map(Math.abs);
    expectSameBits(['crossEntropy'], () => {
      const xl = leaf(x, [N, C]);
      const l = crossEntropyLoss(xl, tensor(t), { weight: tensor(w), reduction: 'none' });
      l.mul(tensor(randn(N, 10))).sum().backward();
      return [l.data, xl.grad!.data];
    });
  });

  it('[N, C, d] (positions along a trailing dimension), mean', () => {
    SPLIT_MIN.crossEntropy = 0;
    const [N, C, d] = [5, 7, 6];
    const x = randn(N * C * d, 11);
    const t = Float64Array.from({ length: N * d }, (_, i) => (i * 3) % C);
    expectSameBits(['crossEntropy'], () => {
      const xl = leaf(x, [N, C, d]);
      const l = crossEntropyLoss(xl, tensor(t, { shape: [N, d] }));
      l.backward();
      return [l.data, xl.grad!.data];
    });
  });

  it('at the default threshold', () => {
    const C = 64;
    const N = Math.ceil(SPLIT_MIN.crossEntropy / C) + 3;
    const x = randn(N * C, 12);
    const t = Float64Array.from({ length: N }, (_, i) => (i * 13) % C);
    expectSameBits(['crossEntropy'], () => {
      const xl = leaf(x, [N, C]);
      const l = crossEntropyLoss(xl, tensor(t));
      l.backward();
      return [l.data, xl.grad!.data];
    });
  });
});

describe('logSoftmax split over threads', () => {
  it.each([
    ['last dim', [23, 9], 1],
    ['strided slices over 23 columns', [3, 9, 23], 1],
    ['middle of three', [4, 6, 5], 1],
  ] as [string, number[], number][])('%s', (_name, shape, dim) => {
    SPLIT_MIN.logSoftmax = 0;
    const size = shape.reduce((p, s) => p * s, 1);
    const x = randn(size, 13).map((v) => 30 * v);
    const g = randn(size, 14);
    expectSameBits(['logSoftmax', 'logSoftmaxBackward'], () => {
      const xl = leaf(x, shape);
      const y = xl.logSoftmax(dim);
      y.mul(tensor(g, { shape })).sum().backward();
      return [y.data, xl.grad!.data];
    });
  });

  it('one outer row (softmax over the first dim) stays on the calling thread', () => {
    SPLIT_MIN.logSoftmax = 0;
    setNumThreads(2);
    const was = splitCounts().logSoftmax;
    leaf(randn(9 * 23, 20), [9, 23]).logSoftmax(0);
    expect(splitCounts().logSoftmax).toBe(was);
  });

  it('at the default threshold', () => {
    const C = 100;
    const rows = Math.ceil(SPLIT_MIN.logSoftmax / C) + 1;
    const x = randn(rows * C, 15);
    const g = randn(rows * C, 16);
    expectSameBits(['logSoftmax', 'logSoftmaxBackward'], () => {
      const xl = leaf(x, [rows, C]);
      const y = xl.logSoftmax(1);
      y.mul(tensor(g, { shape: [rows, C] })).sum().backward();
      return [y.data, xl.grad!.data];
    });
  });
});

describe('ctcLoss split over threads', () => {
  const [T, N, C, S] = [40, 5, 9, 8];
  const lp = randn(T * N * C, 17);
  // Sample 3 cannot fit its target (8 labels, 6 frames); sample 4 has a frame whose classes lie
  // far apart, so it runs in log space.
  lp[(7 * N + 4) * C + 2] = -2000;
  const targets = tensor(Float64Array.from({ length: N * S }, (_, i) => 1 + ((i * 5) % (C - 1))), { shape: [N, S] });
  const inputLengths = [40, 31, 40, 6, 40];
  const targetLengths = [8, 5, 3, 8, 8];

  it.each([false, true])('unequal lengths, an impossible sample and a log-space one (zeroInfinity %s)', (zeroInfinity) => {
    SPLIT_MIN.ctc = 0;
    expectSameBits(['ctcAlpha', 'ctcBeta'], () => {
      const x = leaf(lp, [T, N, C]);
      const l = ctcLoss(x.logSoftmax(2), targets, inputLengths, targetLengths, { reduction: 'none', zeroInfinity });
      l.mul(tensor(randn(N, 18))).sum().backward();
      return [l.data, x.grad!.data];
    });
  });

  it('a retained graph gives the same gradient on its second backward', () => {
    SPLIT_MIN.ctc = 0;
    setNumThreads(1);
    const x1 = leaf(lp, [T, N, C]);
    const l1 = ctcLoss(x1, targets, inputLengths, targetLengths, { reduction: 'sum', zeroInfinity: true });
    l1.backward();
    const want = x1.grad!.data.slice();
    setNumThreads(2);
    const x2 = leaf(lp, [T, N, C]);
    const l2 = ctcLoss(x2, targets, inputLengths, targetLengths, { reduction: 'sum', zeroInfinity: true });
    l2.backward(undefined, { retainGraph: true });
    expect(firstBitDifference(x2.grad!.data, want)).toBe(-1);
    x2.zeroGrad();
    l2.backward();
    expect(firstBitDifference(x2.grad!.data, want)).toBe(-1);
  });

  it('a pool that dies between the forward and the backward leaves a fresh pool and the same gradient', async () => {
    SPLIT_MIN.ctc = 0;
    setNumThreads(1);
    const x1 = leaf(lp, [T, N, C]);
    ctcLoss(x1, targets, inputLengths, targetLengths, { reduction: 'sum', zeroInfinity: true }).backward();
    setNumThreads(2);
    const x2 = leaf(lp, [T, N, C]);
    const l2 = ctcLoss(x2, targets, inputLengths, targetLengths, { reduction: 'sum', zeroInfinity: true });
    const [w] = poolWorkers();
    await w.terminate();
    expect(poolWorkers()).toHaveLength(0);
    l2.backward();
    expect(poolWorkers()).toHaveLength(1);
    expect(firstBitDifference(x2.grad!.data, x1.grad!.data)).toBe(-1);
  });

  it('at the default threshold', () => {
    const [T2, N2, C2, S2] = [120, 4, 12, 40];
    expect(T2 * N2 * (2 * S2 + 1)).toBeGreaterThanOrEqual(SPLIT_MIN.ctc);
    const lp2 = randn(T2 * N2 * C2, 19);
    const t2 = tensor(Float64Array.from({ length: N2 * S2 }, (_, i) => 1 + ((i * 7) % (C2 - 1))), { shape: [N2, S2] });
    expectSameBits(['ctcAlpha', 'ctcBeta'], () => {
      const x = leaf(lp2, [T2, N2, C2]);
      const l = ctcLoss(x.logSoftmax(2), t2, [120, 120, 100, 120], [40, 40, 40, 30]);
      l.backward();
      return [l.data, x.grad!.data];
    });
  });
});

describe('tripletMarginLoss split over threads', () => {
  const [N, D] = [41, 6];
  const [a, p, q] = [23, 24, 25].map((seed) => randn(N * D, seed));

  it.each([
    ['p = 3', { p: 3 }],
    ['p = 1 with the swap', { p: 1, swap: true }],
    ['p = 3 with the swap, every row active', { p: 3, swap: true, margin: 50 }],
  ] as [string, { p: number; swap?: boolean; margin?: number }][])('%s', (_name, opts) => {
    SPLIT_MIN.triplet = 0;
    expectSameBits(['triplet', 'tripletBackward'], () => {
      const [xa, xp, xn] = [a, p, q].map((d) => leaf(d, [N, D]));
      const l = tripletMarginLoss(xa, xp, xn, { ...opts, reduction: 'none' });
      l.mul(tensor(randn(N, 26))).sum().backward();
      return [l.data, xa.grad!.data, xp.grad!.data, xn.grad!.data];
    });
  });

  it('p = 2 stays on the calling thread (its one pass over memory lost to the copies a split needs)', () => {
    SPLIT_MIN.triplet = 0;
    setNumThreads(2);
    const was = splitCounts();
    const [xa, xp, xn] = [a, p, q].map((d) => leaf(d, [N, D]));
    tripletMarginLoss(xa, xp, xn).backward();
    expect(splitCounts().triplet).toBe(was.triplet);
    expect(splitCounts().tripletBackward).toBe(was.tripletBackward);
  });

  it('at the default threshold', () => {
    const rows = Math.ceil(SPLIT_MIN.triplet / 16) + 1;
    const [da, dp, dn] = [27, 28, 29].map((seed) => randn(rows * 16, seed));
    expectSameBits(['triplet', 'tripletBackward'], () => {
      const [xa, xp, xn] = [da, dp, dn].map((d) => leaf(d, [rows, 16]));
      const l = tripletMarginLoss(xa, xp, xn, { p: 3 });
      l.backward();
      return [l.data, xa.grad!.data, xp.grad!.data, xn.grad!.data];
    });
  });
});

describe('the staging arena', () => {
  it('counts in cacheBytes, goes with emptyCache, and comes back for the next split with the same bits', () => {
    SPLIT_MIN.bceLogits = 0;
    const n = 5000;
    const x = randn(n, 21);
    const y = randn(n, 22).map((v) => (v > 0 ? 1 : 0));
    const run = () => {
      const xl = leaf(x, [n]);
      bceWithLogitsLoss(xl, tensor(y)).backward();
      return xl.grad!.data;
    };
    setNumThreads(2);
    const first = run();
    const arena = arenaBytes();
    // At least x and y of the workers' share, and the sigmoid they write.
    expect(arena).toBeGreaterThanOrEqual(3 * 8 * (n / 2));
    expect(cacheBytes()).toBeGreaterThanOrEqual(arena);
    expect(emptyCache()).toBeGreaterThanOrEqual(arena);
    expect(arenaBytes()).toBe(0);
    expect(cacheBytes()).toBe(0);
    expect(firstBitDifference(run(), first)).toBe(-1);
    expect(arenaBytes()).toBeGreaterThanOrEqual(3 * 8 * (n / 2));
  });
});
