/**
 * The cosine embedding loss as one graph node: the dot product, both squared norms and the
 * per-row loss in one pass, and the backward in one more. It returns the per-row losses (the
 * caller reduces them with `reduce`).
 *
 * Why fused: PyTorch's composition (`x1 * x2`, `x1 * x1`, `x2 * x2`, three sums, a product, a sqrt,
 * a division, two `where`s and a clamp) builds three `[N, D]` temporaries and a dozen nodes; fused,
 * each row is read once forward and once backward. The backward follows PyTorch's chain of rules
 * step by step (division, sqrt, products) so that rounding and NaN reach the gradient as they do
 * there.
 *
 * Composed twin: PyTorch's composition from engine ops, in spec/losses/embedding-cosine.spec.ts,
 * which this kernel must equal (values and gradients).
 */
import { apply, primitive } from '../autograd.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

type F64 = Float64Array;

/**
 * PyTorch's EPSILON in `cosine_embedding_loss`, added to each squared norm.
 * NOTE: ATen declares it `constexpr float EPSILON = 1e-12`, so the value added is float32's
 * nearest, 9.999999960041972e-13; with 1e-12 itself a zero vector's gradient would be 2e-9 off.
 */
const EPSILON = Math.fround(1e-12);

interface CosineAttrs {
  readonly margin: number;
  /** The targets, one per row: only 1 and -1 select a term, as in PyTorch's `where`s. */
  readonly y: F64;
}

interface Saved {
  readonly prod: F64;
  readonly m1: F64;
  readonly m2: F64;
  readonly denom: F64;
  readonly cos: F64;
}

export const COSINE_EMBEDDING = primitive<CosineAttrs, Saved>({
  name: 'cosineEmbeddingLoss',
  forward([X1, X2], { margin, y }) {
    const n = y.length;
    const d = n === 0 ? 0 : X1.size / n;
    const shape: Shape = X1.ndim === 1 ? [] : [n];
    const a = X1.data, b = X2.data;
    const out = new Float64Array(n);
    const prod = new Float64Array(n), m1 = new Float64Array(n), m2 = new Float64Array(n);
    const denom = new Float64Array(n), cos = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let sab = 0, saa = 0, sbb = 0;
      for (let j = 0; j < d; j++) {
        const u = a[o + j], v = b[o + j];
        sab += u * v;
        saa += u * u;
        sbb += v * v;
      }
      prod[i] = sab;
      m1[i] = saa + EPSILON;
      m2[i] = sbb + EPSILON;
      denom[i] = Math.sqrt(m1[i] * m2[i]);
      const c = sab / denom[i];
      cos[i] = c;
      const neg = c - margin;
      // (y == 1 ? 1 - cos : 0) + (y == -1 ? max(0, cos - margin) : 0), NaN kept by the clamp.
      out[i] = (y[i] === 1 ? 1 - c : 0) + (y[i] === -1 ? (neg < 0 ? 0 : neg) : 0);
    }
    return { data: out, shape, saved: { prod, m1, m2, denom, cos } };
  },
  backward(g, { inputs: [X1, X2], attrs: { margin, y }, saved: { prod, m1, m2, denom, cos }, needs }) {
    const n = y.length;
    const d = n === 0 ? 0 : X1.size / n;
    const a = X1.data, b = X2.data;
    const ga = needs[0] ? new Float64Array(a.length) : null;
    const gb = needs[1] ? new Float64Array(b.length) : null;
    for (let i = 0; i < n; i++) {
      // NOTE: clamp_min passes the gradient at the kink cos = margin, as PyTorch does.
      const gc = y[i] === 1 ? -g[i] : y[i] === -1 && cos[i] - margin >= 0 ? g[i] : 0;
      if (gc === 0 && Number.isFinite(prod[i]) && Number.isFinite(denom[i])) continue;
      // cos = prod / denom, denom = sqrt(m1 m2), m = Σ x² + EPSILON.
      const gProd = gc / denom[i];
      const gDenom = (-gc * prod[i]) / (denom[i] * denom[i]);
      const gm = gDenom / (2 * denom[i]);
      const g1 = 2 * gm * m2[i], g2 = 2 * gm * m1[i];
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const u = a[o + j], v = b[o + j];
        if (ga) ga[o + j] = gProd * v + g1 * u;
        if (gb) gb[o + j] = gProd * u + g2 * v;
      }
    }
    return [ga && { shape: X1.shape, data: ga }, gb && { shape: X2.shape, data: gb }];
  },
});

/** Per-row cosine embedding losses for validated `x1`, `x2` (`[N, D]` or `[D]`) and `y` (N values): `[N]`, or `[]`. */
export function cosineEmbeddingRows(x1: Tensor, x2: Tensor, y: F64, margin: number): Tensor {
  return apply(COSINE_EMBEDDING, [x1, x2], { margin, y });
}
