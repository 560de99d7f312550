/** How well a trained model does: label error rates of decoded sequences, nearest-neighbour retrieval. */
import type { Tensor } from '../../engine/index.js';

/** Levenshtein distance between label sequences, for label error rates. */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Total edits over total reference length: the label error rate (LER). */
export function labelErrorRate(decoded: readonly number[][], references: readonly number[][]): number {
  let edits = 0;
  let length = 0;
  references.forEach((ref, i) => {
    edits += editDistance(decoded[i], ref);
    length += ref.length;
  });
  return edits / length;
}

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
