/**
 * Claim 5 of the lecture: the cosine embedding loss defeats "make the vectors long", and a small
 * positive margin uses the room near the equator.
 *
 * Length: scaling both vectors by s leaves cosineEmbeddingLoss unchanged (up to the 1e-12 that
 * PyTorch adds to each squared norm, felt only by vectors of length near 1e-6), and its gradient with respect to
 * x1 is orthogonal to x1, so descent has no direction that lengthens the vectors on purpose;
 * a score built on the dot product instead (softMarginLoss of x1·x2) keeps falling as the
 * vectors grow, and Euclidean distance between them grows with s.
 * Equator: in D dimensions the cosine of two random directions concentrates around 0 (spread
 * about 1/√D), so a dissimilar pair (y = −1) with margin 0 is penalised half the time, while a
 * small margin such as 0.1 leaves almost every random pair alone in high dimension: dissimilar
 * items may sit anywhere near the equator instead of being pushed to the opposite pole.
 *
 *   npx tsx examples/claims/cosine-embedding.ts
 */
import { cosineEmbeddingLoss, randn, softMarginLoss, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { isMain } from '../lib/cli.js';

export interface ScaleRow {
  scale: number;
  cosineLoss: number;
  dotLoss: number;
  distance: number;
}

export interface EquatorRow {
  dim: number;
  /** Share of random pairs with |cos| < margin. */
  nearEquator: number;
  /** Share of random pairs a y = −1 term penalises with margin 0, and with the small margin. */
  penalisedMargin0: number;
  penalisedSmallMargin: number;
}

export interface CosineClaim {
  scales: ScaleRow[];
  /** |x1 · ∂loss/∂x1| / (‖x1‖ ‖∂loss/∂x1‖): 0 for a gradient orthogonal to x1. */
  radialShare: number;
  margin: number;
  equator: EquatorRow[];
}

const X1 = [0.8, 0.3, -0.2];
const X2 = [0.6, 0.5, 0.1];

function scaled(s: number): ScaleRow {
  const a = tensor([X1.map((v) => s * v)]);
  const b = tensor([X2.map((v) => s * v)]);
  const cosineLoss = cosineEmbeddingLoss(a, b, tensor([1])).item();
  const dotLoss = softMarginLoss(a.mul(b).sum(1), tensor([1])).item();
  const distance = a.sub(b).pow(2).sum().sqrt().item();
  return { scale: s, cosineLoss, dotLoss, distance };
}

function radialShare(): number {
  const a = tensor([X1], { requiresGrad: true });
  cosineEmbeddingLoss(a, tensor([X2]), tensor([1])).backward();
  const g = (a.grad as Tensor).toArray() as number[][];
  const dot = X1.reduce((acc, v, i) => acc + v * g[0][i], 0);
  const n1 = Math.hypot(...X1);
  const ng = Math.hypot(...g[0]);
  return Math.abs(dot) / (n1 * ng);
}

/** Shares over `pairs` random Gaussian pairs, every cosine read back from cosineEmbeddingLoss. */
function equator(dim: number, margin: number, pairs: number, seed: number): EquatorRow {
  const a = randn([pairs, dim], { seed });
  const b = randn([pairs, dim], { seed: seed + 1 });
  const ones = tensor(Array(pairs).fill(1));
  const cos = (cosineEmbeddingLoss(a, b, ones, { reduction: 'none' }).toArray() as number[]).map((l) => 1 - l);
  const penalised = (m: number): number =>
    (cosineEmbeddingLoss(a, b, ones.neg(), { margin: m, reduction: 'none' }).toArray() as number[]).filter((l) => l > 0).length / pairs;
  return {
    dim,
    nearEquator: cos.filter((c) => Math.abs(c) < margin).length / pairs,
    penalisedMargin0: penalised(0),
    penalisedSmallMargin: penalised(margin),
  };
}

export function run({ pairs = 2000, margin = 0.1 }: { pairs?: number; margin?: number } = {}): CosineClaim {
  return {
    scales: [0.1, 1, 10, 1e3].map(scaled),
    radialShare: radialShare(),
    margin,
    equator: [2, 16, 256].map((d, i) => equator(d, margin, pairs, 11 + 2 * i)),
  };
}

if (isMain(import.meta.url)) {
  const r = run();
  console.log('Claim 5: cosine embedding loss ignores length; a small margin uses the room near the equator');
  console.log('  scale   cosine loss (y=+1)   dot-product soft margin   Euclidean distance');
  for (const s of r.scales) console.log(`  ${String(s.scale).padEnd(7)} ${s.cosineLoss.toFixed(15).padEnd(20)} ${s.dotLoss.toExponential(6).padEnd(25)} ${s.distance.toExponential(6)}`);
  console.log(`  share of the cosine loss's gradient along x1: ${r.radialShare.toExponential(2)}`);
  console.log(`  random pairs   |cos| < ${r.margin}   penalised as dissimilar: margin 0   margin ${r.margin}`);
  for (const e of r.equator) console.log(`  D = ${String(e.dim).padEnd(10)} ${(100 * e.nearEquator).toFixed(1).padStart(6)}%   ${(100 * e.penalisedMargin0).toFixed(1).padStart(30)}%   ${(100 * e.penalisedSmallMargin).toFixed(1).padStart(8)}%`);
}
