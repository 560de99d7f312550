/**
 * TensorFlow.js on its pure-JavaScript CPU backend. NOTE: tfjs computes in float32, lossgrad in
 * float64, so tfjs results are only checked loosely (they exist to catch a wrong tfjs program).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { register } from 'node:module';
import type { LossGrad, TfjsContender } from './row.js';

export { tf };

let ready: Promise<void> | null = null;

export function tfReady(): Promise<void> {
  ready ??= (async () => {
    register('./tfjs-resolve-hook.js', import.meta.url);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return ready;
}

/** A tfjs contender computing `f` and its gradients with respect to every tensor in `xs`. */
export function tfContender(f: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[]): TfjsContender {
  const vg = tf.valueAndGrads(f);
  return {
    step() {
      const { value, grads } = vg(xs);
      value.dispose();
      tf.dispose(grads);
    },
    result(): LossGrad {
      const { value, grads } = vg(xs);
      const out = { loss: value.dataSync()[0], grads: grads.map((g) => Float64Array.from(g.dataSync())) };
      value.dispose();
      tf.dispose(grads);
      return out;
    },
  };
}

/** tfjs takes no Float64Array: its tensors are float32. */
export const f32 = (x: Float64Array): Float32Array => Float32Array.from(x);
