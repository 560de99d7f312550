/** ctcLoss argument checking: each bad input throws `ctcLoss: …` naming the argument, what was expected and what was given. */
import { ctcLoss } from '../../ctc/index.js';
import type { Tensor } from '../../engine/index.js';
import { tensor } from '../../engine/index.js';
import { expectThrowsWith } from '../helpers/index.js';

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
    ['logProbs of rank 1', () => ctcLoss(tensor([-1, -2]), [1], 1, 1), ['logProbs', '[T, N, C] or [T, C]', 'shape [2]']],
    ['logProbs of rank 4', () => ctcLoss(tensor([[[[-1]]]]), [[1]], [1], [1]), ['logProbs', 'shape [1, 1, 1, 1]']],
    ['unbatched 2-D targets', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [[1]], 2, 1), ['unbatched', '1-D [S]', '[1, 1]']],
    ['unbatched lengths with two entries', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [1], [2, 2], 1), ['inputLengths', 'one-element array']],
    ['an unbatched target length above S', () => ctcLoss(tensor([[-1, -2], [-1, -2]]), [1], 2, 2), ['targetLengths[0] is 2', 'S = 1']],
    ['missing lengths', (x) => ctcLoss(x, [[1, 2], [2, 1]], undefined as unknown as number[], [2, 2]), ['inputLengths is required']],
  ];

  it.each(cases)('%s', (_name, call, fragments) => {
    const x = lp();
    const before = x.toArray();
    expectThrowsWith(() => call(x), 'ctcLoss: ', ...fragments);
    expect(x.toArray()).toEqual(before);
    expect(x.grad).toBeNull();
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
