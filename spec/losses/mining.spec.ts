/**
 * Triplet mining against a brute-force reference that enumerates and sorts every candidate.
 * PyTorch has no equivalent of these helpers, so there is no fixture: the reference is the oracle.
 */
import fc from 'fast-check';
import { tensor, Tensor } from '../../engine/index.js';
import { mineBatchHard, mineSemiHard, tripletMarginLoss } from '../../losses/index.js';
import { expectClose, expectGradOk, expectThrowsWith, fcParams } from '../helpers/index.js';

interface Batch { x: number[][]; labels: number[] }

/** ‖u - v‖_p written from the definition (exact for the integer coordinates used below). */
function dist(u: number[], v: number[], p: number): number {
  const s = u.reduce((acc, ui, k) => acc + Math.abs(ui - v[k]) ** p, 0);
  return p === 2 ? Math.sqrt(s) : p === 1 ? s : Math.pow(s, 1 / p);
}

interface Candidate { index: number; d: number }

/** Sorts candidates by distance (ascending for sign 1, descending for sign -1), then by index. */
const ranked = (c: Candidate[], sign: 1 | -1): Candidate[] => [...c].sort((u, v) => sign * (u.d - v.d) || u.index - v.index);

function candidates(b: Batch, a: number, p: number, same: boolean): Candidate[] {
  return b.x.map((row, index) => ({ index, d: dist(b.x[a], row, p) }))
    .filter(({ index }) => index !== a && (b.labels[index] === b.labels[a]) === same);
}

function bruteBatchHard(b: Batch, p: number): number[][] {
  const out: number[][] = [];
  b.x.forEach((_, a) => {
    const pos = candidates(b, a, p, true);
    const neg = candidates(b, a, p, false);
    if (pos.length > 0 && neg.length > 0) out.push([a, ranked(pos, -1)[0].index, ranked(neg, 1)[0].index]);
  });
  return out;
}

function bruteSemiHard(b: Batch, p: number, margin: number): number[][] {
  const out: number[][] = [];
  b.x.forEach((_, a) => {
    const neg = candidates(b, a, p, false);
    for (const pos of candidates(b, a, p, true)) {
      if (neg.length === 0) continue;
      const band = neg.filter(({ d }) => d > pos.d && d < pos.d + margin);
      out.push([a, pos.index, ranked(band.length > 0 ? band : neg, 1)[0].index]);
    }
  });
  return out;
}

/** Integer coordinates in a small box, so that exact distance ties are common. */
const arbBatch: fc.Arbitrary<Batch> = fc.record({ n: fc.integer({ min: 1, max: 9 }), d: fc.integer({ min: 1, max: 3 }) }).chain(({ n, d }) =>
  fc.record({
    x: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
    labels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
  }));

const triples = (m: { anchorIndex: number[]; positiveIndex: number[]; negativeIndex: number[] }): number[][] =>
  m.anchorIndex.map((a, i) => [a, m.positiveIndex[i], m.negativeIndex[i]]);

describe('mineBatchHard', () => {
  it.each([1, 2, 3])('matches the brute-force reference (p = %d), ties to the lowest index', (p) => {
    fc.assert(fc.property(arbBatch, (b) => {
      const mined = mineBatchHard(tensor(b.x), b.labels, { p });
      expect(triples(mined)).toEqual(bruteBatchHard(b, p));
    }), fcParams(30));
  });

  it('gathers the chosen rows of the embeddings', () => {
    fc.assert(fc.property(arbBatch, (b) => {
      const x = tensor(b.x);
      const m = mineBatchHard(x, tensor(b.labels));
      const d = b.x[0].length;
      expect(m.anchor.shape).toEqual([m.anchorIndex.length, d]);
      expectClose(m.anchor, m.anchorIndex.flatMap((i) => b.x[i]));
      expectClose(m.positive, m.positiveIndex.flatMap((i) => b.x[i]));
      expectClose(m.negative, m.negativeIndex.flatMap((i) => b.x[i]));
    }), fcParams(20));
  });

  it('is differentiable with respect to the embeddings (selection fixed away from ties)', () => {
    const x = tensor([[0, 0], [1.1, 0.2], [0.3, 2.9], [4.2, -0.4], [2.5, 2.3], [-1.7, 0.8]], { requiresGrad: true });
    const labels = [0, 0, 1, 1, 2, 2];
    expectGradOk((e) => {
      const m = mineBatchHard(e, labels);
      return tripletMarginLoss(m.anchor, m.positive, m.negative, { margin: 5 });
    }, [x]);
    const m = mineBatchHard(x, labels);
    tripletMarginLoss(m.anchor, m.positive, m.negative, { margin: 5, reduction: 'sum' }).backward();
    expect(Array.from(x.grad!.data).some((g) => g !== 0)).toBe(true);
  });

  it('skips anchors without a positive or a negative, and may return no triplet', () => {
    const m = mineBatchHard(tensor([[0], [1], [5]]), [0, 0, 1]);
    expect(m.anchorIndex).toEqual([0, 1]);
    const none = mineBatchHard(tensor([[0, 1], [1, 1]]), [3, 4]);
    expect(none.anchor.shape).toEqual([0, 2]);
    expect(tripletMarginLoss(none.anchor, none.positive, none.negative, { reduction: 'sum' }).item()).toBe(0);
    expect(Number.isNaN(tripletMarginLoss(none.anchor, none.positive, none.negative).item())).toBe(true);
  });

  it('always chooses a NaN distance, so NaN reaches the loss', () => {
    const m = mineBatchHard(tensor([[0], [1], [NaN], [3]]), [0, 0, 0, 1]);
    expect(m.positiveIndex).toEqual([2, 2, 0]);
    expect(m.negativeIndex).toEqual([3, 3, 3]);
  });
});

describe('mineSemiHard', () => {
  it.each([[2, 1], [2, 0.5], [1, 2], [3, 1]])('matches the brute-force reference (p = %d, margin %d)', (p, margin) => {
    fc.assert(fc.property(arbBatch, (b) => {
      const mined = mineSemiHard(tensor(b.x), b.labels, { p, margin });
      expect(triples(mined)).toEqual(bruteSemiHard(b, p, margin));
    }), fcParams(30));
  });

  it('picks the closest negative inside the band and falls back to the hardest one', () => {
    // Anchor 0, positive 1 at distance 1; negatives at 0.5 (hard), 1.5 and 1.8 (semi-hard), 3 (easy).
    const x = tensor([[0], [1], [-0.5], [1.8], [-1.5], [3]]);
    const m = mineSemiHard(x, [0, 0, 1, 1, 1, 1], { margin: 1 });
    expect(triples(m)[0]).toEqual([0, 1, 4]);
    // With margin 0.2 the band (1, 1.2) is empty: the hardest negative, at 0.5.
    expect(triples(mineSemiHard(x, [0, 0, 1, 1, 1, 1], { margin: 0.2 }))[0]).toEqual([0, 1, 2]);
  });

  it('returns one triplet per ordered anchor-positive pair, differentiable through indexSelect', () => {
    const x = tensor([[0, 0], [1, 0.3], [0.2, 1.4], [2.1, 1.2], [3, -1]], { requiresGrad: true });
    const labels = [0, 0, 0, 1, 1];
    const m = mineSemiHard(x, labels);
    expect(m.anchorIndex).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
    expect(m.positiveIndex).toEqual([1, 2, 0, 2, 0, 1, 4, 3]);
    expectGradOk((e) => {
      const t = mineSemiHard(e, labels);
      return tripletMarginLoss(t.anchor, t.positive, t.negative, { margin: 3 });
    }, [x]);
  });
});

describe('mining bad input', () => {
  const x = () => tensor([[0, 1], [2, 3], [4, 5]]);

  it.each([
    [() => mineBatchHard(tensor([1, 2, 3]), [0, 0, 1]), 'mineBatchHard: embeddings must have shape [N, D], got shape [3]'],
    [() => mineBatchHard([[1]] as unknown as Tensor, [0]), 'mineBatchHard: embeddings must be a Tensor of shape [N, D], got [[1]]'],
    [() => mineBatchHard(x(), [0, 1]), 'mineBatchHard: labels must have N = 3 entries (one per row of embeddings), got 2'],
    [() => mineBatchHard(x(), tensor([[0, 1, 1]])), 'mineBatchHard: labels must be 1-D with N = 3 entries, got shape [1, 3]'],
    [() => mineBatchHard(x(), [0, 0.5, 1]), 'mineBatchHard: labels must hold integer class labels, got 0.5 at index 1'],
    [() => mineBatchHard(x(), [0, NaN, 1]), 'mineBatchHard: labels must hold integer class labels, got NaN at index 1'],
    [() => mineBatchHard(x(), ['a', 'b', 'c'] as unknown as number[]), 'mineBatchHard: labels must hold integer class labels, got "a" at index 0'],
    [() => mineBatchHard(x(), 'abc' as unknown as number[]), 'mineBatchHard: labels must be a number[], a Float64Array or a 1-D Tensor, got "abc"'],
    [() => mineBatchHard(x(), [0, 0, 1], { margin: 1 } as object), "mineBatchHard: unknown option 'margin'"],
    [() => mineBatchHard(x(), [0, 0, 1], { p: 0 }), ['mineBatchHard: p must be', 'got 0']],
    [() => mineSemiHard(x(), [0, 0, 1], { margin: NaN }), ['mineSemiHard: margin must be a finite number', 'got NaN']],
    [() => mineSemiHard(x(), [0, 0, 1], { margin: Infinity }), ['mineSemiHard: margin must be a finite number', 'got Infinity']],
    [() => mineSemiHard(x(), [0, 0, 1], { alpha: 1 } as object), "mineSemiHard: unknown option 'alpha'"],
    [() => mineSemiHard(x(), [0, 0], { margin: 1 }), 'mineSemiHard: labels must have N = 3 entries'],
  ])('%#: throws, naming the argument', (call, message) => {
    expectThrowsWith(call, ...[message].flat());
  });

  it('accepts p = Infinity (the largest coordinate difference)', () => {
    const m = mineBatchHard(tensor([[0, 0], [3, 1], [1, 2], [2, 2.5]]), [0, 0, 1, 1], { p: Infinity });
    expect(triples(m)).toEqual([[0, 1, 2], [1, 0, 3], [2, 3, 0], [3, 2, 1]]);
  });

  it('leaves the embeddings and their gradient unchanged when it throws', () => {
    const e = tensor([[0, 1], [2, 3]], { requiresGrad: true });
    e.grad = tensor([[1, 1], [1, 1]]);
    expectThrowsWith(() => mineSemiHard(e, [0, 1, 2]), 'labels must have N = 2 entries');
    expectClose(e, [0, 1, 2, 3]);
    expectClose(e.grad, [1, 1, 1, 1]);
    expect(e.grad).toBeInstanceOf(Tensor);
  });
});
