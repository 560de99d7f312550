/** Loss modules: one per loss function, passing their options through unchanged. */
import { ctcLoss } from '../../ctc/index.js';
import * as losses from '../../losses/index.js';
import { Tensor, nn, randn, tensor } from '../../index.js';

const x = randn([4, 3], { seed: 1 });
const y = randn([4, 3], { seed: 2 });
const probs = x.sigmoid();
const target01 = tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]);
const signs = tensor([1, -1, -1, 1]);
const classes = [2, 0, 1, 1];
const logp = x.logSoftmax(1);

/** Each module, its function, and arguments plus a non-default option that changes the value. */
const CASES: [string, new (o?: any) => nn.Module, (...a: any[]) => Tensor, unknown[], object][] = [
  ['mseLoss', nn.MSELoss, losses.mseLoss, [x, y], { reduction: 'sum' }],
  ['l1Loss', nn.L1Loss, losses.l1Loss, [x, y], { reduction: 'sum' }],
  ['smoothL1Loss', nn.SmoothL1Loss, losses.smoothL1Loss, [x, y], { beta: 0.5 }],
  ['huberLoss', nn.HuberLoss, losses.huberLoss, [x, y], { delta: 0.5 }],
  ['poissonNllLoss', nn.PoissonNLLLoss, losses.poissonNllLoss, [x, y.abs()], { full: true }],
  ['gaussianNllLoss', nn.GaussianNLLLoss, losses.gaussianNllLoss, [x, y, probs], { full: true }],
  ['bceLoss', nn.BCELoss, losses.bceLoss, [probs, target01], { reduction: 'sum' }],
  ['bceWithLogitsLoss', nn.BCEWithLogitsLoss, losses.bceWithLogitsLoss, [x, target01], { posWeight: tensor([1, 2, 3]) }],
  ['klDivLoss', nn.KLDivLoss, losses.klDivLoss, [logp, y.softmax(1)], { reduction: 'batchmean' }],
  ['nllLoss', nn.NLLLoss, losses.nllLoss, [logp, classes], { weight: [1, 2, 3] }],
  ['crossEntropyLoss', nn.CrossEntropyLoss, losses.crossEntropyLoss, [x, classes], { labelSmoothing: 0.1 }],
  ['multiMarginLoss', nn.MultiMarginLoss, losses.multiMarginLoss, [x, classes], { margin: 2 }],
  ['multiLabelSoftMarginLoss', nn.MultiLabelSoftMarginLoss, losses.multiLabelSoftMarginLoss, [x, target01], { reduction: 'sum' }],
  ['multiLabelMarginLoss', nn.MultiLabelMarginLoss, losses.multiLabelMarginLoss, [x, [[0, -1, 0], [2, 1, -1], [1, -1, 0], [0, 1, 2]]], { reduction: 'sum' }],
  ['marginRankingLoss', nn.MarginRankingLoss, losses.marginRankingLoss, [x.sum(1), y.sum(1), signs], { margin: 0.5 }],
  ['tripletMarginLoss', nn.TripletMarginLoss, losses.tripletMarginLoss, [x, y, probs], { margin: 3 }],
  ['tripletMarginWithDistanceLoss', nn.TripletMarginWithDistanceLoss, losses.tripletMarginWithDistanceLoss, [x, y, probs], { margin: 3 }],
  ['softMarginLoss', nn.SoftMarginLoss, losses.softMarginLoss, [x.sum(1), signs], { reduction: 'sum' }],
  ['hingeEmbeddingLoss', nn.HingeEmbeddingLoss, losses.hingeEmbeddingLoss, [x.sum(1).abs(), signs], { margin: 3 }],
  ['cosineEmbeddingLoss', nn.CosineEmbeddingLoss, losses.cosineEmbeddingLoss, [x, y, signs], { margin: -0.9 }],
  ['ctcLoss', nn.CTCLoss, ctcLoss, [randn([6, 2, 4], { seed: 3 }).logSoftmax(2), [[1, 2], [3, 0]], [6, 5], [2, 1]], { reduction: 'sum' }],
];

describe('loss modules', () => {
  it('there is one for every loss function lossgrad exports (losses/ and ctc/)', () => {
    const fns = [...new Set([...Object.keys(losses).filter((k) => k.endsWith('Loss')), 'ctcLoss'])].sort();
    expect(CASES.map(([k]) => k).sort()).toEqual(fns);
  });

  it.each(CASES)('%s: the module gives the function’s value, with the default options and with others', (_name, Cls, fn, args, opts) => {
    expect(new Cls().call(...args).toArray()).toEqual(fn(...args).toArray());
    const withOpts = new Cls(opts).call(...args);
    expect(withOpts.toArray()).toEqual(fn(...args, opts).toArray());
    expect(withOpts.toArray()).not.toEqual(fn(...args).toArray());
  });

  it('options are copied and frozen when the module is built', () => {
    const opts = { labelSmoothing: 0.1 };
    const ce = new nn.CrossEntropyLoss(opts);
    opts.labelSmoothing = 0.5;
    expect(ce.options.labelSmoothing).toBe(0.1);
    expect(Object.isFrozen(ce.options)).toBe(true);
  });

  it('gradients flow through a loss module as through its function', () => {
    const a = x.detach().clone().requiresGrad_();
    new nn.CrossEntropyLoss({ labelSmoothing: 0.2 }).call(a, classes).backward();
    const b = x.detach().clone().requiresGrad_();
    losses.crossEntropyLoss(b, classes, { labelSmoothing: 0.2 }).backward();
    expect(a.grad!.toArray()).toEqual(b.grad!.toArray());
  });
});
