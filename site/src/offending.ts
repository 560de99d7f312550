import { ebm, randn, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { TINY_EPSILON, Y_TRUE, energy, search } from './lib/offending-model.js';
import type { Shape } from './lib/offending-model.js';
import { chart, fmt, linspace, page, pageReady, readout, row, section, slider, update } from './ui.js';

const main = page('The most offending incorrect answer',
  'Contrastive losses push the correct answer’s energy down and one incorrect answer’s energy up: the most '
  + 'offending one, the incorrect answer with the lowest energy, the one most likely to be mistaken for the right one.');

// Discrete: an energy table.
const disc = section(main, 'Discrete answers', 'Four samples, five answers each, energies drawn at random. Choose each '
  + 'sample’s correct answer (green); ebm.mostOffendingIncorrect marks the lowest-energy other answer (yellow). The second '
  + 'table is the gradient of the mean hinge loss (m = 1) with respect to the energies, from backward: only those two cells '
  + 'of a row move, down for the correct answer and up for the offender, and a row already separated by the margin gets none.');
const P = 4;
const K = 5;
let seed = 3;
const targets = [0, 1, 2, 3];
const discRow = row(disc);
slider(discRow, { id: 'disc-seed', label: 'energies seed', min: 1, max: 20, step: 1, value: seed, onInput: (v) => { seed = v; drawDiscrete(); } });
const tables = row(disc, 'tables');
const energyTable = document.createElement('table');
energyTable.id = 'disc-energies';
const gradTable = document.createElement('table');
gradTable.id = 'disc-grad';
for (const t of [energyTable, gradTable]) {
  const wrap = document.createElement('div');
  wrap.className = 'scroll';
  wrap.append(t);
  tables.append(wrap);
}

function drawDiscrete(): void {
  const e = randn([P, K], { seed }).mul(1.2).add(2).toArray() as number[][];
  const offenders = ebm.mostOffendingIncorrect(e, targets);
  const leaf = tensor(e, { requiresGrad: true });
  const perSample = ebm.hingeLoss(tensor(e), targets, { margin: 1, reduction: 'none' }).toArray() as number[];
  ebm.hingeLoss(leaf, targets, { margin: 1 }).backward();
  const g = (leaf.grad as Tensor).toArray() as number[][];
  const head = `<tr><th>sample</th>${Array.from({ length: K }, (_, k) => `<th>y = ${k}</th>`).join('')}<th>correct</th><th>hinge</th></tr>`;
  energyTable.innerHTML = `<caption>energies E(y); yellow: most offending</caption>${head}` + e.map((r, i) => `<tr><th>${i}</th>${r.map((v, k) =>
    `<td class="${k === targets[i] ? 'good' : k === offenders[i] ? 'hit' : ''}" data-row="${i}" data-col="${k}">${v.toFixed(3)}</td>`).join('')}`
    + `<td><select id="disc-target-${i}" aria-label="correct answer of sample ${i}">${Array.from({ length: K }, (_, k) => `<option${k === targets[i] ? ' selected' : ''}>${k}</option>`).join('')}</select></td>`
    + `<td>${fmt(perSample[i])}</td></tr>`).join('');
  gradTable.innerHTML = `<caption>∂ mean hinge / ∂E</caption><tr><th>sample</th>${Array.from({ length: K }, (_, k) => `<th>${k}</th>`).join('')}</tr>`
    + g.map((r, i) => `<tr><th>${i}</th>${r.map((v) => `<td>${v === 0 ? '0' : v.toFixed(3)}</td>`).join('')}</tr>`).join('');
  energyTable.dataset.offenders = offenders.join(',');
  for (let i = 0; i < P; i++) {
    (document.getElementById(`disc-target-${i}`) as HTMLSelectElement).addEventListener('change', (ev) => {
      targets[i] = Number((ev.target as HTMLSelectElement).value);
      drawDiscrete();
      (document.getElementById(`disc-target-${i}`) as HTMLSelectElement).focus();
    });
  }
}

// Continuous: a 2-D energy and the ε-ball.
const cont = section(main, 'Continuous answers and the ε-ball', 'With a continuous answer, every point next to the correct '
  + 'answer Y is technically incorrect, and its energy is nearly E(Y): taken as “the most offending answer”, it would be pushed '
  + 'up as hard as Y is pushed down, and the loss would teach nothing. So the search only looks at answers at least ε from Y. '
  + 'Here the energy is a bowl around the trained minimum plus a spurious well you can move and deepen; '
  + 'ebm.mostOffendingIncorrectContinuous starts on the sphere of radius ε and descends the energy, staying outside the ball. '
  + 'Each grey segment is one single-start search (from its start to where it ends); the star is the library’s multi-start answer. '
  + 'Set ε to 0 to see the answer fall onto Y and the gradient vanish.');
cont.id = 'continuous';
const shape: Shape = { c: [0, 0], d: [1.2, 0.6], depth: 1.5, width: 0.4 };
let epsilon = 0.5;
let margin = 1;
let starts = 4;
const c1 = row(cont);
const c2 = row(cont);
const schedule = coalesce(() => drawContinuous());
slider(c1, { id: 'cont-eps', label: 'ε', min: 0, max: 1.5, step: 0.05, value: epsilon, onInput: (v) => { epsilon = v; schedule(); } });
slider(c1, { id: 'cont-starts', label: 'starts', min: 1, max: 8, step: 1, value: starts, onInput: (v) => { starts = v; schedule(); } });
slider(c1, { id: 'cont-margin', label: 'hinge m', min: 0, max: 2, step: 0.1, value: margin, onInput: (v) => { margin = v; schedule(); } });
slider(c2, { id: 'cont-dx', label: 'well x', min: -1.8, max: 1.8, step: 0.1, value: shape.d[0], onInput: (v) => { shape.d[0] = v; schedule(); } });
slider(c2, { id: 'cont-dy', label: 'well y', min: -1.8, max: 1.8, step: 0.1, value: shape.d[1], onInput: (v) => { shape.d[1] = v; schedule(); } });
slider(c2, { id: 'cont-depth', label: 'well depth', min: 0, max: 4, step: 0.1, value: shape.depth, onInput: (v) => { shape.depth = v; schedule(); } });
slider(c2, { id: 'cont-width', label: 'well width', min: 0.1, max: 1, step: 0.05, value: shape.width, onInput: (v) => { shape.width = v; schedule(); } });
const cr = row(cont);
const showAnswer = readout(cr, 'cont-answer', 'Ȳ');
const showDist = readout(cr, 'cont-dist', '‖Ȳ − Y‖');
const showGap = readout(cr, 'cont-gap', 'E(Ȳ) − E(Y)');
const showHinge = readout(cr, 'cont-hinge', 'hinge');
const showGrad = readout(cr, 'cont-grad', '‖∂hinge/∂(c, d, depth)‖');
const note = document.createElement('p');
note.id = 'cont-note';
note.setAttribute('aria-live', 'polite');
cont.append(note);

const G = linspace(-2, 2, 41);
const pt = (field: string, shapeName: string, color: string, size: number, filled = true): Record<string, unknown> => ({
  data: { name: field }, mark: { type: 'point', shape: shapeName, color, size, filled, strokeWidth: 2 },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
const contChart = chart(row(cont, 'charts'), 'chart-continuous', {
  width: 340,
  height: 340,
  layer: [
    { data: { name: 'cells' }, mark: { type: 'rect' }, encoding: {
      x: { field: 'x', type: 'quantitative', bin: { binned: true, step: 0.1 }, scale: { domain: [-2.05, 2.05], nice: false }, title: 'y₁' },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', bin: { binned: true, step: 0.1 }, scale: { domain: [-2.05, 2.05], nice: false }, title: 'y₂' },
      y2: { field: 'y2' },
      color: { field: 'e', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'E(y)' },
    } },
    { data: { name: 'ball' }, mark: { type: 'line', color: '#fff', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'i' } } },
    { data: { name: 'segments' }, mark: { type: 'rule', color: '#ddd', strokeWidth: 1.5 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
    pt('starts', 'circle', '#ddd', 30),
    pt('ends', 'circle', '#bbb', 50, false),
    pt('truth', 'diamond', '#2e7d32', 120),
    pt('answer', 'M0,-1L0.24,-0.3L0.95,-0.3L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.3L-0.24,-0.3Z', '#ff5252', 260),
  ],
}, 'E(y) over the answer plane; green diamond: the correct answer Y; dashed: the sphere ‖y − Y‖ = ε');

function drawContinuous(): void {
  const E = energy(shape);
  const cells = G.flatMap((x) => G.map((y) => [x, y]));
  const values = E.many(tensor(cells)).toArray() as number[];
  const r = search(shape, epsilon, starts, margin);
  showAnswer(`(${fmt(r.answer[0])}, ${fmt(r.answer[1])})`);
  document.getElementById('cont-answer')!.dataset.value = r.answer.join(',');
  showDist(Math.hypot(r.answer[0] - Y_TRUE[0], r.answer[1] - Y_TRUE[1]));
  showGap(r.gap);
  showHinge(r.hinge);
  showGrad(r.gradNorm);
  note.textContent = epsilon > 0
    ? ''
    : `ε = 0 is rejected by the search (answers arbitrarily close to Y would count as incorrect); shown is the limit, computed at ε = ${TINY_EPSILON}: `
      + 'the answer found sits on Y, the gap is about 0, and the hinge loss barely moves the energy’s shape.';
  void contChart.then((v) => {
    update(v, 'cells', cells.map(([x, y], i) => ({ x: x - 0.05, x2: x + 0.05, y: y - 0.05, y2: y + 0.05, e: Math.min(values[i], 6) })));
    update(v, 'ball', linspace(0, 2 * Math.PI, 73).map((t, i) => ({ i, x: Y_TRUE[0] + r.epsilon * Math.cos(t), y: Y_TRUE[1] + r.epsilon * Math.sin(t) })));
    update(v, 'segments', r.runs.map((run) => ({ x: run.start[0], y: run.start[1], x2: run.end[0], y2: run.end[1] })));
    update(v, 'starts', r.runs.map((run) => ({ x: run.start[0], y: run.start[1] })));
    update(v, 'ends', r.runs.map((run) => ({ x: run.end[0], y: run.end[1] })));
    update(v, 'truth', [{ x: Y_TRUE[0], y: Y_TRUE[1] }]);
    update(v, 'answer', [{ x: r.answer[0], y: r.answer[1] }]);
  });
  cont.dataset.done = String(Number(cont.dataset.done ?? 0) + 1);
}

/** Runs `fn` once after the current burst of slider events, so a drag recomputes only the last position. */
function coalesce(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setTimeout(() => { queued = false; fn(); }, 0);
  };
}

drawDiscrete();
drawContinuous();
pageReady();
