import {
  bceLoss, bceWithLogitsLoss, concat, cosineEmbeddingLoss, crossEntropyLoss, gaussianNllLoss, hingeEmbeddingLoss,
  huberLoss, klDivLoss, l1Loss, log, logSoftmax, marginRankingLoss, mseLoss, multiLabelMarginLoss,
  multiLabelSoftMarginLoss, multiMarginLoss, nllLoss, poissonNllLoss, sigmoid, smoothL1Loss, softMarginLoss,
  softmax, stack, tensor, tripletMarginLoss, tripletMarginWithDistanceLoss,
} from '../../index.js';
import type { Tensor } from '../../index.js';
import { chart, checkbox, linspace, page, pageReady, readout, row, section, select, setSlider, slider, update } from './ui.js';

type Options = Record<string, number | string | boolean>;

interface NumOpt { key: string; label: string; min: number; max: number; step: number; value: number }
interface ChoiceOpt { key: string; label: string; choices: string[]; value: string }
interface BoolOpt { key: string; label: string; value: boolean }
type Opt = NumOpt | ChoiceOpt | BoolOpt;

/**
 * One loss on the explorer. `call` builds the loss's arguments around the swept scalar `x` (a
 * one-element leaf) and a second, fixed sample, so that the reduction has something to act on.
 */
interface Entry {
  name: string;
  what: string;
  range: (o: Options) => [number, number];
  opts: Opt[];
  reductions?: string[];
  call: (x: Tensor, o: Options, reduction: string) => Tensor;
  /** Kinks known from the formula; hinge-like losses have theirs found where the curve leaves 0. */
  kinks?: (o: Options) => number[];
  hinge?: boolean;
}

const num = (o: Options, k: string): number => o[k] as number;
const t = (v: number[] | number[][]): Tensor => tensor(v);
/** `[x, c]`: the swept value beside a fixed one. */
const withFixed = (x: Tensor, c: number): Tensor => concat([x, t([c])]);
const sign = (o: Options): number => (o.y === '+1' ? 1 : -1);
const target = { key: 't', label: 'target', min: -2, max: 2, step: 0.1, value: 0.5 };
const yChoice = { key: 'y', label: 'y', choices: ['+1', '-1'], value: '+1' };
const fixed2 = (): [number, number] => [-3, 3];

const ENTRIES: Entry[] = [
  { name: 'mseLoss', what: 'input x against a target', range: fixed2, opts: [target],
    call: (x, o, r) => mseLoss(withFixed(x, 0), t([num(o, 't'), 1]), { reduction: r as 'mean' }) },
  { name: 'l1Loss', what: 'input x against a target', range: fixed2, opts: [target], kinks: (o) => [num(o, 't')],
    call: (x, o, r) => l1Loss(withFixed(x, 0), t([num(o, 't'), 1]), { reduction: r as 'mean' }) },
  { name: 'smoothL1Loss', what: 'input x against a target; quadratic within β of it', range: fixed2,
    opts: [target, { key: 'beta', label: 'β', min: 0, max: 2, step: 0.1, value: 1 }],
    kinks: (o) => (num(o, 'beta') > 0 ? [num(o, 't') - num(o, 'beta'), num(o, 't') + num(o, 'beta')] : [num(o, 't')]),
    call: (x, o, r) => smoothL1Loss(withFixed(x, 0), t([num(o, 't'), 1]), { beta: num(o, 'beta'), reduction: r as 'mean' }) },
  { name: 'huberLoss', what: 'input x against a target; quadratic within δ of it', range: fixed2,
    opts: [target, { key: 'delta', label: 'δ', min: 0.1, max: 2, step: 0.1, value: 1 }],
    kinks: (o) => [num(o, 't') - num(o, 'delta'), num(o, 't') + num(o, 'delta')],
    call: (x, o, r) => huberLoss(withFixed(x, 0), t([num(o, 't'), 1]), { delta: num(o, 'delta'), reduction: r as 'mean' }) },
  { name: 'bceLoss', what: 'probability x of the positive class', range: () => [0.005, 0.995],
    opts: [{ key: 'y', label: 'target y', min: 0, max: 1, step: 0.05, value: 1 }, { key: 'w', label: 'weight of sample 1', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => bceLoss(withFixed(x, 0.3), t([num(o, 'y'), 0]), { weight: t([num(o, 'w'), 1]), reduction: r as 'mean' }) },
  { name: 'bceWithLogitsLoss', what: 'logit x of the positive class', range: () => [-6, 6],
    opts: [{ key: 'y', label: 'target y', min: 0, max: 1, step: 0.05, value: 1 }, { key: 'pw', label: 'posWeight', min: 0.1, max: 5, step: 0.1, value: 1 },
      { key: 'w', label: 'weight of sample 1', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => bceWithLogitsLoss(withFixed(x, 0.3), t([num(o, 'y'), 0]), { weight: t([num(o, 'w'), 1]), posWeight: t([num(o, 'pw'), num(o, 'pw')]), reduction: r as 'mean' }) },
  { name: 'klDivLoss', what: 'log-probability x the model gives one outcome, against the target probability q', range: () => [-6, 0],
    opts: [{ key: 'q', label: 'target q', min: 0, max: 1, step: 0.05, value: 0.6 }, { key: 'logTarget', label: 'logTarget (q given as log q)', value: false }],
    reductions: ['mean', 'batchmean', 'sum', 'none'],
    call: (x, o, r) => {
      const q = [[num(o, 'q')], [0.3]];
      const tgt = o.logTarget ? log(t(q)) : t(q);
      return klDivLoss(stack([x, t([-1])]), tgt, { reduction: r as 'mean', logTarget: o.logTarget as boolean });
    } },
  { name: 'poissonNllLoss', what: 'rate x (its log when logInput) for an observed count', range: (o) => (o.logInput ? [-3, 3] : [0.01, 6]),
    opts: [{ key: 'c', label: 'count', min: 0, max: 6, step: 1, value: 2 }, { key: 'logInput', label: 'logInput', value: true }, { key: 'full', label: 'full (Stirling term)', value: false },
      { key: 'eps', label: 'eps', min: 1e-8, max: 0.5, step: 0.01, value: 1e-8 }],
    call: (x, o, r) => poissonNllLoss(withFixed(x, 1), t([num(o, 'c'), 1]), { logInput: o.logInput as boolean, full: o.full as boolean, eps: num(o, 'eps'), reduction: r as 'mean' }) },
  { name: 'gaussianNllLoss', what: 'predicted mean x for a target, with a predicted variance', range: fixed2,
    opts: [target, { key: 'v', label: 'variance', min: 0.01, max: 3, step: 0.01, value: 1 }, { key: 'full', label: 'full (constant term)', value: false },
      { key: 'eps', label: 'eps (variance floor)', min: 1e-6, max: 1, step: 0.01, value: 1e-6 }],
    call: (x, o, r) => gaussianNllLoss(withFixed(x, 0), t([num(o, 't'), 1]), t([num(o, 'v'), 1]), { full: o.full as boolean, eps: num(o, 'eps'), reduction: r as 'mean' }) },
  { name: 'marginRankingLoss', what: 'score x1 = x against a fixed score x2, y = +1 asks for x1 > x2', range: fixed2, hinge: true,
    opts: [{ key: 'x2', label: 'x2', min: -2, max: 2, step: 0.1, value: 0 }, yChoice, { key: 'margin', label: 'margin', min: 0, max: 2, step: 0.1, value: 0.5 }],
    call: (x, o, r) => marginRankingLoss(withFixed(x, 0), t([num(o, 'x2'), 1]), t([sign(o), 1]), { margin: num(o, 'margin'), reduction: r as 'mean' }) },
  { name: 'hingeEmbeddingLoss', what: 'a distance x; y = +1 for similar pairs, −1 for dissimilar ones', range: () => [-1, 4], hinge: true,
    opts: [{ ...yChoice, value: '-1' }, { key: 'margin', label: 'margin', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => hingeEmbeddingLoss(withFixed(x, 0.5), t([sign(o), 1]), { margin: num(o, 'margin'), reduction: r as 'mean' }) },
  { name: 'softMarginLoss', what: 'score x for a label y = ±1', range: () => [-5, 5], opts: [yChoice],
    call: (x, o, r) => softMarginLoss(withFixed(x, 0.5), t([sign(o), 1]), { reduction: r as 'mean' }) },
  { name: 'tripletMarginLoss', what: 'the negative at (x, 0.5), anchor at (0, 0), positive at (1, 0)', range: () => [-3, 3], hinge: true,
    opts: [{ key: 'margin', label: 'margin', min: 0, max: 2, step: 0.1, value: 1 }, { key: 'p', label: 'p', min: 1, max: 4, step: 0.5, value: 2 },
      { key: 'eps', label: 'eps', min: 0, max: 0.5, step: 0.01, value: 1e-6 }, { key: 'swap', label: 'swap', value: false }],
    call: (x, o, r) => tripletMarginLoss(t([[0, 0], [0, 0]]), t([[1, 0], [0, 1]]), stack([concat([x, t([0.5])]), t([2, 2])]),
      { margin: num(o, 'margin'), p: num(o, 'p'), eps: num(o, 'eps'), swap: o.swap as boolean, reduction: r as 'mean' }) },
  { name: 'tripletMarginWithDistanceLoss', what: 'the same triplet, Euclidean distance by default', range: () => [-3, 3], hinge: true,
    opts: [{ key: 'margin', label: 'margin', min: 0, max: 2, step: 0.1, value: 1 }, { key: 'swap', label: 'swap', value: false }],
    call: (x, o, r) => tripletMarginWithDistanceLoss(t([[0, 0], [0, 0]]), t([[1, 0], [0, 1]]), stack([concat([x, t([0.5])]), t([2, 2])]),
      { margin: num(o, 'margin'), swap: o.swap as boolean, reduction: r as 'mean' }) },
  { name: 'cosineEmbeddingLoss', what: 'first coordinate of x2 = (x, 1), compared with x1 = (1, 0) by their cosine', range: () => [-4, 4], hinge: true,
    opts: [yChoice, { key: 'margin', label: 'margin', min: -1, max: 1, step: 0.05, value: 0 }],
    call: (x, o, r) => cosineEmbeddingLoss(t([[1, 0], [1, 0]]), stack([concat([x, t([1])]), t([0, 1])]), t([sign(o), 1]), { margin: num(o, 'margin'), reduction: r as 'mean' }) },
  { name: 'crossEntropyLoss', what: 'logit x of class 0, the others at 0 and 1', range: () => [-6, 6],
    opts: [{ key: 'c', label: 'target class', choices: ['0', '1', '2'], value: '0' }, { key: 'ls', label: 'labelSmoothing', min: 0, max: 0.9, step: 0.05, value: 0 },
      { key: 'w', label: 'weight of class 0', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => crossEntropyLoss(stack([concat([x, t([0, 1])]), t([0.5, -0.5, 0])]), t([Number(o.c), 1]),
      { weight: t([num(o, 'w'), 1, 1]), labelSmoothing: num(o, 'ls'), reduction: r as 'mean' }) },
  { name: 'nllLoss', what: 'log-probability x of class 0 (taken as given)', range: () => [-6, 0],
    opts: [{ key: 'c', label: 'target class', choices: ['0', '1'], value: '0' }, { key: 'w', label: 'weight of class 0', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => nllLoss(stack([concat([x, t([-1])]), t([-0.5, -1])]), t([Number(o.c), 1]), { weight: t([num(o, 'w'), 1]), reduction: r as 'mean' }) },
  { name: 'multiMarginLoss', what: 'score x of class 0, the others at 0 and 1', range: () => [-4, 4], hinge: true,
    opts: [{ key: 'c', label: 'target class', choices: ['0', '1', '2'], value: '0' }, { key: 'p', label: 'p', choices: ['1', '2'], value: '1' },
      { key: 'margin', label: 'margin', min: 0, max: 2, step: 0.1, value: 1 }, { key: 'w', label: 'weight of class 0', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => multiMarginLoss(stack([concat([x, t([0, 1])]), t([0.5, -0.5, 0])]), t([Number(o.c), 1]),
      { p: Number(o.p), margin: num(o, 'margin'), weight: t([num(o, 'w'), 1, 1]), reduction: r as 'mean' }) },
  { name: 'multiLabelSoftMarginLoss', what: 'score x of label 0, the others at 0.5 and −0.5', range: () => [-6, 6],
    opts: [{ key: 'on', label: 'label 0 present', choices: ['1', '0'], value: '1' }, { key: 'w', label: 'weight of label 0', min: 0, max: 3, step: 0.1, value: 1 }],
    call: (x, o, r) => multiLabelSoftMarginLoss(stack([concat([x, t([0.5, -0.5])]), t([0, 0, 0])]), t([[Number(o.on), 0, 1], [1, 0, 0]]),
      { weight: t([num(o, 'w'), 1, 1]), reduction: r as 'mean' }) },
  { name: 'multiLabelMarginLoss', what: 'score x of class 0, the others at 0 and 1', range: () => [-4, 4], hinge: true,
    opts: [{ key: 'labels', label: 'labels', choices: ['0', '0,2', '1', '1,2'], value: '0' }],
    call: (x, o, r) => {
      const labels = String(o.labels).split(',').map(Number);
      const row0 = [...labels, ...Array(3 - labels.length).fill(-1)];
      return multiLabelMarginLoss(stack([concat([x, t([0, 1])]), t([0.5, -0.5, 0])]), t([row0, [1, -1, -1]]), { reduction: r as 'mean' });
    } },
];

interface Point { x: number; value: number; grad: number }

/** Value and gradient (from backward) of the chosen loss at `x`; with 'none', the swept sample's. */
function evaluate(e: Entry, x: number, o: Options, reduction: string): Point {
  const leaf = tensor([x], { requiresGrad: true });
  const out = e.call(leaf, o, reduction);
  out.sum().backward();
  const value = out.shape.length === 0 ? out.item() : (out.toArray() as number[] | number[][]).flat()[0];
  return { x, value, grad: (leaf.grad as Tensor).item() };
}

function hingeKinks(points: Point[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < points.length; i++) {
    if ((points[i - 1].value === 0) !== (points[i].value === 0)) out.push((points[i - 1].x + points[i].x) / 2);
  }
  return out;
}

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
