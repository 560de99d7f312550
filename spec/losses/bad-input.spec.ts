/**
 * Bad input to every function of losses/ and ebm/ (issue 14): each argument in turn replaced by
 * a value of the wrong kind (null, undefined, a BigInt, a string, a symbol, a plain object, an
 * object with a non-array `shape`, a function, a circular array, a ragged array, a boolean, an
 * Int32Array). Every call must throw a plain `Error` whose message starts with the function's
 * name (never a raw TypeError or RangeError), and leave the other arguments and their gradients
 * as they were.
 */
import * as ebm from '../../ebm/index.js';
import { Tensor, tensor } from '../../engine/index.js';
import * as losses from '../../losses/index.js';

const circular: unknown[] = [];
circular.push(circular);
const BAD: [string, unknown][] = [
  ['null', null], ['undefined', undefined], ['a BigInt', 1n], ['a string', 'x'], ['a symbol', Symbol('s')], ['an object', {}],
  ['an object with a shape', { shape: 3 }], ['a function', () => 1], ['a circular array', circular], ['a ragged array', [[1], [1, 2]]],
  ['a boolean', true], ['an Int32Array', new Int32Array(2)],
];

const x22 = (): Tensor => tensor([[0.2, 0.7], [0.4, 0.1]], { requiresGrad: true });
const E = (): Tensor => tensor([[0.5, 2, 1], [3, 1, 1.5]], { requiresGrad: true });

/** For each function: its error name, the call, and valid arguments (Tensors where they can be). */
const CASES: [string, (...a: unknown[]) => unknown, () => unknown[]][] = [
  ['mseLoss', losses.mseLoss as never, () => [x22(), x22()]],
  ['l1Loss', losses.l1Loss as never, () => [x22(), x22()]],
  ['smoothL1Loss', losses.smoothL1Loss as never, () => [x22(), x22()]],
  ['huberLoss', losses.huberLoss as never, () => [x22(), x22()]],
  ['poissonNllLoss', losses.poissonNllLoss as never, () => [x22(), x22()]],
  ['gaussianNllLoss', losses.gaussianNllLoss as never, () => [x22(), x22(), tensor([1, 1])]],
  ['bceLoss', losses.bceLoss as never, () => [x22(), x22()]],
  ['bceWithLogitsLoss', losses.bceWithLogitsLoss as never, () => [x22(), x22()]],
  ['klDivLoss', losses.klDivLoss as never, () => [x22(), x22()]],
  ['nllLoss', losses.nllLoss as never, () => [x22(), tensor([0, 1])]],
  ['crossEntropyLoss', losses.crossEntropyLoss as never, () => [x22(), tensor([0, 1])]],
  ['multiMarginLoss', losses.multiMarginLoss as never, () => [x22(), tensor([0, 1])]],
  ['multiLabelSoftMarginLoss', losses.multiLabelSoftMarginLoss as never, () => [x22(), tensor([[0, 1], [1, 0]])]],
  ['multiLabelMarginLoss', losses.multiLabelMarginLoss as never, () => [x22(), tensor([[0, -1], [1, -1]])]],
  ['marginRankingLoss', losses.marginRankingLoss as never, () => [x22(), x22(), tensor([[1, -1], [1, 1]])]],
  ['softMarginLoss', losses.softMarginLoss as never, () => [x22(), tensor([[1, -1], [1, 1]])]],
  ['hingeEmbeddingLoss', losses.hingeEmbeddingLoss as never, () => [x22(), tensor([[1, -1], [1, 1]])]],
  ['tripletMarginLoss', losses.tripletMarginLoss as never, () => [x22(), x22(), x22()]],
  ['tripletMarginWithDistanceLoss', losses.tripletMarginWithDistanceLoss as never, () => [x22(), x22(), x22()]],
  ['cosineEmbeddingLoss', losses.cosineEmbeddingLoss as never, () => [x22(), x22(), tensor([1, -1])]],
  ['mineBatchHard', losses.mineBatchHard as never, () => [x22(), tensor([0, 1])]],
  ['mineSemiHard', losses.mineSemiHard as never, () => [x22(), tensor([0, 1])]],
  ...['energyLoss', 'nllLoss', 'perceptronLoss', 'hingeLoss', 'logLoss', 'squareSquareLoss', 'squareExpLoss', 'lvq2Loss', 'mceLoss',
    'meeLoss', 'pairwiseHingeLoss', 'mostOffendingIncorrect', 'marginReport'].map((k): [string, (...a: unknown[]) => unknown, () => unknown[]] =>
    [k, (ebm as unknown as Record<string, (...a: unknown[]) => unknown>)[k], () => [E(), tensor([0, 1])]]),
  ...Object.keys(ebm.pair).map((k): [string, (...a: unknown[]) => unknown, () => unknown[]] =>
    [`pair.${k}`, (ebm.pair as unknown as Record<string, (...a: unknown[]) => unknown>)[k], () => [tensor([1, 2], { requiresGrad: true }), tensor([2, 1], { requiresGrad: true })]]),
  ['lossFunctional', ebm.lossFunctional as never, () => [tensor([1, 2], { requiresGrad: true }), tensor(0.5)]],
  ['l2Regularizer', ebm.l2Regularizer as never, () => [[tensor([1, 2], { requiresGrad: true })], 0.5]],
  ['mostOffendingIncorrectContinuous', ebm.mostOffendingIncorrectContinuous as never,
    () => [(y: Tensor) => y.pow(2).sum(), tensor([0, 0]), { epsilon: 1, steps: 2, starts: 1 }]],
];

/** Positions where undefined means "absent" (an optional argument): every other bad value still throws. */
const OPTIONAL: Record<string, number> = { lossFunctional: 1 };

describe.each(CASES.map(([name, fn, args]) => [name, fn, args] as const))('%s', (name, fn, args) => {
  const n = args().length;
  it.each(Array.from({ length: n }, (_, i) => [i]))('argument %i of the wrong kind throws a named Error and changes nothing', (pos) => {
    for (const [what, value] of BAD) {
      if (OPTIONAL[name] === pos && value === undefined) continue;
      const a = args();
      const tensors = a.flat().filter((t): t is Tensor => t instanceof Tensor);
      for (const t of tensors) if (t.requiresGrad) t.grad = tensor(new Array(t.size).fill(7)).reshape(t.shape.slice());
      const before = tensors.map((t) => [Array.from(t.data), t.grad && Array.from(t.grad.data)]);
      a[pos] = value;
      let err: unknown = null;
      try {
        fn(...a);
      } catch (e) {
        err = e;
      }
      if (!(err instanceof Error) || err.constructor !== Error || !err.message.startsWith(`${name}: `)) {
        throw new Error(`${name} with ${what} as argument ${pos}: expected an Error naming ${name}, got ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`);
      }
      expect(tensors.map((t) => [Array.from(t.data), t.grad && Array.from(t.grad.data)])).toEqual(before);
    }
  });
});
