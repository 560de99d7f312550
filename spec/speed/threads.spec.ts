import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { getNumThreads, Rng, setNumThreads, tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import { gemmBatched } from '../../engine/kernels/gemm.js';
import type { GemmKind } from '../../engine/kernels/gemm.js';
import { PARALLEL_MIN_MACS, parallelGemm, poolWorkers } from '../../engine/threads/pool.js';
import { expectThrowsWith, firstBitDifference } from '../helpers/index.js';

function randn(shape: readonly number[], seed: number, requiresGrad = false): Tensor {
  const rng = new Rng(seed);
  const d = new Float64Array(shape.reduce((p, s) => p * s, 1));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return tensor(d, { shape: [...shape], requiresGrad });
}

/** Value and both gradients of sum(A·B · W) for a fixed random weight W. */
function productAndGrads(sa: readonly number[], sb: readonly number[], threads: number): Float64Array[] {
  setNumThreads(threads);
  const a = randn(sa, 1, true);
  const b = randn(sb, 2, true);
  const y = a.matmul(b);
  y.mul(randn(y.shape, 3)).sum().backward();
  return [y.data, a.grad!.data, b.grad!.data];
}

const defaultThreads = getNumThreads();

afterAll(() => setNumThreads(defaultThreads));

describe('thread pool', () => {
  it('importing the engine starts no worker, and small products start none either', () => {
    expect(poolWorkers()).toHaveLength(0);
    setNumThreads(2);
    randn([8, 8], 1).matmul(randn([8, 8], 2));
    expect(poolWorkers()).toHaveLength(0);
  });

  it('defaults to the number of cores under Node', () => {
    expect(defaultThreads).toBe(os.availableParallelism());
  });

  it('setNumThreads rejects anything but a positive integer, naming itself', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, '2' as unknown as number]) expectThrowsWith(() => setNumThreads(bad), 'setNumThreads', 'positive integer');
    expect(getNumThreads()).toBe(2);
  });

  // Each case is above the split threshold: rows split (M ≥ N), columns split (M < N), a batch
  // with broadcasting, and sizes that are not multiples of the register block.
  const cases: [string, number[], number[]][] = [
    ['rows', [130, 257], [257, 67]],
    ['columns', [6, 301], [301, 650]],
    ['broadcast batch', [3, 1, 45, 70], [2, 70, 93]],
  ];
  it.each(cases)('matmul and its gradients are bit-identical for 1, 3 and 2 threads (%s)', (_name, sa, sb) => {
    const one = productAndGrads(sa, sb, 1);
    for (const n of [3, 2]) {
      const many = productAndGrads(sa, sb, n);
      expect(poolWorkers().length).toBeGreaterThanOrEqual(n - 1);
      many.forEach((x, i) => expect(firstBitDifference(x, one[i])).toBe(-1));
    }
  });

  it('parallelGemm gives the single-threaded kernel\'s bits for every kind, adding into C', () => {
    const [M, K, N] = [67, 129, 130];
    expect(M * K * N).toBeGreaterThanOrEqual(PARALLEL_MIN_MACS);
    const rng = new Rng(9);
    const fill = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
    const a = fill(M * K);
    const b = fill(K * N);
    const c0 = fill(M * N);
    setNumThreads(2);
    for (const kind of ['nn', 'nt', 'tn'] as GemmKind[]) {
      const want = c0.slice();
      gemmBatched(kind, 1, a, null, b, null, want, M, K, N);
      const got = c0.slice();
      parallelGemm(kind, 1, a, null, b, null, got, M, K, N);
      expect(firstBitDifference(got, want)).toBe(-1);
    }
  });

  it('a worker that dies between products leaves a fresh pool for the next one', async () => {
    const want = productAndGrads([130, 257], [257, 67], 1);
    setNumThreads(2);
    productAndGrads([130, 257], [257, 67], 2);
    const [w] = poolWorkers();
    await w.terminate();
    // The exit event has been handled: the dead pool is gone.
    expect(poolWorkers()).toHaveLength(0);
    const got = productAndGrads([130, 257], [257, 67], 2);
    expect(poolWorkers()).toHaveLength(1);
    expect(poolWorkers()[0]).not.toBe(w);
    got.forEach((x, i) => expect(firstBitDifference(x, want[i])).toBe(-1));
  });
});

describe('thread pool in a process of its own', () => {
  const script = fileURLToPath(new URL('./scripts/exit-after-product.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [tsx, script, ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { threads: number; workersAtImport: number; workersAfter: number; sum: number };
  };

  it('a script that split a product exits by itself, and its import started no worker', () => {
    const r = run();
    expect(r).toMatchObject({ threads: 2, workersAtImport: 0, workersAfter: 1 });
  });

  it('without process.getBuiltinModule (no worker threads) everything runs on one thread, same bits', () => {
    const single = run('--no-builtins');
    expect(single).toMatchObject({ threads: 1, workersAtImport: 0, workersAfter: 0 });
    expect(single.sum).toBe(run().sum);
  });
});
