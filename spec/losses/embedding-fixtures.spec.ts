/**
 * The margin and embedding losses against PyTorch 1.13: every case of spec/fixtures/embedding.json
 * (written by gen_embedding.py) replayed for its value and the gradient of every differentiable input.
 */
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import {
  cosineEmbeddingLoss, hingeEmbeddingLoss, marginRankingLoss, softMarginLoss, tripletMarginLoss,
  tripletMarginWithDistanceLoss,
} from '../../losses/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

type Nested = number | Nested[];

interface Case {
  name: string;
  opts: Record<string, unknown>;
  reduction: 'none' | 'mean' | 'sum';
  inputs: Record<string, Nested>;
  shapes: Record<string, number[]>;
  out: Nested;
  outShape: number[];
  gout?: Nested;
  grads: Record<string, Nested>;
  torch_out?: Nested;
}

const fixture = loadFixture<Record<string, Case[]>>('embedding.json');

const flat = (x: Nested): number[] => (typeof x === 'number' ? [x] : x.flatMap(flat));

/** The same distances as gen_embedding.py's DISTANCES, composed from engine ops. */
const DISTANCES: Record<string, ((x: Tensor, y: Tensor) => Tensor) | undefined> = {
  pairwise: undefined,
  l1: (x, y) => x.sub(y).abs().sum(-1),
  cosine: (x, y) => x.mul(y).sum(-1).div(x.norm(2, -1).mul(y.norm(2, -1))).neg().add(1),
};

type Run = (t: Record<string, Tensor>, opts: Record<string, unknown>) => Tensor;

const RUNS: Record<string, Run> = {
  marginRanking: (t, o) => marginRankingLoss(t.x1, t.x2, t.y, o),
  triplet: (t, o) => tripletMarginLoss(t.anchor, t.positive, t.negative, o),
  withDistance: (t, { distance, ...o }) =>
    tripletMarginWithDistanceLoss(t.anchor, t.positive, t.negative, { ...o, distanceFunction: DISTANCES[(distance as string | undefined) ?? 'pairwise'] }),
  softMargin: (t, o) => softMarginLoss(t.input, t.target, o),
  hingeEmbedding: (t, o) => hingeEmbeddingLoss(t.input, t.target, o),
  cosineEmbedding: (t, o) => cosineEmbeddingLoss(t.x1, t.x2, t.y, o),
};

describe.each(Object.keys(RUNS))('%s matches PyTorch 1.13', (family) => {
  const cases = fixture[family];

  it('has cases for every reduction', () => {
    expect(new Set(cases.map((c) => c.reduction))).toEqual(new Set(['none', 'mean', 'sum']));
  });

  it.each(cases.map((c, i) => [`${c.name} (${c.reduction}) #${i}`, c] as const))('%s', (_title, c) => {
    const inputs: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.inputs)) {
      inputs[k] = tensor(flat(v), { shape: c.shapes[k], requiresGrad: k in c.grads });
    }
    const out = RUNS[family](inputs, { ...c.opts, reduction: c.reduction });
    expect(out.shape).toEqual(c.outShape);
    expectClose(out, flat(c.out));
    out.backward(c.gout === undefined ? undefined : tensor(flat(c.gout), { shape: out.shape }));
    for (const [k, g] of Object.entries(c.grads)) {
      if (g === null) {
        expect(inputs[k].grad).toBeNull();
        continue;
      }
      expectClose(inputs[k].grad!, flat(g));
    }
  });
});

describe('softMarginLoss where PyTorch overflows', () => {
  it('is finite where soft_margin_loss returns Infinity (the fixture keeps both)', () => {
    const c = fixture.softMargin.find((x) => x.torch_out !== undefined && x.reduction === 'none')!;
    const torchOut = flat(c.torch_out!);
    expect(torchOut).toContain(Infinity);
    const out = softMarginLoss(tensor(flat(c.inputs.input)), tensor(flat(c.inputs.target)), { reduction: 'none' });
    expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
  });
});
