/** fast-check generators of small CTC problems, shared by the CTC specs. */
import fc from 'fast-check';
import type { Problem } from './reference.js';

/**
 * A problem small enough to enumerate (C^T ≤ 256 paths per sample): T ≤ maxT frames, C ≤ 4
 * classes, any blank, targets of 0..3 labels (repeats likely with so few classes), input lengths
 * 0..T. `feasible` restricts every sample to inputLength ≥ minFrames.
 */
export const arbProblem = (maxT = 4, feasible = false): fc.Arbitrary<Problem> =>
  fc
    .record({ T: fc.integer({ min: 1, max: maxT }), C: fc.integer({ min: 2, max: 4 }), N: fc.integer({ min: 1, max: 3 }) })
    .chain(({ T, C, N }) =>
      fc.record({
        blank: fc.integer({ min: 0, max: C - 1 }),
        raw: fc.array(fc.array(fc.integer({ min: 0, max: C - 2 }), { maxLength: 3 }), { minLength: N, maxLength: N }),
        inputLengths: fc.array(fc.integer({ min: 0, max: T }), { minLength: N, maxLength: N }),
        lp: fc.array(fc.array(fc.array(fc.double({ min: -4, max: 1, noNaN: true }), { minLength: C, maxLength: C }), { minLength: N, maxLength: N }), { minLength: T, maxLength: T }),
      }),
    )
    .map(({ blank, raw, inputLengths, lp }) => {
      const targets = raw.map((row) => row.map((v) => (v >= blank ? v + 1 : v)));
      const lengths = feasible ? inputLengths.map((l, n) => Math.max(l, minFramesOf(targets[n]))) : inputLengths;
      return { lp, targets, inputLengths: lengths.map((l) => Math.min(l, lp.length)), blank };
    })
    .filter((p) => !feasible || p.targets.every((t, n) => minFramesOf(t) <= p.inputLengths[n]));

/** Written independently of the engine's minFrames (engine/fused/ctc-sample.ts): counts the blanks a path must put between equal neighbours. */
export function minFramesOf(target: readonly number[]): number {
  return target.reduce((need, l, i) => need + 1 + (i > 0 && target[i - 1] === l ? 1 : 0), 0);
}

/** Pads targets to [N, S] with a label that is never the blank. */
export function padTargets(p: Problem): number[][] {
  const S = Math.max(1, ...p.targets.map((t) => t.length));
  const filler = p.blank === 0 ? 1 : 0;
  return p.targets.map((t) => [...t, ...new Array<number>(S - t.length).fill(filler)]);
}
