/**
 * The decoders, the forced alignment and the feasibility report against brute-force enumeration
 * of every path in C^T (probability space).
 */
import fc from 'fast-check';
import { ctcAlign, ctcBeamSearch, ctcBeamSearchDetailed, ctcFeasible, ctcGreedyDecode } from '../../ctc/index.js';
import { tensor } from '../../engine/index.js';
import { expectClose, expectThrowsWith, fcParams } from '../helpers/index.js';
import { arbProblem, minFramesOf, padTargets } from './arbitraries.js';
import type { Problem } from './reference.js';
import { bruteForceBestLabelling, bruteForceBestPath, collapse, forEachPath } from './reference.js';

const lengthsOf = (p: Problem): number[] => p.targets.map((t) => t.length);

/** True when the largest value beats the runner-up by a relative margin (ties have no single answer). */
function clearWinner(values: number[]): boolean {
  const [a, b] = [...values].sort((x, y) => y - x);
  return b === undefined || a > b * (1 + 1e-9) + 1e-300;
}

/** Probabilities of every path of sample n (only those collapsing to its target when `consistent`). */
function pathProbs(p: Problem, n: number, consistent: boolean): number[] {
  const out: number[] = [];
  forEachPath(p, n, (path, prob) => {
    if (!consistent || collapse(path, p.blank).join(',') === p.targets[n].join(',')) out.push(prob);
  });
  return out;
}

describe('ctcGreedyDecode', () => {
  it('equals the collapse of the brute-force most likely path', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        fc.pre(p.lp.every((frame) => frame.every((row) => clearWinner(row.map(Math.exp)))));
        const got = ctcGreedyDecode(tensor(p.lp), p.inputLengths, { blank: p.blank });
        expect(got).toEqual(p.targets.map((_t, n) => collapse(bruteForceBestPath(p, n, false), p.blank)));
      }),
      fcParams(25),
    );
  });

  it('collapses repeats, drops blanks, keeps a repeat separated by a blank, and reads all T frames without lengths', () => {
    const lp = tensor([[-0.1, -3, -3], [-3, -0.1, -3], [-3, -0.1, -3], [-0.1, -3, -3], [-3, -0.1, -3], [-3, -3, -0.1]]); // [T=6, C=3]
    expect(ctcGreedyDecode(lp)).toEqual([[1, 1, 2]]);
    expect(ctcGreedyDecode(lp, 3)).toEqual([[1]]);
    expect(ctcGreedyDecode(lp, [6], { blank: 1 })).toEqual([[0, 0, 2]]);
  });
});

describe('ctcBeamSearch', () => {
  it('with a beam that never prunes, finds the brute-force most likely labelling and its probability', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        fc.pre(p.targets.every((_t, n) => clearWinner([...bruteForceBestLabelling(p, n).all.values()])));
        const x = tensor(p.lp);
        const best = ctcBeamSearch(x, p.inputLengths, { beamWidth: 1000, blank: p.blank });
        const detailed = ctcBeamSearchDetailed(x, p.inputLengths, { beamWidth: 1000, blank: p.blank, topK: 3 });
        p.targets.forEach((_t, n) => {
          const ref = bruteForceBestLabelling(p, n);
          expect(best[n]).toEqual(ref.labels);
          expect(detailed[n][0].labels).toEqual(ref.labels);
          const probs = [...ref.all.values()].sort((a, b) => b - a);
          expectClose(detailed[n].map((h) => h.logProb), probs.slice(0, 3).map(Math.log), 1e-10, 1e-12);
          detailed[n].forEach((h) => expectClose(h.logProb, Math.log(ref.all.get(h.labels.join(',')) as number), 1e-10, 1e-12));
        });
      }),
      fcParams(25),
    );
  });

  it('can beat greedy decoding: many paths to one labelling outweigh the single best path', () => {
    const lp = tensor([[-0.9, -0.6, -3], [-0.7, -0.8, -3], [-0.9, -0.6, -3]]); // [T=3, C=3]
    expect(ctcGreedyDecode(lp)).toEqual([[1, 1]]);
    expect(ctcBeamSearch(lp, 3, { beamWidth: 4 })).toEqual([[1]]);
  });

  it('returns one hypothesis per sample by default and topK when asked, best first', () => {
    const lp = tensor([[[-0.2, -2, -3], [-1, -0.6, -2]], [[-1.5, -0.4, -2], [-0.3, -2, -1.6]]]); // [T=2, N=2, C=3]
    expect(ctcBeamSearch(lp).length).toBe(2);
    const d = ctcBeamSearchDetailed(lp, [2, 1], { beamWidth: 5 });
    expect(d[0].length).toBe(5);
    expect(d[1].length).toBe(3);
    for (const hs of d) for (let i = 1; i < hs.length; i++) expect(hs[i].logProb).toBeLessThanOrEqual(hs[i - 1].logProb);
  });

  it('rejects a bad beamWidth or topK', () => {
    const lp = tensor([[-0.2, -2]]);
    expectThrowsWith(() => ctcBeamSearch(lp, 1, { beamWidth: 0 }), 'ctcBeamSearch: ', 'beamWidth', '1', 'got 0');
    expectThrowsWith(() => ctcBeamSearchDetailed(lp, 1, { beamWidth: 2, topK: 3 }), 'ctcBeamSearchDetailed: ', 'topK', 'at most beamWidth = 2', '3');
    expectThrowsWith(() => ctcBeamSearch(lp, 1, { topK: 1 } as object), 'ctcBeamSearch: ', "unknown option 'topK'");
  });
});

describe('CTC decoders and ctcAlign read their options by one rule', () => {
  const lp = tensor([[-0.2, -2, -3], [-1, -0.5, -3]]); // [T=2, C=3]
  const bad = <T>(v: unknown): T => v as T;
  const cases: [string, () => unknown, string[]][] = [
    ['a non-integer beamWidth', () => ctcBeamSearch(lp, 2, { beamWidth: 2.5 }), ['ctcBeamSearch: ', 'beamWidth', 'integer', '2.5']],
    ['an infinite beamWidth', () => ctcBeamSearch(lp, 2, { beamWidth: Infinity }), ['ctcBeamSearch: ', 'beamWidth', 'Infinity']],
    ['a null topK', () => ctcBeamSearchDetailed(lp, 2, { topK: bad<number>(null) }), ['ctcBeamSearchDetailed: ', 'topK', 'null']],
    ['a string blank', () => ctcGreedyDecode(lp, 2, { blank: bad<number>('0') }), ['ctcGreedyDecode: ', 'blank', 'number', '"0"']],
    ['a null blank', () => ctcAlign(lp, [1], 2, 1, { blank: bad<number>(null) }), ['ctcAlign: ', 'blank', 'null']],
    ['a blank outside [0, C)', () => ctcBeamSearch(lp, 2, { blank: 3 }), ['ctcBeamSearch: ', 'blank', '[0, 3)', '3']],
    ['an unknown option', () => ctcGreedyDecode(lp, 2, bad<object>({ beamWidth: 2 })), ['ctcGreedyDecode: ', "unknown option 'beamWidth'"]],
    ['options that are not an object', () => ctcAlign(lp, [1], 2, 1, bad<object>('blank')), ['ctcAlign: ', 'options', '"blank"']],
  ];
  it.each(cases)('%s throws', (_name, call, fragments) => {
    expectThrowsWith(call, ...fragments);
  });
});

describe('ctcAlign', () => {
  it('equals the brute-force most likely path among those that collapse to the target', () => {
    fc.assert(
      fc.property(arbProblem(4, true), (p) => {
        fc.pre(p.targets.every((_t, n) => clearWinner(pathProbs(p, n, true))));
        const got = ctcAlign(tensor(p.lp), padTargets(p), p.inputLengths, lengthsOf(p), { blank: p.blank });
        expect(got).toEqual(p.targets.map((_t, n) => bruteForceBestPath(p, n, true)));
      }),
      fcParams(25),
    );
  });

  it('still returns a path that collapses to the target when every path has probability 0', () => {
    const lp = tensor([[-Infinity, 0, -Infinity], [0, -Infinity, -Infinity], [-Infinity, -Infinity, 0], [0, -Infinity, -Infinity]]); // [T=4, C=3]
    const [path] = ctcAlign(lp, [1, 1, 2], 4, 3);
    expect(path.length).toBe(4);
    expect(collapse(path, 0)).toEqual([1, 1, 2]);
  });

  it('throws for a sample too short for its target', () => {
    const lp = tensor([[[-1, -1, -1]], [[-1, -1, -1]]]); // [T=2, N=1, C=3]
    expectThrowsWith(() => ctcAlign(lp, [[1, 1]], [2], [2]), 'ctcAlign: ', 'inputLengths[0] is 2', 'below the 3 frames');
  });
});

describe('ctcFeasible', () => {
  it('reports minFrames = length + adjacent repeats; feasible exactly when some path of that length collapses to the target', () => {
    fc.assert(
      fc.property(arbProblem(4), (p) => {
        const report = ctcFeasible(padTargets(p), p.inputLengths, lengthsOf(p));
        p.targets.forEach((t, n) => {
          let exists = false;
          forEachPath({ ...p, lp: p.lp.map((f) => f.map((row) => row.map(() => 0))) }, n, (path) => {
            if (collapse(path, p.blank).join(',') === t.join(',')) exists = true;
          });
          expect(report[n]).toEqual({ minFrames: minFramesOf(t), inputLength: p.inputLengths[n], feasible: exists });
        });
      }),
      fcParams(20),
    );
  });

  it('takes concatenated targets, Tensors, and a single sample with number lengths', () => {
    expect(ctcFeasible([1, 1, 2, 3], tensor([3, 1]), tensor([3, 1])).map((r) => r.minFrames)).toEqual([4, 1]);
    expect(ctcFeasible([2, 2], 3, 2)).toEqual([{ minFrames: 3, inputLength: 3, feasible: true }]);
  });

  it('rejects negative labels and lengths, and mismatched lengths', () => {
    expectThrowsWith(() => ctcFeasible([[1, -1]], [2], [2]), 'ctcFeasible: ', 'targets[0][1]', '-1');
    expectThrowsWith(() => ctcFeasible([[1, 2]], [-1], [2]), 'ctcFeasible: ', 'inputLengths[0]', 'non-negative integer', '-1');
    expectThrowsWith(() => ctcFeasible([[1, 2]], [2, 2], [2]), 'ctcFeasible: ', 'inputLengths', 'N = 1');
    expectThrowsWith(() => ctcFeasible([1, 2], [2], 2), 'ctcFeasible: ', 'inputLengths must be a number');
  });
});
