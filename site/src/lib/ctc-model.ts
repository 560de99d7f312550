/**
 * The CTC page's tiny recogniser, free of the DOM so the browser spec can rerun it in Node.
 * Synthetic "speech": each utterance is 2 to 4 labels from {a, b, c}, each held for 2 or 3 frames
 * with optional silence between, every frame a noisy copy of its label's feature vector. An MLP
 * scores each frame (6 → 16 → 4, blank first), and ctcLoss trains it without any frame labels.
 */
import { Rng, ctcBeamSearch, ctcGreedyDecode, ctcLoss, noGrad, optim, randn, tensor } from '../../../index.js';
import type { Tensor } from '../../../index.js';
import { mlp } from './mlp.js';
import type { Mlp } from './mlp.js';

const LABELS = 3;
const DIM = 6;
/** Up to 4 labels of at most 3 frames, each perhaps after a silent frame, fill at most 16 frames. */
const MAX_LABELS = 4;
const FRAMES = 16;
const UTTERANCES = 24;

export interface Utterances {
  x: Tensor; // [FRAMES, N, DIM]
  targets: number[][];
  lengths: number[];
}

function utterances(rng: Rng, prototypes: number[][], n: number): Utterances {
  const frames: number[][][] = Array.from({ length: FRAMES }, () => []);
  const targets: number[][] = [];
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const labels = Array.from({ length: 2 + rng.int(MAX_LABELS - 1) }, () => 1 + rng.int(LABELS));
    const seq: number[] = [];
    labels.forEach((l, j) => {
      // Equal neighbours need silence between them to be heard as two labels.
      if (rng.uniform() < 0.5 || (j > 0 && labels[j - 1] === l)) seq.push(0);
      for (let r = 0; r < 2 + rng.int(2); r++) seq.push(l);
    });
    targets.push(labels);
    lengths.push(seq.length);
    for (let t = 0; t < FRAMES; t++) {
      const k = t < seq.length ? seq[t] : 0;
      frames[t].push(prototypes[k].map((v) => v + 1.1 * rng.normal()));
    }
  }
  return { x: tensor(frames), targets, lengths };
}

/** Levenshtein distance between two label sequences: the numerator of the label error rate. */
export function editDistance(a: number[], b: number[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

export class CtcTrainer {
  readonly train: Utterances;
  readonly heldOut: Utterances;
  private readonly model: Mlp;
  private readonly opt: optim.Adam;
  steps = 0;
  loss = NaN;

  constructor(readonly seed: number) {
    const rng = new Rng(seed);
    const prototypes = (randn([LABELS + 1, DIM], { seed: seed + 100 }).toArray() as number[][]).map((r, k) => r.map((v) => (k === 0 ? 0.3 * v : 1.2 * v)));
    this.train = utterances(rng, prototypes, UTTERANCES);
    this.heldOut = utterances(rng, prototypes, UTTERANCES);
    this.model = mlp([DIM, 16, LABELS + 1], seed);
    this.opt = new optim.Adam(this.model.params, { lr: 0.01 });
  }

  logProbs(u: Utterances): Tensor {
    const n = u.targets.length;
    return this.model.forward(u.x.reshape([FRAMES * n, DIM])).reshape([FRAMES, n, LABELS + 1]).logSoftmax(2); // [T, N, C]
  }

  step(): void {
    this.opt.zeroGrad();
    const { targets, lengths } = this.train;
    // Padded to [N, MAX_LABELS]; ctcLoss ignores the positions past each target's length.
    const padded = targets.map((t) => [...t, ...new Array(MAX_LABELS - t.length).fill(1)]);
    const loss = ctcLoss(this.logProbs(this.train), padded, lengths, targets.map((t) => t.length));
    loss.backward();
    this.opt.step();
    this.steps++;
    this.loss = loss.item();
  }

  /** Held-out label error rate (edit distance over total target length) of both decoders, and their first outputs. */
  evaluate(): { greedy: number; beam: number; greedyOut: number[][]; beamOut: number[][] } {
    const lp = noGrad(() => this.logProbs(this.heldOut));
    const greedyOut = ctcGreedyDecode(lp, this.heldOut.lengths);
    const beamOut = ctcBeamSearch(lp, this.heldOut.lengths, { beamWidth: 4 });
    const total = this.heldOut.targets.reduce((a, t) => a + t.length, 0);
    const rate = (outs: number[][]): number => outs.reduce((a, o, i) => a + editDistance(o, this.heldOut.targets[i]), 0) / total;
    return { greedy: rate(greedyOut), beam: rate(beamOut), greedyOut, beamOut };
  }
}
