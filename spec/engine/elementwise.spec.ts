import fc from 'fast-check';
import type { Tensor } from '../../engine/index.js';
import { where } from '../../engine/index.js';
import { arbShape, expectGradOk, fcParams } from '../helpers/index.js';
import { arbBroadcastPair, arbTensorOf, awayFromZero, offHalfGrid, onHalfGrid } from './arbitraries.js';
import { fixtureCases, replay } from './fixture-cases.js';

describe('elementwise ops match PyTorch (values and gradients)', () => {
  it.each(fixtureCases('elementwise'))('%s', (_name, c) => replay(c));
});

describe('broadcasting binary ops match PyTorch', () => {
  it.each(fixtureCases('broadcast'))('%s', (_name, c) => replay(c));
});

describe('where matches PyTorch', () => {
  it.each(fixtureCases('where'))('%s', (_name, c) => replay(c));
});

describe('NaN propagates through values and gradients as in PyTorch', () => {
  it.each(fixtureCases('nan'))('%s', (_name, c) => replay(c));
});

type Unary = (x: Tensor) => Tensor;
type Map = (v: number, i: number) => number;
interface UnaryDomain { name: string; f: Unary; lo: number; hi: number; map?: Map }

// Each op on a domain where it is smooth: log and sqrt on positive values, abs and relu away from 0.
const unaryDomains: UnaryDomain[] = [
  { name: 'neg', f: (x) => x.neg(), lo: -3, hi: 3 },
  { name: 'exp', f: (x) => x.exp(), lo: -3, hi: 3 },
  { name: 'log', f: (x) => x.log(), lo: 0.1, hi: 3 },
  { name: 'log1p', f: (x) => x.log1p(), lo: -0.9, hi: 3 },
  { name: 'sqrt', f: (x) => x.sqrt(), lo: 0.1, hi: 3 },
  { name: 'abs', f: (x) => x.abs(), lo: -3, hi: 3, map: awayFromZero },
  { name: 'sigmoid', f: (x) => x.sigmoid(), lo: -6, hi: 6 },
  { name: 'tanh', f: (x) => x.tanh(), lo: -3, hi: 3 },
  { name: 'relu', f: (x) => x.relu(), lo: -3, hi: 3, map: awayFromZero },
  { name: 'softplus', f: (x) => x.softplus(), lo: -6, hi: 6 },
  // clamp's bounds lie on the half grid 0.5ℤ and its inputs off it, 0.25 away.
  { name: 'clamp', f: (x) => x.clamp(-0.5, 1), lo: -3, hi: 3, map: offHalfGrid },
  { name: 'pow with a number', f: (x) => x.pow(2.5), lo: 0.2, hi: 3 },
  { name: 'pow with 2', f: (x) => x.pow(2), lo: -3, hi: 3 },
];

interface BinaryDomain { name: string; f: (a: Tensor, b: Tensor) => Tensor; mapA?: Map; mapB?: Map; rangeA?: [number, number]; rangeB?: [number, number] }

const binaryDomains: BinaryDomain[] = [
  { name: 'add', f: (a, b) => a.add(b) },
  { name: 'sub', f: (a, b) => a.sub(b) },
  { name: 'mul', f: (a, b) => a.mul(b) },
  { name: 'div', f: (a, b) => a.div(b), mapB: awayFromZero, rangeB: [0.5, 3] },
  { name: 'pow', f: (a, b) => a.pow(b), rangeA: [0.5, 2.5], rangeB: [-2, 2] },
  // Operands on two disjoint grids never tie, so maximum and minimum are smooth there.
  { name: 'maximum', f: (a, b) => a.maximum(b), mapA: offHalfGrid, mapB: onHalfGrid },
  { name: 'minimum', f: (a, b) => a.minimum(b), mapA: onHalfGrid, mapB: offHalfGrid },
];

describe('elementwise gradients pass gradCheck on random shapes', () => {
  it.each(unaryDomains)('$name (vjp)', ({ f, lo, hi, map }) => {
    fc.assert(
      fc.property(arbShape().chain((s) => arbTensorOf(s, lo, hi, map)), (x) => expectGradOk(f, [x])),
      fcParams(15),
    );
  });

  it.each(unaryDomains.slice(0, 6))('$name (full Jacobian)', ({ f, lo, hi, map }) => {
    fc.assert(
      fc.property(arbShape(1, 2, 3).chain((s) => arbTensorOf(s, lo, hi, map)), (x) => expectGradOk(f, [x], { mode: 'full' })),
      fcParams(8),
    );
  });

  it.each(binaryDomains)('$name over broadcast shapes (vjp)', ({ f, mapA, mapB, rangeA, rangeB }) => {
    fc.assert(fc.property(arbBroadcastPair(mapA, mapB, rangeA, rangeB), ([a, b]) => expectGradOk(f, [a, b])), fcParams(20));
  });

  it.each(binaryDomains)('$name over broadcast shapes (full Jacobian)', ({ f, mapA, mapB, rangeA, rangeB }) => {
    fc.assert(fc.property(arbBroadcastPair(mapA, mapB, rangeA, rangeB), ([a, b]) => expectGradOk(f, [a, b], { mode: 'full' })), fcParams(6));
  });

  it('where over broadcast shapes, the condition carrying no gradient', () => {
    fc.assert(
      fc.property(arbBroadcastPair(), fc.boolean(), ([a, b], flip) => {
        const cond = a.detach().gt(0);
        expectGradOk((x, y) => (flip ? where(cond, y, x) : where(cond, x, y)), [a, b]);
      }),
      fcParams(20),
    );
  });

  it('binary ops taking a number differentiate in the tensor', () => {
    fc.assert(
      fc.property(arbShape().chain((s) => arbTensorOf(s, 0.5, 3)), fc.double({ min: 0.5, max: 3, noNaN: true }), (x, k) => {
        expectGradOk((t) => t.pow(k).add(k).mul(k).sub(k).div(k), [x]);
      }),
      fcParams(15),
    );
  });
});
