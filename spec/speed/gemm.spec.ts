import fc from 'fast-check';
import { Rng, tensor } from '../../engine/index.js';
import type { GemmKind } from '../../engine/kernels/gemm.js';
import { gemmBatched, gemmRange } from '../../engine/kernels/gemm.js';
import { fcParams } from '../helpers/index.js';

const KINDS: GemmKind[] = ['nn', 'nt', 'tn'];

function randomData(n: number, rng: Rng): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * rng.uniform() - 1;
  return x;
}

/** op(A)[i, k] and op(B)[k, j] read straight from the stored layout, one dot product per entry. */
function naive(kind: GemmKind, a: Float64Array, b: Float64Array, M: number, K: number, N: number): { c: Float64Array; bound: Float64Array } {
  const aAt = (i: number, k: number) => (kind === 'tn' ? a[k * M + i] : a[i * K + k]);
  const bAt = (k: number, j: number) => (kind === 'nt' ? b[j * K + k] : b[k * N + j]);
  const c = new Float64Array(M * N);
  const bound = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let abs = 0;
      for (let k = 0; k < K; k++) {
        s += aAt(i, k) * bAt(k, j);
        abs += Math.abs(aAt(i, k) * bAt(k, j));
      }
      c[i * N + j] = s;
      bound[i * N + j] = abs;
    }
  }
  return { c, bound };
}

/** Every entry equals the oracle's within the classic dot-product bound, NaN and ±Infinity exactly. */
function expectMatches(got: Float64Array, want: { c: Float64Array; bound: Float64Array }, K: number): void {
  const tol = 2 * K * Number.EPSILON;
  for (let i = 0; i < want.c.length; i++) {
    const w = want.c[i];
    if (!Number.isFinite(w)) {
      expect(got[i]).toBe(w);
      continue;
    }
    const err = Math.abs(got[i] - w);
    if (!(err <= tol * want.bound[i])) throw new Error(`entry ${i}: ${got[i]} against ${w} (error ${err}, bound ${tol * want.bound[i]})`);
  }
}

// Sizes cross every block edge of the kernel: 4 (register block), 64 (A block rows),
// 128 (B block columns) and 256 (k block), and include 1.
const arbSizes = fc.record({
  kind: fc.constantFrom(...KINDS),
  M: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 60, max: 70 })),
  K: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 250, max: 262 })),
  N: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 125, max: 133 })),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe('register-blocked GEMM kernels', () => {
  it('A·B, A·Bᵀ and Aᵀ·B match a naive dot-product oracle for any sizes', () => {
    fc.assert(
      fc.property(arbSizes, ({ kind, M, K, N, seed }) => {
        const rng = new Rng(seed);
        const a = randomData(M * K, rng);
        const b = randomData(K * N, rng);
        const c = new Float64Array(M * N);
        gemmBatched(kind, 1, a, null, b, null, c, M, K, N);
        expectMatches(c, naive(kind, a, b, M, K, N), K);
      }),
      fcParams(15),
    );
  });

  it('with one k-block (K ≤ 256), every entry is the in-order dot product, bit for bit, whatever the row blocking', () => {
    fc.assert(
      fc.property(arbSizes.filter(({ K }) => K <= 256), ({ kind, M, K, N, seed }) => {
        const rng = new Rng(seed);
        const a = randomData(M * K, rng);
        const b = randomData(K * N, rng);
        const c = new Float64Array(M * N);
        gemmBatched(kind, 1, a, null, b, null, c, M, K, N);
        const want = naive(kind, a, b, M, K, N).c;
        for (let i = 0; i < c.length; i++) if (!Object.is(c[i], want[i])) throw new Error(`entry ${i}: ${c[i]} against ${want[i]}`);
      }),
      fcParams(25),
    );
  });

  it('adds into C rather than overwriting it', () => {
    const a = Float64Array.of(1, 2, 3, 4); // [2, 2]
    const b = Float64Array.of(5, 6, 7, 8); // [2, 2]
    const c = Float64Array.of(100, 200, 300, 400);
    gemmBatched('nn', 1, a, null, b, null, c, 2, 2, 2);
    expect(Array.from(c)).toEqual([100 + 19, 200 + 22, 300 + 43, 400 + 50]);
  });

  it('batched products follow the broadcast index of each operand', () => {
    const rng = new Rng(5);
    const [M, K, N] = [5, 6, 7];
    const a = randomData(2 * M * K, rng); // two A matrices
    const b = randomData(3 * K * N, rng); // three B matrices
    const ia = Int32Array.of(0, 1, 1, 0);
    const ib = Int32Array.of(2, 0, 1, 2);
    for (const kind of KINDS) {
      const c = new Float64Array(4 * M * N);
      gemmBatched(kind, 4, a, ia, b, ib, c, M, K, N);
      for (let t = 0; t < 4; t++) {
        const want = naive(kind, a.subarray(ia[t] * M * K, (ia[t] + 1) * M * K), b.subarray(ib[t] * K * N, (ib[t] + 1) * K * N), M, K, N);
        expectMatches(c.subarray(t * M * N, (t + 1) * M * N), want, K);
      }
    }
  });

  it('any split of C into row and column ranges gives the same bits as the whole product', () => {
    fc.assert(
      fc.property(arbSizes, fc.integer({ min: 0, max: 1e6 }), ({ kind, M, K, N, seed }, cut) => {
        const rng = new Rng(seed);
        const a = randomData(M * K, rng);
        const b = randomData(K * N, rng);
        const whole = new Float64Array(M * N);
        gemmRange(kind, a, 0, b, 0, whole, 0, M, K, N, 0, M, 0, N);
        const im = cut % (M + 1);
        const jm = Math.floor(cut / (M + 1)) % (N + 1);
        const parts = new Float64Array(M * N);
        for (const [i0, i1] of [[0, im], [im, M]]) {
          for (const [j0, j1] of [[0, jm], [jm, N]]) gemmRange(kind, a, 0, b, 0, parts, 0, M, K, N, i0, i1, j0, j1);
        }
        expect(parts).toEqual(whole);
      }),
      fcParams(25),
    );
  });

  it('NaN and Infinity propagate: no zero is skipped, edge lanes do not leak', () => {
    for (const kind of KINDS) {
      for (const [M, K, N] of [[5, 3, 6], [1, 1, 1], [66, 258, 6]]) {
        const rng = new Rng(M * K * N);
        const a = randomData(M * K, rng);
        const b = randomData(K * N, rng);
        const at = (i: number, k: number) => (kind === 'tn' ? k * M + i : i * K + k);
        const bt = (k: number, j: number) => (kind === 'nt' ? j * K + k : k * N + j);
        a[at(M - 1, K - 1)] = NaN;
        a[at(0, 0)] = Infinity;
        // Row k = 0 of op(B) is zero: Infinity · 0 must give NaN in row 0 of C.
        for (let j = 0; j < N; j++) b[bt(0, j)] = 0;
        const c = new Float64Array(M * N);
        gemmBatched(kind, 1, a, null, b, null, c, M, K, N);
        const want = naive(kind, a, b, M, K, N);
        expect(Number.isNaN(c[0])).toBe(true);
        expect(Number.isNaN(c[(M - 1) * N + N - 1])).toBe(true);
        expectMatches(c, want, K);
      }
    }
  });

  it('matmul of Infinity by a zero column gives NaN, as in PyTorch', () => {
    // torch.tensor([[inf, 1.]]) @ torch.tensor([[0.], [2.]]) is tensor([[nan]]).
    const y = tensor([[Infinity, 1]]).matmul(tensor([[0], [2]]));
    expect(Number.isNaN(y.item())).toBe(true);
  });
});
