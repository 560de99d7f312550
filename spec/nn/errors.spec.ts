/** Bad arguments and inputs: every error names the layer and the argument, and nothing changes. */
import { Tensor, nn, tensor, zeros } from '../../index.js';
import { expectThrowsWith } from '../helpers/index.js';

const bad = <T>(v: unknown): T => v as T;

describe('constructors reject bad arguments and unknown options', () => {
  it.each([
    ['Linear in', () => new nn.Linear(0, 2), 'Linear: inFeatures must be an integer >= 1, got 0'],
    ['Linear out', () => new nn.Linear(2, 1.5), 'Linear: outFeatures must be an integer >= 1, got 1.5'],
    ['Linear option', () => new nn.Linear(2, 2, bad({ biases: false })), "Linear: unknown option 'biases'"],
    ['Linear bias', () => new nn.Linear(2, 2, { bias: bad('no') }), 'Linear: bias must be a boolean, got "no"'],
    ['Linear seed', () => new nn.Linear(2, 2, { seed: 0.5 }), 'Linear: seed must be an integer in [0, 2^32), got 0.5'],
    ['Bilinear', () => new nn.Bilinear(2, -1, 2), 'Bilinear: in2Features must be an integer >= 1'],
    ['Embedding padding', () => new nn.Embedding(5, 2, { paddingIdx: 5 }), 'Embedding: paddingIdx must be an integer in [-5, 5), got 5'],
    ['Embedding option', () => new nn.Embedding(5, 2, bad({ maxNorm: 1 })), "Embedding: unknown option 'maxNorm'"],
    ['LayerNorm shape', () => new nn.LayerNorm(bad([])), 'LayerNorm: normalizedShape must be a positive integer or a non-empty array'],
    ['LayerNorm eps', () => new nn.LayerNorm(3, { eps: -1 }), 'LayerNorm: eps must be a finite number >= 0, got -1'],
    ['BatchNorm1d momentum', () => new nn.BatchNorm1d(3, { momentum: 2 }), 'BatchNorm1d: momentum must be a number in [0, 1] or null, got 2'],
    ['Dropout p', () => new nn.Dropout(1.5), 'Dropout: p must be a probability in [0, 1], got 1.5'],
    ['Conv1d groups', () => new nn.Conv1d(3, 4, 2, { groups: 2 }), 'Conv1d: inChannels (3) must be divisible by groups (2)'],
    ['Conv1d same', () => new nn.Conv1d(2, 2, 3, { padding: 'same', stride: 2 }), "Conv1d: padding 'same' needs stride 1"],
    ['Conv1d padding', () => new nn.Conv1d(2, 2, 3, { padding: bad('full') }), 'Conv1d: padding must be an integer >= 0, got "full"'],
    ['Conv1d paddingMode', () => new nn.Conv1d(2, 2, 3, { paddingMode: bad('reflect') }), "Conv1d: paddingMode must be 'zeros'"],
    ['GRU layers', () => new nn.GRU(2, 2, { numLayers: 0 }), 'GRU: numLayers must be an integer >= 1, got 0'],
    ['GRU option', () => new nn.GRU(2, 2, bad({ bidirectional: true })), "GRU: unknown option 'bidirectional'"],
    ['GELU approximate', () => new nn.GELU({ approximate: bad('erf') }), "GELU: approximate must be 'none' or 'tanh', got \"erf\""],
    ['Softplus beta', () => new nn.Softplus({ beta: 0 }), 'Softplus: beta must be a finite number > 0, got 0'],
    ['Hardtanh bounds', () => new nn.Hardtanh(1, 1), 'Hardtanh: maxVal must be a finite number > minVal (1), got 1'],
    ['LogSoftmax dim', () => new nn.LogSoftmax(bad(undefined)), 'LogSoftmax: dim must be an integer, got undefined'],
    ['a loss option', () => new nn.CrossEntropyLoss(bad({ label_smoothing: 0.1 })), "CrossEntropyLoss: unknown option 'label_smoothing'"],
    ['CTCLoss option', () => new nn.CTCLoss(bad({ zero_infinity: true })), "CTCLoss: unknown option 'zero_infinity'"],
    ['init generator and seed', () => nn.init.uniform(zeros([2]), 0, 1, { seed: 1, generator: bad(1) }), 'uniform: give seed or generator, not both'],
    ['init fans', () => nn.init.kaimingUniform(zeros([3])), 'kaimingUniform: fan in and fan out need a tensor with at least 2 dims, got shape [3]'],
    ['init mode', () => nn.init.kaimingNormal(zeros([3, 3]), { mode: bad('fan_in') }), "kaimingNormal: mode must be 'fanIn' or 'fanOut', got \"fan_in\""],
    ['init gain', () => nn.init.calculateGain(bad('swish')), 'calculateGain: unknown nonlinearity "swish"'],
    ['init bounds', () => nn.init.uniform(zeros([2]), 1, 0), 'uniform: a must not exceed b'],
  ])('%s', (_name, fn, msg) => {
    expectThrowsWith(fn, msg);
  });
});

describe('forward rejects wrong inputs, naming the layer and the argument', () => {
  it.each([
    ['Linear last dim', () => new nn.Linear(3, 2, { seed: 0 }).call(zeros([4, 2])), 'Linear: input must be [..., 3], got shape [4, 2]'],
    ['Linear not a tensor', () => new nn.Linear(3, 2, { seed: 0 }).call(bad([1, 2, 3])), 'Linear: input must be a Tensor, got [1,2,3]'],
    ['Bilinear lead dims', () => new nn.Bilinear(2, 2, 1, { seed: 0 }).call(zeros([3, 2]), zeros([4, 2])), 'Bilinear: input1 [3, 2] and input2 [4, 2] must share their leading dims'],
    ['Bilinear input2', () => new nn.Bilinear(2, 3, 1, { seed: 0 }).call(zeros([3, 2]), zeros([3, 2])), 'Bilinear: input2 must be [..., 3], got shape [3, 2]'],
    ['Embedding non-integer', () => new nn.Embedding(5, 2, { seed: 0 }).call([0, 1.5]), 'Embedding: input must hold integer indices, got 1.5 at flat position 1'],
    ['Embedding range', () => new nn.Embedding(5, 2, { seed: 0 }).call(tensor([[0, 5]])), 'Embedding: input index 5 at flat position 1 is out of range (expected 0 <= index < 5)'],
    ['Embedding ragged', () => new nn.Embedding(5, 2, { seed: 0 }).call(bad([[0, 1], [2]])), 'Embedding: input must be a Tensor or (nested) arrays of integer indices'],
    ['LayerNorm tail', () => new nn.LayerNorm([2, 3]).call(zeros([4, 3, 2])), 'LayerNorm: input must end in [2, 3], got shape [4, 3, 2]'],
    ['BatchNorm1d channels', () => new nn.BatchNorm1d(3).call(zeros([4, 2])), 'BatchNorm1d: input must be [N, 3] or [N, 3, L], got shape [4, 2]'],
    ['BatchNorm1d one value', () => new nn.BatchNorm1d(3).call(zeros([1, 3])), 'BatchNorm1d: training needs more than 1 value per channel'],
    ['Conv1d channels', () => new nn.Conv1d(3, 2, 2, { seed: 0 }).call(zeros([1, 2, 5])), 'Conv1d: input must be [N, 3, L] or [3, L], got shape [1, 2, 5]'],
    ['Conv1d too short', () => new nn.Conv1d(1, 1, 4, { seed: 0 }).call(zeros([1, 1, 3])), 'Conv1d: input length 3 is too short for kernel 4'],
    ['GRU features', () => new nn.GRU(3, 2, { seed: 0 }).call(zeros([5, 1, 2])), 'GRU: input must be [T, N, 3] or [T, 3], got shape [5, 1, 2]'],
    ['GRU batchFirst layout', () => new nn.GRU(3, 2, { seed: 0, batchFirst: true }).call(zeros([5, 1])), 'GRU: input must be [N, T, 3] or [T, 3], got shape [5, 1]'],
    ['GRU h0', () => new nn.GRU(3, 2, { seed: 0, numLayers: 2 }).call(zeros([5, 4, 3]), zeros([1, 4, 2])), 'GRU: h0 must be [2, 4, 2], got shape [1, 4, 2]'],
    ['LogSoftmax dim', () => new nn.LogSoftmax(2).call(zeros([2, 2])), 'LogSoftmax: dim 2 is out of range for 2 dims'],
    ['ReLU', () => new nn.ReLU().call(bad(3)), 'ReLU: input must be a Tensor, got 3'],
  ])('%s', (_name, fn, msg) => {
    expectThrowsWith(fn, msg);
  });

  it('a BatchNorm1d forward that throws leaves its running statistics unchanged', () => {
    const bn = new nn.BatchNorm1d(2);
    expect(() => bn.call(zeros([1, 2]))).toThrow();
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
  });

  it('NaN in the data propagates through the layers', () => {
    const x = tensor([[NaN, 1, 2]]);
    const outs: Tensor[] = [
      new nn.Linear(3, 2, { seed: 0 }).call(x), new nn.LayerNorm(3).call(x), new nn.GELU().call(x), new nn.ELU().call(x), new nn.Hardtanh().call(x),
      new nn.Conv1d(1, 1, 2, { seed: 0 }).call(x), new nn.GRU(3, 2, { seed: 0 }).call(x)[0],
    ];
    for (const o of outs) expect(Number.isNaN(o.data[0])).toBe(true);
  });
});
