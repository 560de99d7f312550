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
