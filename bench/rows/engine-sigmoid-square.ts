/** B1: a long elementwise chain with scalar parameters, `sum(sigmoid(a * x + b) ** 2)`. */
import { tensor } from '../../engine/index.js';
import { normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { within } from '../row.js';
import { f32, tf, tfContender, tfReady } from '../tfjs.js';

const N = 1_000_000;
const A = 0.7;
const B = -0.3;

/** One pass: z = a x + b, s = σ(z), loss += s²; dloss/dz = 2 s · s (1 - s). */
function fused(x: Float64Array): LossGrad {
  const gx = new Float64Array(x.length);
  let loss = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < x.length; i++) {
    const s = 1 / (1 + Math.exp(-(A * x[i] + B)));
    loss += s * s;
    const dz = 2 * s * s * (1 - s);
    gx[i] = dz * A;
    ga += dz * x[i];
    gb += dz;
  }
  return { loss, grads: [gx, Float64Array.of(ga), Float64Array.of(gb)] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(N, 1);
  const x = tensor(xd, { requiresGrad: true });
  const a = tensor(A, { requiresGrad: true });
  const b = tensor(B, { requiresGrad: true });
  await tfReady();
  const tx = tf.tensor1d(f32(xd), 'float32');
  const ta = tf.scalar(A);
  const tb = tf.scalar(B);
  return {
    lossgrad() {
      for (const p of [x, a, b]) p.zeroGrad();
      const loss = a.mul(x).add(b).sigmoid().pow(2).sum();
      loss.backward();
      return { loss: loss.item(), grads: [x, a, b].map((p) => p.grad!.data) };
    },
    fused: () => fused(xd),
    tfjs: tfContender((xt, at, bt) => tf.sum(tf.square(tf.sigmoid(tf.add(tf.mul(at, xt), bt)))), [tx, ta, tb]),
  };
}

export const sigmoidSquare: Row = {
  id: 'B1',
  issue: 2,
  title: 'engine: sum(sigmoid(a*x+b)**2)',
  sizes: 'x [1e6], a, b scalars',
  goals: { fused: within(1.5) },
  torch: { kind: 'sigmoid-square', sizes: { N, a: A, b: B } },
  about: 'tfjs: tf.valueAndGrads of the same expression (with tf.square) in float32',
  prepare,
};
