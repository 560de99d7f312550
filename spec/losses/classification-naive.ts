/**
 * Naive references for the classification losses, written straight from the formulas with plain
 * loops over number[], in a different form from the implementation: cross-entropy works in
 * probability space as one soft-target sum per position (label smoothing folded into the target
 * distribution), the margin losses walk the target list directly.
 *
 * Positions are addressed as [outer, C, inner]: `x[(o * C + c) * inner + j]`.
 */
export type Red = 'none' | 'mean' | 'sum';

export interface Shaped { data: number[]; shape: number[] }

const prod = (s: number[]): number => s.reduce((p, d) => p * d, 1);

function dims(shape: number[]): { outer: number; C: number; inner: number } {
  if (shape.length === 1) return { outer: 1, C: shape[0], inner: 1 };
  return { outer: shape[0], C: shape[1], inner: prod(shape.slice(2)) };
}

function finish(losses: number[], red: Red, denom: number): number[] {
  if (red === 'none') return losses;
  const s = losses.reduce((a, b) => a + b, 0);
  return [red === 'sum' ? s : s / denom];
}

/** −w[y]·x[y] per position; weighted mean. */
export function naiveNll(x: Shaped, y: number[], w: number[] | null, ignore: number, red: Red): number[] {
  const { C, inner } = dims(x.shape);
  const losses: number[] = [];
  let den = 0;
  y.forEach((cls, p) => {
    if (cls === ignore) { losses.push(0); return; }
    const o = Math.floor(p / inner);
    const j = p % inner;
    const wy = w ? w[cls] : 1;
    losses.push(-wy * x.data[(o * C + cls) * inner + j]);
    den += wy;
  });
  return finish(losses, red, den);
}

function softmaxAt(x: Shaped, o: number, j: number): number[] {
  const { C, inner } = dims(x.shape);
  const row: number[] = [];
  for (let c = 0; c < C; c++) row.push(x.data[(o * C + c) * inner + j]);
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/**
 * Cross-entropy with index targets and label smoothing ε, as one soft target per position:
 * q = (1 − ε)·onehot(y) + ε/C, ℓ = −Σ_c w_c q_c log p_c; 'mean' divides by Σ w[y] (not ignored).
 * Also returns d(Σ g_p ℓ_p)/dx from the closed form ∂ℓ/∂x_c = p_c Σ_k w_k q_k − w_c q_c.
 */
export function naiveCrossEntropy(
  x: Shaped, y: number[], w: number[] | null, ignore: number, eps: number, red: Red, gout: number[],
): { value: number[]; grad: number[] } {
  const { C, inner } = dims(x.shape);
  let den = 0;
  for (const cls of y) if (cls !== ignore) den += w ? w[cls] : 1;
  const losses: number[] = [];
  const grad = new Array<number>(x.data.length).fill(0);
  y.forEach((cls, p) => {
    if (cls === ignore) { losses.push(0); return; }
    const o = Math.floor(p / inner);
    const j = p % inner;
    const pr = softmaxAt(x, o, j);
    const q = pr.map((_v, c) => (1 - eps) * (c === cls ? 1 : 0) + eps / C);
    const wc = pr.map((_v, c) => (w ? w[c] : 1));
    let l = 0;
    let wq = 0;
    for (let c = 0; c < C; c++) { l -= wc[c] * q[c] * Math.log(pr[c]); wq += wc[c] * q[c]; }
    losses.push(l);
    const g = red === 'none' ? gout[p] : red === 'sum' ? gout[0] : gout[0] / den;
    for (let c = 0; c < C; c++) grad[(o * C + c) * inner + j] += g * (pr[c] * wq - wc[c] * q[c]);
  });
  return { value: finish(losses, red, den), grad };
}

/** Cross-entropy with probability targets t: ℓ = −Σ_c w_c ((1 − ε) t_c + ε/C) log p_c; 'mean' over positions. */
export function naiveCrossEntropyProb(x: Shaped, t: number[], w: number[] | null, eps: number, red: Red): number[] {
  const { outer, C, inner } = dims(x.shape);
  const losses: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const pr = softmaxAt(x, o, j);
      let l = 0;
      for (let c = 0; c < C; c++) {
        const k = (o * C + c) * inner + j;
        l -= (w ? w[c] : 1) * ((1 - eps) * t[k] + eps / C) * Math.log(pr[c]);
      }
      losses.push(l);
    }
  }
  return finish(losses, red, outer * inner);
}

/** (1/C) Σ_{i≠y} w[y] max(0, margin − x[y] + x[i])^p per sample; x is [N][C]. */
export function naiveMultiMargin(x: number[][], y: number[], p: number, margin: number, w: number[] | null, red: Red): number[] {
  const losses = x.map((row, n) => {
    let s = 0;
    row.forEach((v, i) => {
      if (i === y[n]) return;
      const z = margin - row[y[n]] + v;
      if (z > 0) s += (w ? w[y[n]] : 1) * z ** p;
    });
    return s / row.length;
  });
  return finish(losses, red, x.length);
}

/** −(1/C) Σ_c w_c (t log σ(x) + (1 − t) log(1 − σ(x))) per row; x and t are [N][C]. */
export function naiveMultiLabelSoftMargin(x: number[][], t: number[][], w: number[] | null, red: Red): number[] {
  const losses = x.map((row, n) => {
    let s = 0;
    row.forEach((v, c) => {
      const sig = 1 / (1 + Math.exp(-v));
      s -= (w ? w[c] : 1) * (t[n][c] * Math.log(sig) + (1 - t[n][c]) * Math.log(1 - sig));
    });
    return s / row.length;
  });
  return finish(losses, red, x.length);
}

/** For each listed target j (duplicates again), each unlisted i: max(0, 1 − x[j] + x[i]), over C. */
export function naiveMultiLabelMargin(x: number[][], t: number[][], red: Red): number[] {
  const losses = x.map((row, n) => {
    const end = t[n].indexOf(-1);
    const listed = t[n].slice(0, end < 0 ? t[n].length : end);
    let s = 0;
    for (const j of listed) {
      for (let i = 0; i < row.length; i++) {
        if (!listed.includes(i)) s += Math.max(0, 1 - row[j] + row[i]);
      }
    }
    return s / row.length;
  });
  return finish(losses, red, x.length);
}
