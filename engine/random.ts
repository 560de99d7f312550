import { describe, fail } from './errors.js';

/** Checks a seed: an integer in [0, 2^32), so that two different seeds never give one stream. */
export function seedArg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** 32) {
    fail(fn, `${arg} must be an integer in [0, 2^32), got ${describe(v)}`);
  }
  return v;
}

/**
 * Seeded random streams. The generator is sfc32 (Chris Doty-Humphrey's small fast counting
 * generator), seeded through splitmix32, so a seed gives the same numbers on every platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  /** @param seed an integer in [0, 2^32) */
  constructor(seed: number) {
    let s = seedArg('Rng', 'seed', seed);
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n), for a positive integer n. */
  int(n: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) fail('Rng.int', `n must be a positive integer, got ${describe(n)}`);
    return Math.floor(this.uniform() * n);
  }
}

let unseeded: Rng | null = null;

/** The stream for calls made without a seed: itself seeded once from Math.random. */
export function defaultRng(): Rng {
  unseeded ??= new Rng(Math.floor(Math.random() * 2 ** 32));
  return unseeded;
}
