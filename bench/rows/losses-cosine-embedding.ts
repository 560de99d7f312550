/** L4: cosineEmbeddingLoss on embedding batches, against PyTorch. */
import { tensor } from '../../engine/index.js';
import { cosineEmbeddingLoss } from '../../losses/index.js';
import { ints, normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';

const N = 4096;
const D = 128;
// ATen adds this to each squared norm before the square root.
const EPS = 1e-12;

/**
 * cos = x1·x2 / √(s1 s2) with s = ‖x‖² + eps; loss = 1 - cos for y = 1, max(0, cos) for y = -1
 * (margin 0). ∂cos/∂x1 = x2 / √(s1 s2) - cos x1 / s1, and symmetrically for x2.
 */
function fused(x1: Float64Array, x2: Float64Array, y: readonly number[]): LossGrad {
  const g1 = new Float64Array(N * D);
  const g2 = new Float64Array(N * D);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const row = i * D;
    let dot = 0;
    let s1 = EPS;
    let s2 = EPS;
    for (let k = 0; k < D; k++) {
      const a = x1[row + k];
      const b = x2[row + k];
      dot += a * b;
      s1 += a * a;
      s2 += b * b;
    }
    const den = Math.sqrt(s1 * s2);
    const cos = dot / den;
    let dcos: number;
    if (y[i] === 1) {
      loss += 1 - cos;
      dcos = -1 / N;
    } else {
      if (!(cos > 0)) continue;
      loss += cos;
      dcos = 1 / N;
    }
    const k1 = cos / s1;
    const k2 = cos / s2;
    for (let k = 0; k < D; k++) {
      const a = x1[row + k];
      const b = x2[row + k];
      g1[row + k] = dcos * (b / den - k1 * a);
      g2[row + k] = dcos * (a / den - k2 * b);
    }
  }
  return { loss: loss / N, grads: [g1, g2] };
}

async function prepare(): Promise<Prepared> {
  const d1 = normal(N * D, 61);
  const d2 = normal(N * D, 62);
  const y = ints(N, 63, 0, 2).map((b) => 2 * b - 1);
  const x1 = tensor(d1, { shape: [N, D], requiresGrad: true });
  const x2 = tensor(d2, { shape: [N, D], requiresGrad: true });
  const yt = tensor(Float64Array.from(y));
  return {
    lossgrad() {
      x1.zeroGrad();
      x2.zeroGrad();
      const l = cosineEmbeddingLoss(x1, x2, yt);
      l.backward();
      return { loss: l.item(), grads: [x1.grad!.data, x2.grad!.data] };
    },
    fused: () => fused(d1, d2, y),
  };
}

export const cosineEmbedding: Row = {
  id: 'L4',
  issue: 3,
  title: 'losses: cosineEmbeddingLoss',
  sizes: '[4096, 128] x2, ±1 targets',
  goals: { fused: within(1.5), torch1: faster() },
  torch: { kind: 'cosine', sizes: { N, D } },
  prepare,
};
