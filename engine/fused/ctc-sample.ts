/**
 * What every CTC recursion reads: one sample's record (its lengths, its extended target, where
 * its frames and its gradient lie) and the scratch one call of the CTC node owns.
 *
 * A target l of length U becomes the extended sequence l' = (blank, l_1, blank, …, l_U, blank)
 * of L = 2U + 1 states. Only states inside the window [L - 2(Tn - t), 2t + 2) can lie on a
 * complete path at frame t; the recursions skip the rest. Rows carry two pads so that s - 1,
 * s - 2 (alpha) and s + 1, s + 2 (beta) never need a bounds test.
 */
import { fail } from '../errors.js';

/** One sample, as the recursions read it. */
export interface CtcSample {
  /** Frames of the sample: its input length. */
  readonly Tn: number;
  /** States of the extended target: 2U + 1. */
  readonly L: number;
  /** Classes per frame. */
  readonly C: number;
  /** l' with two trailing pads (blank): ext[s] is the class emitted in state s. */
  readonly ext: Int32Array;
  /** skip[s] = 1 where state s may be entered from s - 2 (a label differing from the previous label). */
  readonly skip: Uint8Array;
  /** The sample's exponentiated frames, contiguous: probs[from + t·C + c] (each frame shifted by a constant). */
  readonly probs: Float64Array;
  readonly from: number;
  /** Where frame 0 of the sample lies in a [T, N, C] buffer (logProbs and its gradient): n·C. */
  readonly at: number;
  /** The step from one frame to the next in that buffer: N·C. */
  readonly stride: number;
}

/** Where a fast pass stopped, for the exact path to carry on from. */
export interface Stop {
  /** Alpha: the first frame it could not complete. Beta: the lowest frame whose gradient it added (its β is handed over). */
  frame: number;
  /** Alpha: log of the scale of row frame - 1 (its true values are the row times e^logScale). */
  logScale: number;
}

/**
 * Scratch for one call (one forward or one backward) of the CTC node, sized for its longest
 * target, so that the per-frame loops never allocate. Nothing in it outlives the call.
 */
export class CtcScratch {
  readonly ext: Int32Array;
  readonly skip: Uint8Array;
  /** Two rolling alpha rows of L + 2 (two leading pads): mantissas and exponents. */
  readonly am: Float64Array;
  readonly ae: Int32Array;
  /** Two rolling beta rows of L + 2 (two trailing pads). */
  readonly bm: Float64Array;
  readonly be: Int32Array;
  /** One frame's aligned products α β, summed for the normaliser and then reused for the gradient. */
  readonly prod: Float64Array;
  /** The fast beta pass's two rows, apart from bm so that a β it hands over survives until loaded. */
  readonly fb: Float64Array;
  readonly stop: Stop = { frame: 0, logScale: 0 };
  /** The distinct classes of the sample at hand (its blank and labels), and a mark per class to find them. */
  readonly used: Int32Array;
  private readonly seen: Uint8Array;

  constructor(maxTargetLength: number, C: number) {
    const w = 2 * maxTargetLength + 3;
    this.used = new Int32Array(C);
    this.seen = new Uint8Array(C);
    this.ext = new Int32Array(w);
    this.skip = new Uint8Array(w);
    this.am = new Float64Array(2 * w);
    this.ae = new Int32Array(2 * w);
    this.bm = new Float64Array(2 * w);
    this.be = new Int32Array(2 * w);
    this.prod = new Float64Array(w);
    this.fb = new Float64Array(2 * w);
  }

  /** Fills ext and skip for `labels[from .. from + len)` and returns L = 2 len + 1. */
  extend(labels: Int32Array, from: number, len: number, blank: number): number {
    const L = 2 * len + 1;
    const { ext, skip } = this;
    for (let s = 0; s < L + 2; s++) {
      ext[s] = s % 2 === 1 && s < L ? labels[from + (s - 1) / 2] : blank;
      skip[s] = s % 2 === 1 && s >= 3 && s < L && ext[s] !== ext[s - 2] ? 1 : 0;
    }
    return L;
  }

  /** Writes the distinct classes of l'[0 .. L) into `used` and returns how many there are. */
  usedClasses(L: number): number {
    const { ext, used, seen } = this;
    let K = 0;
    for (let s = 0; s < L; s++) {
      if (seen[ext[s]] === 0) {
        seen[ext[s]] = 1;
        used[K++] = ext[s];
      }
    }
    for (let k = 0; k < K; k++) seen[used[k]] = 0;
    return K;
  }
}

/** Frames a target needs: one per label plus one blank between each pair of equal adjacent labels. */
export function minFrames(labels: Int32Array, from: number, to: number): number {
  let need = to - from;
  for (let i = from + 1; i < to; i++) if (labels[i] === labels[i - 1]) need++;
  return need;
}

/** First state of frame t's window (states below it cannot reach the end in time). */
export function windowStart(L: number, Tn: number, t: number): number {
  return Math.max(0, L - 2 * (Tn - t));
}

/** One past the last state of frame t's window (states above it cannot be reached by then). */
export function windowEnd(L: number, t: number): number {
  return Math.min(L, 2 * t + 2);
}

/**
 * A zeroed buffer for a recursion's rows, which grow as inputLength × (2·targetLength + 1)
 * states: `n` entries of `Make`, or an error naming `fn` and the size when memory cannot give it
 * (instead of a raw RangeError from the typed-array constructor).
 */
export function rowsBuffer<B>(fn: string, Make: { new (n: number): B; readonly BYTES_PER_ELEMENT: number }, n: number): B {
  try {
    return new Make(n);
  } catch {
    const gib = ((n * Make.BYTES_PER_ELEMENT) / 2 ** 30).toFixed(1);
    return fail(fn, `cannot allocate the rows of its recursion: ${n} values (${gib} GiB) for inputLength × (2·targetLength + 1) states`);
  }
}
