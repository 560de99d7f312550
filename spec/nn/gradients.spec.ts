/**
 * Gradient checks of every layer through its input and every parameter, on random small shapes
 * and options (central differences in float64, `<v, Jᵀu> = <u, J v>`).
 */
import fc from 'fast-check';
import { Tensor, nn } from '../../index.js';
import { arbData, expectGradOk, fcParams } from '../helpers/index.js';
import { gruGates } from '../../engine/internal.js';
import { expectModuleGradOk } from './module-grad.js';

const leaf = (data: Float64Array, shape: number[]): Tensor => new Tensor(data, shape, true);

/** Checks `m.call(...inputs)` (the first output when it returns several) through the inputs and all parameters. */
function checkModule(m: nn.Module, inputs: Tensor[], combine?: (out: unknown) => Tensor): void {
  const params = m.parameters();
  const fn = (): Tensor => {
    const out = m.call(...inputs);
    return combine ? combine(out) : (out as Tensor);
  };
  expectModuleGradOk(fn, [...inputs, ...params]);
}

const arbIn = (shape: number[], lo = -2, hi = 2): fc.Arbitrary<Tensor> => arbData(shape.reduce((p, s) => p * s, 1), lo, hi).map((d) => leaf(d, shape));

describe('layer gradients (input and every parameter)', () => {
  it('Linear', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.nat(), (i, o, n, bias, seed) => {
      const x = leaf(Float64Array.from({ length: n * i }, (_, k) => Math.sin(k + seed)), [n, i]);
      checkModule(new nn.Linear(i, o, { bias, seed }), [x]);
    }), fcParams(15));
  });

  it('Bilinear', () => {
    const arb = fc.record({ a: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }), o: fc.integer({ min: 1, max: 3 }), seed: fc.nat() })
      .chain((o) => fc.tuple(fc.constant(o), arbIn([2, o.a]), arbIn([2, o.b])));
    fc.assert(fc.property(arb, ([{ a, b, o, seed }, x1, x2]) => checkModule(new nn.Bilinear(a, b, o, { seed }), [x1, x2])), fcParams(10));
  });

  it('Embedding (the table; the padding row gets nothing)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }), fc.nat(), (idx, seed) => {
      const emb = new nn.Embedding(6, 3, { paddingIdx: 1, seed });
      // NOTE: the padding row's value reaches the output but, by design, not the gradient, so
      // finite differences are checked on lookups without it.
      expectModuleGradOk(() => emb.call(idx.map((i) => (i === 1 ? 0 : i))), [emb.weight]);
      emb.call(idx).sum().backward();
      expect(Array.from(emb.weight.grad!.data.slice(3, 6))).toEqual([0, 0, 0]);
    }), fcParams(10));
  });

  it('LayerNorm (with random affine parameters)', () => {
    const arb = fc.record({ d: fc.integer({ min: 2, max: 4 }), n: fc.integer({ min: 1, max: 3 }), seed: fc.nat() })
      .chain((o) => fc.tuple(fc.constant(o), arbIn([o.n, 2, o.d])));
    fc.assert(fc.property(arb, ([{ d, seed }, x]) => {
      const ln = new nn.LayerNorm([d]);
      nn.init.normal(ln.weight!, 0, 1, { seed });
      nn.init.normal(ln.bias!, 0, 1, { seed: seed + 1 });
      checkModule(ln, [x]);
    }), fcParams(10));
  });

  it('BatchNorm1d in training (batch statistics) and in evaluation (running statistics)', () => {
    const arb = fc.record({ c: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 2, max: 4 }), threeD: fc.boolean(), train: fc.boolean() })
      .chain((o) => fc.tuple(fc.constant(o), arbIn(o.threeD ? [o.n, o.c, 2] : [o.n, o.c])));
    fc.assert(fc.property(arb, ([{ c, n, train }, x]) => {
      const bn = new nn.BatchNorm1d(c);
      nn.init.normal(bn.weight!, 0, 1, { seed: c });
      nn.init.uniform(bn.runningVar!, 0.5, 2, { seed: n });
      bn.train(train);
      checkModule(bn, [x]);
    }), fcParams(12));
  });

  it('Dropout (a fixed mask per seed)', () => {
    fc.assert(fc.property(arbIn([3, 4]), fc.double({ min: 0, max: 0.9, noNaN: true }), (x, p) => {
      expectGradOk((t) => new nn.Dropout(p, { seed: 3 }).call(t), [x]);
    }), fcParams(10));
  });

  it('Conv1d over stride, padding, dilation, groups and bias', () => {
    const arbConv = fc.record({
      g: fc.integer({ min: 1, max: 2 }), cin: fc.integer({ min: 1, max: 2 }), cout: fc.integer({ min: 1, max: 2 }), k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 3 }), padding: fc.integer({ min: 0, max: 2 }), dilation: fc.integer({ min: 1, max: 2 }),
      bias: fc.boolean(), n: fc.integer({ min: 1, max: 2 }), extra: fc.integer({ min: 0, max: 4 }), seed: fc.nat(),
    });
    const arb = arbConv.chain((o) => fc.tuple(fc.constant(o), arbIn([o.n, o.cin * o.g, o.dilation * (o.k - 1) + 1 + o.extra])));
    fc.assert(fc.property(arb, ([o, x]) => {
      const conv = new nn.Conv1d(o.cin * o.g, o.cout * o.g, o.k, { stride: o.stride, padding: o.padding, dilation: o.dilation, groups: o.g, bias: o.bias, seed: o.seed });
      checkModule(conv, [x]);
    }), fcParams(20));
  });

  it('GRU through the output sequence and the final state, h0 included', () => {
    const arbGru = fc.record({
      inp: fc.integer({ min: 1, max: 3 }), hid: fc.integer({ min: 1, max: 3 }), layers: fc.integer({ min: 1, max: 2 }),
      T: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 2 }), bias: fc.boolean(), batchFirst: fc.boolean(), seed: fc.nat(),
    });
    const arb = arbGru.chain((o) => fc.tuple(fc.constant(o), arbIn(o.batchFirst ? [o.n, o.T, o.inp] : [o.T, o.n, o.inp]), arbIn([o.layers, o.n, o.hid], -1, 1)));
    fc.assert(fc.property(arb, ([o, x, h0]) => {
      const gru = new nn.GRU(o.inp, o.hid, { numLayers: o.layers, bias: o.bias, batchFirst: o.batchFirst, seed: o.seed });
      checkModule(gru, [x, h0], (out) => {
        const [y, hN] = out as [Tensor, Tensor];
        return y.sum().mul(0.5).add(hN.mul(hN).sum());
      });
    }), fcParams(12));
  });

  it('gruGates, the fused GRU step, through all three inputs', () => {
    const arb = fc.record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 3 }) })
      .chain(({ n, h }) => fc.tuple(fc.constant(h), arbIn([n, 3 * h], -3, 3), arbIn([n, 3 * h], -3, 3), arbIn([n, h], -1, 1)));
    fc.assert(fc.property(arb, ([H, gi, gh, h]) => expectGradOk((a, b, c) => gruGates(a, b, c, H), [gi, gh, h])), fcParams(20));
  });

  it('activations, away from their kinks', () => {
    const mods = [
      new nn.GELU(), new nn.GELU({ approximate: 'tanh' }), new nn.ELU(0.5), new nn.SiLU(), new nn.LogSigmoid(), new nn.Softsign(),
      new nn.Softplus({ beta: 2, threshold: 3 }), new nn.LeakyReLU(0.1), new nn.Hardtanh(-1.5, 1.5), new nn.Softmax(-1), new nn.LogSoftmax(1),
    ];
    // Kinks at 0 (LeakyReLU, ELU with α ≠ 1), ±1.5 (this Hardtanh) and βx = 3 (this Softplus) are moved off.
    const kinks = [0, 1.5, -1.5];
    const awayFromKinks = arbData(6, -3, 3).map((d) => d.map((v) => (kinks.some((k) => Math.abs(v - k) < 1e-3) ? v + 0.01 : v)));
    fc.assert(fc.property(awayFromKinks, fc.integer({ min: 0, max: mods.length - 1 }), (d, i) => {
      expectGradOk((t) => mods[i].call(t), [leaf(d, [2, 3])]);
    }), fcParams(30));
  });

  it('a Sequential of them', () => {
    fc.assert(fc.property(arbIn([3, 4]), fc.nat(), (x, seed) => {
      const net = new nn.Sequential(new nn.Linear(4, 5, { seed }), new nn.LayerNorm(5), new nn.GELU(), new nn.Linear(5, 2, { seed: seed + 1 }), new nn.LogSoftmax(1));
      checkModule(net, [x]);
    }), fcParams(8));
  });
});
