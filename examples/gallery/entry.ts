/** One gallery picture: a loss swept over one argument, its value and its backward gradient. */
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import type { CurveRow } from '../lib/pictures.js';

export interface GallerySeries {
  label: string;
  /** `[n]` swept argument values to `[n]` independent losses (reduction 'none'). */
  loss: (x: Tensor) => Tensor;
}

export interface GalleryEntry {
  /** File name under `gallery/`, without `.svg`. */
  file: string;
  title: string;
  xTitle: string;
  range: [number, number];
  series: GallerySeries[];
}

export interface Curves {
  loss: CurveRow[];
  grad: CurveRow[];
}

/**
 * Evaluates every series at `points` values of its argument. The rows of the batch are
 * independent, so the gradient of the summed loss with respect to row i is dL_i/dx_i.
 */
export function curves(entry: GalleryEntry, points: number): Curves {
  const [lo, hi] = entry.range;
  const xs = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const out: Curves = { loss: [], grad: [] };
  for (const s of entry.series) {
    const x = tensor(xs, { requiresGrad: true });
    const loss = s.loss(x);
    if (loss.shape.length !== 1 || loss.shape[0] !== points) {
      throw new Error(`gallery ${entry.file}/${s.label}: expected ${points} losses, got shape [${loss.shape.join(', ')}]`);
    }
    loss.sum().backward();
    const grad = x.grad!.data;
    xs.forEach((xi, i) => {
      if (Number.isFinite(loss.data[i])) out.loss.push({ x: xi, value: loss.data[i], series: s.label });
      if (Number.isFinite(grad[i])) out.grad.push({ x: xi, value: grad[i], series: s.label });
    });
  }
  return out;
}
