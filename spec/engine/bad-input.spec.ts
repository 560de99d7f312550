/**
 * Regression tests for the causes of bad-input failures found by fuzzing the engine (issue 14),
 * one block each; the fuzz suite (spec/fuzz/) covers the whole surface, these pin the specific
 * behaviours.
 */
import {
  Rng, Tensor, add, arange, cacheBytes, clamp, emptyCache, exp, expand, gaussianNllLoss, gradCheck, logSumExp, max, mean,
  noGrad, norm, ones, optim, rand, randn, reshape, setCacheLimit, softmax, sum, tensor, zeros,
} from '../../index.js';
import { expectThrowsWith, loadFixture } from '../helpers/index.js';

const close = (a: number, b: number, rel = 1e-15): void => {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b));
};

describe('1. reductions take plain arrays as tensors', () => {
  it('sum, mean, norm and logSumExp of arrays equal those of tensors', () => {
    expect(sum([1, 2, 3]).item()).toBe(6);
    expect(mean([1, 2, 3]).item()).toBe(2);
    expect(norm([3, 4]).item()).toBe(5);
    expect(logSumExp([1, 2]).item()).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2)), 15);
    expect(max([[1, 5], [2, 0]], 1).toArray()).toEqual([5, 2]);
  });
});

describe('2. optimizer steps are all or nothing', () => {
  it.each(['SGD', 'Adam'] as const)('%s: a gradient of the wrong shape or type throws, naming params[i], and changes no parameter', (kind) => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5], { requiresGrad: true });
    const opt = kind === 'SGD' ? new optim.SGD([b, a], { lr: 0.1 }) : new optim.Adam([b, a], { lr: 0.1 });
    b.grad = tensor([1, 1]);
    a.grad = tensor([1, 1]);
    expectThrowsWith(() => opt.step(), `${kind}.step`, 'params[1]', '[2]', '[3]');
    expect(Array.from(a.data)).toEqual([1, 2, 3]);
    expect(Array.from(b.data)).toEqual([4, 5]);
    a.grad = 'nope' as unknown as Tensor;
    expectThrowsWith(() => opt.step(), `${kind}.step`, 'params[1].grad must be a Tensor or null', '"nope"');
    expect(Array.from(b.data)).toEqual([4, 5]);
    a.grad = tensor([1, 1, 1]);
    opt.step();
    expect(a.data[0]).toBeLessThan(1);
    expect(b.data[0]).toBeLessThan(4);
  });
});

describe('3. noGrad rejects an async function', () => {
  it('throws, naming noGrad, instead of applying only until the first await', () => {
    const x = tensor([1], { requiresGrad: true });
    expectThrowsWith(() => noGrad(async () => x.mul(2)), 'noGrad', 'Promise');
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expectThrowsWith(() => noGrad(5 as never), 'noGrad: fn must be a function, got 5');
  });
});

describe('4. circular and deeply nested arrays', () => {
  it('a circular array throws a named error, in tensor() and in every function that converts arrays', () => {
    const c: unknown[] = [1];
    c.push(c);
    const self: unknown[] = [];
    self.push(self);
    expectThrowsWith(() => tensor(self as never), 'tensor', 'circular');
    expectThrowsWith(() => tensor(c as never), 'tensor', 'must be a number or nested arrays of numbers');
    expectThrowsWith(() => exp(self as never), 'exp', 'circular');
  });

  it('nesting deeper than 64 levels throws a named error, not a stack overflow', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expectThrowsWith(() => tensor(deep as never), 'tensor', 'nested more than 64 levels');
    expectThrowsWith(() => sum(deep as never), 'sum', 'nested more than 64 levels');
  });
});

describe('5. backward rules stay finite where PyTorch does', () => {
  const fx = loadFixture<{ div: { name: string; a: number[]; b: number[]; y: number[]; ga: number[]; gb: number[] }[]; gaussianNll: { variance: number; input: number[]; target: number[]; loss: number; gInput: number[]; gVariance: number[] }[] }>('overflow.json');

  it.each(fx.div.map((c) => [c.name, c] as const))('%s: values and gradients equal PyTorch 1.13\'s', (_n, c) => {
    const a = tensor(c.a, { requiresGrad: true });
    const b = tensor(c.b, { requiresGrad: true });
    const y = a.div(b);
    y.sum().backward();
    expect(Array.from(y.data)).toEqual(c.y);
    Array.from(a.grad!.data).forEach((v, i) => close(v, c.ga[i]));
    Array.from(b.grad!.data).forEach((v, i) => (Number.isFinite(c.gb[i]) ? close(v, c.gb[i]) : expect(v).toBe(c.gb[i])));
  });

  it.each(fx.gaussianNll.map((c) => [c.variance, c] as const))('gaussianNllLoss with variance %p: finite, as PyTorch', (_v, c) => {
    const x = tensor(c.input, { requiresGrad: true });
    const v = tensor([c.variance, c.variance], { requiresGrad: true });
    const loss = gaussianNllLoss(x, c.target, v, { eps: 0, reduction: 'sum' });
    loss.backward();
    close(loss.item(), c.loss, 1e-14);
    expect(Array.from(x.grad!.data)).toEqual(c.gInput);
    Array.from(v.grad!.data).forEach((g, i) => close(g, c.gVariance[i], 1e-14));
  });
});

describe('6. engine functions validate their tensor argument', () => {
  it('plain arrays are tensors; null, undefined and other values throw, naming the function', () => {
    expect(exp([0, 0]).toArray()).toEqual([1, 1]);
    expect(add([1, 2], 1).toArray()).toEqual([2, 3]);
    expectThrowsWith(() => softmax(null as never, 0), 'softmax: input must be a Tensor', 'got null');
    expectThrowsWith(() => clamp(undefined as never, 0, 1), 'clamp: input must be a Tensor', 'got undefined');
  });

  it('null is "no dim", a number is a one-element shape, and concat names its bad argument', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.sum(null).item()).toBe(10);
    expect(reshape(x, 4).shape).toEqual([4]);
    expect(expand(tensor([1]), 3).toArray()).toEqual([1, 1, 1]);
    expectThrowsWith(() => x.concat(tensor([2]) as never), 'concat: others must be a non-empty array of Tensors');
  });
});

describe('7. describing a bad value never fails', () => {
  it('BigInts, shapes that are not arrays and cycles are described', () => {
    expectThrowsWith(() => zeros([1n] as never), 'zeros: shape must be', '1n (a BigInt)');
    expectThrowsWith(() => exp({ shape: 'x' } as never), 'exp: input must be a Tensor', 'an object');
    const c: unknown[] = [1];
    c.push(c);
    expectThrowsWith(() => zeros(c as never), 'zeros: shape must be');
  });
});

describe('8. huge shapes name the function, the shape and the size', () => {
  it.each([
    ['zeros', () => zeros([1e5, 1e5]), ['zeros', '[100000, 100000]', '10000000000 values']],
    ['arange', () => arange(0, 1e12), ['arange', '1000000000000 values']],
    ['expand', () => tensor([1]).expand([1e10]), ['expand', '[10000000000]']],
    ['broadcast', () => add(zeros([1e5, 1]), zeros([1, 1e5])), ['add', '[100000, 100000]']],
  ] as const)('%s', (_n, f, parts) => expectThrowsWith(f, ...parts));
});

describe('9. utilities', () => {
  it('gradCheck reports bad inputs and a non-function instead of throwing, and names itself', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(gradCheck((t) => t.sum(), x as never).error).toContain('gradCheck: inputs must be an array of Tensors');
    expect(gradCheck(5 as never, [x]).error).toContain('gradCheck: fn must be a function, got 5');
  });
});

describe('10. options and flags are checked', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  it.each([
    ['reduction: null', () => gaussianNllLoss(x, [1, 1], [1, 1], { reduction: null as never }), ['reduction must be one of', 'got null']],
    ['backward with a misspelt option', () => x.mul(x).sum().backward(undefined, { retain_graph: true } as never), ["backward: unknown option 'retain_graph'"]],
    ['backward with a string flag', () => x.mul(x).sum().backward(undefined, { retainGraph: 'false' } as never), ['backward: retainGraph must be a boolean', '"false"']],
    ['requiresGrad_ with a string', () => tensor([1]).requiresGrad_('no' as never), ['requiresGrad_: flag must be a boolean', '"no"']],
    ['keepDim not a boolean', () => sum(x, 0, 1 as never), ['sum: keepDim must be a boolean, got 1']],
  ] as const)('%s throws', (_n, f, parts) => expectThrowsWith(f, ...parts));
});

describe('11. errors name the function the user called', () => {
  it('ones([-1]) names ones', () => {
    expectThrowsWith(() => ones([-1]), 'ones: shape must be');
  });
});

describe('12. the gradient-buffer pool is bounded and releasable', () => {
  it('emptyCache releases what the pool holds; sizes no longer asked for leave by themselves; the limit holds', () => {
    const step = (n: number): void => {
      const w = randn([n], { seed: 1, requiresGrad: true });
      w.mul(w).exp().sum().backward();
    };
    emptyCache();
    step(1 << 16);
    expect(cacheBytes()).toBeGreaterThan(0);
    for (let k = 0; k < 4; k++) step((1 << 15) + 1 + k);
    // Two passes without a request for 65536 values dropped that length's shelf.
    const before = cacheBytes();
    expect(before).toBeLessThan(4 * 8 * (1 << 16));
    const prev = setCacheLimit(0);
    expect(cacheBytes()).toBe(0);
    step(1 << 16);
    expect(cacheBytes()).toBe(0);
    setCacheLimit(prev);
    step(1 << 16);
    expect(emptyCache()).toBeGreaterThan(0);
    expect(cacheBytes()).toBe(0);
    expectThrowsWith(() => setCacheLimit(-1), 'setCacheLimit: bytes must be a finite number >= 0, got -1');
  });
});

describe('13. the Tensor constructor and the seeds', () => {
  it('new Tensor checks its data and shape', () => {
    expectThrowsWith(() => new Tensor('ab' as never, [2]), 'Tensor: data must be a Float64Array', '"ab"');
    expectThrowsWith(() => new Tensor(new Float64Array(0), [-1, 0]), 'Tensor: shape must be an array of non-negative integers');
  });

  it('seeds outside [0, 2^32) throw instead of wrapping, and Rng.int needs a positive integer', () => {
    expectThrowsWith(() => randn([1], { seed: 2 ** 32 }), 'randn: seed must be an integer in [0, 2^32)', '4294967296');
    expectThrowsWith(() => new Rng(-1), 'Rng: seed must be an integer in [0, 2^32), got -1');
    expectThrowsWith(() => new Rng(1).int(-5), 'Rng.int: n must be a positive integer, got -5');
  });
});

describe('long sums are as exact as PyTorch\'s pairwise sums', () => {
  // Neumaier's compensated sum of non-negative values: its error is at most 2 ulp of the sum plus
  // n·ε² of it (1e-25 relative here), independent of the order, so it serves as the exact sum.
  // (Comparisons instead of Math.abs: under jest's module sandbox a Math call per element costs
  // a microsecond.)
  function exactSum(x: Float64Array): number {
    let s = 0;
    let c = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const t = s + v;
      c += s >= v ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return s + c;
  }

  it('a sum of 1e7 values agrees with a compensated sum to 1e-15 relative', () => {
    const x = rand([1e7], { seed: 7 });
    const exact = exactSum(x.data);
    expect(Math.abs(x.sum().item() - exact) / exact).toBeLessThan(1e-15);
    // Column sums too: 2e4 rows of 500.
    const m = x.reshape([20_000, 500]);
    const cols = m.sum(0).data;
    const col = new Float64Array(20_000);
    for (const j of [0, 7, 499]) {
      for (let i = 0; i < 20_000; i++) col[i] = m.data[i * 500 + j];
      const e = exactSum(col);
      expect(Math.abs(cols[j] - e) / e).toBeLessThan(1e-15);
    }
  });
});
