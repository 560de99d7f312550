/** ctcLoss argument checking: each bad input throws `ctcLoss: …` naming the argument, what was expected and what was given. */
import { ctcAlign, ctcLoss } from '../../ctc/index.js';
import type { Tensor } from '../../engine/index.js';
import { tensor } from '../../engine/index.js';
import { expectThrowsWith, loadFixture } from '../helpers/index.js';

interface Rejected {
  name: string;
  logProbs: number[][];
  targets: number[];
  inputLengths: number;
  targetLengths: number;
  /** PyTorch's message, recorded by spec/fixtures/gen_ctc.py. */
  torchError: string;
}

const { rejected } = loadFixture<{ rejected: Rejected[] }>('ctc.json');

const lp = (): Tensor => tensor([[[-1, -0.5, -2], [-0.3, -1, -2]], [[-0.2, -1, -3], [-1, -1, -1]], [[-1, -2, -0.4], [-0.5, -0.9, -3]]], { requiresGrad: true }); // [T=3, N=2, C=3]

describe('ctcLoss rejects bad inputs before any work', () => {
  const cases: [string, (x: Tensor) => unknown, string[]][] = [
    ['targets containing the blank', (x) => ctcLoss(x, [[1, 0], [2, 1]], [3, 3], [2, 2]), ['targets[0][1] is 0', 'the blank index']],
    ['targets containing a non-default blank', (x) => ctcLoss(x, [[1, 2], [0, 1]], [3, 3], [2, 2], { blank: 2 }), ['targets[0][1] is 2', 'the blank index']],
    ['labels outside [0, C)', (x) => ctcLoss(x, [[1, 3], [2, 1]], [3, 3], [2, 2]), ['targets[0][1] is 3', 'in [0, 3)']],
    ['negative labels', (x) => ctcLoss(x, [1, -1, 2], [3, 3], [2, 1]), ['targets[1] is -1', 'in [0, 3)']],
    ['non-integer labels', (x) => ctcLoss(x, [[1.5, 2], [2, 1]], [3, 3], [2, 2]), ['targets[0][0] is 1.5', 'integer label']],
    ['negative input lengths', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, -1], [2, 2]), ['inputLengths[1]', 'non-negative integer', '-1']],
    ['negative target lengths', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [-2, 2]), ['targetLengths[0]', 'non-negative integer', '-2']],
    ['input lengths above T', (x) => ctcLoss(x, [[1, 2], [2, 1]], [4, 3], [2, 2]), ['inputLengths[0] is 4', 'T = 3']],
    ['target lengths above S', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 3]), ['targetLengths[1] is 3', 'S = 2']],
    ['1-D targets not of length sum(targetLengths)', (x) => ctcLoss(x, [1, 2, 1], [3, 3], [2, 2]), ['sum(targetLengths) = 4', 'length 3']],
    ['input lengths not of length N', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3], [2, 2]), ['inputLengths', 'N = 2', '[1]']],
    ['target lengths not of length N', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], tensor([2, 2, 1])), ['targetLengths', 'N = 2', 'shape [3]']],
    ['a number for batched lengths', (x) => ctcLoss(x, [[1, 2], [2, 1]], 3, [2, 2]), ['inputLengths', 'N = 2', '3']],
    ['padded targets with the wrong N', (x) => ctcLoss(x, [[1, 2]], [3, 3], [2, 2]), ['targets', 'N = 2', '[1, 2]']],
    ['3-D targets', (x) => ctcLoss(x, [[[1]], [[2]]], [3, 3], [1, 1]), ['targets', '[2, 1, 1]']],
    ['a blank outside [0, C)', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { blank: 3 }), ['blank', '[0, 3)', '3']],
    ['a non-integer blank', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { blank: 0.5 }), ['blank', '0.5']],
    ['an unknown option', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { blnk: 1 } as object), ["unknown option 'blnk'"]],
    ['an unknown reduction', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { reduction: 'batchmean' as 'mean' }), ['reduction', '"batchmean"']],
    ['a non-boolean zeroInfinity', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { zeroInfinity: 1 as unknown as boolean }), ['zeroInfinity', 'boolean', '1']],
    ['logProbs of rank 1', () => ctcLoss(tensor([-1, -2]), [1], 1, 1), ['logProbs', '[T, N, C] (time first) or [T, C]', 'shape [2]']],
    ['logProbs of rank 4', () => ctcLoss(tensor([[[[-1]]]]), [[1]], [1], [1]), ['logProbs', 'shape [1, 1, 1, 1]']],
    ['unbatched 2-D targets', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [[1]], 2, 1), ['unbatched', '1-D', '[1, 1]']],
    ['unbatched lengths with two entries', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [1], [2, 2], 1), ['inputLengths', 'one-element array', '[T, C] = [2, 2]']],
    ['an unbatched target shorter than its length', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [1], 2, 2), ['targets', 'targetLength = 2', 'got length 1']],
    // PyTorch 1.13 reads a 1-D target as concatenated, unbatched too, and rejects one longer than its length (spec/fixtures/ctc.json's rejected cases).
    ['an unbatched target longer than its length', () => ctcLoss(tensor([[-1, -2, -3], [-1, -2, -3], [-1, -2, -3]]), [1, 2, 1], 3, 2), ['targets', 'targetLength = 2', 'concatenated', 'got length 3']],
    ['a target length too large to be one', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2 ** 40]), ['targetLengths[1]', 'above the largest supported length']],
    ['a non-boolean zeroInfinity given as a string', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { zeroInfinity: 'false' as unknown as boolean }), ['zeroInfinity', 'boolean', '"false"']],
    ['a null reduction', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { reduction: null as unknown as 'mean' }), ['reduction', 'null']],
    ['options that are not an object', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], 5 as unknown as object), ['options', '5']],
    ['a non-number blank', (x) => ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2], { blank: '0' as unknown as number }), ['blank', 'number', '"0"']],
    ['logProbs that is not a tensor', () => ctcLoss('ab' as unknown as Tensor, [1], 1, 1), ['logProbs', '"ab"']],
    ['targets that are not indices', (x) => ctcLoss(x, { a: 1 } as unknown as number[], [3, 3], [2, 2]), ['targets', 'an object']],
    ['missing lengths', (x) => ctcLoss(x, [[1, 2], [2, 1]], undefined as unknown as number[], [2, 2]), ['inputLengths is required']],
  ];

  it.each(cases)('%s', (_name, call, fragments) => {
    const x = lp();
    const before = x.toArray();
    expectThrowsWith(() => call(x), 'ctcLoss: ', ...fragments);
    expect(x.toArray()).toEqual(before);
    expect(x.grad).toBeNull();
  });

  it('says that logProbs is [T, N, C] when it is given batch-first [N, T, C], and what it was given', () => {
    const batchFirst = tensor(Array.from({ length: 2 }, () => Array.from({ length: 12 }, () => [-1, -0.5, -2]))); // [N=2, T=12, C=3]
    expectThrowsWith(() => ctcLoss(batchFirst, [[1, 2], [2, 1]], [12, 12], [2, 2]), 'ctcLoss: ', 'inputLengths', 'N = 12', '[T, N, C] = [2, 12, 3]', 'got an array of shape [2]', 'batch-first [N, T, C]', 'transpose(0, 1)');
    // Lengths of the right count, but above T (and at most N): the same hint.
    expectThrowsWith(() => ctcLoss(batchFirst, new Array(12).fill([1]), new Array(12).fill(12), new Array(12).fill(1)), 'ctcLoss: ', 'inputLengths[0] is 12', 'T = 2', 'transpose(0, 1)');
    // A time-first call with a genuine count mistake gets no such hint.
    expectThrowsWith(() => ctcLoss(lp(), [[1, 2], [2, 1]], [3, 3, 3, 3], [2, 2]), 'ctcLoss: ', 'N = 2', 'shape [4]');
    expect(() => ctcLoss(lp(), [[1, 2], [2, 1]], [3, 3, 3, 3], [2, 2])).toThrow(/^(?!.*transpose).*$/);
  });

  it('names itself when a sample\'s recursion needs more memory than there is (no raw RangeError)', () => {
    const T = 100_000;
    const long = tensor(new Float64Array(2 * T), { shape: [T, 2], requiresGrad: true }); // [T, C=2]
    const target = new Array<number>(50_000).fill(1); // feasible: 99,999 frames needed
    expectThrowsWith(() => ctcLoss(long, target, T, target.length), 'ctcLoss: ', 'cannot allocate', 'GiB');
    expect(long.grad).toBeNull();
    expectThrowsWith(() => ctcAlign(long, target, T, target.length), 'ctcAlign: ', 'cannot allocate');
  });

  it('rejects every input PyTorch 1.13 rejects in the fixture', () => {
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const r of rejected) {
      expect(r.torchError.length).toBeGreaterThan(0);
      expectThrowsWith(() => ctcLoss(tensor(r.logProbs), r.targets, r.inputLengths, r.targetLengths), 'ctcLoss: ', 'targets');
    }
  });

  it('leaves existing gradients unchanged when it throws', () => {
    const x = lp();
    ctcLoss(x, [[1, 2], [2, 1]], [3, 3], [2, 2]).backward();
    const g = (x.grad as Tensor).toArray();
    expectThrowsWith(() => ctcLoss(x, [[1, 0], [2, 1]], [3, 3], [2, 2]).backward(), 'ctcLoss: ');
    expect((x.grad as Tensor).toArray()).toEqual(g);
  });

  it('ignores the values of padded positions past a target\'s length, even out-of-range ones', () => {
    const a = ctcLoss(lp(), [[1, 2], [2, 7]], [3, 3], [2, 1], { reduction: 'none' }).toArray();
    const b = ctcLoss(lp(), [[1, 2], [2, 1]], [3, 3], [2, 1], { reduction: 'none' }).toArray();
    expect(a).toEqual(b);
  });
});
