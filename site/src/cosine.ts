import { cosineEmbeddingLoss, randn, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { chart, linspace, page, pageReady, readout, row, section, setSlider, slider, update } from './ui.js';

const main = page('Cosine embedding',
  'The cosine embedding loss compares two vectors by the cosine of the angle between them: 1 − cos for a '
  + 'similar pair (y = +1), max(0, cos − margin) for a dissimilar one (y = −1). Lengths drop out, so a model '
  + 'cannot lower the loss by inflating its outputs, which it can with a dot product or a Euclidean distance.');

// Two vectors in the plane, each set by dragging its tip or by its sliders.
const vecs = [{ angle: 20, length: 1.5 }, { angle: 75, length: 1 }];
let margin = 0;
const toXY = (v: { angle: number; length: number }): [number, number] => [v.length * Math.cos((v.angle * Math.PI) / 180), v.length * Math.sin((v.angle * Math.PI) / 180)];

interface PairResult { loss: number; grad: number[] }
/** The loss for one pair and its gradient with respect to x1, from backward. */
function pairLoss(x1: number[], x2: number[], y: number, m: number): PairResult {
  const a = tensor([x1], { requiresGrad: true });
  const loss = cosineEmbeddingLoss(a, tensor([x2]), tensor([y]), { margin: m });
  loss.backward();
  return { loss: loss.item(), grad: ((a.grad as Tensor).toArray() as number[][])[0] };
}

const drag = section(main, 'Drag the vectors', 'Drag the tip of either arrow (or use the sliders). The dashed arrows are '
  + 'minus the gradient with respect to x1, for y = +1 (green) and y = −1 (red): the directions descent would move x1. '
  + 'They are always perpendicular to x1, so descent turns x1 and never stretches it on purpose.');
const dragRow = row(drag, 'charts');
const NS = 'http://www.w3.org/2000/svg';
const svg = document.createElementNS(NS, 'svg');
svg.setAttribute('viewBox', '-2.2 -2.2 4.4 4.4');
svg.setAttribute('role', 'img');
svg.setAttribute('aria-label', 'two vectors in the plane');
svg.style.cssText = 'width:100%;max-width:360px;aspect-ratio:1;background:#fff;border:1px solid #dde;touch-action:none';
svg.innerHTML = `<defs><marker id="tip" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>
<circle r="1" fill="none" stroke="#ccd" stroke-width="0.01"/><line x1="-2.2" x2="2.2" stroke="#eee" stroke-width="0.01"/><line y1="-2.2" y2="2.2" stroke="#eee" stroke-width="0.01"/>`;
const arrow = (color: string, dash = ''): SVGLineElement => {
  const l = document.createElementNS(NS, 'line');
  l.setAttribute('stroke', color);
  l.setAttribute('stroke-width', '0.04');
  l.setAttribute('marker-end', 'url(#tip)');
  if (dash) l.setAttribute('stroke-dasharray', dash);
  svg.append(l);
  return l;
};
const gPos = arrow('#2e7d32', '0.08 0.05');
const gNeg = arrow('#c62828', '0.08 0.05');
const arrows = [arrow('#1f77b4'), arrow('#ff7f0e')];
const handles = arrows.map((_, i) => {
  const c = document.createElementNS(NS, 'circle');
  c.setAttribute('r', '0.12');
  c.setAttribute('fill', i === 0 ? '#1f77b4' : '#ff7f0e');
  c.setAttribute('fill-opacity', '0.35');
  c.style.cursor = 'grab';
  svg.append(c);
  return c;
});
const figure = document.createElement('figure');
figure.className = 'chart-plain';
figure.append(svg);
const cap = document.createElement('figcaption');
cap.textContent = 'x1 blue, x2 orange; the circle has radius 1';
figure.append(cap);
dragRow.append(figure);
const side = document.createElement('div');
dragRow.append(side);
const sliders: HTMLInputElement[] = [];
for (const [i, name] of ['x1', 'x2'].entries()) {
  const r = row(side);
  sliders.push(slider(r, { id: `${name}-angle`, label: `${name} angle°`, min: -180, max: 180, step: 1, value: vecs[i].angle, onInput: (v) => { vecs[i].angle = v; redraw(); } }));
  sliders.push(slider(r, { id: `${name}-length`, label: `${name} length`, min: 0.1, max: 2, step: 0.05, value: vecs[i].length, onInput: (v) => { vecs[i].length = v; redraw(); } }));
}
slider(row(side), { id: 'cos-margin', label: 'margin', min: -1, max: 1, step: 0.05, value: 0, onInput: (v) => { margin = v; redraw(); } });
const reads = row(side);
const showCos = readout(reads, 'cos-value', 'cos');
const showPos = readout(reads, 'cos-loss-pos', 'loss, y = +1');
const showNeg = readout(reads, 'cos-loss-neg', 'loss, y = −1');
const reads2 = row(side);
const showRadial = readout(reads2, 'cos-radial', 'x1 · gradient (y = +1)');

function setLine(l: SVGLineElement, from: [number, number], to: [number, number]): void {
  // SVG's y axis points down; the plane's points up.
  l.setAttribute('x1', String(from[0]));
  l.setAttribute('y1', String(-from[1]));
  l.setAttribute('x2', String(to[0]));
  l.setAttribute('y2', String(-to[1]));
}

let active = -1;
svg.addEventListener('pointerdown', (ev) => {
  const p = svgPoint(ev);
  const d = vecs.map((v) => Math.hypot(toXY(v)[0] - p[0], toXY(v)[1] - p[1]));
  active = d[0] <= d[1] ? 0 : 1;
  if (d[active] > 0.4) active = -1;
  else svg.setPointerCapture(ev.pointerId);
});
svg.addEventListener('pointermove', (ev) => {
  if (active < 0) return;
  const [x, y] = svgPoint(ev);
  vecs[active] = { angle: Math.round((Math.atan2(y, x) * 180) / Math.PI), length: Math.min(2, Math.max(0.1, Math.hypot(x, y))) };
  setSlider(sliders[2 * active], { value: vecs[active].angle });
  setSlider(sliders[2 * active + 1], { value: vecs[active].length });
  redraw();
});
svg.addEventListener('pointerup', () => { active = -1; });
function svgPoint(ev: PointerEvent): [number, number] {
  const r = svg.getBoundingClientRect();
  return [((ev.clientX - r.left) / r.width) * 4.4 - 2.2, -(((ev.clientY - r.top) / r.height) * 4.4 - 2.2)];
}

// Scaling: the cosine loss against a loss built on the Euclidean distance.
const scaleSec = section(main, 'Scaling changes nothing', 'Multiply both vectors by s. The cosine loss of the pair stays put; '
  + 'their Euclidean distance, and any loss built on it, grows with s; and a score built on the dot product '
  + 'can be driven down just by making the vectors longer.');
const scaleChart = chart(row(scaleSec, 'charts'), 'chart-scale', {
  height: 220, data: { name: 'rows' }, mark: { type: 'line', point: true },
  encoding: {
    x: { field: 's', type: 'quantitative', scale: { type: 'log' }, title: 'scale s' },
    y: { field: 'v', type: 'quantitative', scale: { type: 'symlog' }, title: 'value' },
    color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 320 } },
  },
});

function redraw(): void {
  const x1 = toXY(vecs[0]);
  const x2 = toXY(vecs[1]);
  const pos = pairLoss(x1, x2, 1, margin);
  const neg = pairLoss(x1, x2, -1, margin);
  showCos(1 - pos.loss);
  showPos(pos.loss);
  showNeg(neg.loss);
  showRadial(x1[0] * pos.grad[0] + x1[1] * pos.grad[1]);
  arrows.forEach((a, i) => setLine(a, [0, 0], i === 0 ? x1 : x2));
  handles.forEach((h, i) => {
    const p = i === 0 ? x1 : x2;
    h.setAttribute('cx', String(p[0]));
    h.setAttribute('cy', String(-p[1]));
  });
  const tipOf = (g: number[]): [number, number] => [x1[0] - g[0], x1[1] - g[1]];
  setLine(gPos, x1, tipOf(pos.grad));
  setLine(gNeg, x1, tipOf(neg.grad));
  const scales = [0.01, 0.1, 0.3, 1, 3, 10, 100];
  const rows = scales.flatMap((s) => {
    const a = tensor([[s * x1[0], s * x1[1]]]);
    const b = tensor([[s * x2[0], s * x2[1]]]);
    return [
      { s, what: 'cosineEmbeddingLoss, y = +1', v: cosineEmbeddingLoss(a, b, tensor([1]), { margin }).item() },
      { s, what: 'Euclidean distance ‖s·x1 − s·x2‖', v: a.sub(b).pow(2).sum().sqrt().item() },
      { s, what: 'dot-product score loss, softplus(−s²·x1·x2)', v: a.mul(b).sum().neg().softplus().item() },
    ];
  });
  void scaleChart.then((r) => update(r, 'rows', rows));
}

// High dimension: random directions are nearly orthogonal.
const dimSec = section(main, 'Room near the equator', 'Draw pairs of random Gaussian vectors in D dimensions. Their cosines '
  + 'pile up around 0, with a spread of about 1/√D: almost every pair is nearly orthogonal. With margin 0, a dissimilar pair '
  + 'is penalised whenever its cosine is positive, half the time; a small positive margin leaves the crowd near the '
  + 'equator alone, so dissimilar items need not be pushed to opposite poles, of which there is only one per direction.');
const dimRow = row(dimSec);
let logD = 6;
let dimMargin = 0.1;
const showShare = readout(row(dimSec), 'equator-share', 'pairs with |cos| < margin');
const showPen0 = readout(row(dimSec), 'equator-pen0', 'pairs a y = −1 term penalises, margin 0');
const showPenM = readout(row(dimSec), 'equator-penm', 'with the margin');
slider(dimRow, { id: 'equator-logd', label: 'log₂ D', min: 1, max: 10, step: 1, value: logD, onInput: (v) => { logD = v; redrawDim(); } });
slider(dimRow, { id: 'equator-margin', label: 'margin', min: 0, max: 0.5, step: 0.01, value: dimMargin, onInput: (v) => { dimMargin = v; redrawDim(); } });
const histChart = chart(row(dimSec, 'charts'), 'chart-cosines', {
  height: 200, data: { name: 'bins' },
  layer: [
    { mark: 'bar', encoding: { x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: 'cosine of a random pair' }, x2: { field: 'hi' }, y: { field: 'count', type: 'quantitative' } } },
    { data: { name: 'band' }, mark: { type: 'rect', opacity: 0.15, color: '#2e7d32' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
  ],
});

const PAIRS = 1000;
function redrawDim(): void {
  const D = 2 ** logD;
  const a = randn([PAIRS, D], { seed: 7 });
  const b = randn([PAIRS, D], { seed: 8 });
  const ones = tensor(new Array(PAIRS).fill(1));
  const cos = (cosineEmbeddingLoss(a, b, ones, { reduction: 'none' }).toArray() as number[]).map((l) => 1 - l);
  const share = (m: number): number => (cosineEmbeddingLoss(a, b, ones.neg(), { margin: m, reduction: 'none' }).toArray() as number[]).filter((l) => l > 0).length / PAIRS;
  showShare(cos.filter((c) => Math.abs(c) < dimMargin).length / PAIRS);
  showPen0(share(0));
  showPenM(share(dimMargin));
  const edges = linspace(-1, 1, 41);
  const bins = edges.slice(0, -1).map((lo, i) => ({ lo, hi: edges[i + 1], count: cos.filter((c) => c >= lo && (c < edges[i + 1] || (i === 39 && c <= 1))).length }));
  void histChart.then((r) => {
    update(r, 'bins', bins);
    update(r, 'band', [{ lo: -dimMargin, hi: dimMargin }]);
  });
}

redraw();
redrawDim();
pageReady();
