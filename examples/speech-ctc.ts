/**
 * Speech-like CTC: utterances of words from a small lexicon, each phoneme a noisy feature
 * pattern held for a random number of frames. A small nn model (a Conv1d over a window of
 * frames, a GRU over time, a Linear read-out) predicts per-frame label posteriors and is trained
 * with ctcLoss; greedy and prefix-beam decoding of held-out utterances give the label error rate,
 * and ctcAlign the forced alignment. The trained weights are saved as speech-ctc.safetensors,
 * which PyTorch loads (see the README).
 *
 *   npx tsx examples/speech-ctc.ts [--quick] [--out DIR] [--quiet] [--help]
 */
import { join } from 'node:path';
import { noGrad, optim, tensor } from '../engine/index.js';
import { nn } from '../index.js';
import { saveSafetensorsFile } from '../nn/safetensors-node.js';
import type { Tensor } from '../engine/index.js';
import { ctcAlign, ctcBeamSearch, ctcGreedyDecode, ctcLoss } from '../ctc/index.js';
import { speakMany, speechTask } from './data/utterances.js';
import type { Utterance } from './data/utterances.js';
import { heatmapChart, writeIndexPages, writeSvg } from './lib/pictures.js';
import { labelErrorRate } from './lib/metrics.js';
import { pick, resolveOptions, runFromCommandLine, sayer } from './lib/cli.js';
import type { RunOptions } from './lib/cli.js';
import { Rng, sample } from './lib/sampling.js';
import { formatTable, percent } from './lib/terminal.js';
import { tailMean, trainLoop } from './lib/training.js';

const BLANK = 0;
const NAMES = ['∅', 'a', 'e', 'i', 'o', 'k', 's', 't', 'n'];
const RADIUS = 2;
const HIDDEN = 32;
const BEAM_WIDTH = 8;
const BATCH = 16;

export interface CtcMetrics {
  greedyBefore: number;
  beamBefore: number;
  greedyAfter: number;
  beamAfter: number;
  finalLoss: number;
  heldOut: number;
  pictures: string[];
  /** The trained weights, a safetensors file. */
  weightsFile: string;
}

interface Example {
  utterance: Utterance;
}

/**
 * Frames `[N, featureDim, T]` to per-frame label scores `[T, N, C]`: a Conv1d over
 * 2·RADIUS + 1 frames (the features are its channels), ReLU, a GRU over time added to the
 * convolution's features (without that shortcut the GRU alone learned far more slowly: after the
 * quick run's 80 steps its greedy label error rate was still above 60%), and a Linear read-out.
 */
class FrameModel extends nn.Module {
  readonly conv: nn.Conv1d;
  readonly gru: nn.GRU;
  readonly head: nn.Linear;

  constructor(featureDim: number, seed: number) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv1d(featureDim, HIDDEN, 2 * RADIUS + 1, { padding: RADIUS, seed }));
    this.gru = this.registerModule('gru', new nn.GRU(HIDDEN, HIDDEN, { seed: seed + 1 }));
    this.head = this.registerModule('head', new nn.Linear(HIDDEN, NAMES.length, { seed: seed + 2 }));
  }

  override forward(frames: Tensor): Tensor {
    const h = this.conv.call(frames).relu().permute([2, 0, 1]); // [T, N, HIDDEN]
    const [states] = this.gru.call(h); // [T, N, HIDDEN]
    return this.head.call(h.add(states)); // [T, N, C]
  }
}

const spell = (labels: readonly number[]): string => labels.map((l) => NAMES[l]).join('');

/** `[T, N, C]` log-posteriors of a batch, padded to its longest utterance (padding frames are silence). */
function logPosteriors(model: FrameModel, batch: readonly Example[]): { logProbs: Tensor; lengths: number[] } {
  const lengths = batch.map((e) => e.utterance.frames.length);
  const frames = Math.max(...lengths);
  const dim = batch[0].utterance.frames[0].length;
  const x = new Float64Array(batch.length * dim * frames); // [N, featureDim, T], zeros past each end
  batch.forEach((e, n) => e.utterance.frames.forEach((row, t) => row.forEach((v, f) => { x[(n * dim + f) * frames + t] = v; })));
  const out = model.call(tensor(x, { shape: [batch.length, dim, frames] })); // [T, N, C]
  return { logProbs: out.logSoftmax(-1), lengths };
}

function errorRates(model: FrameModel, examples: readonly Example[]): { greedy: number; beam: number } {
  const { logProbs, lengths } = noGrad(() => logPosteriors(model, examples));
  const refs = examples.map((e) => e.utterance.labels);
  return {
    greedy: labelErrorRate(ctcGreedyDecode(logProbs, lengths, { blank: BLANK }), refs),
    beam: labelErrorRate(ctcBeamSearch(logProbs, lengths, { beamWidth: BEAM_WIDTH, blank: BLANK }), refs),
  };
}

function train(model: FrameModel, examples: readonly Example[], steps: number, showProgress: boolean): number[] {
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const rng = new Rng(5);
  return trainLoop({
    label: 'CTC training',
    steps,
    showProgress,
    step: () => {
      const batch = sample(rng, examples, BATCH);
      const { logProbs, lengths } = logPosteriors(model, batch);
      const targets = batch.map((e) => e.utterance.labels);
      const longest = Math.max(...targets.map((t) => t.length));
      // ctcLoss ignores a padded target past its length; the pad is a label, not the blank, to be valid anyway.
      const padded = targets.map((t) => [...t, ...new Array<number>(longest - t.length).fill(1)]);
      const loss = ctcLoss(logProbs, padded, lengths, targets.map((t) => t.length), { blank: BLANK });
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    },
  });
}

async function posteriorPicture(model: FrameModel, example: Example, outDir: string): Promise<string> {
  const { logProbs } = noGrad(() => logPosteriors(model, [example]));
  const single = logProbs.squeeze(1); // [T, C]
  const [path] = ctcAlign(single, example.utterance.labels, single.shape[0], example.utterance.labels.length, { blank: BLANK });
  const greedy = ctcGreedyDecode(logProbs, [single.shape[0]], { blank: BLANK })[0];
  const probs = single.exp().toArray() as number[][];
  const cells = probs.flatMap((row, t) => row.map((p, c) => ({ x: t, y: NAMES[c], value: p })));
  return writeSvg(outDir, 'ctc-posteriors', heatmapChart(cells, {
    title: [
      `Per-frame label posteriors of a held-out "${spell(example.utterance.labels)}"`,
      `greedy decoding "${spell(greedy)}"; ◆ forced alignment (ctcAlign)`,
    ],
    xTitle: 'frame',
    yTitle: 'label',
    valueTitle: 'p(label | frame)',
    yOrder: NAMES,
    scheme: 'blues',
    domain: [0, 1],
    cellWidth: 14,
    cellHeight: 18,
    overlay: { rows: path.map((label, t) => ({ x: t, y: NAMES[label] })), title: 'forced alignment' },
  }));
}

export async function run(options: RunOptions): Promise<CtcMetrics> {
  const opts = resolveOptions(options);
  const say = sayer(opts.log);
  const task = speechTask({ phonemes: NAMES.length - 1, featureDim: 10, words: 12, noise: 0.9, seed: 21 });
  const prepare = (utterances: Utterance[]): Example[] => utterances.map((utterance) => ({ utterance }));
  const trainSet = prepare(speakMany(task, pick(opts, 120, 400), 1));
  const heldOut = prepare(speakMany(task, pick(opts, 40, 150), 2));
  const steps = pick(opts, 80, 300);

  const model = new FrameModel(task.featureDim, 13);
  const before = errorRates(model, heldOut);
  const losses = train(model, trainSet, steps, opts.log && !opts.quick);
  const after = errorRates(model, heldOut);
  const pictures = [await posteriorPicture(model, heldOut[0], opts.outDir)];
  const weightsFile = join(opts.outDir, 'speech-ctc.safetensors');
  saveSafetensorsFile(weightsFile, model.stateDict(), { labels: NAMES.join(' '), input: `[N, ${task.featureDim}, T] frames`, output: '[T, N, C] label scores' });
  await writeIndexPages(opts.outDir);

  say(formatTable(
    `Speech-like CTC: label error rate on ${heldOut.length} held-out utterances (${steps} steps, lexicon ${task.lexicon.map(spell).join(' ')})`,
    ['decoder', 'before training', 'after training'],
    [
      ['greedy', percent(before.greedy), percent(after.greedy)],
      [`beam (width ${BEAM_WIDTH})`, percent(before.beam), percent(after.beam)],
    ],
  ));
  return {
    greedyBefore: before.greedy,
    beamBefore: before.beam,
    greedyAfter: after.greedy,
    beamAfter: after.beam,
    finalLoss: tailMean(losses),
    heldOut: heldOut.length,
    pictures,
    weightsFile,
  };
}

await runFromCommandLine(import.meta.url, {
  command: 'npx tsx examples/speech-ctc.ts',
  summary: 'ctcLoss trains a frame classifier on synthetic utterances; greedy and beam decoding,\nforced alignment; prints label error rates, draws the posteriors.',
}, run);
