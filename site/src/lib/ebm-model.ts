/**
 * The energy-based-model pages' problem and models, free of the DOM so the browser spec can rerun
 * them in Node. A scalar input x in [−1, 1] and one of five answers; the correct answer follows a
 * wave through the answers as x moves, and a tenth of the training labels are replaced by another
 * answer. Two energies: a non-linear one, E(x, y) = ‖G(x) − H_y‖² with an MLP G and a learned
 * point H_y per answer, and a linear one, E(x, y) = −(W φ(x))_y over fixed bump features φ.
 */
import { Rng, ebm, noGrad, optim, randn, tensor } from '../../../index.js';
import type { Tensor } from '../../../index.js';
import { mlp } from './mlp.js';

export const ANSWERS = 5;

export const LOSSES = ['energy', 'nll', 'perceptron', 'hinge', 'log', 'square-square', 'square-exp', 'lvq2', 'mce', 'mee'] as const;
export type LossName = (typeof LOSSES)[number];
export type EnergyKind = 'non-linear' | 'linear';

export interface EbmConfig {
  loss: LossName;
  energy: EnergyKind;
  /** β of NLL and MEE. */
  beta: number;
  /** m of hinge and square-square, M of LVQ2. */
  margin: number;
  seed: number;
}

/** The noise-free answer at x. */
export function answerAt(x: number): number {
  return Math.min(ANSWERS - 1, Math.floor(ANSWERS * (0.5 + 0.48 * Math.sin(2.6 * x))));
}

function dataset(n: number, noise: number, seed: number): { x: number[]; y: number[] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const y = x.map((v) => (rng.uniform() < noise ? (answerAt(v) + 1 + rng.int(ANSWERS - 1)) % ANSWERS : answerAt(v)));
  return { x, y };
}

export function lossFn(c: EbmConfig): (e: Tensor, y: number[]) => Tensor {
  switch (c.loss) {
    case 'energy': return (e, y) => ebm.energyLoss(e, y);
    case 'nll': return (e, y) => ebm.nllLoss(e, y, { beta: c.beta });
    case 'perceptron': return (e, y) => ebm.perceptronLoss(e, y);
    case 'hinge': return (e, y) => ebm.hingeLoss(e, y, { margin: c.margin });
    case 'log': return (e, y) => ebm.logLoss(e, y);
    case 'square-square': return (e, y) => ebm.squareSquareLoss(e, y, { margin: c.margin });
    case 'square-exp': return (e, y) => ebm.squareExpLoss(e, y);
    case 'lvq2': return (e, y) => ebm.lvq2Loss(e, y, { margin: c.margin });
    case 'mce': return (e, y) => ebm.mceLoss(e, y);
    case 'mee': return (e, y) => ebm.meeLoss(e, y, { beta: c.beta });
  }
}

interface Model {
  params: Tensor[];
  energies(x: readonly number[]): Tensor; // [P, ANSWERS]
}

function nonLinear(seed: number): Model {
  const g = mlp([1, 16, 16, 2], seed);
  const h = randn([ANSWERS, 2], { seed: seed + 50 }).detach();
  h.requiresGrad = true;
  return { params: [...g.params, h], energies: (x) => g.forward(tensor(x.map((v) => [v]))).unsqueeze(1).sub(h.unsqueeze(0)).pow(2).sum(-1) };
}

function linear(seed: number): Model {
  const centres = Array.from({ length: 16 }, (_, i) => -1 + (2 * i) / 15);
  const w = randn([16, ANSWERS], { seed: seed + 70 }).mul(0.3).detach();
  w.requiresGrad = true;
  const phi = (x: readonly number[]): Tensor => tensor(x.map((v) => centres.map((c) => Math.exp(-((v - c) ** 2) / (2 * 0.15 ** 2))))); // [P, 16]
  return { params: [w], energies: (x) => phi(x).matmul(w).neg() };
}

export class EbmTrainer {
  readonly train = dataset(200, 0.1, 1);
  readonly heldOut = dataset(200, 0, 2);
  private readonly model: Model;
  private readonly opt: optim.Adam;
  private readonly loss: (e: Tensor, y: number[]) => Tensor;
  steps = 0;
  lossValue = NaN;

  constructor(readonly config: EbmConfig) {
    this.model = config.energy === 'linear' ? linear(config.seed) : nonLinear(config.seed);
    this.opt = new optim.Adam(this.model.params, { lr: 0.03 });
    this.loss = lossFn(config);
  }

  step(): void {
    this.opt.zeroGrad();
    const l = this.loss(this.model.energies(this.train.x), this.train.y);
    l.backward();
    this.opt.step();
    this.steps++;
    this.lossValue = l.item();
  }

  energies(x: readonly number[]): number[][] {
    return noGrad(() => this.model.energies(x).toArray() as number[][]);
  }

  /** The margin report on held-out data, at the margin the loss asks for (1 for the losses without one). */
  report(): ebm.MarginReport {
    const m = ['hinge', 'square-square'].includes(this.config.loss) ? this.config.margin : 1;
    return ebm.marginReport(this.energies(this.heldOut.x), this.heldOut.y, { margin: m });
  }
}
