/** Checks that two contenders computed the same loss and gradients before either is timed. */
import type { LossGrad } from './row.js';

/** max |a - b| / max |b|: the error relative to the reference's scale, not elementwise. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    diff = d > diff || d !== d ? d : diff;
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

/** A description of the first disagreement above `tol`, or null when the two agree. */
export function disagreement(got: LossGrad, ref: LossGrad, tol: number): string | null {
  if (got.grads.length !== ref.grads.length) return `${got.grads.length} gradients vs ${ref.grads.length}`;
  const lossErr = relErr([got.loss], [ref.loss]);
  if (!(lossErr <= tol)) return `loss ${got.loss} vs ${ref.loss} (rel ${lossErr.toExponential(2)})`;
  for (let i = 0; i < ref.grads.length; i++) {
    if (got.grads[i].length !== ref.grads[i].length) return `gradient ${i}: ${got.grads[i].length} values vs ${ref.grads[i].length}`;
    const e = relErr(got.grads[i], ref.grads[i]);
    if (!(e <= tol)) return `gradient ${i} differs (rel ${e.toExponential(2)})`;
  }
  return null;
}
