/** B2: a tiny MLP step, where per-op overhead (not arithmetic) decides the time. */
import { tensor } from '../../engine/index.js';
import { normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const BATCH = 8;
const IN = 16;
const HID = 32;

interface Params { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array }

/** h = tanh(x W1 + b1), y = h W2 + b2, loss = mean((y - t)²), and the backward pass by hand. */
function fused(x: Float64Array, t: Float64Array, { w1, b1, w2, b2 }: Params): LossGrad {
  const h = new Float64Array(BATCH * HID);
  const dy = new Float64Array(BATCH);
  let loss = 0;
  for (let i = 0; i < BATCH; i++) {
    let y = b2[0];
    for (let j = 0; j < HID; j++) {
      let z = b1[j];
      for (let k = 0; k < IN; k++) z += x[i * IN + k] * w1[k * HID + j];
      const hv = Math.tanh(z);
      h[i * HID + j] = hv;
      y += hv * w2[j];
    }
    const r = y - t[i];
    loss += r * r;
    dy[i] = (2 * r) / BATCH;
  }
  const gw1 = new Float64Array(IN * HID);
  const gb1 = new Float64Array(HID);
  const gw2 = new Float64Array(HID);
  let gb2 = 0;
  for (let i = 0; i < BATCH; i++) {
    gb2 += dy[i];
    for (let j = 0; j < HID; j++) {
      const hv = h[i * HID + j];
      gw2[j] += hv * dy[i];
      const dz = dy[i] * w2[j] * (1 - hv * hv);
      gb1[j] += dz;
      for (let k = 0; k < IN; k++) gw1[k * HID + j] += x[i * IN + k] * dz;
    }
  }
  return { loss: loss / BATCH, grads: [gw1, gb1, gw2, Float64Array.of(gb2)] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(BATCH * IN, 11);
  const td = normal(BATCH, 12);
  const p: Params = { w1: normal(IN * HID, 13, 0.3), b1: normal(HID, 14, 0.1), w2: normal(HID, 15, 0.3), b2: normal(1, 16, 0.1) };
  const x = tensor(xd, { shape: [BATCH, IN] });
  const t = tensor(td, { shape: [BATCH, 1] });
  const w1 = tensor(p.w1, { shape: [IN, HID], requiresGrad: true });
  const b1 = tensor(p.b1, { shape: [HID], requiresGrad: true });
  const w2 = tensor(p.w2, { shape: [HID, 1], requiresGrad: true });
  const b2 = tensor(p.b2, { shape: [1], requiresGrad: true });
  const params = [w1, b1, w2, b2];
  await tfReady();
  const tx = tf.tensor2d(f32(xd), [BATCH, IN]);
  const tt = tf.tensor2d(f32(td), [BATCH, 1]);
  return {
    lossgrad() {
      for (const q of params) q.zeroGrad();
      const y = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
      const loss = y.sub(t).pow(2).mean();
      loss.backward();
      return { loss: loss.item(), grads: params.map((q) => q.grad!.data) };
    },
    fused: () => fused(xd, td, p),
    tfjs: tfContender(
      (a, c, d, e) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(tx, a), c)), d), e), tt))),
      [tf.tensor2d(f32(p.w1), [IN, HID]), tf.tensor1d(f32(p.b1)), tf.tensor2d(f32(p.w2), [HID, 1]), tf.tensor1d(f32(p.b2))],
    ),
  };
}

export const mlpSmall: Row = {
  id: 'B2',
  issue: 2,
  title: 'engine: MLP 16-32-1 tanh, MSE',
  sizes: 'batch 8',
  goals: { fused: within(1.3), tfjs: faster(5), stepUs: 100 },
  torch: { kind: 'mlp-small', sizes: { batch: BATCH, inp: IN, hid: HID } },
  prepare,
};
