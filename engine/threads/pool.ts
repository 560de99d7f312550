/**
 * A pool of worker threads for the big kernels, and the thread-count setting.
 *
 * The engine is synchronous, so the calling thread copies the operands into one SharedArrayBuffer,
 * posts each worker its share of the output, computes its own share, and blocks in Atomics.wait
 * until the workers are done. Work is split by output rows (or columns) only; each output entry
 * is computed by one thread in the order the kernel fixes, so results are bit-identical for any
 * thread count.
 *
 * Node's worker_threads is reached through `process.getBuiltinModule`, never imported, so a
 * bundle for the browser needs no Node module; wherever it (or SharedArrayBuffer) is missing,
 * every kernel runs on the calling thread. Importing this module starts nothing: the pool starts
 * on the first product big enough to split, and its workers are unref'd, so they never keep a
 * process alive.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { fail } from '../errors.js';
import type { GemmKind } from '../kernels/gemm.js';
import { gemmBatched, gemmRange } from '../kernels/gemm.js';

type WorkerThreads = typeof import('node:worker_threads');

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const builtin = <T>(id: string): T | undefined => nodeProcess?.getBuiltinModule?.(id) as T | undefined;

/**
 * Products below this many multiply-adds stay on the calling thread: on the 2-core bench machine
 * one thread and two cross over between 2^18 and 2^21 (too noisy under load to say closer).
 * @internal
 */
export const PARALLEL_MIN_MACS = 1 << 20;

// How long the pool may take to load its workers before it gives up.
const START_TIMEOUT_MS = 60_000;
// Layout of the control words: workers still busy, error flag, workers not yet started.
const BUSY = 0;
const FAILED = 1;
const STARTING = 2;

// Neither changes while a process runs, and asking the OS takes microseconds: read them once.
let supported: boolean | null = null;
let cores: number | null = null;

function threadsSupported(): boolean {
  supported ??= typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && builtin<WorkerThreads>('node:worker_threads') !== undefined;
  return supported;
}

function coreCount(): number {
  if (cores === null) {
    const os = builtin<typeof import('node:os')>('node:os');
    cores = os ? Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) : 1;
  }
  return cores;
}

let requested: number | null = null;

/**
 * Sets how many threads the big kernels (matrix products) use, the calling thread included.
 * Results do not depend on it: every output entry is summed in the same order whatever the count.
 *
 * @param n - a positive integer; 1 keeps all work on the calling thread.
 * @returns nothing.
 *
 * PyTorch: `torch.set_num_threads(n)`.
 *
 * Numerical notes: bit-identical results for every `n` (the work is split by output entries,
 * never inside a sum). Where workers or SharedArrayBuffer are unavailable (a browser main thread,
 * a runtime without `process.getBuiltinModule`), the setting is kept but work stays on one thread.
 *
 * @example
 * const before = getNumThreads();
 * setNumThreads(1);
 * getNumThreads(); // => 1
 * setNumThreads(before);
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) fail('setNumThreads', `n must be a positive integer, got ${String(n)}`);
  requested = n;
}

/**
 * The number of threads the big kernels use, the calling thread included.
 *
 * @returns the value set by `setNumThreads`, by default the number of cores; 1 wherever worker
 * threads or SharedArrayBuffer are unavailable.
 *
 * PyTorch: `torch.get_num_threads()`.
 *
 * @example
 * const before = getNumThreads(); // the number of cores, under Node
 * setNumThreads(3);
 * getNumThreads(); // => 3
 * setNumThreads(before);
 */
export function getNumThreads(): number {
  if (!threadsSupported()) return 1;
  return requested ?? coreCount();
}

interface GemmJob {
  arena: SharedArrayBuffer;
  kind: GemmKind;
  M: number;
  K: number;
  N: number;
  /** Element offsets into the arena of A, B, C and the per-product offsets table. */
  aAt: number;
  bAt: number;
  cAt: number;
  offAt: number;
  byRows: boolean;
  chunk: number;
  /** Units of work [u0, u1): unit u is chunk `u % perProduct` of product `u / perProduct`. */
  perProduct: number;
  u0: number;
  u1: number;
}

function runUnits(job: GemmJob): void {
  const x = new Float64Array(job.arena);
  const { kind, M, K, N, aAt, bAt, cAt, offAt, byRows, chunk, perProduct } = job;
  for (let u = job.u0; u < job.u1; u++) {
    const t = Math.floor(u / perProduct);
    const lo = (u % perProduct) * chunk;
    const ao = aAt + x[offAt + 2 * t];
    const bo = bAt + x[offAt + 2 * t + 1];
    const co = cAt + t * M * N;
    if (byRows) gemmRange(kind, x, ao, x, bo, x, co, M, K, N, lo, Math.min(M, lo + chunk), 0, N);
    else gemmRange(kind, x, ao, x, bo, x, co, M, K, N, 0, M, lo, Math.min(N, lo + chunk));
  }
}

interface Pool {
  workers: Worker[];
  /** One port per worker, on which it reports what failed; read synchronously. */
  errors: MessagePort[];
  ctl: Int32Array;
  arena: SharedArrayBuffer;
}

let pool: Pool | null = null;

/**
 * Worker bootstrap: load this module in the worker and serve jobs, or report a failed load. Where
 * this module is TypeScript source (the tests, the bench), the worker first registers tsx, the
 * loader the repository develops with; the published .js files need none.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const loader = workerData.tsx ? import(workerData.tsx).then((api) => api.register()) : Promise.resolve();
loader.then(() => import(workerData.url)).then(
  (m) => m.serveWorker(),
  (e) => { workerData.errors.postMessage(String((e && e.stack) || e)); Atomics.store(ctl, ${FAILED}, 1); },
).finally(() => { Atomics.sub(ctl, ${STARTING}, 1); Atomics.notify(ctl, ${STARTING}); });
`;

function tsxApi(): string | undefined {
  if (!import.meta.url.endsWith('.ts')) return undefined;
  const mod = builtin<typeof import('node:module')>('node:module')!;
  const url = builtin<typeof import('node:url')>('node:url')!;
  // tsx's CommonJS entry of this API cannot be imported; its ES module sits beside package.json.
  return new URL('dist/esm/api/index.mjs', url.pathToFileURL(mod.createRequire(import.meta.url).resolve('tsx/package.json'))).href;
}

function closePool(): void {
  if (!pool) return;
  for (const w of pool.workers) void w.terminate();
  for (const port of pool.errors) port.close();
  pool = null;
}

function drainErrors(p: Pool): string {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  const msgs: string[] = [];
  for (const port of p.errors) {
    for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) msgs.push(String(m.message));
  }
  return msgs.join('; ') || 'no message';
}

/** Adds workers until the pool has `nWorkers`, and waits until every new one serves jobs. */
function growPool(nWorkers: number): Pool {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  if (!pool) pool = { workers: [], errors: [], ctl: new Int32Array(new SharedArrayBuffer(3 * 4)), arena: new SharedArrayBuffer(8) };
  const p = pool;
  const { ctl } = p;
  const tsx = tsxApi();
  Atomics.store(ctl, STARTING, nWorkers - p.workers.length);
  while (p.workers.length < nWorkers) {
    const { port1, port2 } = new wt.MessageChannel();
    port1.unref();
    const w = new wt.Worker(BOOT, { eval: true, workerData: { url: import.meta.url, tsx, ctl: ctl.buffer, errors: port2 }, transferList: [port2] });
    w.unref();
    // A worker that dies between jobs takes the pool with it; the next product starts a fresh one.
    w.on('exit', () => {
      if (pool === p) closePool();
    });
    p.workers.push(w);
    p.errors.push(port1);
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let v = Atomics.load(ctl, STARTING); v > 0; v = Atomics.load(ctl, STARTING)) {
    if (Date.now() > deadline) {
      closePool();
      throw new Error(`lossgrad thread pool: workers did not start within ${START_TIMEOUT_MS / 1000} s; call setNumThreads(1) to run on one thread`);
    }
    Atomics.wait(ctl, STARTING, v, 100);
  }
  if (Atomics.load(ctl, FAILED) !== 0) {
    const why = drainErrors(p);
    closePool();
    throw new Error(`lossgrad thread pool: a worker failed to start (${why}); call setNumThreads(1) to run on one thread`);
  }
  return p;
}

/**
 * A worker's side: run each posted job, then count itself done and wake the caller.
 * @internal
 */
export function serveWorker(): void {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  const { ctl: buf, errors } = wt.workerData as { ctl: SharedArrayBuffer; errors: MessagePort };
  const ctl = new Int32Array(buf);
  wt.parentPort!.on('message', (job: GemmJob) => {
    try {
      runUnits(job);
    } catch (e) {
      errors.postMessage(e instanceof Error ? e.message : String(e));
      Atomics.store(ctl, FAILED, 1);
    } finally {
      Atomics.sub(ctl, BUSY, 1);
      Atomics.notify(ctl, BUSY);
    }
  });
}

/** A pool with at least `nWorkers` workers; a pool grown for more threads keeps its extra workers idle. */
function poolOf(nWorkers: number): Pool {
  return pool && pool.workers.length >= nWorkers ? pool : growPool(nWorkers);
}

/**
 * `gemmBatched` (engine/kernels/gemm.ts) split over `getNumThreads()` threads when the product is
 * big enough: the same arguments, the same bits.
 * @internal
 */
export function parallelGemm(
  kind: GemmKind, nb: number, a: Float64Array, ia: Int32Array | null, b: Float64Array, ib: Int32Array | null, c: Float64Array, M: number, K: number, N: number,
): void {
  // The size test first: asking for the thread count costs more than a small product.
  const threads = nb * M * K * N < PARALLEL_MIN_MACS ? 1 : getNumThreads();
  if (threads === 1) {
    gemmBatched(kind, nb, a, ia, b, ib, c, M, K, N);
    return;
  }
  const p = poolOf(threads - 1);
  const workers = p.workers.slice(0, threads - 1);
  // Chunks of whole 4-row (or 4-column) register blocks, at least `threads` of them in all.
  const byRows = M >= N;
  const side = byRows ? M : N;
  const perThread = Math.max(1, Math.ceil(threads / nb));
  const chunk = Math.ceil(side / perThread / 4) * 4;
  const perProduct = Math.ceil(side / chunk);
  const units = nb * perProduct;
  const aAt = 0;
  const bAt = aAt + a.length;
  const cAt = bAt + b.length;
  const offAt = cAt + c.length;
  const need = (offAt + 2 * nb) * 8;
  if (p.arena.byteLength < need) p.arena = new SharedArrayBuffer(Math.max(need, 2 * p.arena.byteLength));
  const x = new Float64Array(p.arena);
  x.set(a, aAt);
  x.set(b, bAt);
  x.set(c, cAt);
  for (let t = 0; t < nb; t++) {
    x[offAt + 2 * t] = (ia ? ia[t] : t) * M * K;
    x[offAt + 2 * t + 1] = (ib ? ib[t] : t) * K * N;
  }
  const job = (w: number): GemmJob => ({
    arena: p.arena, kind, M, K, N, aAt, bAt, cAt, offAt, byRows, chunk, perProduct,
    u0: Math.floor((w * units) / threads), u1: Math.floor(((w + 1) * units) / threads),
  });
  Atomics.store(p.ctl, BUSY, workers.length);
  Atomics.store(p.ctl, FAILED, 0);
  workers.forEach((w, i) => w.postMessage(job(i + 1)));
  let mine: unknown = null;
  try {
    runUnits(job(0));
  } catch (e) {
    mine = e;
  }
  for (let v = Atomics.load(p.ctl, BUSY); v > 0; v = Atomics.load(p.ctl, BUSY)) Atomics.wait(p.ctl, BUSY, v);
  if (mine !== null) throw mine;
  if (Atomics.load(p.ctl, FAILED) !== 0) {
    const why = drainErrors(p);
    closePool();
    throw new Error(`lossgrad thread pool: a worker failed during a matrix product (${why}); the pool was restarted`);
  }
  c.set(x.subarray(cAt, cAt + c.length));
}

/**
 * The live workers of the pool (none before the first split product): for tests and diagnostics.
 * @internal
 */
export function poolWorkers(): readonly Worker[] {
  return pool ? pool.workers : [];
}
