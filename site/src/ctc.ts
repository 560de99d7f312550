import { ALPHABET, BLANK, collapse, lattice, parseTarget, show, syntheticLogProbs } from './lib/ctc-lattice.js';
import { CtcTrainer } from './lib/ctc-model.js';
import { Loop, button, chart, page, pageReady, readout, row, section, slider, textInput, update } from './ui.js';

const main = page('Connectionist temporal classification',
  'CTC scores a label sequence against frames without saying which frame carries which label. Every path '
  + 'that spells the target, with blanks and repeated frames anywhere, counts, and a dynamic programme over a '
  + 'lattice sums them all in time proportional to frames × labels. Here the lattice, its forward (α) and '
  + 'backward (β) sums and the posterior of each cell are all read off lossgrad’s ctcLoss.');

const lat = section(main, 'The lattice', `Type a target over {${ALPHABET}} and pick the number of frames. The states are the target `
  + `with a blank (${BLANK}) before, between and after the labels: 2U + 1 of them. A path may stay in a state, move to the next, `
  + 'or skip a blank between two different labels; between two equal labels the blank cannot be skipped, so a '
  + 'repeat costs an extra frame. The frame scores are seeded random numbers leaning towards the target.');
const controls = row(lat);
let targetText = 'abba';
let frames = 9;
let seed = 1;
let sharpness = 2;
textInput(controls, 'ctc-target', 'target', targetText, (v) => { targetText = v; redraw(); });
slider(controls, { id: 'ctc-frames', label: 'frames T', min: 1, max: 24, step: 1, value: frames, onInput: (v) => { frames = v; redraw(); } });
slider(controls, { id: 'ctc-sharp', label: 'lean', min: 0, max: 6, step: 0.5, value: sharpness, onInput: (v) => { sharpness = v; redraw(); } });
slider(controls, { id: 'ctc-seed', label: 'seed', min: 1, max: 20, step: 1, value: seed, onInput: (v) => { seed = v; redraw(); } });
const reads = row(lat);
const showStates = readout(reads, 'ctc-states', 'states');
const showMin = readout(reads, 'ctc-min-frames', 'frames needed');
const showLoss = readout(reads, 'ctc-loss', '−log p(target)');
const showCheck = readout(reads, 'ctc-check', 'max |Σ posteriors + ∂loss/∂logProbs|');
const status = document.createElement('p');
status.id = 'ctc-status';
status.setAttribute('aria-live', 'polite');
lat.append(status);

const heat = (title: string, field: string, scheme: string): Record<string, unknown> => ({
  height: 200,
  title,
  layer: [
    { data: { name: 'cells' }, mark: 'rect',
      encoding: {
        x: { field: 't', type: 'ordinal', title: 'frame t' },
        y: { field: 'state', type: 'ordinal', sort: { field: 's' }, title: 'state', axis: { labelExpr: 'split(datum.label, ":")[1]' } },
        color: { field, type: 'quantitative', scale: { scheme }, title: null },
        tooltip: [{ field: 't' }, { field: 's' }, { field, format: '.3g' }],
      } },
    { data: { name: 'path' }, mark: { type: 'line', color: '#e65100', strokeWidth: 2.5, point: { color: '#e65100' } },
      encoding: { x: { field: 't', type: 'ordinal' }, y: { field: 'state', type: 'ordinal', sort: { field: 's' } } } },
  ],
});
const charts = row(lat, 'charts');
const alphaChart = chart(charts, 'chart-alpha', heat('log α', 'logAlpha', 'blues'));
const betaChart = chart(charts, 'chart-beta', heat('log β', 'logBeta', 'purples'));
const postChart = chart(charts, 'chart-posterior', heat('posterior γ, best path in orange', 'posterior', 'oranges'));

function redraw(): void {
  const target = parseTarget(targetText);
  const lp = syntheticLogProbs(target, frames, seed, sharpness);
  const L = lattice(lp, target);
  showStates(L.states.length);
  showMin(L.minFrames);
  showLoss(L.loss);
  showCheck(L.feasible ? L.gradCheck : 'n/a');
  const dropped = [...targetText].filter((ch) => !ALPHABET.includes(ch.toLowerCase())).length;
  const note = dropped > 0 ? ` (${dropped} character${dropped > 1 ? 's' : ''} outside {${ALPHABET}} ignored)` : '';
  if (!L.feasible) {
    status.innerHTML = `<span class="flag">infeasible</span> “${show(target)}” needs ${L.minFrames} frames (its ${target.length} labels `
      + `plus one blank per repeated pair) but has ${frames}: no path exists, the loss is ∞ (ctcLoss's zeroInfinity option turns it into 0).${note}`;
  } else {
    status.innerHTML = `Best path (ctcAlign): <code>${show(L.bestClasses)}</code> → merge repeats → <code>${show(L.bestClasses.filter((k, i, a) => i === 0 || k !== a[i - 1]))}</code>`
      + ` → drop blanks → <code>${show(collapse(L.bestClasses))}</code>.${note}`;
  }
  const cells = L.alpha.flatMap((r, t) => r.map((a, s) => ({
    t, s, state: `${String(s).padStart(2, '0')}:${s}${show([L.states[s]])}`,
    logAlpha: a > 0 ? Math.log(a) : null, logBeta: L.beta[t][s] > 0 ? Math.log(L.beta[t][s]) : null, posterior: L.posterior[t][s],
  })));
  const path = L.bestStates.map((s, t) => ({ t, s, state: `${String(s).padStart(2, '0')}:${s}${show([L.states[s]])}` }));
  for (const c of [alphaChart, betaChart, postChart]) {
    void c.then((r) => {
      update(r, 'cells', cells);
      update(r, 'path', c === postChart ? path : []);
    });
  }
  lat.dataset.states = String(L.states.length);
}

// Training a recogniser.
const tr = section(main, 'Train a tiny recogniser', 'Twenty-four synthetic utterances of 2 to 4 labels from {a, b, c}, '
  + 'each label a few noisy frames, sometimes with silence between. A small network scores each frame; ctcLoss '
  + 'trains it from the label sequences alone. The charts track the held-out label error rate of greedy decoding '
  + '(best class per frame, then collapse) and of prefix beam search (width 4), which sums over paths.');
const trControls = row(tr);
let trainer = new CtcTrainer(1);
const history: { step: number; what: string; v: number }[] = [];
const trReads = row(tr);
const showStep = readout(trReads, 'ctc-train-step', 'step');
const showTrainLoss = readout(trReads, 'ctc-train-loss', 'loss');
const showGreedy = readout(trReads, 'ctc-greedy-ler', 'greedy error');
const showBeam = readout(trReads, 'ctc-beam-ler', 'beam error');
const examples = document.createElement('p');
tr.append(examples);
const trainCharts = row(tr, 'charts');
const historyChart = chart(trainCharts, 'chart-ctc-train', {
  height: 200, data: { name: 'history' }, mark: 'line',
  encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'v', type: 'quantitative', title: null }, color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom' } } },
});

function record(): void {
  const e = trainer.evaluate();
  history.push({ step: trainer.steps, what: 'greedy error rate', v: e.greedy }, { step: trainer.steps, what: 'beam error rate', v: e.beam });
  if (Number.isFinite(trainer.loss)) history.push({ step: trainer.steps, what: 'loss', v: trainer.loss });
  showStep(trainer.steps);
  showTrainLoss(trainer.steps === 0 ? '—' : trainer.loss);
  showGreedy(e.greedy);
  showBeam(e.beam);
  const letters = (l: number[]): string => l.map((k) => 'abc'[k - 1]).join('') || '(nothing)';
  examples.innerHTML = [0, 1, 2].map((i) => `target <code>${letters(trainer.heldOut.targets[i])}</code>: greedy <code>${letters(e.greedyOut[i])}</code>, beam <code>${letters(e.beamOut[i])}</code>`).join('<br>');
}
const loop = new Loop(() => {
  trainer.step();
  if (trainer.steps % 5 === 0) record();
  return trainer.steps < 600;
}, () => { void historyChart.then((r) => update(r, 'history', history)); }, 10);
button(trControls, 'ctc-start', 'Start', () => loop.start());
button(trControls, 'ctc-pause', 'Pause', () => loop.pause());
button(trControls, 'ctc-step', 'Step', () => { loop.pause(); trainer.step(); record(); void historyChart.then((r) => update(r, 'history', history)); });
button(trControls, 'ctc-reset', 'Reset', () => {
  loop.pause();
  trainer = new CtcTrainer(1);
  history.length = 0;
  record();
  void historyChart.then((r) => update(r, 'history', history));
});

redraw();
record();
void historyChart.then((r) => update(r, 'history', history));
pageReady();
