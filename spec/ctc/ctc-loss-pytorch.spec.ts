/**
 * ctcLoss against torch.nn.functional.ctc_loss (PyTorch 1.13, float64), fixture written by
 * spec/fixtures/gen_ctc.py. Gradients are compared with respect to the logits through logSoftmax:
 * PyTorch's raw ctc_loss gradient (softmax − posterior) is not the derivative with respect to
 * logProbs, but both agree once composed with logSoftmax.
 */
import { ctcLoss } from '../../ctc/index.js';
import type { Reduction } from '../../engine/index.js';
import { Tensor, tensor } from '../../engine/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

interface Case {
  name: string;
  logits: number[][][] | number[][];
  targets: number[] | number[][];
  inputLengths: number[] | number;
  targetLengths: number[] | number;
  blank: number;
  reduction: Reduction;
  zeroInfinity: boolean;
  unbatched: boolean;
  gradOut: number | number[];
  loss: number | number[];
  gradLogits: number[][][] | number[][];
}

const { cases } = loadFixture<{ cases: Case[] }>('ctc.json');

describe('ctcLoss matches PyTorch values and gradients through logSoftmax', () => {
  it('covers every option in the fixture', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.reduction))).toEqual(new Set(['mean', 'sum', 'none']));
    expect(cases.some((c) => c.zeroInfinity) && cases.some((c) => c.unbatched) && cases.some((c) => c.blank !== 0)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const logits = tensor(c.logits, { requiresGrad: true });
    const loss = ctcLoss(logits.logSoftmax(-1), c.targets, c.inputLengths, c.targetLengths, {
      blank: c.blank,
      reduction: c.reduction,
      zeroInfinity: c.zeroInfinity,
    });
    expectClose(loss, c.loss);
    expect(loss.shape).toEqual(Array.isArray(c.loss) ? [c.loss.length] : []);
    loss.backward(typeof c.gradOut === 'number' ? c.gradOut : new Tensor(Float64Array.from(c.gradOut), [c.gradOut.length]));
    expectClose(logits.grad as Tensor, c.gradLogits, 1e-9, 1e-12);
  });
});
