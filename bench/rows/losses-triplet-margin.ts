/** L3: tripletMarginLoss on embedding batches, against PyTorch. */
import { tensor } from '../../engine/index.js';
import { tripletMarginLoss } from '../../losses/index.js';
import { normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';

const N = 4096;
const D = 128;
const MARGIN = 1;
// PyTorch's pairwise_distance adds eps to the difference, not to the norm: ‖x1 - x2 + eps‖.
const EPS = 1e-6;

/** Writes d = a_i - b_i + eps into `out` and returns ‖d‖. */
function diffNorm(a: Float64Array, b: Float64Array, row: number, out: Float64Array): number {
  let s = 0;
  for (let k = 0; k < D; k++) {
    const d = a[row + k] - b[row + k] + EPS;
    out[k] = d;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** loss = mean(max(0, ‖a - p‖ - ‖a - n‖ + margin)); ∂‖d‖/∂d = d / ‖d‖. */
function fused(a: Float64Array, p: Float64Array, n: Float64Array): LossGrad {
  const ga = new Float64Array(N * D);
  const gp = new Float64Array(N * D);
  const gn = new Float64Array(N * D);
  const dp = new Float64Array(D);
  const dn = new Float64Array(D);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const row = i * D;
    const np = diffNorm(a, p, row, dp);
    const nn = diffNorm(a, n, row, dn);
    const v = np - nn + MARGIN;
    if (!(v > 0)) continue;
    loss += v;
    const kp = 1 / (N * np);
    const kn = 1 / (N * nn);
    for (let k = 0; k < D; k++) {
      const up = dp[k] * kp;
      const un = dn[k] * kn;
      ga[row + k] = up - un;
      gp[row + k] = -up;
      gn[row + k] = un;
    }
  }
  return { loss: loss / N, grads: [ga, gp, gn] };
}

async function prepare(): Promise<Prepared> {
  const [ad, pd, nd] = [51, 52, 53].map((seed) => normal(N * D, seed));
  const ts = [ad, pd, nd].map((d) => tensor(d, { shape: [N, D], requiresGrad: true }));
  return {
    lossgrad() {
      for (const t of ts) t.zeroGrad();
      const l = tripletMarginLoss(ts[0], ts[1], ts[2]);
      l.backward();
      return { loss: l.item(), grads: ts.map((t) => t.grad!.data) };
    },
    fused: () => fused(ad, pd, nd),
  };
}

export const tripletMargin: Row = {
  id: 'L3',
  issue: 3,
  title: 'losses: tripletMarginLoss',
  sizes: '[4096, 128] x3',
  goals: { fused: within(1.5), torch1: faster() },
  torch: { kind: 'triplet', sizes: { N, D } },
  prepare,
};
