/**
 * Bad input to the discrete losses, the pair forms, mostOffendingIncorrect and marginReport:
 * an Error whose message starts with the function's name and names the argument, what was
 * expected and what was given; thrown before any work, so inputs and gradients stay untouched.
 */
import { Tensor, tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import { expectThrowsWith } from '../helpers/index.js';

type Loss = (e: unknown, t: unknown, o?: object) => Tensor;
const fns = ebm as unknown as Record<string, Loss>;
const ALL = ['energyLoss', 'nllLoss', 'perceptronLoss', 'hingeLoss', 'logLoss', 'squareSquareLoss', 'squareExpLoss', 'lvq2Loss', 'mceLoss', 'meeLoss', 'pairwiseHingeLoss', 'mostOffendingIncorrect', 'marginReport'];
const E = [[0.5, 2, 1], [3, 1, 1.5]];

describe.each(ALL.map((n) => [n]))('%s rejects bad energies and targets', (name) => {
  const f = fns[name];
  it('energies with fewer than two answers', () => {
    expectThrowsWith(() => f([[1], [2]], [0, 0]), `${name}: energies must hold at least two answers per sample (K >= 2), got shape [2, 1]`);
  });
  it('energies that are not [P, K]', () => {
    expectThrowsWith(() => f([1, 2, 3], [0]), `${name}: energies must have shape [P, K], got shape [3]`);
    expectThrowsWith(() => f('abc', [0]), `${name}: energies must be a Tensor`, 'got "abc"');
  });
  it('targets out of range, not integers, or of the wrong shape', () => {
    expectThrowsWith(() => f(E, [0, 3]), `${name}: targets holds class index 3, outside [0, 3)`);
    expectThrowsWith(() => f(E, [0, -1]), `${name}: targets holds class index -1, outside [0, 3)`);
    expectThrowsWith(() => f(E, [0, 1.5]), `${name}: targets must hold integer class indices, got 1.5`);
    expectThrowsWith(() => f(E, [0]), `${name}: targets must have shape [2]`, 'got shape [1]');
    expectThrowsWith(() => f(E, [[0], [1]]), `${name}: targets must have shape [2]`, 'got shape [2, 1]');
  });
});

describe.each(ALL.filter((n) => n.endsWith('Loss')).map((n) => [n]))('%s rejects bad options', (name) => {
  const f = fns[name];
  it('unknown option names and reductions', () => {
    expectThrowsWith(() => f(E, [0, 1], { reducton: 'sum' }), `${name}: unknown option 'reducton'`);
    expectThrowsWith(() => f(E, [0, 1], { reduction: 'avg' }), `${name}: reduction must be one of 'none', 'mean', 'sum', got "avg"`);
    expectThrowsWith(() => f(E, [0, 1], 3 as never), `${name}: options must be an object, got 3`);
  });
  it('leaves the energies and their gradient untouched when it throws', () => {
    const e = tensor(E, { requiresGrad: true });
    e.grad = tensor([[1, 1, 1], [1, 1, 1]]);
    expect(() => f(e, [0, 7])).toThrow();
    expect(e.toArray()).toEqual(E);
    expect((e.grad as Tensor).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
});

describe('loss parameters out of their domain', () => {
  it.each([
    ['nllLoss', { beta: 0 }, ['beta must be', '> 0', 'got 0']],
    ['meeLoss', { beta: -1 }, ['beta must be', '> 0', 'got -1']],
    ['nllLoss', { beta: Infinity }, ['beta must be a finite number', 'got Infinity']],
    ['hingeLoss', { margin: '1' }, ['margin must be a', 'number', 'got "1"']],
    ['hingeLoss', { margin: Infinity }, ['margin must be a finite number', 'got Infinity']],
    ['squareSquareLoss', { margin: NaN }, ['margin must be a finite number', 'got NaN']],
    ['squareExpLoss', { gamma: 0 }, ['gamma must be', '> 0', 'got 0']],
    ['lvq2Loss', { margin: -Infinity }, ['margin must be a finite number', 'got -Infinity']],
    ['lvq2Loss', { delta: -2 }, ['delta must be', '> 0', 'got -2']],
    ['logLoss', { margin: 1 }, ["unknown option 'margin'"]],
    ['hingeLoss', { reduction: null }, ['reduction must be one of', 'got null']],
    ['pairwiseHingeLoss', { h: 'relu' }, ['h must be one of', "'hinge', 'softplus'", 'got "relu"']],
    ['pairwiseHingeLoss', { margin: tensor([[1, 2], [3, 4]]) }, ['margin must be a number, a [3, 3] Tensor or a function, got a Tensor of shape [2, 2]']],
    ['pairwiseHingeLoss', { margin: () => 'x' }, ['margin(0, 0) must return a number, got "x"']],
    ['pairwiseHingeLoss', { margin: [1, 2] }, ['margin must be a number, a [K, K] Tensor or a function (yi, y) => number, got [1,2]']],
    ['pairwiseHingeLoss', { margin: NaN }, ['margin must be a finite number', 'got NaN']],
  ] as [string, object, string[]][])('%s %j', (name, opts, fragments) => {
    expectThrowsWith(() => fns[name](E, [0, 1], opts), `${name}: `, ...fragments);
  });
});

describe('pair forms reject bad input', () => {
  it.each(Object.keys(ebm.pair).map((n) => [n]))('pair.%s', (name) => {
    const f = (ebm.pair as unknown as Record<string, Loss>)[name];
    expectThrowsWith(() => f(tensor([1, 2, 3]), tensor([1, 2])), `pair.${name}: Ebar shape [2] does not match E shape [3]`);
    expectThrowsWith(() => f(tensor([1, 2]), tensor([[1, 2]])), `pair.${name}: Ebar shape [1, 2] does not match E shape [2]`);
    expectThrowsWith(() => f(tensor([1]), tensor([1]), { size: 1 }), `pair.${name}: unknown option 'size'`);
    expectThrowsWith(() => f('a', tensor([1])), `pair.${name}: E must be a Tensor`, 'got "a"');
  });
  it('checks parameters as the discrete losses do', () => {
    expectThrowsWith(() => ebm.pair.hinge(tensor([1]), tensor([2]), { margin: NaN }), 'pair.hinge: margin must be a finite number', 'got NaN');
    expectThrowsWith(() => ebm.pair.nll(tensor([1]), tensor([2]), { beta: 0 }), 'pair.nll: beta must be', 'got 0');
    expectThrowsWith(() => ebm.pair.lvq2(tensor([1]), tensor([2]), { delta: 0 }), 'pair.lvq2: delta must be', 'got 0');
  });
});

describe('marginReport rejects bad options', () => {
  it('names the option', () => {
    expectThrowsWith(() => ebm.marginReport(E, [0, 1], { margn: 1 } as never), "marginReport: unknown option 'margn'");
    expectThrowsWith(() => ebm.marginReport(E, [0, 1], { margin: Infinity }), 'marginReport: margin must be a finite number', 'got Infinity');
    expectThrowsWith(() => ebm.marginReport(E, [0, 1], { collapseTol: NaN }), 'marginReport: collapseTol must be a finite number', 'got NaN');
    expectThrowsWith(() => ebm.marginReport(E, [0, 1], { collapseTol: -1 }), 'marginReport: collapseTol must be', 'got -1');
  });
});
