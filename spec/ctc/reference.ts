/**
 * Independent CTC references for the specs, written differently from the implementation:
 * brute-force enumeration of every path in C^T in probability space (tiny T only), and a plain
 * log-space alpha recursion over nested arrays (long T).
 */

/** A tiny CTC problem in plain arrays: lp[t][n][c], labels per sample. */
export interface Problem {
  lp: number[][][];
  targets: number[][];
  inputLengths: number[];
  blank: number;
}

export function collapse(path: readonly number[], blank: number): number[] {
  const out: number[] = [];
  let prev = -1;
  for (const c of path) {
    if (c !== prev && c !== blank) out.push(c);
    prev = c;
  }
  return out;
}

/** Calls `visit(path, probability)` for every path in C^Tn of sample n. */
export function forEachPath(p: Problem, n: number, visit: (path: number[], prob: number) => void): void {
  const Tn = p.inputLengths[n];
  const C = p.lp[0][0].length;
  const path = new Array<number>(Tn).fill(0);
  const total = C ** Tn;
  for (let k = 0; k < total; k++) {
    let r = k;
    let prob = 1;
    for (let t = 0; t < Tn; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
      prob *= Math.exp(p.lp[t][n][path[t]]);
    }
    visit(path.slice(), prob);
  }
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** −log P(target | x) and its true derivative with respect to lp[t][n][c], by enumeration. */
export function bruteForceLoss(p: Problem, n: number): { loss: number; grad: number[][] } {
  const T = p.lp.length;
  const C = p.lp[0][0].length;
  let P = 0;
  const mass = Array.from({ length: T }, () => new Array<number>(C).fill(0));
  forEachPath(p, n, (path, prob) => {
    if (!same(collapse(path, p.blank), p.targets[n])) return;
    P += prob;
    path.forEach((c, t) => (mass[t][c] += prob));
  });
  // d(−log P)/d lp[t][c] = −(Σ over matching paths through class c at t of their probability) / P
  return { loss: -Math.log(P), grad: mass.map((row) => row.map((m) => -m / P)) };
}

/** The most likely labelling of sample n and its probability, by summing every path's probability per labelling. */
export function bruteForceBestLabelling(p: Problem, n: number): { labels: number[]; prob: number; all: Map<string, number> } {
  const all = new Map<string, number>();
  forEachPath(p, n, (path, prob) => {
    const key = collapse(path, p.blank).join(',');
    all.set(key, (all.get(key) ?? 0) + prob);
  });
  let bestKey = '';
  let best = -1;
  for (const [k, v] of all) if (v > best) [bestKey, best] = [k, v];
  return { labels: bestKey === '' ? [] : bestKey.split(',').map(Number), prob: best, all };
}

/** The single most likely path of sample n, optionally among those collapsing to its target. */
export function bruteForceBestPath(p: Problem, n: number, consistent: boolean): number[] {
  let best: number[] = [];
  let bestProb = -1;
  forEachPath(p, n, (path, prob) => {
    if (consistent && !same(collapse(path, p.blank), p.targets[n])) return;
    if (prob > bestProb) [best, bestProb] = [path, prob];
  });
  return best;
}

function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** −log P by the textbook log-space alpha recursion over a single sample's frames lp[t][c]. */
export function logSpaceLoss(lp: readonly (readonly number[])[], target: readonly number[], blank: number): number {
  const ext = [blank, ...target.flatMap((l) => [l, blank])];
  const L = ext.length;
  let alpha = ext.map((c, s) => (s < 2 ? lp[0][c] : -Infinity));
  let next = new Array<number>(L);
  for (let t = 1; t < lp.length; t++) {
    for (let s = 0; s < L; s++) {
      const a = alpha[s];
      const b = s >= 1 ? alpha[s - 1] : -Infinity;
      const c = s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2] ? alpha[s - 2] : -Infinity;
      const m = Math.max(a, b, c);
      next[s] = (m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m))) + lp[t][ext[s]];
    }
    [alpha, next] = [next, alpha];
  }
  return -logSumExp(L >= 2 ? [alpha[L - 1], alpha[L - 2]] : [alpha[L - 1]]);
}

/**
 * Like `bruteForceLoss` but summing path log-probabilities with log-sum-exp, for logProbs far
 * below 0 where path probabilities underflow.
 */
export function bruteForceLossLog(p: Problem, n: number): { loss: number; grad: number[][] } {
  const T = p.lp.length;
  const C = p.lp[0][0].length;
  const Tn = p.inputLengths[n];
  const matching: { path: number[]; logProb: number }[] = [];
  for (let k = 0; k < C ** Tn; k++) {
    const path = Array.from({ length: Tn }, (_, t) => Math.floor(k / C ** t) % C);
    if (same(collapse(path, p.blank), p.targets[n])) matching.push({ path, logProb: path.reduce((s, c, t) => s + p.lp[t][n][c], 0) });
  }
  const logP = logSumExp(matching.map((m) => m.logProb));
  const grad = Array.from({ length: T }, () => new Array<number>(C).fill(0));
  for (const m of matching) m.path.forEach((c, t) => (grad[t][c] -= Math.exp(m.logProb - logP)));
  return { loss: -logP, grad };
}

/**
 * The true gradient of −log P with respect to lp[t][c] by the textbook log-space alpha-beta
 * recursion, with β including the emission at t (Graves' convention), so that
 * ∂(−log P)/∂lp[t][c] = −Σ_{s: l'_s = c} α_t(s) β_t(s) / (p_t(c) P).
 */
export function logSpaceGrad(lp: readonly (readonly number[])[], target: readonly number[], blank: number): number[][] {
  const ext = [blank, ...target.flatMap((l) => [l, blank])];
  const L = ext.length;
  const T = lp.length;
  const canSkip = (s: number): boolean => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
  const la: number[][] = [ext.map((c, s) => (s < 2 ? lp[0][c] : -Infinity))];
  for (let t = 1; t < T; t++) {
    la.push(ext.map((c, s) => logSumExp([la[t - 1][s], s >= 1 ? la[t - 1][s - 1] : -Infinity, canSkip(s) ? la[t - 1][s - 2] : -Infinity]) + lp[t][c]));
  }
  const lb: number[][] = new Array(T);
  lb[T - 1] = ext.map((c, s) => (s >= L - 2 ? lp[T - 1][c] : -Infinity));
  for (let t = T - 2; t >= 0; t--) {
    lb[t] = ext.map((c, s) => logSumExp([lb[t + 1][s], s + 1 < L ? lb[t + 1][s + 1] : -Infinity, s + 2 < L && canSkip(s + 2) ? lb[t + 1][s + 2] : -Infinity]) + lp[t][c]);
  }
  const logP = logSumExp([la[T - 1][L - 1], L >= 2 ? la[T - 1][L - 2] : -Infinity]);
  return lp.map((row, t) => row.map((v, c) => -ext.reduce((acc, e, s) => acc + (e === c ? Math.exp(la[t][s] + lb[t][s] - v - logP) : 0), 0)));
}
