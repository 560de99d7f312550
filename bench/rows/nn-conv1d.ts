/** N1: an nn.Conv1d layer's forward and backward (input, weight and bias gradients), loss mean(y²). */
import { tensor } from '../../engine/index.js';
import { Conv1d } from '../../nn/index.js';
import { normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';

const N = 32;
const C = 40;
const L = 200;
const O = 64;
const K = 5;
const LOUT = L - K + 1;

/**
 * The direct convolution, its loss and its three gradients, each inner loop running along the
 * contiguous length axis (an axpy or a dot product the JIT keeps in registers).
 */
function fused(x: Float64Array, w: Float64Array, b: Float64Array): LossGrad {
  const y = new Float64Array(N * O * LOUT);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const yo = (n * O + o) * LOUT;
      y.fill(b[o], yo, yo + LOUT);
      for (let c = 0; c < C; c++) {
        const xc = (n * C + c) * L;
        for (let j = 0; j < K; j++) {
          const wv = w[(o * C + c) * K + j];
          const xs = xc + j;
          for (let t = 0; t < LOUT; t++) y[yo + t] += wv * x[xs + t];
        }
      }
    }
  }
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss += y[i] * y[i];
  const scale = 2 / y.length;
  for (let i = 0; i < y.length; i++) y[i] *= scale; // y now holds dL/dy
  const gx = new Float64Array(x.length);
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(O);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const yo = (n * O + o) * LOUT;
      let s = 0;
      for (let t = 0; t < LOUT; t++) s += y[yo + t];
      gb[o] += s;
      for (let c = 0; c < C; c++) {
        const xc = (n * C + c) * L;
        for (let j = 0; j < K; j++) {
          const wi = (o * C + c) * K + j;
          const wv = w[wi];
          const xs = xc + j;
          let d = 0;
          for (let t = 0; t < LOUT; t++) {
            const g = y[yo + t];
            d += g * x[xs + t];
            gx[xs + t] += wv * g;
          }
          gw[wi] += d;
        }
      }
    }
  }
  return { loss: loss / y.length, grads: [gx, gw, gb] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(N * C * L, 41);
  const conv = new Conv1d(C, O, K, { seed: 42 });
  const w = conv.weight.data.slice();
  const b = conv.bias!.data.slice();
  const x = tensor(xd, { shape: [N, C, L], requiresGrad: true });
  return {
    lossgrad() {
      x.zeroGrad();
      conv.zeroGrad();
      const y = conv.call(x); // [N, O, LOUT]
      const loss = y.mul(y).mean();
      loss.backward();
      return { loss: loss.item(), grads: [x.grad!.data, conv.weight.grad!.data, conv.bias!.grad!.data] };
    },
    fused: () => fused(xd, w, b),
  };
}

export const nnConv1d: Row = {
  id: 'N1',
  issue: 12,
  title: 'nn: Conv1d forward+backward, mean(y²)',
  sizes: `x [${N}, ${C}, ${L}], ${O} filters of width ${K}`,
  goals: { fused: within(1.5), torch1: faster() },
  torch: { kind: 'conv1d', sizes: { N, C, L, O, K } },
  about: 'lossgrad is im2col (indexSelect) + one batched matmul; the loop is a direct convolution; torch is nn.Conv1d',
  prepare,
};
