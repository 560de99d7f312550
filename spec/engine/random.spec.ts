import { Rng, rand, randn } from '../../engine/index.js';

/**
 * An independent model of the generator in BigInt arithmetic (no `| 0`, `>>> 0` or Math.imul):
 * splitmix32 (state += 0x9e3779b9, then the murmur3 finaliser) seeds the four words of sfc32,
 * which then discards 12 outputs.
 */
const M32 = (1n << 32n) - 1n;
const u32 = (v: bigint): bigint => v & M32;

function referenceStream(seed: number): () => bigint {
  let s = u32(BigInt(seed));
  const split = (): bigint => {
    s = u32(s + 0x9e3779b9n);
    let z = s;
    z = u32((z ^ (z >> 16n)) * 0x85ebca6bn);
    z = u32((z ^ (z >> 13n)) * 0xc2b2ae35n);
    return z ^ (z >> 16n);
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): bigint => {
    const t = u32(a + b + d);
    d = u32(d + 1n);
    a = b ^ (b >> 9n);
    b = u32(c + (c << 3n));
    c = u32((c << 21n) | (c >> 11n));
    c = u32(c + t);
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A 53-bit uniform in [0, 1) from two words: the top 27 bits of one and the top 26 of the next. */
function referenceUniforms(seed: number, n: number): number[] {
  const next = referenceStream(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const hi = next() >> 5n;
    const lo = next() >> 6n;
    out.push(Number((hi << 26n) | lo) / 2 ** 53);
  }
  return out;
}

describe('the seeded generator (sfc32 seeded by splitmix32)', () => {
  it.each([0, 1, 42, 2 ** 31, 2 ** 32 - 1, 123456789])('raw 32-bit outputs for seed %p equal a BigInt model', (seed) => {
    const rng = new Rng(seed);
    const ref = referenceStream(seed);
    for (let i = 0; i < 50; i++) expect(rng.nextUint32()).toBe(Number(ref()));
  });

  it('rand(shape, { seed }) equals the model\'s 53-bit uniforms', () => {
    expect(Array.from(rand([2, 5], { seed: 2026 }).data)).toEqual(referenceUniforms(2026, 10));
  });

  it('pins the start of the stream (a change to the generator must be deliberate)', () => {
    const rng = new Rng(0);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([4205396811, 3543653536, 1222415357, 3047368389]);
  });

  it('randn is Box-Muller on pairs of those uniforms, cosine then sine', () => {
    const [u, v, u2, v2] = referenceUniforms(5, 4);
    const r1 = Math.sqrt(-2 * Math.log(u));
    const r2 = Math.sqrt(-2 * Math.log(u2));
    const expected = [r1 * Math.cos(2 * Math.PI * v), r1 * Math.sin(2 * Math.PI * v), r2 * Math.cos(2 * Math.PI * v2)];
    expect(Array.from(randn([3], { seed: 5 }).data)).toEqual(expected);
  });

  it('the same seed repeats the numbers; different seeds differ', () => {
    expect(randn([50], { seed: 9 }).data).toEqual(randn([50], { seed: 9 }).data);
    expect(rand([50], { seed: 9 }).data).toEqual(rand([50], { seed: 9 }).data);
    const a = Array.from(rand([50], { seed: 9 }).data);
    const b = Array.from(rand([50], { seed: 10 }).data);
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('rand lies in [0, 1) with mean 1/2 and variance 1/12; randn has mean 0 and variance 1 (1e5 draws)', () => {
    const n = 100_000;
    const stats = (d: Float64Array): [number, number] => {
      let s = 0;
      for (const x of d) s += x;
      const m = s / n;
      let v = 0;
      for (const x of d) v += (x - m) * (x - m);
      return [m, v / (n - 1)];
    };
    const u = rand([n], { seed: 1 }).data;
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const [mu, vu] = stats(u);
    // Bounds of about 5 standard errors.
    expect(Math.abs(mu - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(vu - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    const [mn, vn] = stats(randn([n], { seed: 1 }).data);
    expect(Math.abs(mn)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(vn - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('rand and randn honour requiresGrad and shapes', () => {
    const t = randn([2, 3], { seed: 1, requiresGrad: true });
    expect(t.shape).toEqual([2, 3]);
    expect(t.requiresGrad).toBe(true);
    expect(rand(4).shape).toEqual([4]);
  });
});
