/**
 * Every export of the package and every Tensor method, called with bad values: wrong types,
 * BigInts, null and undefined, circular and deep arrays, ragged arrays, typed arrays of other
 * kinds, negative, fractional, huge and NaN numbers, unknown and mistyped options, empty tensors.
 * The list of callables is read off the module itself, so a new export is covered without an
 * edit here.
 *
 * Each call must return, or throw an `Error` (not a TypeError or RangeError from deep inside)
 * whose message starts with a function name and a colon; after a throw, every tensor it was
 * given has the same data and the same gradient as before.
 */
import fc from 'fast-check';
import * as lib from '../../index.js';
import { Tensor, tensor, zeros } from '../../index.js';
import { describe as describeValue } from '../../engine/internal.js';
import { fcParams } from '../helpers/index.js';

interface Callable {
  name: string;
  call: (args: unknown[]) => unknown;
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** Functions and classes reachable from the root, with their dotted names (`ebm.pair.hinge`). */
function exportsOf(o: Record<string, unknown>, prefix: string, depth: number, out: Callable[]): Callable[] {
  for (const key of Object.keys(o).sort()) {
    const v = o[key];
    const name = `${prefix}${key}`;
    if (typeof v === 'function') {
      const f = v as (...a: unknown[]) => unknown;
      out.push({ name, call: isClass(f) ? (a) => Reflect.construct(f, a) : (a) => f(...a) });
    } else if (v !== null && typeof v === 'object' && depth < 3) {
      exportsOf(v as Record<string, unknown>, `${name}.`, depth + 1, out);
    }
  }
  return out;
}

const METHODS = Object.getOwnPropertyNames(Tensor.prototype).filter((k) => {
  const d = Object.getOwnPropertyDescriptor(Tensor.prototype, k)!;
  return k !== 'constructor' && typeof d.value === 'function';
});

// Fresh every time: a call may legally change its arguments when it succeeds (requiresGrad_).
const goodTensor = (): Tensor => tensor([[0.5, -1, 2], [3, 0, -0.25]], { requiresGrad: true });

function badValues(): unknown[] {
  const circular: unknown[] = [1];
  circular.push(circular);
  const selfNested: unknown[] = [];
  selfNested.push(selfNested);
  let deep: unknown = [1];
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const withGrad = tensor([1, 2, 3], { requiresGrad: true });
  withGrad.mul(withGrad).sum().backward();
  return [
    undefined, null, NaN, Infinity, -Infinity, -1, 0, 1, 2, 1.5, -0.5, 1e12, 2 ** 31, 2 ** 53,
    1n, 'mean', 'x', '', true, false, Symbol('s'), () => 1, async () => 1,
    {}, [], [[1], [2, 3]], [1, 'a'], circular, selfNested, deep, [NaN, Infinity], [1, 2, 3], [[1, 2], [3, 4]],
    new Float32Array(3), new Int32Array([1, 2]), new Float64Array(0), new Uint8Array(2),
    { shape: 'nope' }, { shape: [2, 2] }, new Map(), new Date(0),
    zeros([0]), zeros([2, 0]), tensor(1), tensor([NaN]), zeros([2, 3]), withGrad, tensor([[0, 1], [1, 0]]),
    { reduction: null }, { reduction: 'avg' }, { bogus: 1 }, { margin: NaN }, { margin: Infinity }, { keepDim: 'yes' },
    { requiresGrad: 'no' }, { seed: 2 ** 32 }, { retainGraph: 'false' }, { p: -1 }, { eps: -1 }, { blank: 1.5 },
  ];
}

const VALUES = badValues();

/**
 * An argument list, as positions in `VALUES` (the last position is a good tensor, made fresh):
 * fast-check then reports a failing case as numbers, which it can print even when the value is a
 * cycle or nested 20,000 deep.
 */
const argLists = fc.array(fc.integer({ min: 0, max: VALUES.length }), { maxLength: 5 });
const argsAt = (picks: number[]): unknown[] => picks.map((i) => (i === VALUES.length ? goodTensor() : VALUES[i]));

/** Every tensor reachable from the arguments (one level into arrays and objects), with its state. */
function snapshot(args: unknown[]): { t: Tensor; data: number[]; grad: number[] | null; gradRef: Tensor | null }[] {
  const found = new Set<Tensor>();
  const visit = (v: unknown, depth: number): void => {
    if (v instanceof Tensor) found.add(v);
    else if (depth < 2 && Array.isArray(v)) v.slice(0, 16).forEach((e) => visit(e, depth + 1));
    else if (depth < 2 && v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) Object.values(v).forEach((e) => visit(e, depth + 1));
  };
  args.forEach((a) => visit(a, 0));
  return [...found].map((t) => ({ t, data: Array.from(t.data), grad: t.grad ? Array.from(t.grad.data) : null, gradRef: t.grad }));
}

const NAMED = /^[A-Za-z_$][\w$.]*(\.[\w$]+)*(\[\d+\])?: /;

function check(c: Callable, args: unknown[]): void {
  const before = snapshot(args);
  let result: unknown;
  try {
    result = c.call(args);
  } catch (e) {
    const what = `${c.name}(${args.map((a) => describeValue(a)).join(', ')})`;
    if (!(e instanceof Error)) throw new Error(`${what} threw a non-Error: ${String(e)}`);
    if (e instanceof TypeError || e instanceof RangeError) throw new Error(`${what} threw a raw ${e.name}: ${e.message}`);
    if (!NAMED.test(e.message)) throw new Error(`${what} threw an Error that names no function: ${e.message}`);
    for (const s of before) {
      if (s.t.grad !== s.gradRef) throw new Error(`${what} replaced a tensor's gradient before throwing: ${e.message}`);
      const changed = Array.from(s.t.data).some((v, i) => !Object.is(v, s.data[i]))
        || (s.grad !== null && Array.from(s.t.grad!.data).some((v, i) => !Object.is(v, s.grad![i])));
      if (changed) throw new Error(`${what} changed a tensor before throwing: ${e.message}`);
    }
    return;
  }
  // A call that returns must not have handed back a half-built Promise that rejects later.
  if (result instanceof Promise) result.catch(() => undefined);
}

const CALLABLES: Callable[] = [
  ...exportsOf(lib as unknown as Record<string, unknown>, '', 0, []),
  ...METHODS.map((m) => ({
    name: `Tensor#${m}`,
    call: (args: unknown[]) => (goodTensor() as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...args),
  })),
];

describe(`bad input to every export and Tensor method (fast-check seed ${fcParams().seed})`, () => {
  it('finds the whole surface', () => {
    expect(CALLABLES.length).toBeGreaterThan(150);
    expect(METHODS).toEqual(expect.arrayContaining(['sum', 'matmul', 'backward', 'requiresGrad_', 'toArray']));
  });

  it.each(CALLABLES.map((c) => [c.name, c] as const))('%s: succeeds or throws a named Error, changing nothing', (_name, c) => {
    fc.assert(fc.property(argLists, (picks) => check(c, argsAt(picks))), fcParams(40));
  });
});
