/**
 * Shared test helpers: one gradient-check assertion used everywhere, fixture loading, closeness
 * with NaN/Infinity handled, and fast-check settings with a fixed, reported seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { GradCheckOptions } from '../../engine/index.js';
import { Tensor, gradCheck } from '../../engine/index.js';

/** Every property test runs with this seed (fast-check prints it, with the path, on failure). */
export const FC_SEED = 20261129;

/** fast-check parameters: fixed seed, modest run count (the suite must stay fast on 2 cores). */
export function fcParams(numRuns = 25): { seed: number; numRuns: number } {
  return { seed: FC_SEED, numRuns };
}

/** Asserts that `gradCheck` passes, printing its report when it does not. */
export function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[], opts: GradCheckOptions = {}): void {
  const r = gradCheck(fn, inputs, { atol: 1e-6, rtol: 1e-5, ...opts });
  if (!r.ok) {
    throw new Error(`gradCheck failed: ${JSON.stringify({ error: r.error, maxAbsError: r.maxAbsError, maxRelError: r.maxRelError, failures: r.failures.slice(0, 5) })}`);
  }
}

/** Reads `spec/fixtures/<name>`; the generators write NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export function loadFixture<T = any>(name: string): T {
  const text = readFileSync(join(process.cwd(), 'spec', 'fixtures', name), 'utf8');
  return JSON.parse(text, (_k, v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as T;
}

type Nested = number | Nested[];

function flat(x: Nested | Tensor | Float64Array): number[] {
  if (x instanceof Tensor) return Array.from(x.data);
  if (x instanceof Float64Array) return Array.from(x);
  if (typeof x === 'number') return [x];
  return x.flatMap((e) => flat(e));
}

/**
 * Elementwise |a - e| <= atol + rtol·|e|, where NaN matches only NaN and ±Infinity only itself.
 * Shapes are compared when both sides are Tensors or nested arrays of the same nesting.
 */
export function expectClose(actual: Nested | Tensor | Float64Array, expected: Nested | Tensor | Float64Array, rtol = 1e-10, atol = 1e-12): void {
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`expectClose: got ${a.length} values, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(e[i])
      ? Number.isNaN(a[i])
      : !Number.isFinite(e[i])
        ? a[i] === e[i]
        : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) throw new Error(`expectClose: at flat index ${i} got ${a[i]}, expected ${e[i]} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Runs `fn` and asserts it throws an Error whose message contains every fragment. */
export function expectThrowsWith(fn: () => unknown, ...fragments: string[]): void {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof Error)) throw new Error(`expected an Error mentioning ${JSON.stringify(fragments)}, but nothing was thrown`);
  for (const f of fragments) {
    if (!err.message.includes(f)) throw new Error(`error message ${JSON.stringify(err.message)} does not mention ${JSON.stringify(f)}`);
  }
}

/** A shape of `minDims`..`maxDims` dims, each of size 1..`maxSide`. */
export const arbShape = (minDims = 1, maxDims = 3, maxSide = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxSide }), { minLength: minDims, maxLength: maxDims });

/** Float64 data for `shape`, each value in [min, max] (no NaN, no Infinity). */
export const arbData = (n: number, min = -3, max = 3): fc.Arbitrary<Float64Array> =>
  fc.array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));

/** A tensor of a random shape with values in [min, max], requiring grad. */
export const arbTensor = (min = -3, max = 3, shape: fc.Arbitrary<number[]> = arbShape()): fc.Arbitrary<Tensor> =>
  shape.chain((s) => arbData(s.reduce((p, d) => p * d, 1), min, max).map((d) => new Tensor(d, s, true)));

/** A pair of shapes that broadcast together: the second drops leading dims and sets some dims to 1. */
export const arbBroadcastShapes = (): fc.Arbitrary<[number[], number[]]> =>
  arbShape(1, 4, 3).chain((s) =>
    fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })).map(
      ([drop, ones]): [number[], number[]] => [s, s.map((d, i) => (ones[i] ? 1 : d)).slice(drop)],
    ),
  );

/** Index of the first entry whose 64 bits differ (-0 differs from 0, NaN payloads count), or -1 when all agree. */
export function firstBitDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return Math.min(x.length, y.length);
  const bx = new BigUint64Array(x.buffer, x.byteOffset, x.length);
  const by = new BigUint64Array(y.buffer, y.byteOffset, y.length);
  for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) return i;
  return -1;
}
