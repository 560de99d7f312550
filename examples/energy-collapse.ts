/**
 * Energy collapse, the lesson of LeCun et al.'s tutorial on energy-based learning (2006, §2):
 * with an architecture that can make every energy equal, minimising the energy of the correct
 * answer alone (energyLoss) flattens the surface, while contrastive losses, which also push up
 * the most offending incorrect answer, keep the correct answer lowest by a margin.
 *
 * The energy is E(x, y) = ‖G(x) − H_y‖², an MLP G of the scalar input and a learned point H_y
 * per answer, trained on the same data from the same initialisation with each loss.
 *
 *   npx tsx examples/energy-collapse.ts [--quick] [--out DIR] [--quiet] [--help]
 */
import { noGrad, optim, randn, tensor, zeros } from '../engine/index.js';
import type { Tensor } from '../engine/index.js';
import { nn } from '../index.js';
import { energyLoss, hingeLoss, logLoss, marginReport, nllLoss, squareSquareLoss } from '../ebm/index.js';
import { answerAt, answerData } from './data/answer-curve.js';
import type { AnswerData } from './data/answer-curve.js';
import { barChart, heatmapChart, writeIndexPages, writeSvg } from './lib/pictures.js';
import { pick, resolveOptions, runFromCommandLine, sayer } from './lib/cli.js';
import type { RunOptions } from './lib/cli.js';
import { formatTable, percent } from './lib/terminal.js';
import { tailMean, trainLoop } from './lib/training.js';

const ANSWERS = 5;
const EMBED = 2;
/** The margin the accuracy-by-margin column asks for: half the training margin, since hinge and
 * square-square stop pushing once the gap reaches 1. */
const REPORT_MARGIN = 0.5;
const GRID = 41;

type EbmLoss = (energies: Tensor, targets: number[]) => Tensor;

const LOSSES: { name: string; loss: EbmLoss }[] = [
  { name: 'energy', loss: (e, t) => energyLoss(e, t) },
  { name: 'hinge', loss: (e, t) => hingeLoss(e, t, { margin: 1 }) },
  { name: 'log', loss: (e, t) => logLoss(e, t) },
  { name: 'square-square', loss: (e, t) => squareSquareLoss(e, t, { margin: 1 }) },
  { name: 'nll', loss: (e, t) => nllLoss(e, t, { beta: 1 }) },
];

export interface LossOutcome {
  loss: string;
  finalLoss: number;
  /**
   * Held-out samples whose correct answer has strictly the lowest energy. On a collapsed surface
   * this counts wins by rounding-level differences, which is why the margin columns matter.
   */
  accuracy: number;
  /** Held-out samples whose correct answer wins by at least REPORT_MARGIN. */
  marginAccuracy: number;
  /** Mean of E(Ȳ) − E(Y) over held-out samples: how far the correct answer wins by. */
  meanGap: number;
  /** Mean over inputs of max_y E − min_y E: zero for a flat, collapsed surface. */
  spread: number;
  collapsed: boolean;
}

export interface EnergyMetrics {
  outcomes: LossOutcome[];
  pictures: string[];
}

interface EnergyModel {
  params: Tensor[];
  energies(x: readonly number[]): Tensor; // [P, ANSWERS]
}

/**
 * With 10% label noise the energy loss does more than allow collapse: an input seen with two
 * answers pulls both answers' points H_y towards G(x), so all the H_y merge.
 */
function energyModel(): EnergyModel {
  const sizes = [1, 32, 32, EMBED];
  const g = new nn.Sequential(new nn.Linear(1, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, EMBED));
  // The starting point this lesson was written with (He-scaled normal weights, zero biases, one
  // seeded stream per layer), loaded as a state dict: the outcome of a short run depends on it.
  const start: Record<string, Tensor> = {};
  sizes.slice(1).forEach((out, i) => {
    start[`${2 * i}.weight`] = randn([sizes[i], out], { seed: 5 + i }).mul(Math.sqrt(2 / sizes[i])).transpose(0, 1); // [out, in]
    start[`${2 * i}.bias`] = zeros([out]);
  });
  g.loadStateDict(start);
  const h = randn([ANSWERS, EMBED], { seed: 9, requiresGrad: true });
  return {
    params: [...g.parameters(), h],
    energies: (x) => g.call(tensor(x.map((v) => [v]))).unsqueeze(1).sub(h.unsqueeze(0)).pow(2).sum(-1), // [P, K]
  };
}

function trainWith(entry: (typeof LOSSES)[number], data: AnswerData, heldOut: AnswerData, steps: number, show: boolean): { model: EnergyModel; outcome: LossOutcome } {
  const model = energyModel();
  const opt = new optim.Adam(model.params, { lr: 0.03 });
  const losses = trainLoop({
    label: `${entry.name} loss`,
    steps,
    showProgress: show,
    step: () => {
      const loss = entry.loss(model.energies(data.x), data.y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    },
  });
  const e = noGrad(() => model.energies(heldOut.x));
  const report = marginReport(e, heldOut.y, { margin: REPORT_MARGIN });
  return {
    model,
    outcome: {
      loss: entry.name,
      finalLoss: tailMean(losses),
      accuracy: report.accuracy,
      marginAccuracy: report.marginAccuracy,
      meanGap: report.meanGap,
      spread: report.meanSpread,
      collapsed: report.collapsed,
    },
  };
}

/** Inputs where the surfaces are drawn, rounded so that they label the heatmap's axis. */
const gridXs = (): number[] => Array.from({ length: GRID }, (_, i) => Number((-1 + (2 * i) / (GRID - 1)).toFixed(2)));

function surfaceCells(model: EnergyModel, name: string): { x: number; y: number; value: number; loss: string }[] {
  const xs = gridXs();
  const e = noGrad(() => model.energies(xs)).toArray() as number[][];
  return xs.flatMap((x, i) => e[i].map((value, y) => ({ x, y, value, loss: `${name} loss` })));
}

export async function run(options: RunOptions): Promise<EnergyMetrics> {
  const opts = resolveOptions(options);
  const say = sayer(opts.log);
  const steps = pick(opts, 100, 400);
  const data = answerData({ n: pick(opts, 150, 400), answers: ANSWERS, labelNoise: 0.1, seed: 1 });
  const heldOut = answerData({ n: 300, answers: ANSWERS, labelNoise: 0, seed: 2 });

  const outcomes: LossOutcome[] = [];
  const cells: ReturnType<typeof surfaceCells> = [];
  for (const entry of LOSSES) {
    const { model, outcome } = trainWith(entry, data, heldOut, steps, opts.log && !opts.quick);
    outcomes.push(outcome);
    cells.push(...surfaceCells(model, entry.name));
  }
  const truth = gridXs().map((x) => ({ x, y: answerAt(x, ANSWERS) }));
  const pictures = [
    await writeSvg(opts.outDir, 'energy-surfaces', heatmapChart(cells, {
      title: ['Learned energy E(x, y) per loss, same data and model', '◆ the correct answer; darker is lower; energies above 3 clipped'],
      xTitle: 'input x',
      yTitle: 'answer y',
      valueTitle: 'energy',
      facet: 'loss',
      columns: 5,
      domain: [0, 3],
      scheme: 'viridis',
      overlay: { rows: truth, title: 'correct answer' },
    })),
    await writeSvg(opts.outDir, 'energy-margins', barChart(
      'Held-out mean margin E(Ȳ) − E(Y) per loss',
      outcomes.map((o) => ({ category: o.loss, value: o.meanGap })),
      'mean margin',
    )),
  ];
  await writeIndexPages(opts.outDir);

  say(formatTable(
    `Energy collapse: ${ANSWERS} answers, ${steps} full-batch steps on ${data.x.length} samples (10% label noise), ${heldOut.x.length} clean held-out samples`,
    ['loss', 'final loss', 'correct lowest', 'by margin 0.5', 'mean gap Ē − E', 'spread', 'surface'],
    outcomes.map((o) => [o.loss, o.finalLoss, percent(o.accuracy), percent(o.marginAccuracy), o.meanGap, o.spread, o.collapsed ? 'COLLAPSED (flat)' : 'not collapsed']),
  ));
  return { outcomes, pictures };
}

await runFromCommandLine(import.meta.url, {
  command: 'npx tsx examples/energy-collapse.ts',
  summary: 'the energy loss flattens the energy surface while contrastive losses keep a margin;\nprints the margins per loss, draws the learned surfaces.',
}, run);
