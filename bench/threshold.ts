/**
 * `npx tsx bench/threshold.ts [kernel…]`: where splitting a fused loss kernel over two threads
 * starts to pay, for engine/threads/pool.ts's SPLIT_MIN (`tripletEuclidean` is the triplet loss
 * with p = 2, `triplet` with p = 3). Each size is timed forward and backward on one thread and on
 * two with the threshold lowered to 0, interleaved (bench/timing.ts), and the ratio two/one
 * printed: below 1, two threads win.
 */
import { Rng, setNumThreads, tensor } from '../engine/index.js';
import { SPLIT_MIN } from '../engine/threads/pool.js';
import { ctcLoss } from '../ctc/index.js';
import { bceWithLogitsLoss, crossEntropyLoss, tripletMarginLoss } from '../losses/index.js';
import { measure, QUICK } from './timing.js';

const rng = new Rng(5);
const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

function bce(n: number): () => void {
  const x = tensor(randn(n), { requiresGrad: true });
  const t = tensor(Float64Array.from({ length: n }, (_, i) => i % 2));
  return () => {
    x.zeroGrad();
    bceWithLogitsLoss(x, t).backward();
  };
}

function crossEntropy(n: number): () => void {
  const C = 128;
  const x = tensor(randn(n), { shape: [n / C, C], requiresGrad: true });
  const t = tensor(Float64Array.from({ length: n / C }, (_, i) => (i * 7) % C));
  return () => {
    x.zeroGrad();
    crossEntropyLoss(x, t).backward();
  };
}

function logSoftmax(n: number): () => void {
  const x = tensor(randn(n), { shape: [n / 128, 128], requiresGrad: true });
  const w = tensor(randn(n), { shape: [n / 128, 128] });
  return () => {
    x.zeroGrad();
    x.logSoftmax(1).mul(w).sum().backward();
  };
}

/** `n` entries in each of the three `[n / 128, 128]` inputs, with the p-norm `p`. */
function triplet(p: number): (n: number) => () => void {
  return (n) => {
    const [a, pos, neg] = [1, 2, 3].map(() => tensor(randn(n), { shape: [n / 128, 128], requiresGrad: true }));
    return () => {
      for (const t of [a, pos, neg]) t.zeroGrad();
      tripletMarginLoss(a, pos, neg, { margin: 3, p }).backward();
    };
  };
}

/** `work` frames × target states over a batch of 4 with targets of 10 labels (21 states). */
function ctc(work: number): () => void {
  const N = 4;
  const S = 10;
  const C = 20;
  const T = Math.max(S, Math.round(work / (N * (2 * S + 1))));
  const lp = tensor(randn(T * N * C), { shape: [T, N, C], requiresGrad: true });
  const targets = tensor(Float64Array.from({ length: N * S }, (_, i) => 1 + (i % (C - 1))), { shape: [N, S] });
  return () => {
    lp.zeroGrad();
    ctcLoss(lp.logSoftmax(2), targets, new Array<number>(N).fill(T), new Array<number>(N).fill(S)).backward();
  };
}

const kernels = { bceLogits: bce, crossEntropy, logSoftmax, ctc, tripletEuclidean: triplet(2), triplet: triplet(3) } as const;
const only = process.argv.slice(2);
const opts = { ...QUICK, samples: 9 };
for (const [name, make] of Object.entries(kernels) as [keyof typeof kernels, (n: number) => () => void][]) {
  if (only.length > 0 && !only.includes(name)) continue;
  const saved = SPLIT_MIN[name];
  for (let log2 = 10; log2 <= (name === 'crossEntropy' || name === 'bceLogits' || name === 'logSoftmax' ? 18 : 20); log2++) {
    const step = make(1 << log2);
    const [one, two] = measure([
      () => {
        setNumThreads(1);
        step();
      },
      () => {
        setNumThreads(2);
        SPLIT_MIN[name] = 0;
        step();
        SPLIT_MIN[name] = saved;
      },
    ], opts);
    console.log(`${name.padEnd(12)} 2^${log2}: one thread ${one.toFixed(3)} ms, two ${two.toFixed(3)} ms, ratio ${(two / one).toFixed(2)}`);
  }
}
