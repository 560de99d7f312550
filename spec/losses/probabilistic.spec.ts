import fc from 'fast-check';
import { noGrad, tensor, Tensor, xlogy } from '../../engine/index.js';
import { bceLoss, bceWithLogitsLoss, klDivLoss } from '../../losses/index.js';
import { expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';
import type { Opts, Red } from './pointwise-fixture.js';
import { REDUCTIONS, arbRed, pointwiseCases, reduceNaive } from './pointwise-fixture.js';


const CALLS: Record<string, (x: Tensor, t: Tensor, o: Opts) => Tensor> = {
  bceLoss: (x, t, o) => bceLoss(x, t, o),
  bceWithLogitsLoss: (x, t, o) => bceWithLogitsLoss(x, t, o),
  klDivLoss: (x, t, o) => klDivLoss(x, t, o),
};

const cases = pointwiseCases(Object.keys(CALLS));


// ---------------------------------------------------------------------------------------------
// Naive references: plain loops over number[] straight from the formulas. `w` and `p` are
// per-element (already broadcast by the test).


const naive = {
  bce(x: number[], y: number[], w: number[] | null): number[] {
    return x.map((p, i) => -(w ? w[i] : 1) * (y[i] * Math.max(Math.log(p), -100) + (1 - y[i]) * Math.max(Math.log(1 - p), -100)));
  },
  /** PyTorch's input gradient of BCE, per element, for an upstream gradient of 1. */
  bceGrad(x: number[], y: number[], w: number[] | null): number[] {
    const floor = 9.999999960041972e-13; // PyTorch's EPSILON, a float32 1e-12
    return x.map((p, i) => ((w ? w[i] : 1) * (p - y[i])) / Math.max(p * (1 - p), floor));
  },
  /** -w [p y log σ(x) + (1 - y) log(1 - σ(x))], with log σ(x) = -log(1 + e^-x) evaluated on the safe side. */
  bceLogits(x: number[], y: number[], w: number[] | null, p: number[] | null): number[] {
    const logSig = (v: number) => (v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v)));
    return x.map((v, i) => -(w ? w[i] : 1) * ((p ? p[i] : 1) * y[i] * logSig(v) + (1 - y[i]) * logSig(-v)));
  },
  kl(x: number[], y: number[], logTarget: boolean): number[] {
    return x.map((v, i) => {
      if (logTarget) return Math.exp(y[i]) * (y[i] - v);
      return y[i] === 0 ? 0 : y[i] * (Math.log(y[i]) - v);
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Composed references built from engine ops (what the fused kernels replace).

function bceComposed(x: Tensor, t: Tensor, w: Tensor | null): Tensor {
  const l = t.sub(1).mul(x.neg().add(1).log().clamp(-100)).sub(t.mul(x.log().clamp(-100))); // [N, C]
  return w ? l.mul(w) : l;
}

function bceLogitsComposed(x: Tensor, t: Tensor, w: Tensor | null, pw: Tensor | null): Tensor {
  const sp = x.abs().neg().exp().log1p().add(x.neg().relu()); // softplus(-x), [N, C]
  let l = t.neg().add(1).mul(x).add(pw ? pw.sub(1).mul(t).add(1).mul(sp) : sp); // [N, C]
  if (w) l = l.mul(w);
  return l;
}

// ---------------------------------------------------------------------------------------------
// Generators: an [N, C] input with a target, and optional factors broadcast over it.

type FactorKind = 'none' | 'row' | 'col' | 'full';
interface Batch {
  shape: [number, number];
  x: number[];
  y: number[];
  w: { kind: FactorKind; data: number[] };
  p: { kind: FactorKind; data: number[] };
}

const arbVals = (n: number, lo: number, hi: number) =>
  fc.array(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });

const factorShape = (kind: FactorKind, [n, c]: [number, number]): number[] =>
  kind === 'row' ? [c] : kind === 'col' ? [n, 1] : [n, c];

const arbFactor = (shape: [number, number], lo: number, hi: number, kinds: FactorKind[]): fc.Arbitrary<Batch['w']> =>
  fc.constantFrom(...kinds).chain((kind): fc.Arbitrary<Batch['w']> =>
    kind === 'none' ? fc.constant({ kind, data: [] }) : arbVals(factorShape(kind, shape).reduce((a, b) => a * b, 1), lo, hi).map((data) => ({ kind, data })));

const arbBatch = (xLo: number, xHi: number, yLo: number, yHi: number, withFactors = true): fc.Arbitrary<Batch> =>
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([n, c]) => {
    const shape: [number, number] = [n, c];
    const kinds: FactorKind[] = withFactors ? ['none', 'row', 'col', 'full'] : ['none'];
    return fc.record({
      shape: fc.constant(shape),
      x: arbVals(n * c, xLo, xHi),
      y: arbVals(n * c, yLo, yHi),
      w: arbFactor(shape, 0, 2, kinds),
      p: arbFactor(shape, 0.2, 4, kinds),
    });
  });

/** Moves values within 0.01 of 0 out to ±0.01, off the kinks at 0 (fast-check favours 0). */
const offZero = (v: number[]) => v.map((e) => (Math.abs(e) >= 0.01 ? e : e < 0 ? -0.01 : 0.01));

const leaf = (data: number[], shape: number[], requiresGrad = true) => new Tensor(Float64Array.from(data), shape, requiresGrad);
const factor = (b: Batch, f: Batch['w']) => (f.kind === 'none' ? null : leaf(f.data, factorShape(f.kind, b.shape), false));
/** The factor read at each flat index of the [N, C] input. */
function perElement(b: Batch, f: Batch['w']): number[] | null {
  const [n, c] = b.shape;
  if (f.kind === 'none') return null;
  return Array.from({ length: n * c }, (_v, i) => (f.kind === 'row' ? f.data[i % c] : f.kind === 'col' ? f.data[Math.floor(i / c)] : f.data[i]));
}

function gradsOf(...ts: Tensor[]): (Float64Array | null)[] {
  return ts.map((t) => (t.grad ? t.grad.data.slice() : null));
}

// ---------------------------------------------------------------------------------------------

describe('probabilistic losses against PyTorch 1.13 (spec/fixtures/pointwise.json)', () => {
  it('covers every loss, reduction and option', () => {
    for (const fn of Object.keys(CALLS)) for (const r of REDUCTIONS) expect(cases.some((c) => c.fn === fn && c.opts.reduction === r)).toBe(true);
    expect(cases.some((c) => c.fn === 'klDivLoss' && c.opts.reduction === 'batchmean' && c.opts.logTarget === true)).toBe(true);
    expect(cases.some((c) => c.fn === 'bceWithLogitsLoss' && 'weight' in c.opts && 'posWeight' in c.opts)).toBe(true);
    expect(cases.some((c) => c.fn === 'bceLoss' && 'weight' in c.opts)).toBe(true);
  });
  it.each(cases.map((c) => [`${c.fn}: ${c.name}`, c] as const))('%s: value and gradients', (_n, c) => {
    const x = tensor(c.args.input, { requiresGrad: true });
    const t = tensor(c.args.target, { requiresGrad: true });
    const loss = CALLS[c.fn](x, t, c.opts);
    expectClose(loss, c.loss);
    loss.backward(typeof c.gradOutput === 'number' ? c.gradOutput : tensor(c.gradOutput));
    expectClose(x.grad!, c.grads.input);
    expectClose(t.grad!, c.grads.target);
  });
});

describe('bceLoss', () => {
  it('matches the naive reference, value and input gradient, for every weight shape and reduction', () => {
    fc.assert(fc.property(arbBatch(0, 1, 0, 1), arbRed, (b, r) => {
      const x = leaf(b.x, b.shape);
      const loss = bceLoss(x, leaf(b.y, b.shape, false), { reduction: r, weight: factor(b, b.w) ?? undefined });
      const w = perElement(b, b.w);
      expectClose(loss, reduceNaive(naive.bce(b.x, b.y, w), r));
      loss.backward(r === 'none' ? tensor(b.x.map(() => 1), { shape: b.shape }) : 1);
      const scale = r === 'mean' ? 1 / b.x.length : 1;
      expectClose(x.grad!, naive.bceGrad(b.x, b.y, w).map((g) => g * scale));
    }), fcParams(25));
  });
  it('equals its composed reference (engine ops) in value and gradients inside (0, 1)', () => {
    fc.assert(fc.property(arbBatch(0.02, 0.98, 0, 1), arbRed, (b, r) => {
      const [x1, t1, x2, t2] = [leaf(b.x, b.shape), leaf(b.y, b.shape), leaf(b.x, b.shape), leaf(b.y, b.shape)];
      const w = factor(b, b.w);
      const fused = bceLoss(x1, t1, { reduction: r, weight: w ?? undefined });
      const composed = bceComposed(x2, t2, w);
      const reduced = r === 'none' ? composed : r === 'sum' ? composed.sum() : composed.mean();
      expectClose(fused, reduced);
      const u = r === 'none' ? tensor(b.x.map((_v, i) => Math.sin(i + 1)), { shape: b.shape }) : 0.7;
      fused.backward(u);
      reduced.backward(u);
      expectClose(x1.grad!, x2.grad!, 1e-9);
      expectClose(t1.grad!, t2.grad!, 1e-9);
    }), fcParams(25));
  });
  it('passes the gradient check (the fused kernel) in input and target', () => {
    fc.assert(fc.property(arbBatch(0.02, 0.98, 0, 1), arbRed, (b, r) => {
      const w = factor(b, b.w) ?? undefined;
      expectGradOk((x, t) => bceLoss(x, t, { reduction: r, weight: w }), [leaf(b.x, b.shape), leaf(b.y, b.shape)]);
    }), fcParams(20));
  });
  it('is finite at probabilities 0 and 1: the log clamp gives 100, the gradient floor about 1e12', () => {
    const x = tensor([0, 1, 0, 1], { requiresGrad: true });
    const loss = bceLoss(x, [1, 0, 0, 1], { reduction: 'none' });
    expectClose(loss, [100, 100, 0, 0]);
    loss.backward(tensor([1, 1, 1, 1]));
    const floor = 9.999999960041972e-13; // float32(1e-12), PyTorch's EPSILON
    expectClose(x.grad!, [-1 / floor, 1 / floor, 0, 0], 1e-15);
  });
  it('propagates a NaN target', () => {
    const x = tensor([0.3, 0.6], { requiresGrad: true });
    const l = bceLoss(x, [NaN, 1], { reduction: 'none' });
    expectClose(l, [NaN, -Math.log(0.6)]);
    l.backward(tensor([1, 1]));
    expect(Number.isNaN(x.grad!.data[0])).toBe(true);
  });
  it('rejects an input outside [0, 1], NaN included, before any work', () => {
    const x = tensor([0.5, 1.5], { requiresGrad: true });
    x.grad = tensor([7, 7]);
    expectThrowsWith(() => bceLoss(x, [0, 1]), 'bceLoss: input must hold probabilities in [0, 1], got 1.5 at flat index 1');
    expectThrowsWith(() => bceLoss(tensor([NaN]), [0]), 'bceLoss: input must hold probabilities in [0, 1], got NaN at flat index 0');
    expectThrowsWith(() => bceLoss(tensor([-1e-300]), [0]), 'bceLoss: input must hold probabilities in [0, 1]');
    expectClose(x.grad, [7, 7]);
    expectClose(x, [0.5, 1.5]);
  });
  it('rejects a weight that does not broadcast or that requires grad', () => {
    const x = tensor([[0.5, 0.5, 0.5]]);
    expectThrowsWith(() => bceLoss(x, [[0, 1, 0]], { weight: [1, 2] }), 'bceLoss: weight shape [2] does not broadcast to input shape [1, 3]');
    expectThrowsWith(() => bceLoss(x, [[0, 1, 0]], { weight: tensor([1, 2, 3], { requiresGrad: true }) }), 'bceLoss: weight must not require grad');
  });
});

describe('bceWithLogitsLoss', () => {
  it('matches the naive reference for every weight and posWeight shape and reduction', () => {
    fc.assert(fc.property(arbBatch(-30, 30, 0, 1), arbRed, (b, r) => {
      const loss = bceWithLogitsLoss(leaf(b.x, b.shape), b.y.length ? leaf(b.y, b.shape, false) : [], {
        reduction: r,
        weight: factor(b, b.w) ?? undefined,
        posWeight: factor(b, b.p) ?? undefined,
      });
      expectClose(loss, reduceNaive(naive.bceLogits(b.x, b.y, perElement(b, b.w), perElement(b, b.p)), r), 1e-9, 1e-12);
    }), fcParams(25));
  });
  it('equals its composed reference (engine ops) in value and gradients', () => {
    fc.assert(fc.property(arbBatch(-10, 10, 0, 1), arbRed, (b, r) => {
      const xs = offZero(b.x);
      const [x1, t1, x2, t2] = [leaf(xs, b.shape), leaf(b.y, b.shape), leaf(xs, b.shape), leaf(b.y, b.shape)];
      const w = factor(b, b.w);
      const pw = factor(b, b.p);
      const fused = bceWithLogitsLoss(x1, t1, { reduction: r, weight: w ?? undefined, posWeight: pw ?? undefined });
      const composed = bceLogitsComposed(x2, t2, w, pw);
      const reduced = r === 'none' ? composed : r === 'sum' ? composed.sum() : composed.mean();
      expectClose(fused, reduced, 1e-9);
      const u = r === 'none' ? tensor(b.x.map((_v, i) => Math.cos(i)), { shape: b.shape }) : 1.3;
      fused.backward(u);
      reduced.backward(u);
      // The composed version's abs and relu have kinks at x = 0, kept off by offZero.
      expectClose(x1.grad!, x2.grad!, 1e-9, 1e-12);
      expectClose(t1.grad!, t2.grad!, 1e-9, 1e-12);
    }), fcParams(25));
  });
  it('passes the gradient check (the fused kernel) in input and target', () => {
    fc.assert(fc.property(arbBatch(-6, 6, 0, 1), arbRed, (b, r) => {
      const opts = { reduction: r, weight: factor(b, b.w) ?? undefined, posWeight: factor(b, b.p) ?? undefined };
      expectGradOk((x, t) => bceWithLogitsLoss(x, t, opts), [leaf(b.x, b.shape), leaf(b.y, b.shape)]);
    }), fcParams(20));
  });
  it('is finite for logits of ±800, with the exact limits', () => {
    const x = tensor([800, -800, 800, -800], { requiresGrad: true });
    const t = tensor([0, 1, 1, 0], { requiresGrad: true });
    const loss = bceWithLogitsLoss(x, t, { reduction: 'none', posWeight: [2, 2, 2, 2] });
    expectClose(loss, [800, 1600, 0, 0]);
    loss.backward(tensor([1, 1, 1, 1]));
    // d/dx = (1 + (p - 1) y) σ(x) - p y; d/dy = -x + (p - 1) softplus(-x).
    expectClose(x.grad!, [1, -2, 0, 0]);
    expectClose(t.grad!, [-800, 1600, -800, 1600]);
  });
  it('gives the same value without recording a graph (no saved arrays)', () => {
    const x = tensor([0.3, -2, 5], { requiresGrad: true });
    const t = tensor([1, 0, 0.5]);
    const recorded = bceWithLogitsLoss(x, t, { reduction: 'sum' });
    const plain = noGrad(() => bceWithLogitsLoss(x, t, { reduction: 'sum' }));
    expect(plain.requiresGrad).toBe(false);
    expectClose(plain, recorded);
  });
  it('propagates NaN in the input or the target', () => {
    const x = tensor([NaN, 0.5], { requiresGrad: true });
    const t = tensor([1, NaN], { requiresGrad: true });
    const l = bceWithLogitsLoss(x, t, { reduction: 'none' });
    expectClose(l, [NaN, NaN]);
    l.backward(tensor([1, 1]));
    expect(Number.isNaN(x.grad!.data[0]) && Number.isNaN(x.grad!.data[1]) && Number.isNaN(t.grad!.data[0])).toBe(true);
  });
  it('gives NaN for the mean and 0 for the sum of an empty input', () => {
    expectClose(bceWithLogitsLoss(tensor([]), tensor([])), NaN);
    expectClose(bceWithLogitsLoss(tensor([]), tensor([]), { reduction: 'sum' }), 0);
  });
  it('rejects a posWeight that does not broadcast or that requires grad', () => {
    const x = tensor([[0.5, 0.5, 0.5]]);
    expectThrowsWith(() => bceWithLogitsLoss(x, [[0, 1, 0]], { posWeight: [1, 2] }), 'bceWithLogitsLoss: posWeight shape [2] does not broadcast to input shape [1, 3]');
    expectThrowsWith(() => bceWithLogitsLoss(x, [[0, 1, 0]], { posWeight: tensor([1, 2, 3], { requiresGrad: true }) }), 'bceWithLogitsLoss: posWeight must not require grad');
  });
});

describe('klDivLoss', () => {
  const arbCase = fc.record({ logTarget: fc.boolean(), r: fc.constantFrom<Red | 'batchmean'>('none', 'mean', 'sum', 'batchmean') });
  it('matches the naive reference for every reduction, batchmean and logTarget included', () => {
    fc.assert(fc.property(arbCase, arbBatch(-4, 0, 0, 1, false), ({ logTarget, r }, b) => {
      const y = logTarget ? b.y.map((v) => Math.log(v)) : b.y;
      const loss = klDivLoss(leaf(b.x, b.shape), leaf(y, b.shape, false), { reduction: r, logTarget });
      expectClose(loss, reduceNaive(naive.kl(b.x, y, logTarget), r, b.shape[0]));
    }), fcParams(25));
  });
  it('passes the gradient check in input and target', () => {
    fc.assert(fc.property(arbCase, arbBatch(-4, 0, 0.05, 1, false), ({ logTarget, r }, b) => {
      const y = logTarget ? b.y.map((v) => Math.log(v)) : b.y;
      expectGradOk((x, t) => klDivLoss(x, t, { reduction: r, logTarget }), [leaf(b.x, b.shape), leaf(y, b.shape)]);
    }), fcParams(20));
  });
  it('gives a zero target zero loss and a finite zero input gradient (the target gradient is NaN, as PyTorch)', () => {
    const x = tensor([[-1, -0.5]], { requiresGrad: true });
    const t = tensor([[0, 1]], { requiresGrad: true });
    const loss = klDivLoss(x, t, { reduction: 'none' });
    expectClose(loss, [[0, 0.5]]);
    loss.backward(tensor([[1, 1]]));
    expectClose(x.grad!, [[0, -1]]);
    // d/dt = log t + 1 - x: NaN at t = 0 (PyTorch's xlogy gives 0/0), 1.5 at t = 1.
    expectClose(t.grad!, [[NaN, 1.5]]);
  });
  it('divides by the batch size for batchmean, and by 1 for a 0-d input', () => {
    const x = tensor([[-1, -2], [-0.5, -0.1], [-3, -1]]);
    const t = tensor([[0.2, 0.8], [0.5, 0.5], [1, 0]]);
    expectClose(klDivLoss(x, t, { reduction: 'batchmean' }), klDivLoss(x, t, { reduction: 'sum' }).item() / 3);
    expectClose(klDivLoss(tensor(-0.7), tensor(0.4), { reduction: 'batchmean' }), 0.4 * (Math.log(0.4) + 0.7));
  });
  it('propagates NaN in the input or the target', () => {
    const l = klDivLoss(tensor([NaN, -1]), tensor([0.5, NaN]), { reduction: 'none' });
    expectClose(l, [NaN, NaN]);
    expectClose(klDivLoss(tensor([NaN]), tensor([0]), { reduction: 'none' }), [NaN]);
  });
  it('rejects bad options', () => {
    const x = tensor([-1]);
    expectThrowsWith(() => klDivLoss(x, [1], { reduction: 'avg' as 'sum' }), `klDivLoss: reduction must be one of 'none', 'mean', 'sum', 'batchmean', got "avg"`);
    expectThrowsWith(() => klDivLoss(x, [1], { logTarget: 'no' as unknown as boolean }), 'klDivLoss: logTarget must be a boolean, got "no"');
    expectThrowsWith(() => klDivLoss(x, [1], { log_target: true } as Opts), `klDivLoss: unknown option 'log_target'`);
  });
});

describe('xlogy (the KL primitive)', () => {
  it('is 0 where x = 0 (also for y = 0 or Infinity), NaN where y is NaN; d/dx is log y, masked to 0 only where x = 0 and y <= 0 (PyTorch 1.13)', () => {
    const x = tensor([0, 0, 0, 2, 0], { requiresGrad: true });
    const y = tensor([0, Infinity, 3, 0.5, NaN], { requiresGrad: true });
    const out = xlogy(x, y);
    expectClose(out, [0, 0, 0, 2 * Math.log(0.5), NaN]);
    out.backward(tensor([1, 1, 1, 1, 1]));
    expectClose(x.grad!, [0, Infinity, Math.log(3), Math.log(0.5), NaN]);
    expectClose(y.grad!, [NaN, 0, 0, 4, NaN]);
  });
  it('equals its composed reference x · log(y) away from x = 0, value and gradients', () => {
    fc.assert(fc.property(arbBatch(-3, 3, 0.05, 4, false), (b) => {
      const xs = offZero(b.x);
      const [x1, y1, x2, y2] = [leaf(xs, b.shape), leaf(b.y, b.shape), leaf(xs, b.shape), leaf(b.y, b.shape)];
      const a = xlogy(x1, y1);
      const c = x2.mul(y2.log());
      expectClose(a, c);
      a.sum().backward();
      c.sum().backward();
      expectClose(x1.grad!, x2.grad!);
      expectClose(y1.grad!, y2.grad!);
    }), fcParams(15));
  });
  it('passes the gradient check, broadcasting included', () => {
    fc.assert(fc.property(arbBatch(-3, 3, 0.05, 4, false), (b) => {
      const [n, c] = b.shape;
      const xs = offZero(b.x); // d/dx jumps from 0 to log y at x = 0
      expectGradOk((x, y) => xlogy(x, y), [leaf(xs, b.shape), leaf(b.y.slice(0, c), [c])]);
      expectGradOk((x, y) => xlogy(x, y), [leaf(xs.slice(0, n), [n, 1]), leaf(b.y, b.shape)]);
    }), fcParams(15));
  });
});

describe('probabilistic losses: bad arguments', () => {
  const all: [string, (x: Tensor, t: unknown, o?: Opts) => Tensor][] = [
    ['bceLoss', (x, t, o) => bceLoss(x, t as Tensor, o)],
    ['bceWithLogitsLoss', (x, t, o) => bceWithLogitsLoss(x, t as Tensor, o)],
    ['klDivLoss', (x, t, o) => klDivLoss(x, t as Tensor, o)],
  ];
  it.each(all)('%s rejects unknown options and reductions, and a target of another shape, leaving gradients alone', (fn, call) => {
    const x = tensor([[0.25, 0.5, 0.75], [0.1, 0.2, 0.3]], { requiresGrad: true });
    const t = tensor([[0, 1, 0], [1, 0, 1]], { requiresGrad: true });
    call(x, t, { reduction: 'sum' }).backward();
    const before = gradsOf(x, t);
    expectThrowsWith(() => call(x, t, { reduce: 'sum' }), `${fn}: unknown option 'reduce'`);
    expectThrowsWith(() => call(x, t, { reduction: 'elementwise' }), `${fn}: reduction must be one of`, '"elementwise"');
    expectThrowsWith(() => call(x, [0, 1, 0]), `${fn}: target shape [3] does not match input shape [2, 3]`);
    expectThrowsWith(() => call(x, [[0, 1, 0]]), `${fn}: target shape [1, 3] does not match input shape [2, 3]`);
    expectThrowsWith(() => call(x, t, null as unknown as Opts), `${fn}: options must be an object, got null`);
    expect(gradsOf(x, t)).toEqual(before);
  });
});
