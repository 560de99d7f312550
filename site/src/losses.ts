import { bceLoss, bceWithLogitsLoss, concat, klDivLoss, log, logSoftmax, sigmoid, softmax, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { ENTRIES, evaluate, hingeKinks } from './lib/loss-catalogue.js';
import type { Entry, NumOpt, Options } from './lib/loss-catalogue.js';
import { chart, checkbox, linspace, page, pageReady, readout, row, section, select, setSlider, slider, update } from './ui.js';

const main = page('The torch.nn losses',
  'Pick a loss and move its argument: the value comes from the loss function and the gradient from '
  + 'lossgrad’s backward pass, both in float64 with PyTorch’s semantics. Each sample here is one of a batch '
  + 'of two (the second is held fixed), so the reduction option has something to average.');

const explorer = section(main, 'Explorer', 'Dashed vertical lines mark kinks, where the gradient jumps; '
  + 'the dot is the point the slider picks. A loss’s gradient at a kink is the one PyTorch uses. The margin losses show '
  + 'the shape they share: marginRankingLoss, for one, is exactly zero once x1 beats x2 by the margin, and grows '
  + 'linearly, with a constant gradient, before that; only the relative order of the two scores matters.');
const top = row(explorer);
const optRow = row(explorer);
const readRow = row(explorer);
const showValue = readout(readRow, 'loss-value', 'loss');
const showGrad = readout(readRow, 'loss-grad', '∂loss/∂x');
const showWhat = document.createElement('p');
explorer.append(showWhat);
const charts = row(explorer, 'charts');

let entry = ENTRIES[0];
let opts: Options = {};
let reduction = 'mean';
let xNow = 0;
let xSlider: HTMLInputElement;
let redSelect: HTMLSelectElement;

const curveSpec = (field: 'value' | 'grad', title: string): Record<string, unknown> => ({
  layer: [
    { data: { name: 'curve' }, mark: { type: 'line', clip: true }, encoding: { x: { field: 'x', type: 'quantitative', title: 'x' }, y: { field, type: 'quantitative', title } } },
    { data: { name: 'kinks' }, mark: { type: 'rule', strokeDash: [4, 3], color: '#c62828' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    { data: { name: 'now' }, mark: { type: 'point', filled: true, size: 70, color: '#111' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field, type: 'quantitative' } } },
  ],
});
const valueChart = chart(charts, 'chart-value', curveSpec('value', 'loss'), 'value');
const gradChart = chart(charts, 'chart-grad', curveSpec('grad', '∂loss/∂x'), 'gradient from backward');

function redraw(): void {
  const [lo, hi] = entry.range(opts);
  const pts = linspace(lo, hi, 161).map((x) => evaluate(entry, x, opts, reduction));
  const kinks = (entry.hinge ? hingeKinks(pts) : entry.kinks?.(opts) ?? []).filter((k) => k >= lo && k <= hi).map((x) => ({ x }));
  const now = evaluate(entry, xNow, opts, reduction);
  showValue(now.value);
  showGrad(now.grad);
  void Promise.all([valueChart, gradChart]).then((rs) => rs.forEach((r) => {
    update(r, 'curve', pts);
    update(r, 'kinks', kinks);
    update(r, 'now', [now]);
  }));
}

function buildControls(): void {
  optRow.replaceChildren();
  opts = {};
  for (const o of entry.opts) {
    opts[o.key] = o.value;
    const id = `opt-${o.key}`;
    if ('choices' in o) select(optRow, id, o.label, o.choices, o.value, (v) => { opts[o.key] = v; rebuildX(); redraw(); });
    else if (typeof o.value === 'boolean') checkbox(optRow, id, o.label, o.value, (v) => { opts[o.key] = v; rebuildX(); redraw(); });
    else {
      const n = o as NumOpt;
      slider(optRow, { id, label: n.label, min: n.min, max: n.max, step: n.step, value: n.value, onInput: (v) => { opts[o.key] = v; redraw(); } });
    }
  }
  rebuildX();
}

/** The x slider follows the loss's range, which can depend on an option (poissonNllLoss). */
function rebuildX(): void {
  const [lo, hi] = entry.range(opts);
  const step = (hi - lo) / 200;
  xNow = Math.min(hi, Math.max(lo, xNow));
  setSlider(xSlider, { min: lo, max: hi, step, value: xNow });
  xNow = Number(xSlider.value);
  showWhat.textContent = `x is the ${entry.what}.`;
  const reds = entry.reductions ?? ['mean', 'sum', 'none'];
  redSelect.replaceChildren(...reds.map((r) => new Option(r, r, false, r === reduction)));
  if (!reds.includes(reduction)) reduction = reds[0];
  redSelect.value = reduction;
}

select(top, 'loss-pick', 'loss', ENTRIES.map((e) => e.name), entry.name, (name) => {
  entry = ENTRIES.find((e) => e.name === name) as Entry;
  buildControls();
  redraw();
});
redSelect = select(top, 'opt-reduction', 'reduction', ['mean', 'sum', 'none'], 'mean', (v) => { reduction = v; redraw(); });
xSlider = slider(top, { id: 'x', label: 'x', min: -3, max: 3, step: 0.03, value: 0, onInput: (v) => { xNow = v; redraw(); } });
buildControls();
redraw();

// Stability: the same quantity two ways, over logits where float64 runs out of room.
const stab = section(main, 'Stability: fuse the log into the loss',
  'Both curves in each chart are the same mathematical function of the logit z. The composed route first '
  + 'squashes z into a probability, then takes a log of it; once the probability rounds to exactly 0 or 1, '
  + 'the information is gone: BCE hits its −100 clamp (a loss of 100 instead of |z|) and its gradient vanishes, '
  + 'and log(softmax) loses the gradient once a probability rounds to 1, and returns −∞ (an infinite loss, a NaN gradient) '
  + 'once one underflows to 0, which float64 only reaches past |z| ≈ 745: widen the range to see it. '
  + 'The fused routes (bceWithLogitsLoss, logSoftmax then klDivLoss) never form the probability and stay finite and accurate.');
const stabRow = row(stab);
let bceTarget = 0;
let zMax = 50;
select(stabRow, 'stab-target', 'BCE target y', ['0', '1'], '0', (v) => { bceTarget = Number(v); redrawStability(); });
select(stabRow, 'stab-range', 'logits up to ±', ['50', '1000'], '50', (v) => { zMax = Number(v); redrawStability(); });
const stabRead = row(stab);
const showBceAt = readout(stabRead, 'bce-composed-40', 'sigmoid→BCE at z = 40');
const showLogitsAt = readout(stabRead, 'bce-logits-40', 'BCE-with-logits at z = 40');
const showKlGradZero = readout(stabRead, 'kl-grad-zero', 'log(softmax)→KL gradient exactly 0 from z =');
const showKlInf = readout(stabRead, 'kl-composed-inf', 'log(softmax)→KL infinite or NaN at z ≤');
const stabCharts = row(stab, 'charts');
const lineSpec = (title: string, yTitle: string, scale: object = {}): Record<string, unknown> => ({
  data: { name: 'curves' },
  mark: { type: 'line', clip: true, point: false },
  encoding: {
    x: { field: 'z', type: 'quantitative', title: 'logit z' },
    y: { field: 'v', type: 'quantitative', title: yTitle, scale },
    color: { field: 'route', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 320 } },
    strokeDash: { field: 'route', type: 'nominal', legend: null },
  },
  title,
});
const bceValue = chart(stabCharts, 'chart-bce-value', lineSpec('BCE loss', 'loss'));
const bceGrad = chart(stabCharts, 'chart-bce-grad', lineSpec('BCE gradient', '∂loss/∂z'));
const klValue = chart(stabCharts, 'chart-kl-value', lineSpec('KL loss, target (1, 0), logits (z, 0)', 'loss'));
const klGrad = chart(stabCharts, 'chart-kl-grad', lineSpec('KL gradient', '|∂loss/∂z| (log scale)', { type: 'log' }));

function bceBoth(z: number, y: number): { composed: [number, number]; fused: [number, number] } {
  const a = tensor([z], { requiresGrad: true });
  const la = bceLoss(sigmoid(a), tensor([y]));
  la.backward();
  const b = tensor([z], { requiresGrad: true });
  const lb = bceWithLogitsLoss(b, tensor([y]));
  lb.backward();
  return { composed: [la.item(), (a.grad as Tensor).item()], fused: [lb.item(), (b.grad as Tensor).item()] };
}

function klBoth(z: number): { composed: [number, number]; fused: [number, number] } {
  const q = tensor([[1, 0]]);
  const a = tensor([z], { requiresGrad: true });
  const la = klDivLoss(log(softmax(concat([a, tensor([0])]).reshape([1, 2]), 1)), q, { reduction: 'sum' });
  la.backward();
  const b = tensor([z], { requiresGrad: true });
  const lb = klDivLoss(logSoftmax(concat([b, tensor([0])]).reshape([1, 2]), 1), q, { reduction: 'sum' });
  lb.backward();
  return { composed: [la.item(), (a.grad as Tensor).item()], fused: [lb.item(), (b.grad as Tensor).item()] };
}

function redrawStability(): void {
  const zs = linspace(-zMax, zMax, 201);
  const bce = zs.map((z) => ({ z, ...bceBoth(z, bceTarget) }));
  const kl = zs.map((z) => ({ z, ...klBoth(z) }));
  const rows = (data: { z: number; composed: [number, number]; fused: [number, number] }[], i: 0 | 1, names: [string, string], positive = false) =>
    data.flatMap((d) => [{ z: d.z, v: d.composed[i], route: names[0] }, { z: d.z, v: d.fused[i], route: names[1] }])
      .filter((r) => Number.isFinite(r.v) && (!positive || r.v > 0));
  const bceNames: [string, string] = ['sigmoid → bceLoss', 'bceWithLogitsLoss'];
  const klNames: [string, string] = ['log(softmax) → klDivLoss', 'logSoftmax → klDivLoss'];
  void bceValue.then((r) => update(r, 'curves', rows(bce, 0, bceNames)));
  void bceGrad.then((r) => update(r, 'curves', rows(bce, 1, bceNames)));
  void klValue.then((r) => update(r, 'curves', rows(kl, 0, klNames)));
  const klAbs = kl.map((d) => ({ z: d.z, composed: [0, Math.abs(d.composed[1])] as [number, number], fused: [0, Math.abs(d.fused[1])] as [number, number] }));
  void klGrad.then((r) => update(r, 'curves', rows(klAbs, 1, klNames, true)));
  const at40 = bceBoth(40, bceTarget);
  showBceAt(at40.composed[0]);
  showLogitsAt(at40.fused[0]);
  const gradZero = kl.find((d) => d.composed[1] === 0 && d.fused[1] !== 0);
  showKlGradZero(gradZero ? gradZero.z : 'never');
  const broken = kl.filter((d) => !Number.isFinite(d.composed[0]) || Number.isNaN(d.composed[1]));
  showKlInf(broken.length > 0 ? broken[broken.length - 1].z : 'nowhere in this range');
}
redrawStability();
pageReady();
