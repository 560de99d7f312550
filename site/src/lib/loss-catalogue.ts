/**
 * The losses the explorer page offers, free of the DOM so that a Node spec can sweep every one over
 * its range and options: how each builds its arguments around the swept scalar x, its options
 * as controls, and its kinks.
 */
import {
  bceLoss, bceWithLogitsLoss, concat, cosineEmbeddingLoss, crossEntropyLoss, gaussianNllLoss, hingeEmbeddingLoss,
  huberLoss, klDivLoss, l1Loss, log, marginRankingLoss, mseLoss, multiLabelMarginLoss, multiLabelSoftMarginLoss,
  multiMarginLoss, nllLoss, poissonNllLoss, smoothL1Loss, softMarginLoss, stack, tensor, tripletMarginLoss,
  tripletMarginWithDistanceLoss,
} from '../../../index.js';
import type { Tensor } from '../../../index.js';

export type Options = Record<string, number | string | boolean>;

export interface NumOpt { key: string; label: string; min: number; max: number; step: number; value: number }
export interface ChoiceOpt { key: string; label: string; choices: string[]; value: string }
export interface BoolOpt { key: string; label: string; value: boolean }
export type Opt = NumOpt | ChoiceOpt | BoolOpt;

/**
 * One loss on the explorer. `call` builds the loss's arguments around the swept scalar `x` (a
 * one-element leaf) and a second, fixed sample, so that the reduction has something to act on.
 */
export interface Entry {
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

export const ENTRIES: Entry[] = [
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
    opts: [{ key: 'q', label: 'target q', min: 0.05, max: 1, step: 0.05, value: 0.6 }, { key: 'logTarget', label: 'logTarget (q given as log q)', value: false }],
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

export interface Point { x: number; value: number; grad: number }

/** Value and gradient (from backward) of the chosen loss at `x`; with 'none', the swept sample's. */
export function evaluate(e: Entry, x: number, o: Options, reduction: string): Point {
  const leaf = tensor([x], { requiresGrad: true });
  const out = e.call(leaf, o, reduction);
  out.sum().backward();
  const value = out.shape.length === 0 ? out.item() : (out.toArray() as number[] | number[][]).flat()[0];
  return { x, value, grad: (leaf.grad as Tensor).item() };
}

export function hingeKinks(points: Point[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < points.length; i++) {
    if ((points[i - 1].value === 0) !== (points[i].value === 0)) out.push((points[i - 1].x + points[i].x) / 2);
  }
  return out;
}
