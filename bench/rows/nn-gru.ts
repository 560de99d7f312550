/** N2: an nn.GRU layer's forward and backward through time (input and all four parameters), loss mean(out²). */
import { tensor } from '../../engine/index.js';
import { gemmRange } from '../../engine/kernels/gemm.js';
import { GRU } from '../../nn/index.js';
import { normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';

const T = 100;
const N = 16;
const I = 40;
const H = 128;
const G = 3 * H;

// The limit's matrix products use the engine's own register-blocked kernel, as B3's limit does:
// a naive triple loop here would flatter the engine, so the ratio is the rest of the step's cost.
/** C[M, Nc] += A[M, K] · B[Nc, K]ᵀ. */
const mmNT = (a: Float64Array, ao: number, b: Float64Array, c: Float64Array, co: number, M: number, Nc: number, K: number): void =>
  gemmRange('nt', a, ao, b, 0, c, co, M, K, Nc, 0, M, 0, Nc);

/** C[M, Nc] += A[M, K] · B[K, Nc]. */
const mmNN = (a: Float64Array, ao: number, b: Float64Array, c: Float64Array, co: number, M: number, K: number, Nc: number): void =>
  gemmRange('nn', a, ao, b, 0, c, co, M, K, Nc, 0, M, 0, Nc);

/** C[M, Nc] += A[K, M]ᵀ · B[K, Nc]. */
const mmTN = (a: Float64Array, ao: number, b: Float64Array, bo: number, c: Float64Array, K: number, M: number, Nc: number): void =>
  gemmRange('tn', a, ao, b, bo, c, 0, M, K, Nc, 0, M, 0, Nc);

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

interface Weights { wih: Float64Array; whh: Float64Array; bih: Float64Array; bhh: Float64Array }

/** The GRU recursion in PyTorch's form, the loss, and backpropagation through time by hand. */
function fused(x: Float64Array, { wih, whh, bih, bhh }: Weights): LossGrad {
  const gi = new Float64Array(T * N * G); // x W_ihᵀ + b_ih for every step
  for (let r = 0; r < T * N; r++) gi.set(bih, r * G);
  mmNT(x, 0, wih, gi, 0, T * N, G, I);
  const hs = new Float64Array((T + 1) * N * H); // hs[t] is the state before step t
  const rs = new Float64Array(T * N * H);
  const zs = new Float64Array(T * N * H);
  const ns = new Float64Array(T * N * H);
  const ghn = new Float64Array(T * N * H);
  const gh = new Float64Array(N * G);
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < N; r++) gh.set(bhh, r * G);
    mmNT(hs, t * N * H, whh, gh, 0, N, G, H);
    for (let b = 0; b < N; b++) {
      for (let k = 0; k < H; k++) {
        const q = (t * N + b) * H + k;
        const gq = (t * N + b) * G;
        const rv = sigmoid(gi[gq + k] + gh[b * G + k]);
        const zv = sigmoid(gi[gq + H + k] + gh[b * G + H + k]);
        const hn = gh[b * G + 2 * H + k];
        const nv = Math.tanh(gi[gq + 2 * H + k] + rv * hn);
        const hp = hs[q];
        rs[q] = rv;
        zs[q] = zv;
        ns[q] = nv;
        ghn[q] = hn;
        hs[q + N * H] = nv + zv * (hp - nv);
      }
    }
  }
  let loss = 0;
  const out = hs.subarray(N * H);
  for (let i = 0; i < out.length; i++) loss += out[i] * out[i];
  const scale = 2 / out.length;
  const dgi = new Float64Array(T * N * G);
  const gwhh = new Float64Array(G * H);
  const gbhh = new Float64Array(G);
  const dh = new Float64Array(N * H);
  const dgh = new Float64Array(N * G);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < N; b++) {
      for (let k = 0; k < H; k++) {
        const q = (t * N + b) * H + k;
        const d = dh[b * H + k] + scale * out[q];
        const rv = rs[q];
        const zv = zs[q];
        const nv = ns[q];
        const dan = d * (1 - zv) * (1 - nv * nv);
        const daz = d * (hs[q] - nv) * zv * (1 - zv);
        const dar = dan * ghn[q] * rv * (1 - rv);
        const gq = (t * N + b) * G;
        dgi[gq + k] = dar;
        dgi[gq + H + k] = daz;
        dgi[gq + 2 * H + k] = dan;
        dgh[b * G + k] = dar;
        dgh[b * G + H + k] = daz;
        dgh[b * G + 2 * H + k] = dan * rv;
        dh[b * H + k] = d * zv;
      }
    }
    mmNN(dgh, 0, whh, dh, 0, N, G, H);
    mmTN(dgh, 0, hs, t * N * H, gwhh, N, G, H);
    for (let b = 0; b < N; b++) for (let j = 0; j < G; j++) gbhh[j] += dgh[b * G + j];
  }
  const gx = new Float64Array(T * N * I);
  mmNN(dgi, 0, wih, gx, 0, T * N, G, I);
  const gwih = new Float64Array(G * I);
  mmTN(dgi, 0, x, 0, gwih, T * N, G, I);
  const gbih = new Float64Array(G);
  for (let r = 0; r < T * N; r++) for (let j = 0; j < G; j++) gbih[j] += dgi[r * G + j];
  return { loss: loss / out.length, grads: [gx, gwih, gwhh, gbih, gbhh] };
}

async function prepare(): Promise<Prepared> {
  const xd = normal(T * N * I, 51);
  const gru = new GRU(I, H, { seed: 52 });
  const sd = gru.stateDict();
  const w: Weights = { wih: sd.weight_ih_l0.data.slice(), whh: sd.weight_hh_l0.data.slice(), bih: sd.bias_ih_l0.data.slice(), bhh: sd.bias_hh_l0.data.slice() };
  const x = tensor(xd, { shape: [T, N, I], requiresGrad: true });
  return {
    lossgrad() {
      x.zeroGrad();
      gru.zeroGrad();
      const [out] = gru.call(x); // [T, N, H]
      const loss = out.mul(out).mean();
      loss.backward();
      return { loss: loss.item(), grads: [x.grad!.data, ...gru.parameters().map((p) => p.grad!.data)] };
    },
    fused: () => fused(xd, w),
  };
}

export const nnGru: Row = {
  id: 'N2',
  issue: 12,
  title: 'nn: GRU forward+backward through time, mean(out²)',
  sizes: `input ${I}, hidden ${H}, T=${T}, batch ${N}`,
  goals: { fused: within(1.5), torch1: faster() },
  torch: { kind: 'gru', sizes: { T, N, I, H } },
  about: 'lossgrad is two matmuls and one fused gate node (gruGates) per step; the loop is the recursion and its backward by hand; torch is nn.GRU',
  prepare,
};
