/** Layer behaviour the PyTorch fixtures do not pin: modes, seeded streams, layouts and edge options. */
import { Rng, Tensor, nn, randn, tensor, zeros } from '../../index.js';

const rows = (t: Tensor): number[][] => t.toArray() as number[][];

describe('Dropout', () => {
  it('zeroes about p of the entries, scales the rest by 1/(1 - p), and is the identity in eval', () => {
    const d = new nn.Dropout(0.3, { seed: 1 });
    const y = d.call(zeros([20000]).add(1));
    const zeroed = Array.from(y.data).filter((v) => v === 0).length / y.size;
    // 20000 Bernoulli(0.3) draws: the standard error of the fraction is 0.0032.
    expect(Math.abs(zeroed - 0.3)).toBeLessThan(0.02);
    expect(Array.from(y.data).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-15)).toBe(true);
    const x = randn([5]);
    expect(d.eval().call(x)).toBe(x);
  });

  it('the same seed gives the same masks in the same order; successive calls differ', () => {
    const a = new nn.Dropout(0.5, { seed: 9 });
    const b = new nn.Dropout(0.5, { seed: 9 });
    const x = zeros([64]).add(1);
    const a1 = a.call(x).toArray();
    expect(b.call(x).toArray()).toEqual(a1);
    expect(a.call(x).toArray()).not.toEqual(a1);
  });

  it('p = 1 zeroes everything; p = 0 passes the input through', () => {
    expect(new nn.Dropout(1).call(tensor([1, 2])).toArray()).toEqual([0, 0]);
    const x = tensor([1, 2]);
    expect(new nn.Dropout(0).call(x)).toBe(x);
  });
});

describe('BatchNorm1d options', () => {
  it('momentum null keeps the cumulative average of the batch statistics', () => {
    const bn = new nn.BatchNorm1d(1, { momentum: null });
    bn.call(tensor([[1], [3]]));
    bn.call(tensor([[5], [9]]));
    expect(bn.runningMean!.toArray()).toEqual([(2 + 7) / 2]);
    expect(bn.runningVar!.toArray()).toEqual([(2 + 8) / 2]);
  });

  it('without running statistics it has no buffers and uses the batch in eval too', () => {
    const bn = new nn.BatchNorm1d(1, { trackRunningStats: false, affine: false, eps: 0 });
    expect(Object.keys(bn.stateDict())).toEqual([]);
    expect(rows(bn.eval().call(tensor([[1], [3]])))).toEqual([[-1], [1]]);
  });
});

describe('layouts', () => {
  it('Conv1d: an unbatched input gives the batched result without its batch dim', () => {
    const conv = new nn.Conv1d(2, 3, 3, { padding: 1, seed: 0 });
    const x = randn([2, 6], { seed: 1 });
    expect(conv.call(x).toArray()).toEqual(conv.call(x.unsqueeze(0)).squeeze(0).toArray());
  });

  it('GRU: batchFirst is the transposed layout; an unbatched sequence is batch 1', () => {
    const a = new nn.GRU(3, 4, { seed: 2 });
    const b = new nn.GRU(3, 4, { seed: 2, batchFirst: true });
    const x = randn([5, 2, 3], { seed: 3 }); // [T, N, I]
    const [ya, ha] = a.call(x);
    const [yb, hb] = b.call(x.transpose(0, 1));
    expect(yb.transpose(0, 1).toArray()).toEqual(ya.toArray());
    expect(hb.toArray()).toEqual(ha.toArray());
    const [yu, hu] = a.call(x.slice(1, 0, 1).squeeze(1)); // [T, I]
    expect(yu.toArray()).toEqual(ya.slice(1, 0, 1).squeeze(1).toArray());
    expect(hu.shape).toEqual([1, 4]);
  });

  it('GRU: the last output step is the last layer’s final state', () => {
    const gru = new nn.GRU(2, 3, { numLayers: 3, seed: 4 });
    const [y, h] = gru.call(randn([4, 2, 2], { seed: 5 }));
    expect(y.slice(0, 3, 4).squeeze(0).toArray()).toEqual(h.slice(0, 2, 3).squeeze(0).toArray());
  });

  it('Embedding: a negative paddingIdx counts from the end; lookups of any index shape', () => {
    const emb = new nn.Embedding(4, 2, { paddingIdx: -1, seed: 0 });
    expect(emb.paddingIdx).toBe(3);
    expect(rows(emb.weight)[3]).toEqual([0, 0]);
    expect(emb.call(2).shape).toEqual([2]);
    expect(emb.call([]).shape).toEqual([0, 2]);
  });

  it('LayerNorm without affine parameters has an empty state dict', () => {
    const ln = new nn.LayerNorm([2], { elementwiseAffine: false, eps: 0 });
    expect(ln.parameters()).toEqual([]);
    expect(rows(ln.call(tensor([[2, 4]])))).toEqual([[-1, 1]]);
  });

  it('Flatten and Identity', () => {
    expect(new nn.Flatten(0).call(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(new nn.Flatten(1, 2).call(zeros([2, 3, 4, 5])).shape).toEqual([2, 12, 5]);
    const x = zeros([1]);
    expect(new nn.Identity().call(x)).toBe(x);
  });
});

describe('nn.init', () => {
  it('fans and gains follow torch.nn.init', () => {
    expect(nn.init.calculateFans([5, 3])).toEqual({ fanIn: 3, fanOut: 5 });
    expect(nn.init.calculateGain('tanh')).toBe(5 / 3);
    expect(nn.init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(nn.init.calculateGain('leaky_relu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(nn.init.calculateGain('selu')).toBe(0.75);
  });

  it("kaimingUniform's bound uses the chosen fan; xavierUniform's both", () => {
    const w = nn.init.kaimingUniform(zeros([50, 200]), { mode: 'fanOut', nonlinearity: 'relu', seed: 1 });
    const b = Math.SQRT2 * Math.sqrt(3 / 50);
    const m = w.abs().max().item();
    expect(m).toBeLessThanOrEqual(b);
    expect(m).toBeGreaterThan(0.99 * b);
    const x = nn.init.xavierUniform(zeros([30, 70]), { gain: 2, seed: 2 }).abs().max().item();
    expect(x).toBeLessThanOrEqual(2 * Math.sqrt(6 / 100));
    expect(x).toBeGreaterThan(0.99 * 2 * Math.sqrt(6 / 100));
  });

  it('a shared generator continues one stream across layers, reproducibly', () => {
    const build = (): number[][][] => {
      const generator = new Rng(3);
      return [new nn.Linear(3, 2, { generator }), new nn.Linear(3, 2, { generator })].map((l) => rows(l.weight));
    };
    const [a, b] = build();
    expect(a).not.toEqual(b);
    expect(build()).toEqual([a, b]);
  });
});
