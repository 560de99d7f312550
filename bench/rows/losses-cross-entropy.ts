/** L2: crossEntropyLoss with class-index targets over ImageNet-sized logits. */
import { tensor } from '../../engine/index.js';
import { crossEntropyLoss } from '../../losses/index.js';
import { ints, normal, oneHot } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const N = 4096;
const C = 1000;

/** loss = mean(logsumexp(x_i) - x_i[y_i]), d/dx_i = (softmax(x_i) - onehot(y_i)) / N. */
function fused(x: Float64Array, y: readonly number[]): LossGrad {
  const gx = new Float64Array(x.length);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const row = i * C;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, x[row + c]);
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(x[row + c] - m);
      gx[row + c] = e;
      s += e;
    }
    loss += m + Math.log(s) - x[row + y[i]];
    const k = 1 / (s * N);
    for (let c = 0; c < C; c++) gx[row + c] *= k;
    gx[row + y[i]] -= 1 / N;
  }
  return { loss: loss / N, grads: [gx] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(N * C, 41, 2);
  const y = ints(N, 42, 0, C);
  const x = tensor(xd, { shape: [N, C], requiresGrad: true });
  const target = tensor(Float64Array.from(y));
  await tfReady();
  const labels = tf.tensor2d(f32(oneHot(y, C)), [N, C]);
  return {
    lossgrad() {
      x.zeroGrad();
      const l = crossEntropyLoss(x, target);
      l.backward();
      return { loss: l.item(), grads: [x.grad!.data] };
    },
    fused: () => fused(xd, y),
    tfjs: tfContender((logits) => tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar, [tf.tensor2d(f32(xd), [N, C])]),
  };
}

export const crossEntropy: Row = {
  id: 'L2',
  issue: 3,
  title: 'losses: crossEntropyLoss (index targets)',
  sizes: '[4096, 1000]',
  goals: { fused: within(1.3), tfjs: faster(5), torch1: within(1) },
  torch: { kind: 'cross-entropy', sizes: { N, C } },
  prepare,
};
