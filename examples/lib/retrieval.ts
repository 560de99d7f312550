/** Nearest-neighbour retrieval accuracy of embeddings. */
import type { Tensor } from '../../engine/index.js';

/**
 * The fraction of points whose nearest other point (Euclidean, leave-one-out) has the same
 * label: how often a query would retrieve an item of its own class first.
 */
export function nearestNeighbourAccuracy(embeddings: Tensor, labels: readonly number[]): number {
  const [n, d] = embeddings.shape;
  const e = embeddings.data;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bestLabel = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dist = 0;
      for (let k = 0; k < d; k++) dist += (e[i * d + k] - e[j * d + k]) ** 2;
      if (dist < best) {
        best = dist;
        bestLabel = labels[j];
      }
    }
    if (bestLabel === labels[i]) hits++;
  }
  return hits / n;
}
