/**
 * PyTorch interop: weights PyTorch saved load into lossgrad's modules and give PyTorch's outputs
 * and gradients (spec/fixtures/gen_nn.py); weights lossgrad saved load into PyTorch's modules and
 * give the outputs lossgrad computes; initial weights follow PyTorch's distributions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, nn, tensor } from '../../index.js';
import { expectClose, loadFixture } from '../helpers/index.js';
import { SAVED_FILES, SAVED_METADATA, SavedModel, savedBytes } from './saved-model.js';

const fx = loadFixture('nn.json');
const fixtureBytes = (file: string): Uint8Array => readFileSync(join(process.cwd(), 'spec', 'fixtures', file));

const BUILD: Record<string, () => nn.Module> = {
  linear: () => new nn.Linear(5, 3),
  'linear-nobias-3d': () => new nn.Linear(4, 2, { bias: false }),
  bilinear: () => new nn.Bilinear(3, 4, 2),
  conv1d: () => new nn.Conv1d(3, 2, 4),
  'conv1d-strided': () => new nn.Conv1d(4, 6, 3, { stride: 2, padding: 2, dilation: 2, groups: 2 }),
  'conv1d-same': () => new nn.Conv1d(2, 3, 4, { padding: 'same', bias: false }),
  gru: () => new nn.GRU(3, 5, { numLayers: 2 }),
  'gru-batchfirst-nobias': () => new nn.GRU(2, 3, { bias: false, batchFirst: true }),
  layernorm: () => new nn.LayerNorm([3, 4]),
  embedding: () => new nn.Embedding(10, 4, { paddingIdx: 2 }),
  sequential: () => new nn.Sequential(
    new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 8), new nn.GELU(), new nn.Linear(8, 3), new nn.LogSoftmax(1),
  ),
};

describe('PyTorch state dicts load into lossgrad modules and give the same outputs and gradients', () => {
  it('covers every case the generator wrote', () => {
    expect(Object.keys(BUILD).sort()).toEqual(Object.keys(fx.modules).filter((k) => k !== 'batchnorm1d').sort());
  });

  it.each(Object.keys(BUILD))('%s', (name) => {
    const c = fx.modules[name];
    const m = BUILD[name]();
    m.loadStateDict(nn.loadSafetensors(fixtureBytes(`nn-${name}.safetensors`)));
    const inputs = (c.inputs as number[][]).map((x, i) => (name === 'embedding' ? x : tensor(x, { requiresGrad: i < c.input_grads.length })));
    const out = m.call(...inputs);
    const outs: Tensor[] = Array.isArray(out) ? out : [out];
    outs.forEach((o, i) => expectClose(o, c.outputs[i]));
    outs.reduce((acc: Tensor | null, o, i) => {
      const term = o.mul(tensor(c.gouts[i])).sum();
      return acc ? acc.add(term) : term;
    }, null)!.backward();
    (c.input_grads as number[][]).forEach((g, i) => expectClose((inputs[i] as Tensor).grad!, g));
    const grads = Object.fromEntries(m.namedParameters().map(([k, p]) => [k, p.grad]));
    expect(Object.keys(grads).sort()).toEqual(Object.keys(c.param_grads).sort());
    for (const [k, g] of Object.entries(c.param_grads)) expectClose(grads[k]!, g as number[]);
  });

  it('BatchNorm1d: two training steps (outputs, gradients, running statistics), then evaluation', () => {
    const c = fx.modules.batchnorm1d;
    const bn = new nn.BatchNorm1d(3, { momentum: c.momentum });
    // The initial file holds PyTorch's random affine parameters and its I64 num_batches_tracked.
    bn.loadStateDict(nn.loadSafetensors(fixtureBytes('nn-batchnorm1d-init.safetensors')));
    const xs = (c.inputs as number[][][]).map((x) => tensor(x, { requiresGrad: true }));
    const outs = xs.map((x) => bn.call(x));
    outs.forEach((o, i) => expectClose(o, c.outputs[i]));
    outs.map((o, i) => o.mul(tensor(c.gouts[i])).sum()).reduce((a, b) => a.add(b)).backward();
    xs.forEach((x, i) => expectClose(x.grad!, c.input_grads[i]));
    expectClose(bn.weight!.grad!, c.param_grads.weight);
    expectClose(bn.bias!.grad!, c.param_grads.bias);
    expectClose(bn.runningMean!, c.running_mean);
    expectClose(bn.runningVar!, c.running_var);
    const after = nn.loadSafetensors(fixtureBytes('nn-batchnorm1d.safetensors'));
    expect(after.num_batches_tracked.item()).toBe(2);
    expect(bn.numBatchesTracked!.item()).toBe(2);
    bn.eval();
    expectClose(bn.call(tensor(c.eval_input)), c.eval_output);
  });
});

describe('activation modules match PyTorch in value and gradient, kinks included', () => {
  const BUILD_ACT: Record<string, () => nn.Module> = {
    ReLU: () => new nn.ReLU(), LeakyReLU: () => new nn.LeakyReLU(0.2), ELU: () => new nn.ELU(0.7), Tanh: () => new nn.Tanh(),
    Sigmoid: () => new nn.Sigmoid(), LogSigmoid: () => new nn.LogSigmoid(), SiLU: () => new nn.SiLU(), GELU: () => new nn.GELU(),
    'GELU-tanh': () => new nn.GELU({ approximate: 'tanh' }), Softplus: () => new nn.Softplus(),
    'Softplus-beta2-threshold5': () => new nn.Softplus({ beta: 2, threshold: 5 }),
    Hardtanh: () => new nn.Hardtanh(), 'Hardtanh-3': () => new nn.Hardtanh(-3, 2.5), ReLU6: () => new nn.ReLU6(), Softsign: () => new nn.Softsign(),
  };
  it('covers every case the generator wrote', () => {
    expect(Object.keys(BUILD_ACT).sort()).toEqual(Object.keys(fx.activations.cases).sort());
  });
  it.each(Object.keys(BUILD_ACT))('%s', (name) => {
    const x = tensor(fx.activations.x, { requiresGrad: true });
    const y = BUILD_ACT[name]().call(x);
    expectClose(y, fx.activations.cases[name].output);
    y.sum().backward();
    expectClose(x.grad!, fx.activations.cases[name].grad);
  });
});

describe("lossgrad's safetensors files read back exactly, in lossgrad and in PyTorch", () => {
  it.each(Object.entries(SAVED_FILES))('%s: the committed file is what lossgrad writes today, byte for byte', (dtype, file) => {
    expect(Buffer.from(savedBytes(dtype as keyof typeof SAVED_FILES)).equals(fixtureBytes(file))).toBe(true);
  });

  it('F64: every value reads back bit for bit, and PyTorch read the same values and metadata', () => {
    const dict = new SavedModel().stateDict();
    const back = nn.loadSafetensors(savedBytes('F64'));
    expect(Object.keys(back).sort()).toEqual(Object.keys(dict).sort());
    const torchSide = fx.fromLossgrad.files.F64;
    expect(torchSide.metadata).toEqual(SAVED_METADATA);
    expect(torchSide.dtypes).toEqual(['F64']);
    for (const [k, t] of Object.entries(dict)) {
      expect(back[k].shape).toEqual(t.shape);
      expect(Buffer.from(back[k].data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
      expect(Array.from(t.data)).toEqual(torchSide.values[k]);
    }
  });

  it.each(['F64', 'F32', 'F16', 'BF16'])('%s: PyTorch decodes the file to the values lossgrad decodes, and its model gives the same output', (dtype) => {
    const side = fx.fromLossgrad.files[dtype];
    expect(side.dtypes).toEqual([dtype]);
    const dict = nn.loadSafetensors(fixtureBytes(SAVED_FILES[dtype as keyof typeof SAVED_FILES]));
    for (const [k, t] of Object.entries(dict)) expect(Array.from(t.data)).toEqual(side.values[k]);
    const m = new SavedModel();
    m.loadStateDict(dict);
    expectClose(m.call(tensor(fx.fromLossgrad.input)), side.output);
  });
});

describe('float dtypes: lossgrad narrows and widens as PyTorch does', () => {
  it.each(['F32', 'F16', 'BF16'])('%s: reading PyTorch bytes gives its values; writing gives its bytes', (dtype) => {
    const file = `nn-dtype-${dtype.toLowerCase()}.safetensors`;
    const theirs = fixtureBytes(file);
    const read = nn.loadSafetensors(theirs).x;
    expect(Array.from(read.data)).toEqual(fx.dtypes[dtype]);
    const ours = nn.saveSafetensors({ x: tensor(fx.dtypes.x) }, undefined, { dtype: dtype as nn.SafetensorsDtype });
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
  });
});

describe("default initialisation follows PyTorch's distributions", () => {
  // NOTE: lossgrad's generator is not PyTorch's, so samples differ; bounds, means and variances
  // agree within sampling error: means within 5 standard errors, variances within 5 standard
  // errors of a variance, largest magnitudes within 1% (a uniform sample's max is near its bound).
  const LAYERS: Record<string, () => nn.Module> = {
    'Linear(256,128)': () => new nn.Linear(256, 128, { seed: 1 }),
    'Conv1d(40,64,5)': () => new nn.Conv1d(40, 64, 5, { seed: 2 }),
    'Bilinear(30,20,40)': () => new nn.Bilinear(30, 20, 40, { seed: 3 }),
    'GRU(40,128)': () => new nn.GRU(40, 128, { seed: 4 }),
    'Embedding(500,64)': () => new nn.Embedding(500, 64, { seed: 5 }),
  };
  it.each(Object.keys(LAYERS))('%s', (layer) => {
    const params = LAYERS[layer]().namedParameters();
    for (const [k, p] of params) {
      const ref = fx.init[`${layer}.${k}`];
      expect(ref).toBeDefined();
      const d = Array.from(p.data);
      expect(d.length).toBe(ref.n);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const v = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
      const maxAbs = Math.max(...d.map(Math.abs));
      const seMean = Math.sqrt(ref.var / ref.n);
      expect(Math.abs(mean - ref.mean)).toBeLessThan(5 * Math.SQRT2 * seMean);
      const uniform = !layer.startsWith('Embedding');
      // The variance of a sample variance: (μ4 - σ⁴)/n; μ4 = 9σ⁴/5 for a uniform, 3σ⁴ for a normal.
      const seVar = ref.var * Math.sqrt((uniform ? 0.8 : 2) / ref.n);
      expect(Math.abs(v - ref.var)).toBeLessThan(5 * Math.SQRT2 * seVar);
      if (uniform && ref.n >= 1000) expect(Math.abs(maxAbs - ref.maxAbs)).toBeLessThan(0.01 * ref.maxAbs);
    }
  });
});
