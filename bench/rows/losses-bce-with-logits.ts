/** L1: bceWithLogitsLoss over a million logits. */
import { tensor } from '../../engine/index.js';
import { bceWithLogitsLoss } from '../../losses/index.js';
import { ints, normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const N = 1_000_000;

/** loss = mean(max(x, 0) - x t + log(1 + e^{-|x|})), d/dx = (σ(x) - t) / N, one exp per element. */
function fused(x: Float64Array, t: Float64Array): LossGrad {
  const gx = new Float64Array(x.length);
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const e = Math.exp(-Math.abs(v));
    loss += Math.max(v, 0) - v * t[i] + Math.log1p(e);
    const sig = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    gx[i] = (sig - t[i]) / x.length;
  }
  return { loss: loss / x.length, grads: [gx] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(N, 31, 2);
  const td = Float64Array.from(ints(N, 32, 0, 2));
  const x = tensor(xd, { requiresGrad: true });
  const t = tensor(td);
  await tfReady();
  const labels = tf.tensor1d(f32(td));
  return {
    lossgrad() {
      x.zeroGrad();
      const l = bceWithLogitsLoss(x, t);
      l.backward();
      return { loss: l.item(), grads: [x.grad!.data] };
    },
    fused: () => fused(xd, td),
    tfjs: tfContender((logits) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar, [tf.tensor1d(f32(xd))]),
  };
}

export const bceWithLogits: Row = {
  id: 'L1',
  issue: 3,
  title: 'losses: bceWithLogitsLoss',
  sizes: '[1e6], 0/1 targets',
  goals: { fused: within(1.3), tfjs: faster(5), torch1: within(1) },
  torch: { kind: 'bce-with-logits', sizes: { N } },
  prepare,
};
