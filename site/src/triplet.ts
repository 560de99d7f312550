import { CLASSES, TripletTrainer, heldOutAccuracy, nearest } from './lib/triplet-model.js';
import type { Mining } from './lib/triplet-model.js';
import { Loop, button, chart, page, pageReady, readout, row, section, select, slider, update } from './ui.js';

const main = page('Triplet embeddings',
  'A triplet loss sees an anchor, a positive of the same class and a negative of another, and asks only '
  + 'that the negative be farther from the anchor than the positive, by a margin. Nothing fixes where a class '
  + 'goes, only the order of distances; once training has done its work, finding items like a query is a '
  + 'nearest-neighbour search, as in image retrieval.');

const s = section(main, 'Train it', 'Each of four classes is two separate clusters in six dimensions, so a '
  + 'straight projection cannot gather a class; a small network (6 → 24 → 2, tanh) learns to. Every step mines '
  + 'triplets from the whole batch: batch-hard takes, for each anchor, its farthest positive and nearest negative; '
  + 'semi-hard takes negatives just beyond the positive, inside the margin. Filled dots are training points, '
  + 'crosses held-out ones. Click a dot (or type its number) to see its five nearest neighbours.');
const controls = row(s);
const config = { seed: 1, mining: 'batch-hard' as Mining, margin: 0.5 };
let trainer = new TripletTrainer(config);
let query = -1;

const read = row(s);
const showStep = readout(read, 'triplet-step', 'step');
const showLoss = readout(read, 'triplet-loss', 'loss');
const showCount = readout(read, 'triplet-count', 'triplets mined');
const showAcc = readout(read, 'triplet-accuracy', 'held-out nearest-neighbour accuracy');
const nnText = document.createElement('p');
nnText.id = 'neighbours';
nnText.setAttribute('aria-live', 'polite');

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const scatter = chart(row(s, 'charts'), 'chart-embedding', {
  height: 320,
  layer: [
    { data: { name: 'train' }, mark: { type: 'circle', size: 60, cursor: 'pointer' },
      encoding: { x: { field: 'x', type: 'quantitative', scale: { zero: false } }, y: { field: 'y', type: 'quantitative', scale: { zero: false } },
        color: { field: 'label', type: 'nominal', scale: { range: palette }, title: 'class' }, tooltip: [{ field: 'id' }, { field: 'label' }] },
      params: [{ name: 'pick', select: { type: 'point', fields: ['id'], on: 'click', clear: false } }] },
    { data: { name: 'heldOut' }, mark: { type: 'point', shape: 'cross', size: 50 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'label', type: 'nominal' } } },
    { data: { name: 'neighbours' }, mark: { type: 'point', size: 220, strokeWidth: 2, color: '#111' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    { data: { name: 'query' }, mark: { type: 'point', shape: 'diamond', size: 300, strokeWidth: 3, color: '#ff9800' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
  ],
}, 'the 2-D embedding, redrawn every frame while training');
s.append(nnText);
const lossHistory: { step: number; loss: number }[] = [];
const lossChart = chart(row(s, 'charts'), 'chart-triplet-loss', {
  height: 160, data: { name: 'history' }, mark: 'line',
  encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative' } },
}, 'training loss');

function draw(): void {
  const tr = trainer.embed('train');
  const ho = trainer.embed('heldOut');
  showStep(trainer.steps);
  showLoss(trainer.steps === 0 ? '—' : trainer.loss);
  showCount(trainer.triplets);
  showAcc(heldOutAccuracy(trainer));
  let nn: number[] = [];
  if (query >= 0) {
    nn = nearest(tr, query, 5);
    const labels = nn.map((i) => trainer.train.labels[i]);
    const same = labels.filter((l) => l === trainer.train.labels[query]).length;
    nnText.textContent = `Point ${query} (class ${trainer.train.labels[query]}): nearest ${nn.join(', ')}, classes ${labels.join(', ')}; ${same} of 5 share its class.`;
    nnText.dataset.neighbours = nn.join(',');
  }
  void scatter.then((r) => {
    update(r, 'train', tr.map(([x, y], id) => ({ id, x, y, label: trainer.train.labels[id] })));
    update(r, 'heldOut', ho.map(([x, y], id) => ({ x, y, label: trainer.heldOut.labels[id] })));
    update(r, 'neighbours', nn.map((i) => ({ x: tr[i][0], y: tr[i][1] })));
    update(r, 'query', query >= 0 ? [{ x: tr[query][0], y: tr[query][1] }] : []);
  });
  void lossChart.then((r) => update(r, 'history', lossHistory));
}

const loop = new Loop(() => {
  trainer.step();
  lossHistory.push({ step: trainer.steps, loss: trainer.loss });
  return trainer.steps < 2000;
}, draw, 8);

function reset(): void {
  loop.pause();
  trainer = new TripletTrainer({ ...config });
  lossHistory.length = 0;
  draw();
}

button(controls, 'triplet-start', 'Start', () => loop.start());
button(controls, 'triplet-pause', 'Pause', () => loop.pause());
button(controls, 'triplet-step-once', 'Step', () => { loop.pause(); loop.once(); });
button(controls, 'triplet-reset', 'Reset', reset);
select(controls, 'triplet-mining', 'mining', ['batch-hard', 'semi-hard'], config.mining, (v) => { config.mining = v as Mining; reset(); });
slider(controls, { id: 'triplet-margin', label: 'margin', min: 0.1, max: 2, step: 0.1, value: config.margin, onInput: (v) => { config.margin = v; reset(); } });
slider(controls, { id: 'triplet-seed', label: 'seed', min: 1, max: 20, step: 1, value: config.seed, onInput: (v) => { config.seed = v; reset(); } });
const queryRow = controls;
const qLabel = document.createElement('label');
const qInput = document.createElement('input');
Object.assign(qInput, { type: 'number', id: 'triplet-query', min: '0', max: String(CLASSES * 16 - 1), step: '1', placeholder: '#' });
qInput.addEventListener('change', () => {
  const v = Number(qInput.value);
  if (Number.isInteger(v) && v >= 0 && v < trainer.train.labels.length) { query = v; draw(); }
});
qLabel.append('neighbours of point ', qInput);
queryRow.append(qLabel);

void scatter.then((r) => r.view.addSignalListener('pick', (_name, value: { id?: number[] }) => {
  const id = value?.id?.[0];
  if (typeof id === 'number') {
    query = id;
    qInput.value = String(id);
    draw();
  }
}));
draw();
pageReady();
