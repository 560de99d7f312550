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
 * The direct convolution, its loss and its three gradients. Four output channels are computed
 * together (register blocking): each input value loaded in the inner loop feeds four
 * accumulators, and every inner loop runs along the contiguous length axis.
 */
function fused(x: Float64Array, w: Float64Array, b: Float64Array): LossGrad {
  const y = new Float64Array(N * O * LOUT);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o += 4) {
      const y0 = (n * O + o) * LOUT;
      const y1 = y0 + LOUT;
      const y2 = y1 + LOUT;
      const y3 = y2 + LOUT;
      y.fill(b[o], y0, y1);
      y.fill(b[o + 1], y1, y2);
      y.fill(b[o + 2], y2, y3);
      y.fill(b[o + 3], y3, y3 + LOUT);
      for (let c = 0; c < C; c++) {
        for (let j = 0; j < K; j++) {
          const wi = (o * C + c) * K + j;
          const w0 = w[wi];
          const w1 = w[wi + C * K];
          const w2 = w[wi + 2 * C * K];
          const w3 = w[wi + 3 * C * K];
          const xs = (n * C + c) * L + j;
          for (let t = 0; t < LOUT; t++) {
            const xv = x[xs + t];
            y[y0 + t] += w0 * xv;
            y[y1 + t] += w1 * xv;
            y[y2 + t] += w2 * xv;
            y[y3 + t] += w3 * xv;
          }
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
    }
    for (let o = 0; o < O; o += 4) {
      const y0 = (n * O + o) * LOUT;
      const y1 = y0 + LOUT;
      const y2 = y1 + LOUT;
      const y3 = y2 + LOUT;
      for (let c = 0; c < C; c++) {
        for (let j = 0; j < K; j++) {
          const wi = (o * C + c) * K + j;
          const w0 = w[wi];
          const w1 = w[wi + C * K];
          const w2 = w[wi + 2 * C * K];
          const w3 = w[wi + 3 * C * K];
          const xs = (n * C + c) * L + j;
          let d0 = 0;
          let d1 = 0;
          let d2 = 0;
          let d3 = 0;
          for (let t = 0; t < LOUT; t++) {
            const xv = x[xs + t];
            const g0 = y[y0 + t];
            const g1 = y[y1 + t];
            const g2 = y[y2 + t];
            const g3 = y[y3 + t];
            d0 += g0 * xv;
            d1 += g1 * xv;
            d2 += g2 * xv;
            d3 += g3 * xv;
            gx[xs + t] += w0 * g0 + w1 * g1 + w2 * g2 + w3 * g3;
          }
          gw[wi] += d0;
          gw[wi + C * K] += d1;
          gw[wi + 2 * C * K] += d2;
          gw[wi + 3 * C * K] += d3;
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
