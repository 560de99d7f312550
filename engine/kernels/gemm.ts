/**
 * Register-blocked matrix products over Float64Array: C += A·B, C += A·Bᵀ and C += Aᵀ·B.
 *
 * One algorithm serves all three: a block of B (KC × NC) is packed into column panels of width 4,
 * a block of A (MC × KC) into row panels of height 4, and a 4×4 micro-kernel keeps sixteen
 * accumulators in locals while it walks both panels with unit stride. The transposes live only in
 * the packing routines (which read A or B the way each case stores it), so no transposed copy of
 * a whole operand is ever made.
 *
 * Summation order, which callers rely on for thread-count independence: every output C[i, j]
 * receives one partial sum per k-block [k0, k0 + KC), in ascending k0; each partial sum starts at 0
 * and adds A[i, k]·B[k, j] in ascending k. The order depends on K alone, never on which rows or
 * columns of C a call covers, so splitting C across threads changes no bit.
 *
 * No zero is skipped: 0·NaN and 0·Infinity give NaN, as in PyTorch. Padded lanes of edge panels
 * are zero and may compute NaN, but they are never stored.
 */

type F64 = Float64Array;

/** Which operands are stored transposed: `nn` is A·B, `nt` is A·Bᵀ, `tn` is Aᵀ·B. */
export type GemmKind = 'nn' | 'nt' | 'tn';

const MR = 4;
const NR = 4;
// A 4-wide panel of B over KC rows (8 KiB) stays in L1 while the A block (MC × KC, 128 KiB)
// streams from L2; the packed B block (KC × NC, 256 KiB) fits a 512 KiB L2 beside it.
const KC = 256;
const MC = 64;
const NC = 128;

// Packing buffers, reused across calls. Each worker thread loads its own copy of this module, so
// no two threads share them.
const packA = new Float64Array(MC * KC);
const packB = new Float64Array(KC * NC);
const edge = new Float64Array(MR * NR);

/**
 * Packs A[i0 : i0 + mc, k0 : k0 + kc] into row panels of height MR, k-major inside each panel,
 * zero-padding the last panel. `rowStride`/`colStride` say how A(i, k) is stored.
 */
function packPanelsA(a: F64, ao: number, rowStride: number, colStride: number, i0: number, mc: number, k0: number, kc: number): void {
  let p = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    const base = ao + (i0 + ir) * rowStride + k0 * colStride;
    if (mr === MR) {
      if (colStride === 1) {
        const r0 = base, r1 = base + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
        for (let k = 0; k < kc; k++, p += 4) {
          packA[p] = a[r0 + k];
          packA[p + 1] = a[r1 + k];
          packA[p + 2] = a[r2 + k];
          packA[p + 3] = a[r3 + k];
        }
      } else {
        for (let k = 0, q = base; k < kc; k++, p += 4, q += colStride) {
          packA[p] = a[q];
          packA[p + 1] = a[q + rowStride];
          packA[p + 2] = a[q + 2 * rowStride];
          packA[p + 3] = a[q + 3 * rowStride];
        }
      }
    } else {
      for (let k = 0; k < kc; k++, p += 4) {
        const q = base + k * colStride;
        for (let r = 0; r < MR; r++) packA[p + r] = r < mr ? a[q + r * rowStride] : 0;
      }
    }
  }
}

/**
 * Packs B[k0 : k0 + kc, j0 : j0 + nc] into column panels of width NR, k-major inside each panel,
 * zero-padding the last panel. `rowStride`/`colStride` say how B(k, j) is stored.
 */
function packPanelsB(b: F64, bo: number, rowStride: number, colStride: number, k0: number, kc: number, j0: number, nc: number): void {
  let p = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const base = bo + k0 * rowStride + (j0 + jr) * colStride;
    if (nr === NR) {
      if (colStride === 1) {
        for (let k = 0, q = base; k < kc; k++, p += 4, q += rowStride) {
          packB[p] = b[q];
          packB[p + 1] = b[q + 1];
          packB[p + 2] = b[q + 2];
          packB[p + 3] = b[q + 3];
        }
      } else {
        const c0 = base, c1 = base + colStride, c2 = c1 + colStride, c3 = c2 + colStride;
        for (let k = 0; k < kc; k++, p += 4) {
          packB[p] = b[c0 + k];
          packB[p + 1] = b[c1 + k];
          packB[p + 2] = b[c2 + k];
          packB[p + 3] = b[c3 + k];
        }
      }
    } else {
      for (let k = 0; k < kc; k++, p += 4) {
        const q = base + k * rowStride;
        for (let c = 0; c < NR; c++) packB[p + c] = c < nr ? b[q + c * colStride] : 0;
      }
    }
  }
}

/**
 * C[ci.., 4 × 4 block] += packed A panel (at pa) · packed B panel (at pb) over kc steps; only the
 * top-left mr × nr corner is stored.
 */
function microKernel(kc: number, pa: number, pb: number, c: F64, ci: number, ldc: number, mr: number, nr: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const A = packA;
  const B = packB;
  for (let k = 0; k < kc; k++, pa += 4, pb += 4) {
    const a0 = A[pa], a1 = A[pa + 1], a2 = A[pa + 2], a3 = A[pa + 3];
    const b0 = B[pb], b1 = B[pb + 1], b2 = B[pb + 2], b3 = B[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === MR && nr === NR) {
    let q = ci;
    c[q] += c00; c[q + 1] += c01; c[q + 2] += c02; c[q + 3] += c03; q += ldc;
    c[q] += c10; c[q + 1] += c11; c[q + 2] += c12; c[q + 3] += c13; q += ldc;
    c[q] += c20; c[q + 1] += c21; c[q + 2] += c22; c[q + 3] += c23; q += ldc;
    c[q] += c30; c[q + 1] += c31; c[q + 2] += c32; c[q + 3] += c33;
    return;
  }
  const e = edge;
  e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03;
  e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13;
  e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23;
  e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33;
  for (let r = 0; r < mr; r++) for (let s = 0; s < nr; s++) c[ci + r * ldc + s] += e[r * NR + s];
}

// Below this many multiply-adds, packing costs more than it saves (measured on B2's products).
const DIRECT_MAX = 32768;

/**
 * Small products without packing: C[m, n] += A(i, k)·B(k, j) read through strides. With K ≤ KC the
 * blocked path has a single k-block, so both paths sum in the same order and give the same bits.
 */
function direct(
  a: F64, ao: number, aRow: number, aCol: number, b: F64, bo: number, bRow: number, bCol: number,
  c: F64, co: number, ldc: number, m: number, K: number, n: number,
): void {
  let i = 0;
  // Two rows at a time: eight accumulators, each B value loaded once for both rows. Every output
  // still sums in ascending k from 0, so the bits are those of one row at a time.
  for (; i + 1 < m; i += 2) {
    const a0 = ao + i * aRow;
    const a1 = a0 + aRow;
    const c0 = co + i * ldc;
    const c1 = c0 + ldc;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0, p = 0, q = bo + j * bCol; k < K; k++, p += aCol, q += bRow) {
        const u = a[a0 + p], v = a[a1 + p];
        const b0 = b[q], b1 = b[q + bCol], b2 = b[q + 2 * bCol], b3 = b[q + 3 * bCol];
        s00 += u * b0; s01 += u * b1; s02 += u * b2; s03 += u * b3;
        s10 += v * b0; s11 += v * b1; s12 += v * b2; s13 += v * b3;
      }
      c[c0 + j] += s00; c[c0 + j + 1] += s01; c[c0 + j + 2] += s02; c[c0 + j + 3] += s03;
      c[c1 + j] += s10; c[c1 + j + 1] += s11; c[c1 + j + 2] += s12; c[c1 + j + 3] += s13;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0;
      for (let k = 0, p = 0, q = bo + j * bCol; k < K; k++, p += aCol, q += bRow) {
        const bv = b[q];
        s0 += a[a0 + p] * bv;
        s1 += a[a1 + p] * bv;
      }
      c[c0 + j] += s0;
      c[c1 + j] += s1;
    }
  }
  for (; i < m; i++) {
    const ai = ao + i * aRow;
    const ci = co + i * ldc;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0, p = ai, q = bo + j * bCol; k < K; k++, p += aCol, q += bRow) {
        const av = a[p];
        s0 += av * b[q];
        s1 += av * b[q + bCol];
        s2 += av * b[q + 2 * bCol];
        s3 += av * b[q + 3 * bCol];
      }
      c[ci + j] += s0;
      c[ci + j + 1] += s1;
      c[ci + j + 2] += s2;
      c[ci + j + 3] += s3;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let k = 0, p = ai, q = bo + j * bCol; k < K; k++, p += aCol, q += bRow) s += a[p] * b[q];
      c[ci + j] += s;
    }
  }
}

/**
 * The rows [i0, i1) and columns [j0, j1) of one product C[M, N] += op(A) · op(B), op(A) of shape
 * [M, K] and op(B) of shape [K, N]. A is stored [M, K] (`nn`, `nt`) or [K, M] (`tn`); B is stored
 * [K, N] (`nn`, `tn`) or [N, K] (`nt`). C is row-major [M, N] at offset `co`. The ranges let a
 * caller split one product across threads; any split gives the same bits.
 */
export function gemmRange(
  kind: GemmKind, a: F64, ao: number, b: F64, bo: number, c: F64, co: number,
  M: number, K: number, N: number, i0: number, i1: number, j0: number, j1: number,
): void {
  const aRow = kind === 'tn' ? 1 : K;
  const aCol = kind === 'tn' ? M : 1;
  const bRow = kind === 'nt' ? 1 : N;
  const bCol = kind === 'nt' ? K : 1;
  if (K <= KC && (i1 - i0) * (j1 - j0) * K <= DIRECT_MAX) {
    direct(a, ao + i0 * aRow, aRow, aCol, b, bo + j0 * bCol, bRow, bCol, c, co + i0 * N + j0, N, i1 - i0, K, j1 - j0);
    return;
  }
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = Math.min(NC, j1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelsB(b, bo, bRow, bCol, pc, kc, jc, nc);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = Math.min(MC, i1 - ic);
        packPanelsA(a, ao, aRow, aCol, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, ir * kc, jr * kc, c, co + (ic + ir) * N + jc + jr, N, Math.min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}

/**
 * `nb` products C_t += op(A_{ia[t]}) · op(B_{ib[t]}) for t < nb, each operand a stack of
 * [M, K]-sized (A) and [K, N]-sized (B) matrices; a null index means the identity (A_t, B_t).
 * C is [nb, M, N].
 */
export function gemmBatched(
  kind: GemmKind, nb: number, a: F64, ia: Int32Array | null, b: F64, ib: Int32Array | null, c: F64, M: number, K: number, N: number,
): void {
  for (let t = 0; t < nb; t++) {
    gemmRange(kind, a, (ia ? ia[t] : t) * M * K, b, (ib ? ib[t] : t) * K * N, c, t * M * N, M, K, N, 0, M, 0, N);
  }
}
