/**
 * The classification losses against PyTorch 1.13 (float64): values and the gradients of every
 * differentiable argument, read from spec/fixtures/classification.json (written by
 * gen_classification.py). The cases cover every option and reduction, hinge kinks and ties,
 * all-ignored batches, logits of ±1000, label smoothing with weights and ignoreIndex together,
 * and K-dimensional inputs.
 */
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import {
  crossEntropyLoss, multiLabelMarginLoss, multiLabelSoftMarginLoss, multiMarginLoss, nllLoss,
} from '../../losses/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

type Nested = number | Nested[];

interface Case {
  fn: string;
  name: string;
  input: Nested;
  target: Nested;
  opts: Record<string, unknown> & { weight?: number[] };
  value: Nested;
  gout?: Nested;
  grad: { input: Nested; target?: Nested; weight?: Nested };
}

const fns: Record<string, (x: Tensor, t: any, opts: any) => Tensor> = {
  nllLoss, crossEntropyLoss, multiMarginLoss, multiLabelSoftMarginLoss, multiLabelMarginLoss,
};

const shapeOf = (v: Nested): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

const { cases } = loadFixture<{ cases: Case[] }>('classification.json');

describe('classification losses match PyTorch 1.13', () => {
  it('the fixture covers every loss and reduction', () => {
    for (const fn of Object.keys(fns)) {
      for (const r of ['none', 'mean', 'sum']) {
        expect(cases.some((c) => c.fn === fn && c.opts.reduction === r)).toBe(true);
      }
    }
  });

  it.each(cases.map((c) => [`${c.fn}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const x = tensor(c.input, { requiresGrad: true });
    // Class-index targets go in as plain arrays (the common call); probability and label targets
    // that PyTorch differentiates go in as Tensors.
    const t = c.grad.target !== undefined ? tensor(c.target, { requiresGrad: true }) : c.target;
    const w = c.grad.weight !== undefined ? tensor(c.opts.weight as number[], { requiresGrad: true }) : undefined;
    const out = fns[c.fn](x, t, w ? { ...c.opts, weight: w } : c.opts);
    expect(out.shape).toEqual(shapeOf(c.value));
    expectClose(out, c.value);

    out.backward(c.gout === undefined ? undefined : tensor(c.gout));
    expect(x.grad).not.toBeNull();
    expectClose(x.grad!, c.grad.input);
    if (c.grad.target !== undefined) expectClose((t as Tensor).grad!, c.grad.target);
    if (w) expectClose(w.grad!, c.grad.weight!);
  });
});
