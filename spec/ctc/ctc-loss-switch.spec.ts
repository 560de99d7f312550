/**
 * The fast path (engine/fused/ctc-scaled.ts) handing a sample over to the exact path (ctc-exact.ts) at the
 * frame where a state leaves its range, in alpha and in beta: the switched recursion against the
 * pure exact one, and ctcLoss against brute-force enumeration and the log-space references.
 */
import { ctcLoss } from '../../ctc/index.js';
import { ctcKernels } from '../../engine/internal.js';
import { Rng, Tensor, tensor } from '../../engine/index.js';
import { expectClose } from '../helpers/index.js';
import { bruteForceLossLog, logSpaceGrad, logSpaceLoss } from './reference.js';

interface Sample {
  x: ctcKernels.CtcSample;
  ws: ctcKernels.CtcScratch;
  /** The sum of the frames' maxima, subtracted before exponentiating, as ctcLoss does. */
  shift: number;
}

/** One unbatched sample of frames lp[t][c] (blank 0) prepared for the recursions. */
function sample(frames: number[][], target: number[]): Sample {
  const C = frames[0].length;
  const ws = new ctcKernels.CtcScratch(target.length, C);
  const L = ws.extend(Int32Array.from(target), 0, target.length, 0);
  const probs = Float64Array.from(frames.flatMap((f) => f.map((v) => Math.exp(v - Math.max(...f))))); // [Tn, C]
  const shift = frames.reduce((s, f) => s + Math.max(...f), 0);
  return { x: { Tn: frames.length, L, C, ext: ws.ext, skip: ws.skip, probs, from: 0, at: 0, stride: C }, ws, shift };
}

/** The exact path alone, from frame 0: log P and the gradient of −log P, [Tn, C]. */
function pureExact({ x, ws, shift }: Sample) {
  const rows = ctcKernels.alphaRows(x.Tn, x.L);
  const logP = ctcKernels.alphaExact(x, ws, rows) + shift;
  const grad = new Float64Array(x.Tn * x.C);
  ctcKernels.betaExactGrad(x, ws, { fast: null, exact: rows }, 1, grad);
  return { logP, grad };
}

/** Runs the fast alpha pass and, where it stops, the exact path from there: log P, stop, rows. */
function switchedAlpha({ x, ws, shift }: Sample) {
  const fast = new Float64Array(x.Tn * (x.L + 2));
  const stop: ctcKernels.Stop = { frame: -1, logScale: NaN };
  const held = ctcKernels.alphaScaled(x, fast, stop);
  if (held === held) return { logP: held + shift, stop, fast, exact: null };
  const exact = ctcKernels.alphaRows(x.Tn, x.L, stop.frame - 1);
  const logP = ctcKernels.alphaExact(x, ws, exact, { frame: stop.frame, fast }) + stop.logScale + shift;
  return { logP, stop, fast, exact };
}

/** Runs ctcLoss on one unbatched sample: −log P and its gradient with respect to the frames. */
function lossAndGrad(frames: number[][], target: number[]) {
  const lp = tensor(frames, { requiresGrad: true });
  const loss = ctcLoss(lp, target, frames.length, target.length, { reduction: 'sum' });
  loss.backward();
  return { loss, grad: lp.grad as Tensor };
}

/** A problem for the brute-force reference: one sample, unbatched frames lifted to [T, 1, C]. */
const problem = (frames: number[][], target: number[]) => ({ lp: frames.map((f) => [f]), targets: [target], inputLengths: [frames.length], blank: 0 });

// Frame 0 makes the label e^-500 as likely as the blank, and frame 1 the blank e^-300 as likely
// as the label: the blank after the label (state 2) is reached only through both, e^-800 below
// the rest of frame 1, past 2^-900 ≈ e^-624, so alpha switches at frame 1.
const alphaTiny = [[0, -500, -1], [-300, 0, 0], [0, -1, -2], [-1, 0, -3]]; // [T=4, C=3], target [1]

// Frame 0 puts the blank and label 1 e^-540 below class 2, which no alignment of [1, 2] can
// emit there: alpha holds, but frame 0's Σ α β (each factor in range) falls under 2^-900, so the
// fast beta pass stops after frame 1 and hands its β to the exact path.
const betaTiny = [[-540, -540, 0], [-270, -270, 0], [-270, 0, -270], [0, 0, 0]]; // [T=4, C=3], target [1, 2]

// Random frames at three times the usual spread and a target of 80 labels in 400 frames: the
// states of a frame spread past 2^900 around the middle of the sample in both directions, so
// alpha switches there and beta, running exact from the last frame, crosses the switch frame.
function bothLong() {
  const rng = new Rng(9);
  const frames = Array.from({ length: 400 }, () => Array.from({ length: 20 }, () => 3 * rng.normal())); // [T=400, C=20]
  const target = Array.from({ length: 80 }, () => 1 + Math.floor(rng.uniform() * 19));
  return { frames, target };
}

// In the last 200 frames the blank is e^-5 as likely as the labels: ending on the final blank
// falls e^-5 further behind per frame, so beta alone leaves the range well inside the sample.
function betaLong() {
  const rng = new Rng(5);
  const target = Array.from({ length: 200 }, (_, i) => 1 + (i % 2));
  const frames = Array.from({ length: 400 }, (_, t) => (t < 200 ? [0, 1, 2].map(() => -rng.uniform()) : [-5, 0, 0])); // [T=400, C=3]
  return { frames, target };
}

describe('ctcLoss switching from the fast path to the exact path within a sample', () => {
  it('alpha: the exact path carries on from the last row the fast pass completed, to the pure exact path\'s log P', () => {
    const long = bothLong();
    const cases: [number[][], number[]][] = [[alphaTiny, [1]], [long.frames, long.target]];
    for (const [frames, target] of cases) {
      const s = sample(frames, target);
      const r = switchedAlpha(s);
      expect(r.exact).not.toBeNull();
      expect(r.stop.frame).toBeGreaterThan(0);
      expect(r.stop.frame).toBeLessThan(s.x.Tn - 1);
      expectClose(r.logP, pureExact(s).logP, 1e-12, 0);
      const rolling = ctcKernels.alphaExact(s.x, s.ws, null, { frame: r.stop.frame, fast: r.fast }) + r.stop.logScale + s.shift;
      expectClose(rolling, r.logP, 0, 0);
    }
  });

  it('alpha: ctcLoss matches brute-force enumeration and the log-space references (value and gradient)', () => {
    const { loss, grad } = lossAndGrad(alphaTiny, [1]);
    const ref = bruteForceLossLog(problem(alphaTiny, [1]), 0);
    expectClose(loss, ref.loss, 1e-12, 0);
    expectClose(loss, logSpaceLoss(alphaTiny, [1], 0), 1e-12, 0);
    expectClose(grad, ref.grad, 1e-9, 1e-12);
    expectClose(grad, logSpaceGrad(alphaTiny, [1], 0), 1e-9, 1e-12);
  });

  it('beta: the exact path carries on below the fast pass\'s last frame, to the pure exact path\'s gradient', () => {
    const long = betaLong();
    const cases: [number[][], number[]][] = [[betaTiny, [1, 2]], [long.frames, long.target]];
    for (const [frames, target] of cases) {
      const s = sample(frames, target);
      const { x, ws } = s;
      const a = switchedAlpha(s);
      expect(a.exact).toBeNull();
      const grad = new Float64Array(x.Tn * x.C);
      const handover = ctcKernels.betaScaledGrad(x, ws, a.fast, 1, grad);
      expect(handover).not.toBeNull();
      const { frame } = handover as { frame: number; beta: Float64Array };
      expect(frame).toBeGreaterThan(0);
      expect(frame).toBeLessThan(x.Tn - 1);
      ctcKernels.betaExactGrad(x, ws, { fast: a.fast, exact: null }, 1, grad, handover);
      expectClose(Array.from(grad), Array.from(pureExact(s).grad), 1e-12, 1e-14);
    }
  });

  it('beta: ctcLoss matches brute-force enumeration and the log-space references (value and gradient)', () => {
    const { loss, grad } = lossAndGrad(betaTiny, [1, 2]);
    const ref = bruteForceLossLog(problem(betaTiny, [1, 2]), 0);
    expectClose(loss, ref.loss, 1e-12, 0);
    expectClose(loss, logSpaceLoss(betaTiny, [1, 2], 0), 1e-12, 0);
    expectClose(grad, ref.grad, 1e-9, 1e-12);
    expectClose(grad, logSpaceGrad(betaTiny, [1, 2], 0), 1e-9, 1e-12);
    const long = betaLong();
    const r = lossAndGrad(long.frames, long.target);
    expectClose(r.loss, logSpaceLoss(long.frames, long.target, 0), 1e-12, 0);
    expectClose(r.grad, logSpaceGrad(long.frames, long.target, 0), 1e-9, 1e-12);
  });

  it('both: beta crosses the frame where alpha switched, to the pure exact path\'s gradient and the log-space references', () => {
    const { frames, target } = bothLong();
    const s = sample(frames, target);
    const a = switchedAlpha(s);
    expect(a.exact).not.toBeNull();
    const grad = new Float64Array(s.x.Tn * s.x.C);
    ctcKernels.betaExactGrad(s.x, s.ws, { fast: a.fast, exact: a.exact }, 1, grad);
    expectClose(Array.from(grad), Array.from(pureExact(s).grad), 1e-12, 1e-14);
    // Beta would leave the fast path's range too: run backwards in time, the sample switches again.
    const reversed = sample([...frames].reverse(), [...target].reverse());
    expect(switchedAlpha(reversed).exact).not.toBeNull();
    const r = lossAndGrad(frames, target);
    expectClose(r.loss, logSpaceLoss(frames, target, 0), 1e-12, 0);
    expectClose(r.grad, logSpaceGrad(frames, target, 0), 1e-9, 1e-12);
  });

  it('a batch mixing a sample that holds, one whose alpha switches and one whose beta does matches each sample\'s references', () => {
    const rng = new Rng(21);
    const T = 400;
    const plain = Array.from({ length: T }, () => Array.from({ length: 20 }, () => rng.normal()));
    const alpha = bothLong();
    const beta = betaLong();
    // Class columns the beta sample lacks are −Infinity there, so its frames keep their probabilities.
    const wide = beta.frames.map((f) => [...f, ...new Array<number>(17).fill(-Infinity)]);
    const frames = [plain, alpha.frames, wide];
    const targets = [Array.from({ length: 60 }, () => 1 + Math.floor(rng.uniform() * 19)), alpha.target, beta.target];
    const lp = tensor(Array.from({ length: T }, (_, t) => frames.map((f) => f[t])), { requiresGrad: true }); // [T, N=3, C=20]
    const loss = ctcLoss(lp, targets.flat(), [T, T, T], targets.map((t) => t.length), { reduction: 'none' });
    expectClose(loss, frames.map((f, n) => logSpaceLoss(f, targets[n], 0)), 1e-12, 0);
    loss.backward(tensor([1, 1, 1]));
    const g = (lp.grad as Tensor).toArray() as number[][][];
    frames.forEach((f, n) => expectClose(g.map((row) => row[n]), logSpaceGrad(f, targets[n], 0), 1e-9, 1e-12));
  });
});
