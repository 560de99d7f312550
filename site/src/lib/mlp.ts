/** A multilayer perceptron written with engine ops: a few matrices, tanh between them. */
import { randn, zeros } from '../../../index.js';
import type { Tensor } from '../../../index.js';

export interface Mlp {
  params: Tensor[];
  /** `[N, sizes[0]]` to `[N, sizes.at(-1)]`; the last layer is linear. */
  forward(x: Tensor): Tensor;
}

/** Glorot-scaled normal weights, so tanh units start in their sensitive range. */
export function mlp(sizes: number[], seed: number): Mlp {
  const layers = sizes.slice(1).map((out, i) => {
    const w = randn([sizes[i], out], { seed: seed * 31 + i }).mul(Math.sqrt(1 / sizes[i])).detach();
    w.requiresGrad = true;
    return { w, b: zeros([out], { requiresGrad: true }) };
  });
  return {
    params: layers.flatMap((l) => [l.w, l.b]),
    forward(x: Tensor): Tensor {
      let h = x;
      layers.forEach((l, i) => {
        h = h.matmul(l.w).add(l.b); // [N, out]
        if (i < layers.length - 1) h = h.tanh();
      });
      return h;
    },
  };
}
