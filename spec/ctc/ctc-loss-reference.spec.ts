/**
 * ctcLoss against references written independently of it: brute-force enumeration of every
 * path in probability space, the one-to-one-alignment oracle, a textbook log-space recursion for
 * long sequences, and central differences on logProbs (the gradient is the true derivative).
 */
import fc from 'fast-check';
import { ctcLoss } from '../../ctc/index.js';
import { Rng, Tensor, tensor } from '../../engine/index.js';
import { expectClose, expectGradOk, fcParams } from '../helpers/index.js';
import { arbProblem, minFramesOf, padTargets } from './arbitraries.js';
import { bruteForceLoss, bruteForceLossLog, logSpaceGrad, logSpaceLoss } from './reference.js';

describe('ctcLoss against brute-force enumeration of every path', () => {
  it('values and true gradients agree per sample (repeats, blanks anywhere, empty targets, short inputs, infeasible)', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        const lp = tensor(p.lp, { requiresGrad: true });
        const loss = ctcLoss(lp, padTargets(p), p.inputLengths, p.targets.map((t) => t.length), { blank: p.blank, reduction: 'none' });
        const refs = p.targets.map((_t, n) => bruteForceLoss(p, n));
        expectClose(loss, refs.map((r) => r.loss), 1e-10, 1e-12);
        const feasible = p.targets.map((t, n) => minFramesOf(t) <= p.inputLengths[n]);
        if (!feasible.some(Boolean)) return;
        loss.backward(tensor(feasible.map((f) => (f ? 1 : 0))));
        const g = (lp.grad as Tensor).toArray() as number[][][];
        p.targets.forEach((_t, n) => {
          if (feasible[n]) expectClose(g.map((row) => row[n]), refs[n].grad, 1e-9, 1e-12);
        });
      }),
      fcParams(30),
    );
  });

  it('concatenated 1-D targets give the same losses as padded ones', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        const lengths = p.targets.map((t) => t.length);
        const a = ctcLoss(tensor(p.lp), padTargets(p), p.inputLengths, lengths, { blank: p.blank, reduction: 'none' });
        const b = ctcLoss(tensor(p.lp), p.targets.flat(), tensor(p.inputLengths), tensor(lengths), { blank: p.blank, reduction: 'none' });
        expectClose(b, a, 0, 0);
      }),
      fcParams(15),
    );
  });

  it('an unbatched call equals the batched call on a batch of one, with its lengths as numbers, one-element arrays or 0-d Tensors', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        const lp0 = p.lp.map((frame) => frame[0]);
        const target = p.targets[0];
        const un = ctcLoss(tensor(lp0), target, p.inputLengths[0], [target.length], { blank: p.blank, reduction: 'sum' });
        expectClose(un, bruteForceLoss(p, 0).loss, 1e-10, 1e-12);
        const un0d = ctcLoss(tensor(lp0), tensor(target), tensor(p.inputLengths[0]), tensor(target.length), { blank: p.blank, reduction: 'none' });
        expect(un0d.shape).toEqual([]);
        expectClose(un0d, un, 0, 0);
      }),
      fcParams(15),
    );
  });
});

describe('ctcLoss reductions and zeroInfinity', () => {
  it("'mean' divides each loss by max(targetLength, 1) and averages; 'sum' adds; zeroInfinity zeroes infinite losses", () => {
    fc.assert(
      fc.property(arbProblem(4), fc.boolean(), (p, zeroInfinity) => {
        const lengths = p.targets.map((t) => t.length);
        const per = p.targets.map((_t, n) => bruteForceLoss(p, n).loss).map((l) => (zeroInfinity && l === Infinity ? 0 : l));
        const run = (reduction: 'mean' | 'sum') => ctcLoss(tensor(p.lp), padTargets(p), p.inputLengths, lengths, { blank: p.blank, reduction, zeroInfinity }).item();
        expectClose(run('sum'), per.reduce((s, l) => s + l, 0), 1e-10, 1e-12);
        expectClose(run('mean'), per.reduce((s, l, n) => s + l / Math.max(lengths[n], 1), 0) / per.length, 1e-10, 1e-12);
      }),
      fcParams(20),
    );
  });

  it('an infeasible sample has NaN gradient on its own frames, or 0 with zeroInfinity, and leaves the others alone', () => {
    const lp = tensor([[[-1, -0.5, -2], [-0.3, -1, -2]], [[-0.2, -1, -3], [-1, -1, -1]]], { requiresGrad: true }); // [T=2, N=2, C=3]
    ctcLoss(lp, [[1, 1], [2, 0]], [2, 2], [2, 1], { reduction: 'sum' }).backward();
    const g = (lp.grad as Tensor).toArray() as number[][][];
    expect(g.every((frame) => frame[0].every(Number.isNaN))).toBe(true);
    expect(g.every((frame) => frame[1].every(Number.isFinite))).toBe(true);
    lp.zeroGrad();
    const l = ctcLoss(lp, [[1, 1], [2, 0]], [2, 2], [2, 1], { reduction: 'none', zeroInfinity: true });
    expect(l.toArray()).toEqual([0, expect.any(Number)]);
    l.backward(tensor([1, 1]));
    expect((lp.grad as Tensor).toArray()).toEqual([[[0, 0, 0], g[0][1]], [[0, 0, 0], g[1][1]]]);
  });

  it('inputLength 0: an empty target has loss 0, any other target Infinity', () => {
    const lp = tensor([[[-1, -0.5], [-0.3, -2]]]); // [T=1, N=2, C=2]
    expect(ctcLoss(lp, [[1], [1]], [0, 0], [0, 1], { reduction: 'none' }).toArray()).toEqual([0, Infinity]);
  });
});

describe('ctcLoss oracle: a one-to-one alignment', () => {
  it('with T = target length and no repeats, loss = −Σ log p[t, l_t] and the logit gradient is softmax − onehot', () => {
    const arb = fc.record({ C: fc.integer({ min: 3, max: 6 }), T: fc.integer({ min: 1, max: 8 }) }).chain(({ C, T }) =>
      fc.record({
        logits: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: C, maxLength: C }), { minLength: T, maxLength: T }),
        labels: fc.array(fc.integer({ min: 1, max: C - 1 }), { minLength: T, maxLength: T }).filter((l) => l.every((v, i) => i === 0 || v !== l[i - 1])),
      }),
    );
    fc.assert(
      fc.property(arb, ({ logits, labels }) => {
        const x = tensor(logits, { requiresGrad: true });
        const loss = ctcLoss(x.logSoftmax(1), labels, labels.length, labels.length, { reduction: 'sum' });
        const soft = logits.map((row) => {
          const m = Math.max(...row);
          const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
          return row.map((v) => Math.exp(v - m) / z);
        });
        expectClose(loss, -labels.reduce((s, l, t) => s + Math.log(soft[t][l]), 0), 1e-10, 1e-12);
        loss.backward();
        expectClose(x.grad as Tensor, soft.map((row, t) => row.map((v, c) => v - (c === labels[t] ? 1 : 0))), 1e-9, 1e-12);
      }),
      fcParams(25),
    );
  });
});

describe('ctcLoss gradient is the true derivative with respect to logProbs', () => {
  it('passes central differences for every reduction', () => {
    fc.assert(
      fc.property(arbProblem(5, true), fc.constantFrom('none' as const, 'mean' as const, 'sum' as const), (p, reduction) => {
        const lp = tensor(p.lp, { requiresGrad: true });
        const lengths = p.targets.map((t) => t.length);
        expectGradOk((x) => ctcLoss(x, padTargets(p), p.inputLengths, lengths, { blank: p.blank, reduction }), [lp]);
      }),
      fcParams(25),
    );
  });

  it('passes central differences with infeasible samples under zeroInfinity', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        const lp = tensor(p.lp, { requiresGrad: true });
        const lengths = p.targets.map((t) => t.length);
        expectGradOk((x) => ctcLoss(x, padTargets(p), p.inputLengths, lengths, { blank: p.blank, reduction: 'mean', zeroInfinity: true }), [lp]);
      }),
      fcParams(15),
    );
  });

  it('scaling the output gradient by c scales the logProbs gradient by c', () => {
    fc.assert(
      fc.property(arbProblem(4, true), fc.double({ min: -5, max: 5, noNaN: true }), (p, c) => {
        const lengths = p.targets.map((t) => t.length);
        const grad = (scale: number): Tensor => {
          const lp = tensor(p.lp, { requiresGrad: true });
          ctcLoss(lp, padTargets(p), p.inputLengths, lengths, { blank: p.blank }).mul(scale).backward();
          return lp.grad as Tensor;
        };
        const g1 = grad(1);
        expectClose(grad(c), Array.from(g1.data, (v) => c * v), 1e-12, 1e-14);
      }),
      fcParams(15),
    );
  });

  it('frames past a sample\'s input length get exactly zero gradient', () => {
    const lp = tensor([[[-1, -0.5, -2]], [[-0.3, -1, -2]], [[-0.2, -1, -3]]], { requiresGrad: true }); // [T=3, N=1, C=3]
    ctcLoss(lp, [[1]], [2], [1]).backward();
    expect(((lp.grad as Tensor).toArray() as number[][][])[2]).toEqual([[0, 0, 0]]);
  });
});

describe('ctcLoss numerics', () => {
  it('is finite for T = 10,000 frames and matches a log-space reference; each frame\'s gradient sums to −1', () => {
    const T = 10_000;
    const C = 6;
    const rng = new Rng(7);
    const logits = tensor(Float64Array.from({ length: T * 2 * C }, () => 2 * rng.normal()), { shape: [T, 2, C] });
    const lp = logits.logSoftmax(2).detach().requiresGrad_();
    // Sample 0 is where one scale per frame fails (it comes out 48 nats high): its states drift
    // more than 1e308 apart and a state flushed to zero early carries the probability later.
    const targets = [Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 5)), Array.from({ length: 40 }, (_, i) => 1 + (i % 2) * 2)];
    const targetLengths = [40, 10];
    const inputLengths = [T, T - 3000];
    const loss = ctcLoss(lp, targets, inputLengths, targetLengths, { reduction: 'none' });
    const rows = lp.toArray() as number[][][];
    const ref = [0, 1].map((n) => logSpaceLoss(rows.slice(0, inputLengths[n]).map((f) => f[n]), targets[n].slice(0, targetLengths[n]), 0));
    expect(ref.every((r) => Number.isFinite(r) && r > 1000)).toBe(true);
    expectClose(loss, ref, 1e-9, 0);
    loss.backward(tensor([1, 1]));
    const g = (lp.grad as Tensor).data;
    for (const t of [0, 1234, 6999, 9999]) {
      for (let n = 0; n < 2; n++) {
        const s = g.subarray((t * 2 + n) * C, (t * 2 + n + 1) * C).reduce((a, b) => a + b, 0);
        expectClose(s, t < inputLengths[n] ? -1 : 0, 1e-9, 1e-12);
      }
    }
  });

  it('keeps full precision when the states of a frame drift e^-2500 apart (per-state exponents)', () => {
    const arb = arbProblem(5, true).chain((p) =>
      fc.array(fc.double({ min: -500, max: 0, noNaN: true }), { minLength: p.lp.length * p.lp[0].length * p.lp[0][0].length, maxLength: p.lp.length * p.lp[0].length * p.lp[0][0].length })
        .map((v) => ({ ...p, lp: p.lp.map((f, t) => f.map((row, n) => row.map((_x, c) => v[(t * f.length + n) * row.length + c]))) })),
    );
    fc.assert(
      fc.property(arb, (p) => {
        const lp = tensor(p.lp, { requiresGrad: true });
        const loss = ctcLoss(lp, padTargets(p), p.inputLengths, p.targets.map((t) => t.length), { blank: p.blank, reduction: 'none' });
        const refs = p.targets.map((_t, n) => bruteForceLossLog(p, n));
        expectClose(loss, refs.map((r) => r.loss), 1e-12, 1e-12);
        loss.backward(tensor(p.targets.map(() => 1)));
        const g = (lp.grad as Tensor).toArray() as number[][][];
        p.targets.forEach((_t, n) => expectClose(g.map((row) => row[n]), refs[n].grad, 1e-9, 1e-12));
      }),
      fcParams(25),
    );
  });

  it('matches a log-space reference where states drift apart over hundreds of frames (value and gradient)', () => {
    const rng = new Rng(3);
    for (const spread of [30, 100]) {
      const frames = Array.from({ length: 300 }, () => Array.from({ length: 5 }, () => -spread * rng.uniform())); // [T=300, C=5]
      const target = Array.from({ length: 30 }, (_, i) => 1 + (i % 4));
      const lp = tensor(frames, { requiresGrad: true });
      const loss = ctcLoss(lp, target, 300, 30, { reduction: 'sum' });
      expectClose(loss, logSpaceLoss(frames, target, 0), 1e-12, 0);
      loss.backward();
      expectClose(lp.grad as Tensor, logSpaceGrad(frames, target, 0), 1e-9, 1e-12);
    }
  });

  it('holds a sample whose frame makes the target astronomically unlikely (value and gradient)', () => {
    // Frame 2 puts every class of the target (and the blank) at e^-700 below class 3: each frame
    // is shifted by the maximum over the classes the sample uses, so the recursion never sees it.
    const frames = [[-1, -0.5, -2, -3], [-0.7, -2, -0.9, -3], [-700, -701, -700.5, 0], [-0.2, -1.5, -1, -4]];
    const lp = tensor(frames.map((f) => [f]), { requiresGrad: true }); // [T=4, N=1, C=4]
    const loss = ctcLoss(lp, [[1, 2]], [4], [2], { reduction: 'sum' });
    expectClose(loss, logSpaceLoss(frames, [1, 2], 0), 1e-12, 0);
    expect(loss.item()).toBeGreaterThan(700);
    expectGradOk((x) => ctcLoss(x, [[1, 2]], [4], [2], { reduction: 'sum' }), [lp]);
  });

  it('runs in log space a sample whose own classes lie 700 nats apart in a frame (value and gradient)', () => {
    // Frame 1 puts label 1 e^-700 below the blank: exponentiated, it would underflow.
    const frames = [[-0.5, -1, -2], [0, -700, -1], [-1, -0.2, -3], [-0.4, -2, -0.9]];
    const p = { lp: frames.map((f) => [f]), targets: [[1, 2]], inputLengths: [4], blank: 0 };
    const lp = tensor(p.lp, { requiresGrad: true }); // [T=4, N=1, C=3]
    const loss = ctcLoss(lp, [[1, 2]], [4], [2], { reduction: 'sum' });
    const ref = bruteForceLossLog(p, 0);
    expectClose(loss, ref.loss, 1e-12, 0);
    expectClose(loss, logSpaceLoss(frames, [1, 2], 0), 1e-12, 0);
    loss.backward();
    expectClose(lp.grad as Tensor, ref.grad.map((row) => [row]), 1e-9, 1e-12);
    // Every path through frame 1's label is e^-700 below the rest: its posterior, about -1.6e-304,
    // is held to full relative precision, where exponentiated probabilities would give 0.
    const tiny = ((lp.grad as Tensor).toArray() as number[][][])[1][0][1];
    expect(tiny).toBeLessThan(0);
    expectClose(tiny, ref.grad[1][1], 1e-9, 0);
  });

  it('accepts unnormalised logProbs far from 0 (each frame is shifted by its maximum)', () => {
    const frames = [[-1000, -1000.5, -1002], [-1000.7, -1002, -1000.9], [-1000.2, -1001.5, -1001]];
    const far = ctcLoss(tensor(frames), [1, 2], 3, 2, { reduction: 'sum' });
    expectClose(far, logSpaceLoss(frames, [1, 2], 0), 1e-12, 0);
    expectClose(ctcLoss(tensor(frames.map((f) => f.map((v) => v + 2000))), [1, 2], 3, 2, { reduction: 'sum' }), far.item() - 6000, 1e-12, 0);
  });

  it('takes −Infinity log-probabilities: impossible classes drop their paths; an impossible target is Infinity (0 with zeroInfinity)', () => {
    const p = { lp: [[[-0.5, -Infinity, -1]], [[-Infinity, -0.2, -2]], [[-0.3, -1, -Infinity]]], targets: [[1]], inputLengths: [3], blank: 0 };
    const lp = tensor(p.lp, { requiresGrad: true });
    const loss = ctcLoss(lp, [[1]], [3], [1], { reduction: 'sum' });
    const ref = bruteForceLoss(p, 0);
    expectClose(loss, ref.loss, 1e-12, 0);
    loss.backward();
    expectClose(lp.grad as Tensor, ref.grad.map((row) => [row]), 1e-12, 1e-14);
    const never = tensor([[[-0.5, -Infinity, -1]], [[-0.1, -Infinity, -2]]]); // class 1 impossible everywhere
    expect(ctcLoss(never, [[1]], [2], [1], { reduction: 'none' }).toArray()).toEqual([Infinity]);
    expect(ctcLoss(never, [[1]], [2], [1], { reduction: 'none', zeroInfinity: true }).toArray()).toEqual([0]);
  });

  it('is one graph node over logProbs, whose per-sample losses the reduction then takes', () => {
    const lp = tensor([[[-0.5, -0.9, -1]], [[-0.7, -0.2, -2]]], { requiresGrad: true });
    const loss = ctcLoss(lp, [[1]], [2], [1], { reduction: 'none' });
    expect(loss.node?.prim.name).toBe('ctcLoss');
    expect(loss.node?.inputs).toEqual([lp]);
  });

  it('propagates NaN: a NaN frame within the input length makes the loss and the sample\'s gradient NaN; past it, nothing', () => {
    const lp = tensor([[[-1, NaN, -2], [-0.3, -1, -2]], [[-0.2, -1, -3], [-1, -1, NaN]]], { requiresGrad: true }); // [T=2, N=2, C=3]
    const loss = ctcLoss(lp, [[1], [2]], [2, 1], [1, 1], { reduction: 'none' });
    const [a, b] = loss.toArray() as number[];
    expect(Number.isNaN(a)).toBe(true);
    expect(Number.isFinite(b)).toBe(true);
    loss.backward(tensor([1, 1]));
    const g = (lp.grad as Tensor).toArray() as number[][][];
    expect(g[0][0].some(Number.isNaN)).toBe(true);
    expect(g[0][1].every(Number.isFinite)).toBe(true);
  });
});
