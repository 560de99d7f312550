/** B3: an MNIST-sized MLP step, where the matrix products dominate. */
import { tensor } from '../../engine/index.js';
import { gemmRange } from '../../engine/kernels/gemm.js';
import { ints, normal, oneHot, uniform } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const BATCH = 256;
const IN = 784;
const HID = 128;
const OUT = 10;

interface Params { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array }

/** Each of the `rows` rows of a [rows, n] matrix set to `v`. */
function rowsOf(v: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * v.length);
  for (let i = 0; i < rows; i++) out.set(v, i * v.length);
  return out;
}

/**
 * h = relu(x W1 + b1), logits = h W2 + b2, loss = -mean log softmax(logits)[y]. The five matrix
 * products use the 4×4 register-blocked kernel (the fastest single-threaded product we have);
 * everything else is fused into the passes around them: the biases seed the accumulators,
 * softmax, loss and its gradient take one pass over the logits, relu's mask and the bias
 * gradient one pass over the hidden layer. No graph, no intermediate tensor.
 */
function fused(x: Float64Array, y: readonly number[], { w1, b1, w2, b2 }: Params): LossGrad {
  const h = rowsOf(b1, BATCH); // [B, H]
  gemmRange('nn', x, 0, w1, 0, h, 0, BATCH, IN, HID, 0, BATCH, 0, HID);
  for (let i = 0; i < h.length; i++) if (!(h[i] > 0)) h[i] = 0;
  const dl = rowsOf(b2, BATCH); // [B, O]: logits, then d loss / d logits
  gemmRange('nn', h, 0, w2, 0, dl, 0, BATCH, HID, OUT, 0, BATCH, 0, OUT);
  const gb2 = new Float64Array(OUT);
  let loss = 0;
  for (let i = 0; i < BATCH; i++) {
    const li = i * OUT;
    let m = -Infinity;
    for (let c = 0; c < OUT; c++) m = Math.max(m, dl[li + c]);
    let s = 0;
    for (let c = 0; c < OUT; c++) s += Math.exp(dl[li + c] - m);
    const lse = m + Math.log(s);
    loss -= dl[li + y[i]] - lse;
    for (let c = 0; c < OUT; c++) dl[li + c] = Math.exp(dl[li + c] - lse) / BATCH;
    dl[li + y[i]] -= 1 / BATCH;
    for (let c = 0; c < OUT; c++) gb2[c] += dl[li + c];
  }
  const gw2 = new Float64Array(HID * OUT);
  gemmRange('tn', h, 0, dl, 0, gw2, 0, HID, BATCH, OUT, 0, HID, 0, OUT);
  const dz = new Float64Array(BATCH * HID); // [B, H]
  gemmRange('nt', dl, 0, w2, 0, dz, 0, BATCH, OUT, HID, 0, BATCH, 0, HID);
  const gb1 = new Float64Array(HID);
  for (let i = 0; i < BATCH; i++) {
    for (let j = 0; j < HID; j++) {
      const q = i * HID + j;
      // relu'(0) = 0, as in PyTorch: only units with a positive pre-activation pass gradient.
      if (!(h[q] > 0)) dz[q] = 0;
      gb1[j] += dz[q];
    }
  }
  const gw1 = new Float64Array(IN * HID);
  gemmRange('tn', x, 0, dz, 0, gw1, 0, IN, BATCH, HID, 0, IN, 0, HID);
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

const mnistRow = (id: string, threads: number, goals: Row['goals']): Row => ({
  id,
  issue: 10,
  title: `engine: MLP 784-128-10 relu, logSoftmax + NLL, ${threads} thread${threads > 1 ? 's' : ''}`,
  sizes: 'batch 256',
  threads,
  goals,
  torch: { kind: 'mlp-mnist', sizes: { batch: BATCH, inp: IN, hid: HID, out: OUT } },
  about: 'the fused loop runs on one thread with the 4×4 register-blocked GEMM kernel; torch is x @ w + b, relu, log_softmax, nll_loss',
  prepare,
});

export const mlpMnist1 = mnistRow('B3', 1, { fused: within(1.1), tfjs: faster(), torch1: faster() });
export const mlpMnist2 = mnistRow('B4', 2, { torch2: faster() });
