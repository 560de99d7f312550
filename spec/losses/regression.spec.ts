import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import { gaussianNllLoss, huberLoss, l1Loss, mseLoss, poissonNllLoss, smoothL1Loss } from '../../losses/index.js';
import { clampMinStraightThrough, smoothL1Beta0 } from '../../engine/internal.js';
import { arbShape, expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';
import type { Opts } from './pointwise-fixture.js';
import { REDUCTIONS, arbRed, pointwiseCases, reduceNaive } from './pointwise-fixture.js';


const CALLS: Record<string, (a: Record<string, Tensor>, o: Opts) => Tensor> = {
  mseLoss: (a, o) => mseLoss(a.input, a.target, o),
  l1Loss: (a, o) => l1Loss(a.input, a.target, o),
  smoothL1Loss: (a, o) => smoothL1Loss(a.input, a.target, o),
  huberLoss: (a, o) => huberLoss(a.input, a.target, o),
  poissonNllLoss: (a, o) => poissonNllLoss(a.input, a.target, o),
  gaussianNllLoss: (a, o) => gaussianNllLoss(a.input, a.target, a.variance, o),
};

const cases = pointwiseCases(Object.keys(CALLS));

// ---------------------------------------------------------------------------------------------
// Naive references: plain loops over number[], written from the formulas (not from the code).



const naive = {
  mse: (x: number[], y: number[]) => x.map((xi, i) => (xi - y[i]) * (xi - y[i])),
  l1: (x: number[], y: number[]) => x.map((xi, i) => Math.abs(xi - y[i])),
  smoothL1(x: number[], y: number[], beta: number) {
    return x.map((xi, i) => {
      const a = Math.abs(xi - y[i]);
      return beta > 0 && a < beta ? (a * a) / (2 * beta) : a - beta / 2;
    });
  },
  huber(x: number[], y: number[], delta: number) {
    return x.map((xi, i) => {
      const a = Math.abs(xi - y[i]);
      return a <= delta ? (a * a) / 2 : delta * a - (delta * delta) / 2;
    });
  },
  poisson(x: number[], y: number[], logInput: boolean, full: boolean, eps: number) {
    return x.map((xi, i) => {
      const yi = y[i];
      const rate = logInput ? Math.exp(xi) : xi;
      const logRate = logInput ? xi : Math.log(xi + eps);
      let l = rate - yi * logRate;
      if (full && yi > 1) l += yi * Math.log(yi) - yi + Math.log(2 * Math.PI * yi) / 2;
      return l;
    });
  },
  gaussian(x: number[], y: number[], v: number[], perRow: number, full: boolean, eps: number) {
    return x.map((xi, i) => {
      const vi = Math.max(v[Math.floor(i / perRow)], eps);
      return (Math.log(vi) + ((xi - y[i]) ** 2) / vi + (full ? Math.log(2 * Math.PI) : 0)) / 2;
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Generators: shapes with data, and differences kept away from the kinks.


/** `n` values in [lo, hi] (fast-check's own doubles, biased towards the ends and 0). */
const arbValues = (n: number, lo: number, hi: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });

/**
 * `n` values of either sign with magnitudes in [lo, hi], moved off each point of `avoid` by at
 * least `gap` (a map, not a filter: fast-check's bias towards special values would make a
 * filter over whole arrays reject almost everything).
 */
const arbMagnitudes = (n: number, lo: number, hi: number, avoid: number[] = [], gap = 0.02): fc.Arbitrary<number[]> =>
  fc.array(fc.tuple(fc.boolean(), fc.double({ min: lo, max: hi, noNaN: true })), { minLength: n, maxLength: n }).map((vs) =>
    vs.map(([neg, m]) => {
      let a = m;
      for (const p of avoid) if (Math.abs(a - p) < gap) a = p + (a < p ? -gap : gap);
      return neg ? -a : a;
    }),
  );

/** A shape, and input/target tensors whose difference has magnitude in [dLo, dHi], away from `avoid`. */
const arbPair = (dLo: number, dHi: number, avoid: number[] = []) =>
  arbShape(1, 3, 4).chain((shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    return fc.tuple(arbValues(n, -2, 2), arbMagnitudes(n, dLo, dHi, avoid)).map(([y, d]) => ({
      x: new Tensor(Float64Array.from(y.map((v, i) => v + d[i])), shape, true),
      y: new Tensor(Float64Array.from(y), shape, true),
    }));
  });

const flat = (t: Tensor): number[] => Array.from(t.data);

function grads(...ts: Tensor[]): (Float64Array | null)[] {
  return ts.map((t) => (t.grad ? t.grad.data.slice() : null));
}

// ---------------------------------------------------------------------------------------------

describe('regression losses against PyTorch 1.13 (spec/fixtures/pointwise.json)', () => {
  it('covers every regression loss and reduction', () => {
    for (const fn of Object.keys(CALLS)) {
      for (const r of REDUCTIONS) expect(cases.some((c) => c.fn === fn && c.opts.reduction === r)).toBe(true);
    }
  });
  it.each(cases.map((c) => [`${c.fn}: ${c.name}`, c] as const))('%s: value and gradients', (_n, c) => {
    const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, tensor(v, { requiresGrad: true })]));
    const loss = CALLS[c.fn](args, c.opts);
    expectClose(loss, c.loss);
    loss.backward(typeof c.gradOutput === 'number' ? c.gradOutput : tensor(c.gradOutput));
    for (const [k, g] of Object.entries(c.grads)) {
      expect(args[k].grad).not.toBeNull();
      expectClose(args[k].grad!, g);
    }
  });
});

describe('mseLoss', () => {
  it('matches the naive reference for every reduction', () => {
    fc.assert(fc.property(arbPair(0, 3), arbRed, ({ x, y }, r) => {
      expectClose(mseLoss(x, y, { reduction: r }), reduceNaive(naive.mse(flat(x), flat(y)), r));
    }), fcParams(20));
  });
  it('passes the gradient check in input and target', () => {
    fc.assert(fc.property(arbPair(0, 3), arbRed, ({ x, y }, r) => {
      expectGradOk((a, b) => mseLoss(a, b, { reduction: r }), [x, y]);
    }), fcParams(15));
  });
  it('defaults to the mean and accepts a nested-array target', () => {
    expectClose(mseLoss(tensor([1, 2]), [0, 0]), 2.5);
  });
});

describe('l1Loss', () => {
  it('matches the naive reference for every reduction', () => {
    fc.assert(fc.property(arbPair(0, 3), arbRed, ({ x, y }, r) => {
      expectClose(l1Loss(x, y, { reduction: r }), reduceNaive(naive.l1(flat(x), flat(y)), r));
    }), fcParams(20));
  });
  it('passes the gradient check away from x = y', () => {
    fc.assert(fc.property(arbPair(0.01, 3), arbRed, ({ x, y }, r) => {
      expectGradOk((a, b) => l1Loss(a, b, { reduction: r }), [x, y]);
    }), fcParams(15));
  });
  it('has gradient 0 at x = y, as PyTorch', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    l1Loss(x, tensor([1, 3]), { reduction: 'sum' }).backward();
    expectClose(x.grad!, [0, -1]);
  });
});

describe('smoothL1Loss', () => {
  const arbBeta = fc.double({ min: 0.2, max: 2, noNaN: true });
  it('matches the naive reference on both branches, beta = 0 included', () => {
    fc.assert(fc.property(arbPair(0, 3), arbRed, fc.oneof(arbBeta, fc.constant(0)), ({ x, y }, r, beta) => {
      expectClose(smoothL1Loss(x, y, { reduction: r, beta }), reduceNaive(naive.smoothL1(flat(x), flat(y), beta), r));
    }), fcParams(25));
  });
  it('passes the gradient check away from d = 0 and |d| = beta', () => {
    fc.assert(fc.property(arbBeta, arbRed, (beta, r) => {
      // Differences from 0.01 to 3 around beta <= 2 land in both the quadratic and the linear part.
      fc.assert(fc.property(arbPair(0.01, 3, [beta]), ({ x, y }) => {
        expectGradOk((a, b) => smoothL1Loss(a, b, { reduction: r, beta }), [x, y]);
      }), fcParams(2));
    }), fcParams(10));
  });
  it('with beta = 0 has l1Loss\'s value, and gradient -1 at d = 0 to input and target, as PyTorch\'s kernel', () => {
    const x = tensor([0, 0.5, -2], { requiresGrad: true });
    const y = tensor([0, 0, 0], { requiresGrad: true });
    const a = smoothL1Loss(x, y, { beta: 0, reduction: 'sum' });
    a.backward();
    expectClose(a, l1Loss(tensor([0, 0.5, -2]), [0, 0, 0], { reduction: 'sum' }));
    expectClose(x.grad!, [-1, 1, -1]);
    expectClose(y.grad!, [-1, -1, 1]);
  });
});

describe('smoothL1Beta0 (the beta = 0 primitive)', () => {
  it('equals its composed reference |x - y| in value and, away from d = 0, in gradient', () => {
    fc.assert(fc.property(arbPair(0.01, 3), ({ x, y }) => {
      const x2 = new Tensor(x.data.slice(), x.shape, true);
      const y2 = new Tensor(y.data.slice(), y.shape, true);
      const a = smoothL1Beta0(x, y);
      const b = x2.sub(y2).abs();
      expectClose(a, b);
      const u = tensor(Array.from(a.data, (_v, i) => Math.cos(i)), { shape: a.shape });
      a.backward(u);
      b.backward(u);
      expectClose(x.grad!, x2.grad!);
      expectClose(y.grad!, y2.grad!);
    }), fcParams(15));
  });
  it('passes the gradient check away from d = 0', () => {
    fc.assert(fc.property(arbPair(0.01, 3), ({ x, y }) => {
      expectGradOk((a, b) => smoothL1Beta0(a, b), [x, y]);
    }), fcParams(15));
  });
});

describe('huberLoss', () => {
  const arbDelta = fc.double({ min: 0.2, max: 2, noNaN: true });
  it('matches the naive reference on both branches', () => {
    fc.assert(fc.property(arbPair(0, 3), arbRed, arbDelta, ({ x, y }, r, delta) => {
      expectClose(huberLoss(x, y, { reduction: r, delta }), reduceNaive(naive.huber(flat(x), flat(y), delta), r));
    }), fcParams(25));
  });
  it('passes the gradient check away from d = 0 and |d| = delta', () => {
    fc.assert(fc.property(arbDelta, arbRed, (delta, r) => {
      fc.assert(fc.property(arbPair(0.01, 3, [delta]), ({ x, y }) => {
        expectGradOk((a, b) => huberLoss(a, b, { reduction: r, delta }), [x, y]);
      }), fcParams(2));
    }), fcParams(10));
  });
  it('equals delta times smoothL1Loss with beta = delta', () => {
    const x = tensor([0.1, -0.7, 2.5, -4]);
    const y = tensor([0, 0, 0, 0]);
    expectClose(huberLoss(x, y, { delta: 1.5, reduction: 'none' }), smoothL1Loss(x, y, { beta: 1.5, reduction: 'none' }).mul(1.5));
  });
});

describe('poissonNllLoss', () => {
  const arbCase = fc.record({ logInput: fc.boolean(), full: fc.boolean(), eps: fc.constantFrom(1e-8, 0.3), r: arbRed });
  const arbData = (logInput: boolean) => arbShape(1, 3, 4).chain((shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    // Counts avoid 1, where the Stirling term switches on, and 0, where its target gradient is NaN.
    return fc.tuple(arbValues(n, logInput ? -2 : 0.1, logInput ? 2 : 5), arbMagnitudes(n, 0.05, 6, [1]).map((v) => v.map(Math.abs))).map(([x, y]) => ({
      x: new Tensor(Float64Array.from(x), shape, true),
      y: new Tensor(Float64Array.from(y), shape, true),
    }));
  });
  it('matches the naive reference for every option and reduction', () => {
    fc.assert(fc.property(arbCase, ({ logInput, full, eps, r }) => {
      fc.assert(fc.property(arbData(logInput), ({ x, y }) => {
        const got = poissonNllLoss(x, y, { logInput, full, eps, reduction: r });
        expectClose(got, reduceNaive(naive.poisson(flat(x), flat(y), logInput, full, eps), r), 1e-9);
      }), fcParams(2));
    }), fcParams(20));
  });
  it('passes the gradient check in input and target for every option', () => {
    fc.assert(fc.property(arbCase, ({ logInput, full, eps, r }) => {
      fc.assert(fc.property(arbData(logInput), ({ x, y }) => {
        expectGradOk((a, b) => poissonNllLoss(a, b, { logInput, full, eps, reduction: r }), [x, y]);
      }), fcParams(1));
    }), fcParams(20));
  });
});

describe('gaussianNllLoss', () => {
  type VarKind = 'same' | 'short' | 'last1';
  const arbCase = fc.record({
    full: fc.boolean(),
    eps: fc.constantFrom(1e-6, 0.05),
    r: arbRed,
    kind: fc.constantFrom<VarKind>('same', 'short', 'last1'),
    shape: arbShape(1, 3, 4),
  });
  const build = ({ kind, shape }: { kind: VarKind; shape: number[] }) => {
    const vShape = kind === 'same' ? shape : kind === 'short' ? shape.slice(0, -1) : [...shape.slice(0, -1), 1];
    const n = shape.reduce((p, d) => p * d, 1);
    const m = vShape.reduce((p, d) => p * d, 1);
    return fc.tuple(arbValues(n, -2, 2), arbValues(n, -2, 2), arbValues(m, 0.1, 3)).map(([x, y, v]) => ({
      x: new Tensor(Float64Array.from(x), shape, true),
      y: new Tensor(Float64Array.from(y), shape, true),
      v: new Tensor(Float64Array.from(v), vShape, true),
      perRow: kind === 'same' ? 1 : shape[shape.length - 1],
    }));
  };
  it('matches the naive reference for every variance shape, option and reduction', () => {
    fc.assert(fc.property(arbCase.chain((c) => build(c).map((d) => ({ ...c, ...d }))), ({ full, eps, r, x, y, v, perRow }) => {
      const got = gaussianNllLoss(x, y, v, { full, eps, reduction: r });
      expectClose(got, reduceNaive(naive.gaussian(flat(x), flat(y), flat(v), perRow, full, eps), r));
    }), fcParams(25));
  });
  it('matches the naive reference where the variance is below eps', () => {
    const got = gaussianNllLoss(tensor([0.5, 1]), tensor([0, 0]), tensor([1e-9, 0]), { reduction: 'none', eps: 1e-4 });
    expectClose(got, naive.gaussian([0.5, 1], [0, 0], [1e-9, 0], 1, false, 1e-4));
  });
  it('passes the gradient check in input, target and variance (variance above eps)', () => {
    fc.assert(fc.property(arbCase.chain((c) => build(c).map((d) => ({ ...c, ...d }))), ({ full, eps, r, x, y, v }) => {
      expectGradOk((a, b, c) => gaussianNllLoss(a, b, c, { full, eps, reduction: r }), [x, y, v]);
    }), fcParams(20));
  });
  it('passes the gradient of the loss at eps straight through to a variance below eps', () => {
    const v = tensor([1e-9, 0, 2], { requiresGrad: true });
    gaussianNllLoss(tensor([1, 1, 1]), tensor([0, 0, 0]), v, { reduction: 'sum', eps: 0.5 }).backward();
    // d/dv 0.5 (log v + d²/v) = 0.5 (1/v - d²/v²), at v = 0.5 (clamped) and v = 2, with d = 1.
    expectClose(v.grad!, [0.5 * (2 - 4), 0.5 * (2 - 4), 0.5 * (0.5 - 0.25)]);
  });
});

describe('clampMinStraightThrough (the variance clamp primitive)', () => {
  it('clamps the value, keeps NaN, and passes the gradient unchanged', () => {
    const v = tensor([0.1, 2, NaN, -1], { requiresGrad: true });
    const out = clampMinStraightThrough(v, 0.5);
    expectClose(out, [0.5, 2, NaN, 0.5]);
    out.backward(tensor([1, 2, 3, 4]));
    expectClose(v.grad!, [1, 2, 3, 4]);
  });
  it('passes the gradient check above the bound (where it is the identity)', () => {
    fc.assert(fc.property(arbShape(1, 3, 4).chain((s) => arbValues(s.reduce((p, d) => p * d, 1), 0.6, 3).map((d) => new Tensor(Float64Array.from(d), s, true))), (v) => {
      expectGradOk((a) => clampMinStraightThrough(a, 0.5).mul(a), [v]);
    }), fcParams(15));
  });
});

describe('regression losses: NaN and empty inputs', () => {
  it('propagate NaN in input or target to the value and the gradient', () => {
    // Gradients at a NaN difference follow PyTorch: NaN, except l1Loss's (sign(NaN) = 0).
    const fns: [string, (x: Tensor, y: Tensor) => Tensor, boolean][] = [
      ['mse', (x, y) => mseLoss(x, y, { reduction: 'none' }), true],
      ['l1', (x, y) => l1Loss(x, y, { reduction: 'none' }), false],
      ['smoothL1', (x, y) => smoothL1Loss(x, y, { reduction: 'none' }), true],
      ['smoothL1 beta 0', (x, y) => smoothL1Loss(x, y, { reduction: 'none', beta: 0 }), true],
      ['huber', (x, y) => huberLoss(x, y, { reduction: 'none' }), true],
      ['poisson', (x, y) => poissonNllLoss(x, y, { reduction: 'none', full: true }), true],
      ['gaussian', (x, y) => gaussianNllLoss(x, y, tensor([1, 1]), { reduction: 'none' }), true],
    ];
    for (const [name, f, nanGrad] of fns) {
      const x = tensor([NaN, 0.5], { requiresGrad: true });
      const y = tensor([2, NaN], { requiresGrad: true });
      const l = f(x, y);
      expect([name, Array.from(l.data).map(Number.isNaN)]).toEqual([name, [true, true]]);
      l.backward(tensor([1, 1]));
      expect([name, Number.isNaN(x.grad!.data[0]), Number.isNaN(y.grad!.data[1])]).toEqual([name, nanGrad, nanGrad]);
    }
  });
  it('give NaN for the mean and 0 for the sum of no elements', () => {
    expectClose(mseLoss(tensor([]), tensor([])), NaN);
    expectClose(huberLoss(tensor([]), tensor([]), { reduction: 'sum' }), 0);
  });
});

describe('regression losses: bad arguments', () => {
  const x = () => tensor([[0.5, 1], [2, 3]], { requiresGrad: true });
  const all: [string, (o: Opts, t?: unknown) => Tensor][] = [
    ['mseLoss', (o, t = [[0, 0], [0, 0]]) => mseLoss(x(), t as Tensor, o)],
    ['l1Loss', (o, t = [[0, 0], [0, 0]]) => l1Loss(x(), t as Tensor, o)],
    ['smoothL1Loss', (o, t = [[0, 0], [0, 0]]) => smoothL1Loss(x(), t as Tensor, o)],
    ['huberLoss', (o, t = [[0, 0], [0, 0]]) => huberLoss(x(), t as Tensor, o)],
    ['poissonNllLoss', (o, t = [[0, 0], [0, 0]]) => poissonNllLoss(x(), t as Tensor, o)],
    ['gaussianNllLoss', (o, t = [[0, 0], [0, 0]]) => gaussianNllLoss(x(), t as Tensor, [1, 1], o)],
  ];
  it.each(all)('%s rejects unknown options, unknown reductions and a target of another shape', (fn, call) => {
    expectThrowsWith(() => call({ reductoin: 'sum' }), `${fn}: unknown option 'reductoin'`);
    expectThrowsWith(() => call({ reduction: 'batchmean' }), `${fn}: reduction must be one of 'none', 'mean', 'sum', got "batchmean"`);
    expectThrowsWith(() => call({}, [0, 0]), `${fn}: target shape [2] does not match input shape [2, 2]`);
    expectThrowsWith(() => call({}, 'zeros'), `${fn}: target must be a Tensor`);
  });
  it('reject bad option values, naming the option', () => {
    expectThrowsWith(() => smoothL1Loss(x(), x(), { beta: -1 }), 'smoothL1Loss: beta must be', '0', 'got -1');
    expectThrowsWith(() => huberLoss(x(), x(), { delta: 0 }), 'huberLoss: delta must be', '0', 'got 0');
    expectThrowsWith(() => poissonNllLoss(x(), x(), { logInput: 1 as unknown as boolean }), 'poissonNllLoss: logInput must be a boolean, got 1');
    expectThrowsWith(() => poissonNllLoss(x(), x(), { full: 'yes' as unknown as boolean }), 'poissonNllLoss: full must be a boolean, got "yes"');
    expectThrowsWith(() => gaussianNllLoss(x(), x(), [1, 1], { eps: -1 }), 'gaussianNllLoss: eps must be', '0', 'got -1');
  });
  it('gaussianNllLoss rejects a variance of a wrong shape or with a negative entry', () => {
    expectThrowsWith(() => gaussianNllLoss(x(), x(), [1, 1, 1]), 'gaussianNllLoss: variance shape [3] must be the input shape [2, 2], [2] or [2, 1]');
    expectThrowsWith(() => gaussianNllLoss(x(), x(), [[1, 1]]), 'gaussianNllLoss: variance shape [1, 2]');
    expectThrowsWith(() => gaussianNllLoss(x(), x(), [1, -0.5]), 'gaussianNllLoss: variance must be non-negative, got -0.5 at flat index 1');
  });
  it('a throwing call leaves inputs and existing gradients unchanged', () => {
    const a = tensor([0.5, 1], { requiresGrad: true });
    const v = tensor([1, -1], { requiresGrad: true });
    mseLoss(a, [0, 0]).backward();
    const before = grads(a, v);
    expectThrowsWith(() => gaussianNllLoss(a, [0, 0], v), 'gaussianNllLoss: variance must be non-negative');
    expectThrowsWith(() => huberLoss(a, [0, 0, 0]), 'huberLoss: target shape [3]');
    expect(grads(a, v)).toEqual(before);
    expectClose(a, [0.5, 1]);
    expectClose(v, [1, -1]);
  });
});

describe('the equivalences the docs state', () => {
  it('smoothL1Loss with beta = 0 has exactly l1Loss\'s value', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbValues(n, -3, 3), arbValues(n, -3, 3))), arbRed, ([a, b], r) => {
      expectClose(smoothL1Loss(tensor(a), tensor(b), { beta: 0, reduction: r }), l1Loss(tensor(a), tensor(b), { reduction: r }), 0, 0);
    }), fcParams(20));
  });
  it('huberLoss(delta) is delta * smoothL1Loss(beta = delta) up to rounding', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(arbValues(n, -3, 3), arbValues(n, -3, 3))), fc.double({ min: 0.1, max: 3, noNaN: true }), ([a, b], delta) => {
      const huber = huberLoss(tensor(a), tensor(b), { delta, reduction: 'none' });
      expectClose(huber, smoothL1Loss(tensor(a), tensor(b), { beta: delta, reduction: 'none' }).mul(delta), 1e-15, 1e-300);
    }), fcParams(20));
  });
});
