/**
 * The triplet page's model, free of the DOM so that the browser spec can rerun it in Node: an
 * MLP maps points of a few classes (each class two far-apart clusters in 6-D, interleaved with
 * the other classes' clusters) to 2-D, trained with tripletMarginLoss on triplets mined from the
 * whole batch by mineBatchHard or mineSemiHard.
 */
import { Rng, mineBatchHard, mineSemiHard, noGrad, optim, tensor, tripletMarginLoss } from '../../../index.js';
import type { Tensor } from '../../../index.js';
import { mlp } from './mlp.js';
import type { Mlp } from './mlp.js';

export const CLASSES = 4;
const DIM = 6;
const PER_CLASS = 16;

export type Mining = 'batch-hard' | 'semi-hard';

export interface TripletConfig {
  seed: number;
  mining: Mining;
  margin: number;
}

interface Points {
  x: Tensor; // [N, DIM]
  labels: number[];
}

function points(rng: Rng, centres: number[][][]): Points {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < CLASSES * PER_CLASS; i++) {
    const c = i % CLASSES;
    const centre = centres[c][rng.int(2)];
    rows.push(centre.map((v) => v + 0.6 * rng.normal()));
    labels.push(c);
  }
  return { x: tensor(rows), labels };
}

export class TripletTrainer {
  readonly train: Points;
  readonly heldOut: Points;
  private readonly model: Mlp;
  private readonly opt: optim.Adam;
  steps = 0;
  loss = NaN;
  /** Triplets the miner returned at the last step. */
  triplets = 0;

  constructor(readonly config: TripletConfig) {
    const rng = new Rng(config.seed);
    const centres = Array.from({ length: CLASSES }, () => Array.from({ length: 2 }, () => Array.from({ length: DIM }, () => 1.5 * rng.normal())));
    this.train = points(rng, centres);
    this.heldOut = points(rng, centres);
    this.model = mlp([DIM, 24, 2], config.seed);
    this.opt = new optim.Adam(this.model.params, { lr: 0.01 });
  }

  /** One full-batch step; a batch the miner finds no triplet in leaves the model unchanged. */
  step(): void {
    const { mining, margin } = this.config;
    this.opt.zeroGrad();
    const e = this.model.forward(this.train.x); // [N, 2]
    const mined = mining === 'batch-hard' ? mineBatchHard(e, this.train.labels) : mineSemiHard(e, this.train.labels, { margin });
    this.triplets = mined.anchorIndex.length;
    this.steps++;
    if (this.triplets === 0) {
      this.loss = 0;
      return;
    }
    const loss = tripletMarginLoss(mined.anchor, mined.positive, mined.negative, { margin });
    loss.backward();
    this.opt.step();
    this.loss = loss.item();
  }

  embed(which: 'train' | 'heldOut'): number[][] {
    return noGrad(() => this.model.forward(this[which].x).toArray() as number[][]);
  }
}

/** Indices of the `k` points nearest to point `query` (itself excluded), by Euclidean distance in the embedding. */
export function nearest(embedding: number[][], query: number, k: number): number[] {
  const e = tensor(embedding);
  const d = e.sub(tensor([embedding[query]])).pow(2).sum(1).toArray() as number[]; // [N]
  return d.map((v, i) => [v, i]).filter(([, i]) => i !== query).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k).map(([, i]) => i);
}

/** Share of held-out points whose nearest training point has their label (retrieval accuracy). */
export function heldOutAccuracy(t: TripletTrainer): number {
  const tr = t.embed('train');
  const ho = t.embed('heldOut');
  let hits = 0;
  ho.forEach((p, i) => {
    const all = [p, ...tr];
    const [j] = nearest(all, 0, 1);
    if (t.train.labels[j - 1] === t.heldOut.labels[i]) hits++;
  });
  return hits / ho.length;
}
