/**
 * Tensor printing against PyTorch's repr (spec/fixtures/gen_format.py: PyTorch's own layout
 * code, with lossgrad's `requiresGrad=true` and `shape=[...]` suffixes placed by PyTorch's rule).
 */
import { inspect } from 'node:util';
import { getPrintOptions, setPrintOptions, tensor } from '../../engine/index.js';
import type { PrintOptions } from '../../engine/index.js';
import { expectThrowsWith, loadFixture } from '../helpers/index.js';

interface Case {
  name: string;
  data: number[];
  shape: number[];
  options: Partial<PrintOptions>;
  requiresGrad: boolean;
  expected: string;
  torch_repr: string;
}

const { cases } = loadFixture<{ cases: Case[] }>('format.json');

afterEach(() => setPrintOptions({ profile: 'default' }));

describe('Tensor#toString', () => {
  it.each(cases.map((c) => [c.name, c] as const))('prints %s as PyTorch does', (_name, c) => {
    setPrintOptions({ profile: 'default', ...c.options });
    const t = tensor(Float64Array.from(c.data), { shape: c.shape, requiresGrad: c.requiresGrad });
    expect(t.toString()).toBe(c.expected);
  });

  it('differs from the raw PyTorch repr only in the suffixes it documents', () => {
    const plain = cases.filter((c) => !c.requiresGrad && c.data.length > 0);
    expect(plain.length).toBeGreaterThan(20);
    for (const c of plain) expect(c.torch_repr).toBe(c.expected);
  });

  it('prints a result of ops like a leaf: the values and requiresGrad, nothing of the graph', () => {
    // PyTorch: tensor([20.0855,  2.7183], grad_fn=<ExpBackward0>), and without it once detached.
    const x = tensor([1.5, 0.5], { requiresGrad: true });
    const y = x.mul(2).exp();
    expect(y.toString()).toBe('tensor([20.0855,  2.7183], requiresGrad=true)');
    expect(y.detach().toString()).toBe('tensor([20.0855,  2.7183])');
  });

  it('is what console.log and util.inspect show', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(inspect(y)).toBe('tensor(30., requiresGrad=true)');
    expect(inspect({ loss: y })).toBe('{ loss: tensor(30., requiresGrad=true) }');
    expect(inspect(x.grad)).toBe(x.grad!.toString());
    expect(inspect(y)).not.toMatch(/node|prim|saved/);
  });

  it('prints an infeasible CTC-style infinite loss as inf, not null', () => {
    expect(String(tensor(Infinity))).toBe('tensor(inf)');
    expect(String(tensor([Infinity, -Infinity, NaN]))).toBe('tensor([inf, -inf, nan])');
  });
});

describe('setPrintOptions', () => {
  it('changes only the fields it is given, and getPrintOptions returns a copy', () => {
    setPrintOptions({ precision: 2 });
    setPrintOptions({ linewidth: 120, threshold: undefined });
    const o = getPrintOptions();
    expect(o).toEqual({ precision: 2, threshold: 1000, edgeitems: 3, linewidth: 120, sciMode: null });
    o.precision = 9;
    expect(getPrintOptions().precision).toBe(2);
  });

  it('profiles set every field as torch.set_printoptions does', () => {
    setPrintOptions({ profile: 'short' });
    expect(getPrintOptions()).toEqual({ precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80, sciMode: null });
    setPrintOptions({ profile: 'full', precision: 6 });
    expect(getPrintOptions()).toEqual({ precision: 6, threshold: Infinity, edgeitems: 3, linewidth: 80, sciMode: null });
  });

  it('rejects bad options by name and changes nothing', () => {
    const before = getPrintOptions();
    expectThrowsWith(() => setPrintOptions({ precision: 2.5 }), 'setPrintOptions', 'precision', 'integer', '2.5');
    expectThrowsWith(() => setPrintOptions({ linewidth: 10, precision: 40 }), 'setPrintOptions', 'precision', '40');
    expectThrowsWith(() => setPrintOptions({ threshold: 0 }), 'setPrintOptions', 'threshold', 'positive');
    expectThrowsWith(() => setPrintOptions({ sciMode: 'yes' as unknown as boolean }), 'setPrintOptions', 'sciMode', 'yes');
    expectThrowsWith(() => setPrintOptions({ edgeitems: -1 }), 'setPrintOptions', 'edgeitems');
    expectThrowsWith(() => setPrintOptions({ precison: 3 } as unknown as PrintOptions), 'setPrintOptions', 'unknown option', 'precison');
    expectThrowsWith(() => setPrintOptions({ profile: 'long' as 'full' }), 'setPrintOptions', 'profile', 'long');
    expectThrowsWith(() => setPrintOptions(null as unknown as PrintOptions), 'setPrintOptions', 'object');
    expect(getPrintOptions()).toEqual(before);
  });
});
