/** B3: an MNIST-sized MLP step, where the matrix products dominate. */
import { tensor } from '../../engine/index.js';
import { ints, normal, oneHot, uniform } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const BATCH = 256;
const IN = 784;
const HID = 128;
const OUT = 10;

interface Params { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array }

/**
 * h = relu(x W1 + b1), logits = h W2 + b2, loss = -mean log softmax(logits)[y], written as
 * i-k-j loops so every inner loop runs over contiguous memory.
 */
function fused(x: Float64Array, y: readonly number[], { w1, b1, w2, b2 }: Params): LossGrad {
  const h = new Float64Array(BATCH * HID); // [B, H]
  for (let i = 0; i < BATCH; i++) {
    const hi = i * HID;
    h.set(b1, hi);
    for (let k = 0; k < IN; k++) {
      const xv = x[i * IN + k];
      const wk = k * HID;
      for (let j = 0; j < HID; j++) h[hi + j] += xv * w1[wk + j];
    }
    for (let j = 0; j < HID; j++) if (!(h[hi + j] > 0)) h[hi + j] = 0;
  }
  const dl = new Float64Array(BATCH * OUT); // [B, O]: d loss / d logits
  let loss = 0;
  for (let i = 0; i < BATCH; i++) {
    const li = i * OUT;
    dl.set(b2, li);
    for (let j = 0; j < HID; j++) {
      const hv = h[i * HID + j];
      for (let c = 0; c < OUT; c++) dl[li + c] += hv * w2[j * OUT + c];
    }
    let m = -Infinity;
    for (let c = 0; c < OUT; c++) m = Math.max(m, dl[li + c]);
    let s = 0;
    for (let c = 0; c < OUT; c++) s += Math.exp(dl[li + c] - m);
    const lse = m + Math.log(s);
    loss -= dl[li + y[i]] - lse;
    for (let c = 0; c < OUT; c++) dl[li + c] = Math.exp(dl[li + c] - lse) / BATCH;
    dl[li + y[i]] -= 1 / BATCH;
  }
  const gw1 = new Float64Array(IN * HID);
  const gb1 = new Float64Array(HID);
  const gw2 = new Float64Array(HID * OUT);
  const gb2 = new Float64Array(OUT);
  const dz = new Float64Array(HID);
  for (let i = 0; i < BATCH; i++) {
    const li = i * OUT;
    for (let c = 0; c < OUT; c++) gb2[c] += dl[li + c];
    for (let j = 0; j < HID; j++) {
      const hv = h[i * HID + j];
      let d = 0;
      for (let c = 0; c < OUT; c++) {
        gw2[j * OUT + c] += hv * dl[li + c];
        d += dl[li + c] * w2[j * OUT + c];
      }
      // relu'(0) = 0, as in PyTorch: only units with a positive pre-activation pass gradient.
      dz[j] = hv > 0 ? d : 0;
      gb1[j] += dz[j];
    }
    for (let k = 0; k < IN; k++) {
      const xv = x[i * IN + k];
      const wk = k * HID;
      for (let j = 0; j < HID; j++) gw1[wk + j] += xv * dz[j];
    }
  }
  return { loss: loss / BATCH, grads: [gw1, gb1, gw2, gb2] };
}

async function prepare(): Promise<Prepared> {
  const xd = uniform(BATCH * IN, 21);
  const y = ints(BATCH, 22, 0, OUT);
  const p: Params = {
    w1: normal(IN * HID, 23, Math.sqrt(2 / IN)),
    b1: normal(HID, 24, 0.01),
    w2: normal(HID * OUT, 25, Math.sqrt(2 / HID)),
    b2: normal(OUT, 26, 0.01),
  };
  const x = tensor(xd, { shape: [BATCH, IN] });
  const idx = tensor(Float64Array.from(y), { shape: [BATCH, 1] });
  const w1 = tensor(p.w1, { shape: [IN, HID], requiresGrad: true });
  const b1 = tensor(p.b1, { shape: [HID], requiresGrad: true });
  const w2 = tensor(p.w2, { shape: [HID, OUT], requiresGrad: true });
  const b2 = tensor(p.b2, { shape: [OUT], requiresGrad: true });
  const params = [w1, b1, w2, b2];
  await tfReady();
  const tx = tf.tensor2d(f32(xd), [BATCH, IN]);
  const labels = tf.tensor2d(f32(oneHot(y, OUT)), [BATCH, OUT]);
  return {
    lossgrad() {
      for (const q of params) q.zeroGrad();
      const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
      const loss = logits.logSoftmax(1).gather(1, idx).mean().neg();
      loss.backward();
      return { loss: loss.item(), grads: params.map((q) => q.grad!.data) };
    },
    fused: () => fused(xd, y, p),
    tfjs: tfContender(
      (a, c, d, e) => {
        const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, a), c)), d), e);
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), labels), 1))) as tf.Scalar;
      },
      [tf.tensor2d(f32(p.w1), [IN, HID]), tf.tensor1d(f32(p.b1)), tf.tensor2d(f32(p.w2), [HID, OUT]), tf.tensor1d(f32(p.b2))],
    ),
  };
}

export const mlpMnist: Row = {
  id: 'B3',
  issue: 2,
  title: 'engine: MLP 784-128-10 relu, logSoftmax + NLL',
  sizes: 'batch 256',
  goals: { fused: within(1.3), tfjs: faster() },
  prepare,
};
