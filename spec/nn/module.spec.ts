/** Module semantics: names, registration order, modes, gradients, state dicts with PyTorch's loading rules. */
import { Tensor, nn, ones, optim, tensor, zeros } from '../../index.js';
import { expectThrowsWith } from '../helpers/index.js';

class Net extends nn.Module {
  readonly encoder = this.registerModule('encoder', new nn.Sequential(new nn.Linear(3, 4, { seed: 1 }), new nn.ReLU(), new nn.BatchNorm1d(4)));
  readonly head = this.registerModule('head', new nn.Linear(4, 2, { seed: 2 }));
  readonly scale = this.registerParameter('scale', ones([2]));
  readonly offset = this.registerBuffer('offset', zeros([2]));

  override forward(x: Tensor): Tensor {
    return this.head.call(this.encoder.call(x)).mul(this.scale).add(this.offset);
  }
}

describe('Module: names and listings', () => {
  it("names parameters as PyTorch does: own first, then children's, dotted", () => {
    expect(new Net().namedParameters().map(([k]) => k)).toEqual([
      'scale', 'encoder.0.weight', 'encoder.0.bias', 'encoder.2.weight', 'encoder.2.bias', 'head.weight', 'head.bias',
    ]);
  });

  it('puts buffers in the state dict after each module’s parameters, as state_dict()', () => {
    expect(Object.keys(new Net().stateDict())).toEqual([
      'scale', 'offset', 'encoder.0.weight', 'encoder.0.bias', 'encoder.2.weight', 'encoder.2.bias',
      'encoder.2.running_mean', 'encoder.2.running_var', 'encoder.2.num_batches_tracked', 'head.weight', 'head.bias',
    ]);
    expect(new Net().namedBuffers().map(([k]) => k)).toEqual(['offset', 'encoder.2.running_mean', 'encoder.2.running_var', 'encoder.2.num_batches_tracked']);
  });

  it('lists children and modules; a shared layer and a shared parameter appear once', () => {
    const shared = new nn.Linear(2, 2, { seed: 0 });
    const seq = new nn.Sequential(shared, new nn.Tanh(), shared);
    expect(seq.children()).toHaveLength(3);
    expect(seq.modules()).toHaveLength(3);
    expect(seq.namedParameters().map(([k]) => k)).toEqual(['0.weight', '0.bias']);
    expect(new nn.Linear(2, 2, { bias: false }).namedParameters().map(([k]) => k)).toEqual(['weight']);
  });

  it('parameters are leaves that require grad; buffers do not', () => {
    const n = new Net();
    expect(n.parameters().every((p) => p.isLeaf && p.requiresGrad)).toBe(true);
    expect(n.buffers().some((b) => b.requiresGrad)).toBe(false);
  });

  it('call(...) is forward(...), typed by the subclass', () => {
    const lin = new nn.Linear(3, 2, { seed: 0 });
    const x = tensor([[1, 2, 3]]);
    const y: Tensor = lin.call(x);
    expect(y.toArray()).toEqual(lin.forward(x).toArray());
    const [out, h]: [Tensor, Tensor] = new nn.GRU(3, 2, { seed: 0 }).call(tensor([[1, 2, 3]]));
    expect([out.shape, h.shape]).toEqual([[1, 2], [1, 2]]);
  });

  it('a module without forward says so', () => {
    expectThrowsWith(() => new nn.ModuleList().call(), 'ModuleList: forward is not implemented');
  });
});

describe('Module: modes and gradients', () => {
  it('train() and eval() set the whole tree, and return the module', () => {
    const n = new Net();
    expect(n.eval()).toBe(n);
    expect(n.modules().every((m) => !m.training)).toBe(true);
    n.train();
    expect(n.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad clears every gradient; an optimizer over parameters() trains the model', () => {
    const n = new Net();
    const x = tensor([[1, 2, 3], [0, -1, 2], [3, 1, 0]]);
    const opt = new optim.SGD(n.parameters(), { lr: 0.1 });
    const loss = (): Tensor => n.call(x).pow(2).sum();
    const before = loss().item();
    loss().backward();
    expect(n.parameters().every((p) => p.grad !== null)).toBe(true);
    opt.step();
    n.zeroGrad();
    expect(n.parameters().every((p) => p.grad === null)).toBe(true);
    expect(loss().item()).toBeLessThan(before);
  });
});

describe('Module: stateDict and loadStateDict', () => {
  it('round-trips: a second model given the first one’s state dict computes the same function', () => {
    const a = new Net();
    const x = tensor([[1, 2, 3], [0, -1, 2]]);
    a.call(x);
    const b = new Net();
    for (const p of b.parameters()) p.data.fill(0.25);
    const r = b.loadStateDict(a.stateDict());
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    a.eval();
    b.eval();
    expect(b.call(x).toArray()).toEqual(a.call(x).toArray());
    expect(b.stateDict()['encoder.2.num_batches_tracked'].item()).toBe(1);
  });

  it('copies in place: the parameter tensors stay the same objects (optimizers keep working)', () => {
    const n = new Net();
    const w = n.head.weight;
    n.loadStateDict(new Net().stateDict());
    expect(n.head.weight).toBe(w);
    expect(n.parameters()).toContain(w);
  });

  it('strict (the default) throws on missing and unexpected keys, naming them, and loads nothing', () => {
    const n = new Net();
    const before = JSON.stringify(Object.values(n.stateDict()).map((t) => t.toArray()));
    const dict = { ...new Net().stateDict(), extra: zeros([1]) } as Record<string, Tensor>;
    delete dict['head.bias'];
    for (const p of Object.values(dict)) p.data.fill(7);
    expectThrowsWith(() => n.loadStateDict(dict), 'Net.loadStateDict', "missing keys: 'head.bias'", "unexpected keys: 'extra'");
    expect(JSON.stringify(Object.values(n.stateDict()).map((t) => t.toArray()))).toBe(before);
  });

  it('non-strict loads the matching keys and reports the rest, as load_state_dict(strict=False)', () => {
    const n = new nn.Linear(2, 1, { seed: 0 });
    const r = n.loadStateDict({ weight: tensor([[3, 4]]), 'other.bias': zeros([1]) }, { strict: false });
    expect(r).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['other.bias'] });
    expect(n.weight.toArray()).toEqual([[3, 4]]);
  });

  it('a shape mismatch throws even when not strict, and nothing is loaded', () => {
    const n = new nn.Linear(2, 1, { seed: 0 });
    const w = n.weight.toArray();
    expectThrowsWith(
      () => n.loadStateDict({ weight: zeros([2, 1]), bias: tensor([5]) }, { strict: false }),
      "size mismatch for 'weight'", 'shape [2, 1]', 'the module [1, 2]',
    );
    expect(n.weight.toArray()).toEqual(w);
    expect(n.bias!.item()).not.toBe(5);
  });

  it('rejects bad arguments with the layer and the argument named', () => {
    const n = new nn.Linear(2, 1, { seed: 0 });
    expectThrowsWith(() => n.loadStateDict({ weight: [[1, 2]] as unknown as Tensor, bias: zeros([1]) }), "'weight' must be a Tensor");
    expectThrowsWith(() => n.loadStateDict(n.stateDict(), { strict: 'yes' as unknown as boolean }), 'Linear.loadStateDict', 'strict must be a boolean');
    expectThrowsWith(() => n.loadStateDict(n.stateDict(), { struct: true } as object), "unknown option 'struct'");
    expectThrowsWith(() => n.loadStateDict(null as unknown as Record<string, Tensor>), 'dict must be an object of Tensors');
  });

  it('stateDict tensors share storage with the module and are outside the graph', () => {
    const n = new nn.Linear(2, 1, { seed: 0 });
    const sd = n.stateDict();
    expect(sd.weight.requiresGrad).toBe(false);
    expect(sd.weight.data).toBe(n.weight.data);
  });
});

describe('Module: registration rules', () => {
  class Bad extends nn.Module {
    constructor(kind: string) {
      super();
      if (kind === 'dot') this.registerParameter('a.b', zeros([1]));
      if (kind === 'twice') {
        this.registerParameter('w', zeros([1]));
        this.registerBuffer('w', zeros([1]));
      }
      if (kind === 'nonleaf') this.registerParameter('w', zeros([1], { requiresGrad: true }).mul(2));
      if (kind === 'notModule') this.registerModule('m', {} as nn.Module);
    }
  }
  it.each([
    ['dot', "without '.'"], ['twice', "'w' is already registered"], ['nonleaf', 'must be a leaf tensor'], ['notModule', "module 'm' must be a Module"],
  ])('%s', (kind, msg) => {
    expectThrowsWith(() => new Bad(kind), 'Bad:', msg);
  });
});

describe('Sequential and ModuleList', () => {
  it('Sequential applies its modules in order and indexes them', () => {
    const a = new nn.Linear(2, 3, { seed: 0 });
    const s = new nn.Sequential(a, new nn.Tanh());
    const x = tensor([[1, -1]]);
    expect(s.call(x).toArray()).toEqual(a.call(x).tanh().toArray());
    expect(s.get(0)).toBe(a);
    expect(s.get(-1)).toBeInstanceOf(nn.Tanh);
    expect([...s]).toHaveLength(2);
    expectThrowsWith(() => s.get(2), 'Sequential: index 2 is out of range for 2 modules');
    expectThrowsWith(() => new nn.Sequential(a, (() => 0) as unknown as nn.Module), 'Sequential: module 1 must be a Module');
  });

  it('ModuleList registers what it holds', () => {
    const l = new nn.ModuleList([new nn.Linear(1, 1, { seed: 0 })]).append(new nn.Linear(1, 2, { seed: 1 }));
    expect(Object.keys(l.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(l.get(1)).toBe([...l][1]);
    expectThrowsWith(() => new nn.ModuleList('x' as unknown as nn.Module[]), 'ModuleList: modules must be an array');
  });
});
