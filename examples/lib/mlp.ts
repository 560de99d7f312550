/** A multilayer perceptron over engine ops: the model the examples train. */
import { randn, zeros } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';

export type Activation = 'relu' | 'tanh';

export interface Mlp {
  readonly params: Tensor[];
  /** `[N, sizes[0]]` to `[N, sizes.at(-1)]`; the last layer is linear. */
  forward(x: Tensor): Tensor;
}

/**
 * Layers `sizes[0] → … → sizes.at(-1)` with He-scaled normal weights (Glorot for tanh), so the
 * activations keep their scale through depth at initialisation.
 */
export function mlp(sizes: number[], { seed, activation = 'relu' }: { seed: number; activation?: Activation }): Mlp {
  const layers = sizes.slice(1).map((out, i) => {
    const fanIn = sizes[i];
    const gain = activation === 'relu' ? 2 : 1;
    const w = randn([fanIn, out], { seed: seed + i }).mul(Math.sqrt(gain / fanIn)).detach().requiresGrad_();
    const b = zeros([out], { requiresGrad: true });
    return { w, b };
  });
  return {
    params: layers.flatMap(({ w, b }) => [w, b]),
    forward(x: Tensor): Tensor {
      let h = x;
      layers.forEach(({ w, b }, i) => {
        h = h.matmul(w).add(b); // [N, out]
        if (i < layers.length - 1) h = activation === 'relu' ? h.relu() : h.tanh();
      });
      return h;
    },
  };
}
