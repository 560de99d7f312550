/**
 * One rule for each kind of option, in every loss of losses/ and ebm/: `reduction: null` and
 * unknown names throw; a margin is any finite number (negative included, as PyTorch's), NaN and
 * ±Infinity throw; booleans must be booleans. Also the inconsistencies this rule replaced
 * (issue 9): multiMarginLoss gave NaN for a NaN margin, tripletMarginLoss Infinity for an
 * infinite one, and ebm.hingeLoss refused the negative margins marginRankingLoss accepted.
 */
import * as ebm from '../../ebm/index.js';
import { Tensor, tensor } from '../../engine/index.js';
import * as losses from '../../losses/index.js';
import { expectThrowsWith } from '../helpers/index.js';

type Call = (opts: object) => unknown;

const x22 = (): Tensor => tensor([[0.2, 0.7], [0.4, 0.1]], { requiresGrad: true });
const E = [[0.5, 2, 1], [3, 1, 1.5]];

/** One valid call per loss, taking the options object. */
const LOSSES: Record<string, Call> = {
  mseLoss: (o) => losses.mseLoss(x22(), x22(), o),
  l1Loss: (o) => losses.l1Loss(x22(), x22(), o),
  smoothL1Loss: (o) => losses.smoothL1Loss(x22(), x22(), o),
  huberLoss: (o) => losses.huberLoss(x22(), x22(), o),
  poissonNllLoss: (o) => losses.poissonNllLoss(x22(), x22(), o),
  gaussianNllLoss: (o) => losses.gaussianNllLoss(x22(), x22(), [1, 1], o),
  bceLoss: (o) => losses.bceLoss(x22(), x22(), o),
  bceWithLogitsLoss: (o) => losses.bceWithLogitsLoss(x22(), x22(), o),
  klDivLoss: (o) => losses.klDivLoss(x22(), x22(), o),
  nllLoss: (o) => losses.nllLoss(x22(), [0, 1], o),
  crossEntropyLoss: (o) => losses.crossEntropyLoss(x22(), [0, 1], o),
  multiMarginLoss: (o) => losses.multiMarginLoss(x22(), [0, 1], o),
  multiLabelSoftMarginLoss: (o) => losses.multiLabelSoftMarginLoss(x22(), [[0, 1], [1, 0]], o),
  multiLabelMarginLoss: (o) => losses.multiLabelMarginLoss(x22(), [[0, -1], [1, -1]], o),
  marginRankingLoss: (o) => losses.marginRankingLoss(x22(), x22(), [[1, -1], [1, 1]], o),
  softMarginLoss: (o) => losses.softMarginLoss(x22(), [[1, -1], [1, 1]], o),
  hingeEmbeddingLoss: (o) => losses.hingeEmbeddingLoss(x22(), [[1, -1], [1, 1]], o),
  tripletMarginLoss: (o) => losses.tripletMarginLoss(x22(), x22(), x22(), o),
  tripletMarginWithDistanceLoss: (o) => losses.tripletMarginWithDistanceLoss(x22(), x22(), x22(), o),
  cosineEmbeddingLoss: (o) => losses.cosineEmbeddingLoss(x22(), x22(), [1, -1], o),
  'ebm.energyLoss': (o) => ebm.energyLoss(E, [0, 1], o),
  'ebm.nllLoss': (o) => ebm.nllLoss(E, [0, 1], o),
  'ebm.perceptronLoss': (o) => ebm.perceptronLoss(E, [0, 1], o),
  'ebm.hingeLoss': (o) => ebm.hingeLoss(E, [0, 1], o),
  'ebm.logLoss': (o) => ebm.logLoss(E, [0, 1], o),
  'ebm.squareSquareLoss': (o) => ebm.squareSquareLoss(E, [0, 1], o),
  'ebm.squareExpLoss': (o) => ebm.squareExpLoss(E, [0, 1], o),
  'ebm.lvq2Loss': (o) => ebm.lvq2Loss(E, [0, 1], o),
  'ebm.mceLoss': (o) => ebm.mceLoss(E, [0, 1], o),
  'ebm.meeLoss': (o) => ebm.meeLoss(E, [0, 1], o),
  'ebm.pairwiseHingeLoss': (o) => ebm.pairwiseHingeLoss(E, [0, 1], o),
  ...Object.fromEntries(Object.keys(ebm.pair).map((k) => [
    `ebm.pair.${k}`,
    (o: object) => (ebm.pair as unknown as Record<string, (a: unknown, b: unknown, o: object) => unknown>)[k]([0.5, 1], [1, 0.2], o),
  ])),
};

/** The name an error starts with: the function's own (the pair forms name themselves `pair.*`). */
const errorName = (name: string): string => name.replace(/^ebm\./, '');

/** The losses with a `margin` option that is a plain number. */
const MARGINS = ['multiMarginLoss', 'marginRankingLoss', 'hingeEmbeddingLoss', 'tripletMarginLoss', 'tripletMarginWithDistanceLoss',
  'cosineEmbeddingLoss', 'ebm.hingeLoss', 'ebm.squareSquareLoss', 'ebm.lvq2Loss', 'ebm.pairwiseHingeLoss', 'ebm.pair.hinge',
  'ebm.pair.squareSquare', 'ebm.pair.lvq2'];

describe('every loss reads its options by one rule', () => {
  it('covers every loss the packages export', () => {
    const exported = Object.keys(losses).filter((k) => k.endsWith('Loss'));
    const ebmExported = Object.keys(ebm).filter((k) => k.endsWith('Loss')).map((k) => `ebm.${k}`);
    expect([...exported, ...ebmExported].filter((k) => !(k in LOSSES))).toEqual([]);
  });
  it.each(Object.keys(LOSSES).map((k) => [k]))('%s: reduction null, an unknown name and a non-object throw, naming it', (name) => {
    const call = LOSSES[name];
    expect(call({ reduction: 'sum' })).toBeInstanceOf(Tensor);
    expectThrowsWith(() => call({ reduction: null }), `${errorName(name)}: reduction must be one of`, 'got null');
    expectThrowsWith(() => call({ reductions: 'sum' }), `${errorName(name)}: unknown option 'reductions'`);
    expectThrowsWith(() => call('sum' as unknown as object), `${errorName(name)}: options must be an object`);
  });
  it.each(MARGINS.map((k) => [k]))('%s: a margin is any finite number', (name) => {
    const call = LOSSES[name];
    for (const m of [-1, 0, 2.5]) expect(call({ margin: m })).toBeInstanceOf(Tensor);
    for (const [m, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      expectThrowsWith(() => call({ margin: m }), `${errorName(name)}: margin must be a finite number`, `got ${shown}`);
    }
    expectThrowsWith(() => call({ margin: '1' }), `${errorName(name)}: margin must be a`, 'got "1"');
  });
  it.each([
    ['poissonNllLoss', 'logInput'], ['poissonNllLoss', 'full'], ['gaussianNllLoss', 'full'], ['klDivLoss', 'logTarget'],
    ['tripletMarginLoss', 'swap'], ['tripletMarginWithDistanceLoss', 'swap'],
  ])('%s: %s must be a boolean', (name, opt) => {
    expect(LOSSES[name]({ [opt]: true })).toBeInstanceOf(Tensor);
    expectThrowsWith(() => LOSSES[name]({ [opt]: 'false' }), `${name}: ${opt} must be a boolean`, 'got "false"');
    expectThrowsWith(() => LOSSES[name]({ [opt]: 0 }), `${name}: ${opt} must be a boolean`, 'got 0');
  });
});

describe('the inconsistencies the one rule replaced (issue 9)', () => {
  it('multiMarginLoss with a NaN margin throws (it returned NaN)', () => {
    expectThrowsWith(() => losses.multiMarginLoss(x22(), [0, 1], { margin: NaN }), 'multiMarginLoss: margin must be a finite number', 'got NaN');
  });
  it('marginRankingLoss with a NaN margin throws, as before, with the same message as every margin', () => {
    expectThrowsWith(() => losses.marginRankingLoss(x22(), x22(), [[1, 1], [1, 1]], { margin: NaN }), 'marginRankingLoss: margin must be a finite number', 'got NaN');
  });
  it('tripletMarginLoss with an infinite margin throws (it returned Infinity)', () => {
    expectThrowsWith(() => losses.tripletMarginLoss(x22(), x22(), x22(), { margin: Infinity }), 'tripletMarginLoss: margin must be a finite number', 'got Infinity');
  });
  it('ebm.hingeLoss takes a margin of -1 as marginRankingLoss does, with the same value', () => {
    const ours = ebm.hingeLoss([[0.5, 2, 0.9]], [0], { margin: -1, reduction: 'none' });
    const theirs = losses.marginRankingLoss([0.9], [0.5], [1], { margin: -1, reduction: 'none' });
    expect(ours.toArray()).toEqual(theirs.toArray());
    expect(ours.toArray()).toEqual([0]);
    expect(ebm.hingeLoss([[0.5, 2, 0.9]], [0], { margin: 0.5, reduction: 'none' }).toArray()).toEqual([(0.5 - 0.9) + 0.5]);
  });
  it('ebm.hingeLoss with a NaN or infinite margin throws, as marginRankingLoss does', () => {
    expectThrowsWith(() => ebm.hingeLoss(E, [0, 1], { margin: NaN }), 'hingeLoss: margin must be a finite number', 'got NaN');
    expectThrowsWith(() => ebm.hingeLoss(E, [0, 1], { margin: Infinity }), 'hingeLoss: margin must be a finite number', 'got Infinity');
  });
});
