/**
 * Bad input and edge cases for the classification losses: every error names the function, the
 * argument, what was expected and what was given; a throwing call leaves inputs and gradients
 * unchanged; NaN in the data propagates.
 */
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import {
  crossEntropyLoss, multiLabelMarginLoss, multiLabelSoftMarginLoss, multiMarginLoss, nllLoss,
} from '../../losses/index.js';
import { expectThrowsWith } from '../helpers/index.js';

const x23 = () => tensor([[0.1, -0.4, 0.9], [1.2, 0.3, -0.7]], { requiresGrad: true });

describe('nllLoss rejects bad input', () => {
  it('unknown options and reductions', () => {
    expectThrowsWith(() => nllLoss(x23(), [0, 1], { weights: [1, 1, 1] } as never), 'nllLoss: ', "unknown option 'weights'");
    expectThrowsWith(() => nllLoss(x23(), [0, 1], { reduction: 'avg' } as never), 'nllLoss: ', 'reduction', '"avg"');
  });
  it('class indices out of range or not integers (ignoreIndex excepted)', () => {
    expectThrowsWith(() => nllLoss(x23(), [0, 3]), 'nllLoss: ', 'target', 'class index 3', '[0, 3)');
    expectThrowsWith(() => nllLoss(x23(), [0, -1]), 'nllLoss: ', 'target', 'class index -1');
    expectThrowsWith(() => nllLoss(x23(), [0, 1.5]), 'nllLoss: ', 'target', 'integer', '1.5');
    expectThrowsWith(() => nllLoss(x23(), [0, -100], { ignoreIndex: 2 }), 'nllLoss: ', 'class index -100');
    expect(nllLoss(x23(), [0, 7], { ignoreIndex: 7, reduction: 'sum' }).item()).toBeCloseTo(-0.1, 15);
  });
  it('shape mismatches', () => {
    expectThrowsWith(() => nllLoss(x23(), [0, 1, 2]), 'nllLoss: ', 'target shape [3]', 'input shape [2, 3]', 'expected target shape [2]');
    expectThrowsWith(() => nllLoss(x23(), [[0], [1]]), 'nllLoss: ', 'target shape [2, 1]');
    expectThrowsWith(() => nllLoss(tensor([0.1, 0.2]), [1]), 'nllLoss: ', 'target shape [1]', 'expected target shape []');
    expectThrowsWith(() => nllLoss(tensor(0.5), 0), 'nllLoss: ', 'input', 'got shape []');
    expectThrowsWith(() => nllLoss(x23(), [0, 1], { weight: [1, 2] }), 'nllLoss: ', 'weight', 'shape [3]', 'got shape [2]');
  });
  it('a non-integer ignoreIndex', () => {
    expectThrowsWith(() => nllLoss(x23(), [0, 1], { ignoreIndex: 0.5 }), 'nllLoss: ', 'ignoreIndex', 'integer', '0.5');
  });
});

describe('crossEntropyLoss rejects bad input', () => {
  it('unknown options, reductions and labelSmoothing outside [0, 1]', () => {
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { smoothing: 0.1 } as never), 'crossEntropyLoss: ', "unknown option 'smoothing'");
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { reduction: 'batchmean' } as never), 'crossEntropyLoss: ', 'reduction', '"batchmean"');
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { labelSmoothing: 1.5 }), 'crossEntropyLoss: ', 'labelSmoothing', '1', '1.5');
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { labelSmoothing: -0.1 }), 'crossEntropyLoss: ', 'labelSmoothing', '-0.1');
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { labelSmoothing: NaN }), 'crossEntropyLoss: ', 'labelSmoothing', 'NaN');
  });
  it('class indices out of range and shape mismatches', () => {
    expectThrowsWith(() => crossEntropyLoss(x23(), [3, 0]), 'crossEntropyLoss: ', 'target', 'class index 3', '[0, 3)');
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1, 1]), 'crossEntropyLoss: ', 'target shape [3]', 'input shape [2, 3]');
    expectThrowsWith(() => crossEntropyLoss(x23(), [[0.5, 0.5], [0.5, 0.5]]), 'crossEntropyLoss: ', 'target shape [2, 2]');
    expectThrowsWith(() => crossEntropyLoss(x23(), [0, 1], { weight: [[1, 1, 1]] as never }), 'crossEntropyLoss: ', 'weight', 'shape [3]', 'got shape [1, 3]');
    expectThrowsWith(() => crossEntropyLoss(tensor(1), 0), 'crossEntropyLoss: ', 'input', 'got shape []');
  });
  it('ignoreIndex >= 0 with probability targets, as PyTorch does', () => {
    const p = [[0.2, 0.3, 0.5], [1, 0, 0]];
    expectThrowsWith(() => crossEntropyLoss(x23(), p, { ignoreIndex: 1 }), 'crossEntropyLoss: ', 'ignoreIndex', 'probability targets', 'got 1');
    expect(Number.isFinite(crossEntropyLoss(x23(), p, { ignoreIndex: -1 }).item())).toBe(true);
  });
});

describe('multiMarginLoss rejects bad input', () => {
  it('unknown options, reductions, p other than 1 or 2, a non-number margin', () => {
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 1], { q: 1 } as never), 'multiMarginLoss: ', "unknown option 'q'");
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 1], { reduction: 'max' } as never), 'multiMarginLoss: ', 'reduction', '"max"');
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 1], { p: 3 }), 'multiMarginLoss: ', 'p must be 1 or 2', 'got 3');
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 1], { margin: '1' as never }), 'multiMarginLoss: ', 'margin', 'number', '"1"');
  });
  it('class indices out of range and shape mismatches', () => {
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 3]), 'multiMarginLoss: ', 'target', 'class index 3');
    expectThrowsWith(() => multiMarginLoss(x23(), [0]), 'multiMarginLoss: ', 'target shape [1]', 'input shape [2, 3]', '[2]');
    expectThrowsWith(() => multiMarginLoss(tensor([1, 2, 3]), [0, 1]), 'multiMarginLoss: ', 'target shape [2]', '[] or [1]');
    expectThrowsWith(() => multiMarginLoss(tensor([[[1, 2]]]), [0]), 'multiMarginLoss: ', 'input', '[N, C] or [C]', 'got shape [1, 1, 2]');
    expectThrowsWith(() => multiMarginLoss(x23(), [0, 1], { weight: [1, 1] }), 'multiMarginLoss: ', 'weight', 'got shape [2]');
  });
});

describe('multiLabelSoftMarginLoss rejects bad input', () => {
  it('unknown options, reductions and shape mismatches', () => {
    const t = [[0, 1, 1], [1, 0, 0]];
    expectThrowsWith(() => multiLabelSoftMarginLoss(x23(), t, { posWeight: [1] } as never), 'multiLabelSoftMarginLoss: ', "unknown option 'posWeight'");
    expectThrowsWith(() => multiLabelSoftMarginLoss(x23(), t, { reduction: 'none ' } as never), 'multiLabelSoftMarginLoss: ', 'reduction');
    expectThrowsWith(() => multiLabelSoftMarginLoss(x23(), [0, 1, 1]), 'multiLabelSoftMarginLoss: ', 'target shape [3]', 'input shape [2, 3]');
    expectThrowsWith(() => multiLabelSoftMarginLoss(x23(), t, { weight: [1, 2, 3, 4] }), 'multiLabelSoftMarginLoss: ', 'weight', 'shape [3]', 'got shape [4]');
    expectThrowsWith(() => multiLabelSoftMarginLoss(tensor(1), 1), 'multiLabelSoftMarginLoss: ', 'input', 'got shape []');
  });
});

describe('multiLabelMarginLoss rejects bad input', () => {
  it('unknown options, reductions, shapes, and indices outside [-1, C) anywhere in the row', () => {
    const x = tensor([[0.1, 0.2, 0.3]]);
    expectThrowsWith(() => multiLabelMarginLoss(x, [[0, -1, 0]], { margin: 1 } as never), 'multiLabelMarginLoss: ', "unknown option 'margin'");
    expectThrowsWith(() => multiLabelMarginLoss(x, [[0, -1, 0]], { reduction: 'mean_' } as never), 'multiLabelMarginLoss: ', 'reduction');
    expectThrowsWith(() => multiLabelMarginLoss(x, [0, -1, 0]), 'multiLabelMarginLoss: ', 'target shape [3]', 'input shape [1, 3]');
    expectThrowsWith(() => multiLabelMarginLoss(x, [[0, 3, -1]]), 'multiLabelMarginLoss: ', 'target', 'class index 3');
    expectThrowsWith(() => multiLabelMarginLoss(x, [[-2, 0, 1]]), 'multiLabelMarginLoss: ', 'target', 'class index -2');
    expectThrowsWith(() => multiLabelMarginLoss(x, [[0, -1, 5]]), 'multiLabelMarginLoss: ', 'target', 'class index 5');
    expectThrowsWith(() => multiLabelMarginLoss(x, [[0.5, -1, 0]]), 'multiLabelMarginLoss: ', 'target', 'integer', '0.5');
    expectThrowsWith(() => multiLabelMarginLoss(tensor([[[0.1]]]), [[[0]]]), 'multiLabelMarginLoss: ', 'input', 'got shape [1, 1, 1]');
  });
});

describe('a throwing call leaves its inputs and gradients unchanged', () => {
  const calls: [string, (x: Tensor) => unknown][] = [
    ['nllLoss', (x) => nllLoss(x, [0, 9])],
    ['crossEntropyLoss', (x) => crossEntropyLoss(x, [0, 1], { weight: [1, 2] })],
    ['crossEntropyLoss (labelSmoothing)', (x) => crossEntropyLoss(x, [0, 5], { labelSmoothing: 0.1 })],
    ['multiMarginLoss', (x) => multiMarginLoss(x, [0, 1], { p: 3 })],
    ['multiLabelSoftMarginLoss', (x) => multiLabelSoftMarginLoss(x, [[1, 0, 1]])],
    ['multiLabelMarginLoss', (x) => multiLabelMarginLoss(x, [[0, -1, 0], [1, 2, 3]])],
  ];
  it.each(calls)('%s', (name, call) => {
    const x = x23();
    crossEntropyLoss(x, [2, 0]).backward();
    const data = Array.from(x.data);
    const grad = Array.from(x.grad!.data);
    expectThrowsWith(() => call(x), `${name.split(' ')[0]}: `);
    expect(Array.from(x.data)).toEqual(data);
    expect(Array.from(x.grad!.data)).toEqual(grad);
  });
});

describe('NaN in the data propagates', () => {
  const xn = () => tensor([[NaN, 1, 2], [0.5, 0.1, -0.3]], { requiresGrad: true });
  it('crossEntropyLoss and nllLoss: NaN in a counted row, nothing from an ignored one', () => {
    expect(crossEntropyLoss(xn(), [1, 0]).item()).toBeNaN();
    expect(Number.isFinite(crossEntropyLoss(xn(), [-100, 0]).item())).toBe(true);
    expect(nllLoss(xn(), [0, 0]).item()).toBeNaN();
    expect(crossEntropyLoss(x23(), [[NaN, 0.5, 0.5], [1, 0, 0]]).item()).toBeNaN();
  });
  it('the margin losses: NaN, where PyTorch skips the NaN term (a deliberate difference)', () => {
    expect(multiMarginLoss(xn(), [1, 0], { reduction: 'none' }).toArray()).toEqual([NaN, expect.any(Number)]);
    expect(multiLabelMarginLoss(xn(), [[1, -1, 0], [0, -1, 0]], { reduction: 'none' }).toArray()).toEqual([NaN, expect.any(Number)]);
    expect(multiLabelSoftMarginLoss(xn(), [[1, 0, 1], [0, 0, 1]], { reduction: 'none' }).toArray()).toEqual([NaN, expect.any(Number)]);
    expect(multiLabelSoftMarginLoss(x23(), [[NaN, 0, 1], [0, 0, 1]]).item()).toBeNaN();
  });
});

describe('edge cases', () => {
  it("an empty batch gives NaN for 'mean' and 0 for 'sum' (PyTorch's cross_entropy and nll_loss agree; its multi_margin_loss reads uninitialized memory)", () => {
    const x = tensor(new Float64Array(0), { shape: [0, 3], requiresGrad: true });
    expect(crossEntropyLoss(x, tensor(new Float64Array(0))).item()).toBeNaN();
    expect(crossEntropyLoss(x, tensor(new Float64Array(0)), { reduction: 'sum' }).item()).toBe(0);
    expect(nllLoss(x, tensor(new Float64Array(0))).item()).toBeNaN();
    expect(multiMarginLoss(x, tensor(new Float64Array(0))).item()).toBeNaN();
  });
  it.each([
    ['[N, C]', [2, 3], [2, -100]],
    ['[N, C, d]', [2, 3, 2], [[0, 2], [-100, 1]]],
  ])('crossEntropyLoss %s: backward twice through a retained graph gives the same gradient twice, and leaves the first intact', (_, shape, target) => {
    const x = tensor(Float64Array.from({ length: 2 * 3 * (shape[2] ?? 1) }, (_v, i) => Math.sin(3 * i)), { shape, requiresGrad: true });
    const loss = crossEntropyLoss(x, target, { weight: [0.5, 2, 1] });
    loss.backward(undefined, { retainGraph: true });
    const first = x.grad!;
    const firstValues = Array.from(first.data);
    x.zeroGrad();
    loss.backward(undefined, { retainGraph: true });
    expect(Array.from(x.grad!.data)).toEqual(firstValues);
    expect(Array.from(first.data)).toEqual(firstValues);
    expect(x.grad!.data).not.toBe(first.data);
    x.zeroGrad();
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual(firstValues);
  });
  it('crossEntropyLoss: a retained graph stays correct after its first gradient buffer died in the engine pool and was reused', () => {
    const shape = [64, 512]; // 32768 values: large enough for the engine to recycle
    const x = tensor(Float64Array.from({ length: 64 * 512 }, (_v, i) => Math.sin(0.37 * i) * 3), { shape, requiresGrad: true });
    const target = Array.from({ length: 64 }, (_v, i) => (i * 37) % 512);
    const loss = crossEntropyLoss(x.mul(2), target);
    loss.backward(undefined, { retainGraph: true });
    const firstValues = Array.from(x.grad!.data);
    x.zeroGrad();
    x.mul(3).mul(4);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual(firstValues);
  });
  it('crossEntropyLoss gives no gradient to class weights with index targets (PyTorch implements none)', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const x = x23();
    crossEntropyLoss(x, [0, 2], { weight: w }).backward();
    expect(w.grad).toBeNull();
    expect(x.grad).not.toBeNull();
  });
});
