import { ebm, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { EbmTrainer, LOSSES, answerAt } from './lib/ebm-model.js';
import type { EbmConfig, EnergyKind, LossName } from './lib/ebm-model.js';
import { Loop, button, chart, fmt, linspace, page, pageReady, readout, row, section, select, slider, update } from './ui.js';

const main = page('Energy-based losses',
  'An energy-based model scores every answer y for an input x with an energy E(x, y), lowest for the best answer. '
  + 'Training should make the correct answer’s energy lower than the others’, and a loss that only pulls the correct '
  + 'energy down can satisfy itself by making every energy equal: the surface collapses. Pick a loss, train, and watch.');

const s = section(main, 'One problem, one loss at a time', 'The input is a number x in [−1, 1]; the correct answer (one of five) '
  + 'follows a wave as x moves, and a tenth of the 200 training labels are wrong on purpose. The default energy is '
  + 'E(x, y) = ‖G(x) − H_y‖², a small network G and one learned point per answer, which can make all energies equal; '
  + 'the linear energy, −(W φ(x))_y over fixed bump features, cannot without shrinking W to zero. '
  + 'LVQ2 divides by Ē and expects positive energies, which the linear one does not guarantee.');
const controls = row(s);
const config: EbmConfig = { loss: 'hinge', energy: 'non-linear', beta: 1, margin: 1, seed: 1 };
let trainer = new EbmTrainer({ ...config });
const history: { step: number; loss: number }[] = [];

const opts = row(s);
const reads = row(s);
const showStep = readout(reads, 'ebm-step', 'step');
const showLoss = readout(reads, 'ebm-loss', 'loss');
const reportTable = document.createElement('table');
reportTable.id = 'ebm-report';
reportTable.setAttribute('aria-label', 'margin report on held-out data');
const flag = document.createElement('p');
flag.id = 'ebm-collapse';
flag.setAttribute('aria-live', 'polite');

const GRID = linspace(-1, 1, 41);
const charts = row(s, 'charts');
const heatmap = chart(charts, 'chart-energy', {
  height: 200,
  layer: [
    { data: { name: 'cells' }, mark: 'rect', encoding: {
      x: { field: 'x', type: 'ordinal', title: 'input x', axis: { labelExpr: 'format(datum.value, ".1f")', labelOverlap: true } },
      y: { field: 'y', type: 'ordinal', title: 'answer y', sort: 'descending' },
      color: { field: 'e', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'energy' },
      tooltip: [{ field: 'x', format: '.2f' }, { field: 'y' }, { field: 'e', format: '.3f' }],
    } },
    { data: { name: 'truth' }, mark: { type: 'point', shape: 'diamond', filled: true, color: '#fff', size: 40 }, encoding: { x: { field: 'x', type: 'ordinal' }, y: { field: 'y', type: 'ordinal', sort: 'descending' } } },
    { data: { name: 'choice' }, mark: { type: 'point', color: '#ff5252', size: 70, strokeWidth: 2 }, encoding: { x: { field: 'x', type: 'ordinal' }, y: { field: 'y', type: 'ordinal', sort: 'descending' } } },
  ],
}, 'E(x, y), darker is lower (clipped at 8); ◆ the noise-free answer, ○ the answer the model picks');
const side = document.createElement('div');
const reportWrap = document.createElement('div');
reportWrap.className = 'scroll';
reportWrap.append(reportTable);
side.append(reportWrap, flag);
charts.append(side);
const lossChart = chart(row(s, 'charts'), 'chart-ebm-loss', {
  height: 140, data: { name: 'history' }, mark: 'line',
  encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative' } },
}, 'training loss');

function draw(): void {
  showStep(trainer.steps);
  showLoss(trainer.steps === 0 ? '—' : trainer.lossValue);
  const e = trainer.energies(GRID);
  const r = trainer.report();
  const rowsOf: [string, string, number | boolean][] = [
    ['accuracy', 'correct answer strictly lowest', r.accuracy],
    ['marginAccuracy', 'lowest by at least the margin', r.marginAccuracy],
    ['meanGap', 'mean Ē − E', r.meanGap],
    ['meanSpread', 'mean max E − min E', r.meanSpread],
    ['collapsed', 'spread ≤ 0.1 · margin', r.collapsed],
  ];
  reportTable.innerHTML = '<caption>ebm.marginReport, held-out</caption>' + rowsOf.map(([k, what, v]) =>
    `<tr><th scope="row">${k}</th><td id="report-${k}" data-value="${v}">${typeof v === 'boolean' ? v : fmt(v)}</td><td class="note">${what}</td></tr>`).join('');
  flag.innerHTML = r.collapsed ? '<span class="flag">collapsed</span> the energy surface is flat: every answer has nearly the same energy.' : '<span class="ok">not collapsed</span>';
  void heatmap.then((v) => {
    update(v, 'cells', GRID.flatMap((x, i) => e[i].map((en, y) => ({ x, y, e: Math.min(en, 8) }))));
    update(v, 'truth', GRID.map((x) => ({ x, y: answerAt(x) })));
    update(v, 'choice', GRID.map((x, i) => ({ x, y: e[i].indexOf(Math.min(...e[i])) })));
  });
  void lossChart.then((v) => update(v, 'history', history));
  // The β sweep costs 25 losses and gradients: twice a second is enough while training runs.
  const now = performance.now();
  if (!loop.isRunning || now - lastBeta > 500) {
    lastBeta = now;
    drawBeta();
  }
}
let lastBeta = -Infinity;

const loop = new Loop(() => {
  trainer.step();
  history.push({ step: trainer.steps, loss: trainer.lossValue });
  return trainer.steps < 1500;
}, draw, 16, 250);

function reset(): void {
  loop.pause();
  trainer = new EbmTrainer({ ...config });
  history.length = 0;
  draw();
}
button(controls, 'ebm-start', 'Start', () => loop.start());
button(controls, 'ebm-pause', 'Pause', () => loop.pause());
button(controls, 'ebm-step-once', 'Step', () => { loop.pause(); loop.once(); });
button(controls, 'ebm-reset', 'Reset', reset);
select(opts, 'ebm-loss-pick', 'loss', [...LOSSES], config.loss, (v) => { config.loss = v as LossName; reset(); });
select(opts, 'ebm-energy', 'energy', ['non-linear', 'linear'], config.energy, (v) => { config.energy = v as EnergyKind; reset(); });
slider(opts, { id: 'ebm-beta', label: 'β (NLL, MEE)', min: 0.1, max: 10, step: 0.1, value: config.beta, onInput: (v) => { config.beta = v; reset(); } });
slider(opts, { id: 'ebm-margin', label: 'm (hinge, square-square, LVQ2 cap)', min: 0.1, max: 3, step: 0.1, value: config.margin, onInput: (v) => { config.margin = v; reset(); } });
slider(opts, { id: 'ebm-seed', label: 'seed', min: 1, max: 20, step: 1, value: config.seed, onInput: (v) => { config.seed = v; reset(); } });

// The perceptron loss with each energy, side by side.
const pc = section(main, 'The perceptron loss: linear against non-linear energy', 'The perceptron loss E(Y) − min_y E(y) is '
  + 'zero as soon as the correct answer is among the lowest, ties included, so it never asks for a margin. With the linear '
  + 'energy that is the classic perceptron, and it learns. The non-linear energy can flatten itself instead, and with this '
  + 'loss it does: its spread of energies shrinks until the surface reads as collapsed. Both runs use the same data and seed.');
const pcRow = row(pc);
const pcTable = document.createElement('table');
pcTable.id = 'perceptron-compare';
const pcWrap = document.createElement('div');
pcWrap.className = 'scroll';
pcWrap.append(pcTable);
pc.append(pcWrap);
const PC_STEPS = 400;
let pair: EbmTrainer[] = [];
const spreadHistory: { step: number; energy: string; spread: number }[] = [];
const spreadChart = chart(row(pc, 'charts'), 'chart-perceptron-spread', {
  height: 180, data: { name: 'history' }, mark: 'line',
  encoding: {
    x: { field: 'step', type: 'quantitative' },
    y: { field: 'spread', type: 'quantitative', scale: { type: 'log' }, title: 'held-out mean spread' },
    color: { field: 'energy', type: 'nominal', title: 'energy', legend: { orient: 'bottom' } },
  },
}, 'spread of the energies (max − min per input); the collapse flag rises below 0.1');
function drawPair(): void {
  pcTable.innerHTML = '<tr><th>energy</th><th>step</th><th>accuracy</th><th>meanSpread</th><th>collapsed</th></tr>' + pair.map((t) => {
    const r = t.report();
    return `<tr data-energy="${t.config.energy}"><th>${t.config.energy}</th><td>${t.steps}</td><td>${fmt(r.accuracy)}</td><td>${fmt(r.meanSpread)}</td>`
      + `<td data-value="${r.collapsed}">${r.collapsed ? '<span class="flag">collapsed</span>' : 'no'}</td></tr>`;
  }).join('');
  void spreadChart.then((v) => update(v, 'history', spreadHistory));
}
const pairLoop = new Loop(() => {
  for (const t of pair) {
    t.step();
    if (t.steps % 20 === 0) spreadHistory.push({ step: t.steps, energy: t.config.energy, spread: t.report().meanSpread });
  }
  return pair[0].steps < PC_STEPS;
}, drawPair, 16, 250);
button(pcRow, 'perceptron-run', `Train both (${PC_STEPS} steps)`, () => {
  pairLoop.pause();
  pair = (['linear', 'non-linear'] as const).map((energy) => new EbmTrainer({ ...config, loss: 'perceptron', energy }));
  spreadHistory.length = 0;
  pairLoop.start();
});
button(pcRow, 'perceptron-pause', 'Pause', () => pairLoop.pause());

// NLL tends to the perceptron loss.
const b = section(main, 'NLL becomes the perceptron loss as β grows', 'On the current model’s training energies, the NLL loss '
  + 'E(Y) + (1/β) log Σ_y exp(−β E(y)) is computed for many β. Its soft minimum sharpens into the hard one, so the loss '
  + 'approaches E(Y) − min_y E(y), and its gradient with respect to the energies approaches the perceptron loss’s: '
  + 'every answer is pushed up in proportion to its probability, and as β → ∞ all of that probability lands on the lowest answer. '
  + 'How large β must be depends on the gaps between energies: on a collapsed surface they are tiny and only a huge β separates them.');
const BETAS = linspace(-1, 5, 25).map((v) => 10 ** v);
const betaRow = row(b, 'charts');
const betaSpec = (title: string): Record<string, unknown> => ({
  height: 180, data: { name: 'rows' }, mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'beta', type: 'quantitative', scale: { type: 'log' }, title: 'β' },
    y: { field: 'v', type: 'quantitative', scale: { type: 'log' }, title },
  },
});
const betaChart = chart(betaRow, 'chart-beta-loss', betaSpec('NLL(β) − perceptron'), 'the losses meet');
const betaGradChart = chart(betaRow, 'chart-beta-grad', betaSpec('‖∂NLL/∂E − ∂perceptron/∂E‖'), 'so do their gradients with respect to the energies');
const showPerc = readout(row(b), 'perceptron-value', 'perceptron loss now');

function gradOf(loss: (e: Tensor) => Tensor, energies: number[][]): number[] {
  const leaf = tensor(energies, { requiresGrad: true });
  loss(leaf).backward();
  return ((leaf.grad as Tensor).toArray() as number[][]).flat();
}
function drawBeta(): void {
  const e = trainer.energies(trainer.train.x);
  const y = trainer.train.y;
  const perc = ebm.perceptronLoss(tensor(e), y).item();
  const gPerc = gradOf((t) => ebm.perceptronLoss(t, y), e);
  showPerc(perc);
  const lossRows: { beta: number; v: number }[] = [];
  const gradRows: { beta: number; v: number }[] = [];
  for (const beta of BETAS) {
    const gNll = gradOf((t) => ebm.nllLoss(t, y, { beta }), e);
    lossRows.push({ beta, v: ebm.nllLoss(tensor(e), y, { beta }).item() - perc });
    gradRows.push({ beta, v: Math.sqrt(gNll.reduce((a, g, i) => a + (g - gPerc[i]) ** 2, 0)) });
  }
  // A log axis cannot show 0: where the two agree exactly the point is left out.
  void betaChart.then((v) => update(v, 'rows', lossRows.filter((r) => r.v > 0)));
  void betaGradChart.then((v) => update(v, 'rows', gradRows.filter((r) => r.v > 0)));
}

draw();
pageReady();
