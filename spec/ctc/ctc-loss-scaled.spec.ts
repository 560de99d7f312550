/**
 * The fast path (one scale per frame, engine/fused/ctc-scaled.ts) against the per-state-exponent
 * recursion (engine/fused/ctc-exact.ts): equal where the fast path holds, and bailing out, with ctcLoss still exact,
 * where a state drifts out of its range.
 */
import { ctcLoss } from '../../ctc/index.js';
import { ctcKernels } from '../../engine/internal.js';
import { Rng, Tensor, tensor } from '../../engine/index.js';
import { expectClose } from '../helpers/index.js';
import { logSpaceGrad, logSpaceLoss } from './reference.js';

/** Runs both paths on one sample of frames lp[t][c] (blank 0); `null` where the fast path bailed. */
function bothPaths(frames: number[][], target: number[]) {
  const Tn = frames.length;
  const C = frames[0].length;
  const ws = new ctcKernels.CtcScratch(target.length, C);
  const L = ws.extend(Int32Array.from(target), 0, target.length, 0);
  const probs = Float64Array.from(frames.flatMap((f) => f.map((v) => Math.exp(v - Math.max(...f))))); // [Tn, C]
  const shift = frames.reduce((s, f) => s + Math.max(...f), 0);
  const x: ctcKernels.CtcSample = { Tn, L, C, ext: ws.ext, skip: ws.skip, probs, from: 0, at: 0, stride: C };
  const exact = ctcKernels.alphaRows(Tn, L);
  const exactLogP = ctcKernels.alphaExact(x, ws, exact) + shift;
  const exactGrad = new Float64Array(Tn * C);
  ctcKernels.betaExactGrad(x, ws, { fast: null, exact }, 1, exactGrad);
  const rows = new Float64Array(Tn * (L + 2));
  const fastLogP = ctcKernels.alphaScaled(x, rows, { frame: -1, logScale: NaN }) + shift;
  const fastGrad = new Float64Array(Tn * C);
  const betaHeld = Number.isNaN(fastLogP) ? null : ctcKernels.betaScaledGrad(x, ws, rows, 1, fastGrad) === null;
  return { exactLogP, exactGrad, fastLogP, fastGrad, betaHeld };
}

describe('ctcLoss fast path (one scale per frame)', () => {
  it('agrees with the per-state-exponent path on ordinary inputs (value and gradient)', () => {
    const rng = new Rng(11);
    for (const [T, C, U] of [[60, 6, 15], [200, 12, 40], [7, 4, 3]]) {
      const frames = Array.from({ length: T }, () => Array.from({ length: C }, () => 2 * rng.normal()));
      const target = Array.from({ length: U }, () => 1 + Math.floor(rng.uniform() * (C - 1)));
      const r = bothPaths(frames, target);
      expect(Number.isFinite(r.fastLogP)).toBe(true);
      expect(r.betaHeld).toBe(true);
      expectClose(r.fastLogP, r.exactLogP, 1e-13, 0);
      expectClose(Array.from(r.fastGrad), Array.from(r.exactGrad), 1e-12, 1e-14);
    }
  });

  it('bails out in alpha when a state drifts 2^-900 below its frame; ctcLoss redoes the sample exactly', () => {
    // The label is e^5 likelier than the blank in every frame, so the all-blank prefix (state 0)
    // falls e^-5 further behind each frame.
    const frames = Array.from({ length: 300 }, (_, t) => [-5, 0, -1 - (t % 3)]); // [T=300, C=3]
    const r = bothPaths(frames, [1]);
    expect(Number.isNaN(r.fastLogP)).toBe(true);
    const lp = tensor(frames, { requiresGrad: true });
    const loss = ctcLoss(lp, [1], 300, 1, { reduction: 'sum' });
    expectClose(loss, logSpaceLoss(frames, [1], 0), 1e-12, 0);
    loss.backward();
    expectClose(lp.grad as Tensor, logSpaceGrad(frames, [1], 0), 1e-9, 1e-12);
  });

  it('bails out in beta alone (alpha held), and ctcLoss clears the partial gradient and redoes the sample exactly', () => {
    // In the last 200 frames the blank is e^-5 as likely as the labels: ending on the final
    // blank falls e^-5 further behind per frame, while the 200-label target keeps alpha's early
    // states out of those frames' windows.
    const rng = new Rng(5);
    const target = Array.from({ length: 200 }, (_, i) => 1 + (i % 2));
    const frames = Array.from({ length: 400 }, (_, t) => (t < 200 ? [0, 1, 2].map(() => -rng.uniform()) : [-5, 0, 0])); // [T=400, C=3]
    const r = bothPaths(frames, target);
    expect(Number.isFinite(r.fastLogP)).toBe(true);
    expect(r.betaHeld).toBe(false);
    const lp = tensor(frames, { requiresGrad: true });
    const loss = ctcLoss(lp, target, 400, 200, { reduction: 'sum' });
    expectClose(loss, logSpaceLoss(frames, target, 0), 1e-12, 0);
    loss.backward();
    expectClose(lp.grad as Tensor, logSpaceGrad(frames, target, 0), 1e-9, 1e-12);
  });
});
