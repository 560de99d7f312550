/**
 * Claim 8 of the lecture: the perceptron loss works for a linear energy, not in general.
 *
 * The perceptron loss E(Y) − min_y E(y) is zero as soon as the correct answer is among the
 * lowest, ties included: it asks for no margin, so it cannot tell a good surface from a flat
 * one. With an energy linear in its parameters, E(x, y) = −(W φ(x))_y over fixed features φ,
 * a flat surface is reachable only by W → 0, which the loss does not pull towards, and training
 * is the classic multiclass perceptron. A non-linear energy, E(x, y) = ‖G(x) − H_y‖² with an MLP
 * G and learned points H_y, can flatten itself cheaply (shrink G's outputs and the H_y towards
 * one point), and trained with the same loss on the same data it does: its surface collapses
 * (ebm.marginReport flags it), while the hinge loss, with the same model, keeps a margin.
 *
 * Other seeds give the same picture (the non-linear surface's spread a fifth to a half of the
 * linear one's, shrinking further with longer training); the seeds here are fixed.
 *
 *   npx tsx examples/claims/perceptron-linear.ts
 */
import { ebm, nn, noGrad, optim, randn, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { answerData } from '../data/answer-curve.js';
import { isMain } from '../lib/cli.js';

const ANSWERS = 5;
const FEATURES = 16;

export interface PerceptronRun {
  name: string;
  report: ebm.MarginReport;
  finalLoss: number;
}

interface Model {
  params: Tensor[];
  energies(x: readonly number[]): Tensor; // [P, ANSWERS]
}

/** Gaussian bumps at evenly spaced centres: fixed features, so the energy is linear in W. */
function linearModel(seed: number): Model {
  const centres = Array.from({ length: FEATURES }, (_, i) => -1 + (2 * i) / (FEATURES - 1));
  const width = 0.15;
  const w = randn([FEATURES, ANSWERS], { seed }).mul(0.3).detach();
  w.requiresGrad = true;
  const phi = (x: readonly number[]): Tensor => tensor(x.map((v) => centres.map((c) => Math.exp(-((v - c) ** 2) / (2 * width ** 2))))); // [P, F]
  return { params: [w], energies: (x) => phi(x).matmul(w).neg() };
}

function distanceModel(seed: number): Model {
  const g = new nn.Sequential(
    new nn.Linear(1, 32, { seed }), new nn.ReLU(), new nn.Linear(32, 32, { seed: seed + 1 }), new nn.ReLU(), new nn.Linear(32, 2, { seed: seed + 2 }),
  );
  const h = randn([ANSWERS, 2], { seed: seed + 4, requiresGrad: true });
  return {
    params: [...g.parameters(), h],
    energies: (x) => g.call(tensor(x.map((v) => [v]))).unsqueeze(1).sub(h.unsqueeze(0)).pow(2).sum(-1), // [P, K]
  };
}

function train(name: string, model: Model, loss: (e: Tensor, y: number[]) => Tensor, steps: number): PerceptronRun {
  const train = answerData({ n: 200, answers: ANSWERS, labelNoise: 0.1, seed: 1 });
  const heldOut = answerData({ n: 200, answers: ANSWERS, labelNoise: 0, seed: 2 });
  const opt = new optim.Adam(model.params, { lr: 0.03 });
  let finalLoss = NaN;
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const l = loss(model.energies(train.x), train.y);
    l.backward();
    opt.step();
    finalLoss = l.item();
  }
  const report = ebm.marginReport(noGrad(() => model.energies(heldOut.x)), heldOut.y);
  return { name, report, finalLoss };
}

export function run(steps = 400): PerceptronRun[] {
  const perceptron = (e: Tensor, y: number[]): Tensor => ebm.perceptronLoss(e, y);
  return [
    train('perceptron, linear energy', linearModel(3), perceptron, steps),
    train('perceptron, non-linear energy', distanceModel(5), perceptron, steps),
    train('hinge, non-linear energy', distanceModel(5), (e, y) => ebm.hingeLoss(e, y, { margin: 1 }), steps),
  ];
}

if (isMain(import.meta.url)) {
  console.log('Claim 8: the perceptron loss works for a linear energy, not in general (5 answers, 200 noisy training samples, 200 clean held out)');
  console.log('  run                              accuracy   mean gap   mean spread   collapsed');
  for (const r of run()) {
    const p = r.report;
    console.log(`  ${r.name.padEnd(32)} ${(100 * p.accuracy).toFixed(1).padStart(7)}%   ${p.meanGap.toFixed(4).padStart(8)}   ${p.meanSpread.toFixed(4).padStart(11)}   ${p.collapsed}`);
  }
}
