/** Gallery entries for the torch.nn losses, each swept over the argument that shapes it. */
import { full, ones, zeros } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import { ctcLoss } from '../../ctc/index.js';
import {
  bceLoss, bceWithLogitsLoss, cosineEmbeddingLoss, crossEntropyLoss, gaussianNllLoss, hingeEmbeddingLoss,
  huberLoss, klDivLoss, l1Loss, marginRankingLoss, mseLoss, multiLabelMarginLoss, multiLabelSoftMarginLoss,
  multiMarginLoss, nllLoss, poissonNllLoss, smoothL1Loss, softMarginLoss, tripletMarginLoss,
  tripletMarginWithDistanceLoss,
} from '../../losses/index.js';
import type { GalleryEntry } from './entry.js';

const n = (x: Tensor): number => x.shape[0];
const same = (x: Tensor, v: number): Tensor => full([n(x)], v);
const col = (x: Tensor): Tensor => x.unsqueeze(1); // [n, 1]
/** Logits `[n, classes]` whose first class is swept and the others sit at 0. */
const firstOf = (x: Tensor, classes: number): Tensor => col(x).concat([zeros([n(x), classes - 1])], 1);
const rows = (x: Tensor, row: number[]): number[][] => Array.from({ length: n(x) }, () => row);
const none = { reduction: 'none' } as const;

export const TORCH_ENTRIES: GalleryEntry[] = [
  {
    file: 'mse', title: 'mseLoss(x, 0)', xTitle: 'input − target', range: [-3, 3],
    series: [{ label: 'target 0', loss: (x) => mseLoss(x, same(x, 0), none) }],
  },
  {
    file: 'l1', title: 'l1Loss(x, 0)', xTitle: 'input − target', range: [-3, 3],
    series: [{ label: 'target 0', loss: (x) => l1Loss(x, same(x, 0), none) }],
  },
  {
    file: 'smooth-l1', title: 'smoothL1Loss(x, 0)', xTitle: 'input − target', range: [-3, 3],
    series: [1, 2].map((beta) => ({ label: `beta ${beta}`, loss: (x: Tensor) => smoothL1Loss(x, same(x, 0), { ...none, beta }) })),
  },
  {
    file: 'huber', title: 'huberLoss(x, 0)', xTitle: 'input − target', range: [-3, 3],
    series: [1, 2].map((delta) => ({ label: `delta ${delta}`, loss: (x: Tensor) => huberLoss(x, same(x, 0), { ...none, delta }) })),
  },
  {
    file: 'bce', title: 'bceLoss(p, y)', xTitle: 'probability p', range: [0.01, 0.99],
    series: [1, 0.3, 0].map((y) => ({ label: `target ${y}`, loss: (x: Tensor) => bceLoss(x, same(x, y), none) })),
  },
  {
    file: 'bce-with-logits', title: 'bceWithLogitsLoss(x, y)', xTitle: 'logit x', range: [-6, 6],
    series: [
      { label: 'target 1', loss: (x) => bceWithLogitsLoss(x, same(x, 1), none) },
      { label: 'target 0', loss: (x) => bceWithLogitsLoss(x, same(x, 0), none) },
      { label: 'target 1, posWeight 3', loss: (x) => bceWithLogitsLoss(x, same(x, 1), { ...none, posWeight: full([1], 3) }) },
    ],
  },
  {
    file: 'kl-div', title: 'klDivLoss(log q, p)', xTitle: 'log q', range: [-4, 0],
    series: [0.5, 0.2].map((p) => ({ label: `target p ${p}`, loss: (x: Tensor) => klDivLoss(x, same(x, p), none) })),
  },
  {
    file: 'nll', title: 'nllLoss(log p, class)', xTitle: 'log-probability of the target class', range: [-4, 0],
    series: [{ label: 'one class', loss: (x) => nllLoss(col(x), zeros([n(x)]), none) }],
  },
  {
    file: 'cross-entropy', title: 'crossEntropyLoss([x, 0, 0], 0)', xTitle: 'logit of the target class', range: [-5, 5],
    series: [0, 0.2].map((labelSmoothing) => ({
      label: `labelSmoothing ${labelSmoothing}`,
      loss: (x: Tensor) => crossEntropyLoss(firstOf(x, 3), zeros([n(x)]), { ...none, labelSmoothing }),
    })),
  },
  {
    file: 'multi-margin', title: 'multiMarginLoss([x, 0, 0], 0)', xTitle: 'score of the target class', range: [-3, 3],
    series: [1, 2].map((p) => ({ label: `p ${p}`, loss: (x: Tensor) => multiMarginLoss(firstOf(x, 3), zeros([n(x)]), { ...none, p }) })),
  },
  {
    file: 'multi-label-margin', title: 'multiLabelMarginLoss([x, 0, 0], [0, -1, -1])', xTitle: 'score of the one target class', range: [-3, 3],
    series: [{ label: 'target {0}', loss: (x) => multiLabelMarginLoss(firstOf(x, 3), rows(x, [0, -1, -1]), none) }],
  },
  {
    file: 'multi-label-soft-margin', title: 'multiLabelSoftMarginLoss([x], y)', xTitle: 'logit x', range: [-6, 6],
    series: [1, 0].map((y) => ({ label: `target ${y}`, loss: (x: Tensor) => multiLabelSoftMarginLoss(col(x), rows(x, [y]), none) })),
  },
  {
    file: 'soft-margin', title: 'softMarginLoss(x, y)', xTitle: 'input x', range: [-4, 4],
    series: [1, -1].map((y) => ({ label: `y ${y}`, loss: (x: Tensor) => softMarginLoss(x, same(x, y), none) })),
  },
  {
    file: 'hinge-embedding', title: 'hingeEmbeddingLoss(x, y)', xTitle: 'input (a distance) x', range: [-1, 3],
    series: [1, -1].map((y) => ({ label: `y ${y}`, loss: (x: Tensor) => hingeEmbeddingLoss(x, same(x, y), none) })),
  },
  {
    file: 'margin-ranking', title: 'marginRankingLoss(x, 0, y), margin 0.5', xTitle: 'x1 − x2', range: [-3, 3],
    series: [1, -1].map((y) => ({ label: `y ${y}`, loss: (x: Tensor) => marginRankingLoss(x, same(x, 0), same(x, y), { ...none, margin: 0.5 }) })),
  },
  {
    file: 'cosine-embedding', title: 'cosineEmbeddingLoss([1, x], [1, 0], y), margin 0.5', xTitle: 'x (the angle is atan x)', range: [-4, 4],
    series: [1, -1].map((y) => ({
      label: `y ${y}`,
      loss: (x: Tensor) => cosineEmbeddingLoss(ones([n(x), 1]).concat([col(x)], 1), firstOf(ones([n(x)]), 2), same(x, y), { ...none, margin: 0.5 }),
    })),
  },
  {
    file: 'triplet-margin', title: 'tripletMarginLoss(0, 1, x) in 1-D', xTitle: 'position of the negative', range: [-3, 4],
    series: [false, true].map((swap) => ({
      label: swap ? 'margin 1, swap' : 'margin 1',
      loss: (x: Tensor) => tripletMarginLoss(zeros([n(x), 1]), ones([n(x), 1]), col(x), { ...none, swap }),
    })),
  },
  {
    file: 'triplet-margin-with-distance', title: 'tripletMarginWithDistanceLoss(0, 1, x) in 2-D', xTitle: 'negative at (x, x)', range: [-3, 4],
    series: [
      { label: 'Euclidean (default)', loss: (x) => tripletMarginWithDistanceLoss(zeros([n(x), 2]), firstOf(ones([n(x)]), 2), col(x).concat([col(x)], 1), none) },
      {
        label: 'L1 distance',
        loss: (x) => tripletMarginWithDistanceLoss(zeros([n(x), 2]), firstOf(ones([n(x)]), 2), col(x).concat([col(x)], 1), {
          ...none,
          distanceFunction: (a: Tensor, b: Tensor) => a.sub(b).abs().sum(-1),
        }),
      },
    ],
  },
  {
    file: 'poisson-nll', title: 'poissonNllLoss(log λ, k)', xTitle: 'log-rate log λ', range: [-3, 3],
    series: [0, 1, 3].map((k) => ({ label: `count ${k}`, loss: (x: Tensor) => poissonNllLoss(x, same(x, k), none) })),
  },
  {
    file: 'gaussian-nll', title: 'gaussianNllLoss(μ, 0, σ²)', xTitle: 'mean μ', range: [-3, 3],
    series: [1, 0.25].map((v) => ({ label: `variance ${v}`, loss: (x: Tensor) => gaussianNllLoss(x, same(x, 0), same(x, v), none) })),
  },
  {
    file: 'ctc', title: 'ctcLoss(T frames of logits [blank 0, "a" x], target "a")', xTitle: 'logit of "a" in every frame', range: [-4, 4],
    series: [1, 2, 4].map((frames) => ({
      label: `T ${frames}`,
      loss: (x: Tensor) => {
        const logits = zeros([frames, n(x), 1]).concat([col(x).unsqueeze(0).expand([frames, n(x), 1])], 2); // [T, n, 2]
        return ctcLoss(logits.logSoftmax(2), rows(x, [1]), new Array<number>(n(x)).fill(frames), new Array<number>(n(x)).fill(1), none);
      },
    })),
  },
];
