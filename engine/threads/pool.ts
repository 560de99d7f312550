/**
 * A pool of worker threads for the big kernels, and the thread-count setting.
 *
 * The engine is synchronous, so a split kernel stages its operands in one SharedArrayBuffer (the
 * arena), posts each worker its share, computes its own share, and blocks in Atomics.wait until
 * the workers are done; each worker then has one reply waiting, read synchronously. Work is split
 * by whole outputs only (rows or columns of a product, rows of a loss, samples of CTC); each
 * output, and each partial sum, is computed by one thread in the order the kernel fixes, so
 * results are bit-identical for any thread count.
 *
 * Node's worker_threads is reached through `process.getBuiltinModule`, never imported, so a
 * bundle for the browser needs no Node module; wherever it (or SharedArrayBuffer) is missing,
 * every kernel runs on the calling thread. Importing this module starts nothing: the pool starts
 * on the first kernel big enough to split, and its workers are unref'd, so they never keep a
 * process alive. Workers load engine/threads/worker.ts, which maps each task name to its kernel.
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

/**
 * The smallest kernels that split, per kernel (below, the calling thread does all the work):
 * entries for the BCE, cross-entropy, logSoftmax and triplet kernels, frames × target states for
 * CTC. bench/threshold.ts put the crossover of one thread and two on the 2-core bench machine
 * near 2^14 for BCE, 2^14 to 2^15 for cross-entropy, 2^15 to 2^16 for logSoftmax, 2^15 for CTC
 * and 2^13 to 2^14 for the triplet loss with p ≠ 2 (noisy: each is the size from which two
 * threads won at every size measured above it, or nearly). The triplet loss with p = 2 never
 * splits: one pass over memory per row, it ran slower on two threads at every size from 2^10 to
 * 2^20 entries but one (0.76x at 2^19, 1.10x again at 2^20), since the workers' rows must be
 * copied in and their gradients back. The cosine embedding loss, the same kind of pass, has no split at all (1.4x to 2.1x
 * slower from 2^16 to 2^20, measured before its split was removed). Mutable only for that
 * script and the tests.
 * @internal
 */
export const SPLIT_MIN = { bceLogits: 1 << 15, crossEntropy: 1 << 15, logSoftmax: 1 << 16, ctc: 1 << 15, triplet: 1 << 14, tripletEuclidean: Infinity };

/** The kernels a worker can run; engine/threads/worker.ts maps each name to its function. */
export type TaskName =
  | 'gemm' | 'bceLogits' | 'crossEntropy' | 'logSoftmax' | 'logSoftmaxBackward' | 'ctcAlpha' | 'ctcBeta'
  | 'triplet' | 'tripletBackward';

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
 * Sets how many threads the big kernels (matrix products, the fused losses, CTC) use, the
 * calling thread included. Results do not depend on it: every output is computed in the same
 * order whatever the count.
 *
 * @param n - a positive integer; 1 keeps all work on the calling thread.
 * @returns nothing.
 *
 * PyTorch: `torch.set_num_threads(n)`.
 *
 * Numerical notes: bit-identical results for every `n` (the work is split by outputs, never
 * inside a sum). Where workers or SharedArrayBuffer are unavailable (a browser main thread, a
 * runtime without `process.getBuiltinModule`), the setting is kept but work stays on one thread.
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

/**
 * The threads for a kernel of `work` units: 1 below `min` (the size test comes first, because
 * asking for the thread count costs more than a small kernel), else `getNumThreads()`, never
 * more than `most` (the number of independent outputs it can be split into).
 * @internal
 */
export function threadsFor(work: number, min: number, most = Infinity): number {
  if (work < min || most < 2) return 1;
  return Math.min(getNumThreads(), most);
}

/** [lo, hi) of share `w` of `threads` over `units` whole units: the same cut whoever computes it. */
export function shareOf(units: number, threads: number, w: number): [number, number] {
  return [Math.floor((w * units) / threads), Math.floor(((w + 1) * units) / threads)];
}

interface Pool {
  workers: Worker[];
  /** One port per worker, on which it posts each job's reply (its value, or what failed); read synchronously. */
  replies: MessagePort[];
  ctl: Int32Array;
  arena: SharedArrayBuffer;
}

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: string;
}

let pool: Pool | null = null;

/**
 * Worker bootstrap: load the worker module and serve jobs, or report a failed load. Where the
 * modules are TypeScript source (the tests, the bench), the worker first registers tsx, the
 * loader the repository develops with; the published .js files need none.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const loader = workerData.tsx ? import(workerData.tsx).then((api) => api.register()) : Promise.resolve();
loader.then(() => import(workerData.url)).catch((e) => {
  workerData.replies.postMessage({ ok: false, error: String((e && e.stack) || e) });
  Atomics.store(ctl, ${FAILED}, 1);
}).finally(() => { Atomics.sub(ctl, ${STARTING}, 1); Atomics.notify(ctl, ${STARTING}); });
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
  for (const port of pool.replies) port.close();
  pool = null;
}

function drainErrors(p: Pool): string {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  const msgs: string[] = [];
  for (const port of p.replies) {
    for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) {
      const r = m.message as Reply;
      if (!r.ok) msgs.push(String(r.error));
    }
  }
  return msgs.join('; ') || 'no message';
}

/** Adds workers until the pool has `nWorkers`, and waits until every new one serves jobs. */
function growPool(nWorkers: number): Pool {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  if (!pool) pool = { workers: [], replies: [], ctl: new Int32Array(new SharedArrayBuffer(3 * 4)), arena: new SharedArrayBuffer(8) };
  const p = pool;
  const { ctl } = p;
  const tsx = tsxApi();
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;
  Atomics.store(ctl, STARTING, nWorkers - p.workers.length);
  while (p.workers.length < nWorkers) {
    const { port1, port2 } = new wt.MessageChannel();
    port1.unref();
    const w = new wt.Worker(BOOT, { eval: true, workerData: { url, tsx, ctl: ctl.buffer, replies: port2 }, transferList: [port2] });
    w.unref();
    // A worker that dies between jobs takes the pool with it; the next split kernel starts a fresh one.
    w.on('exit', () => {
      if (pool === p) closePool();
    });
    p.workers.push(w);
    p.replies.push(port1);
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

/** The array buffers a message can hand over instead of copying (those of typed arrays that span them). @internal */
export function transferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    if (b instanceof ArrayBuffer && b.byteLength === value.byteLength && !out.includes(b)) out.push(b);
  } else if (value !== null && typeof value === 'object' && depth < 4) {
    for (const v of Object.values(value)) transferables(v, out, depth + 1);
  }
  return out;
}

/**
 * A worker's side: run each posted job, reply with its value, then count itself done and wake
 * the caller.
 * @internal
 */
export function serveWorker(tasks: Readonly<Record<TaskName, (args: never) => unknown>>): void {
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  const { ctl: buf, replies } = wt.workerData as { ctl: SharedArrayBuffer; replies: MessagePort };
  const ctl = new Int32Array(buf);
  wt.parentPort!.on('message', ({ task, args }: { task: TaskName; args: never }) => {
    try {
      const value = tasks[task](args);
      replies.postMessage({ ok: true, value } satisfies Reply, transferables(value));
    } catch (e) {
      replies.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
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
 * Views of the shared arena for one split kernel, handed out in order. The calling thread's
 * share reads and writes the kernel's own arrays; the workers' shares read and write arena views
 * of the same lengths, of which only the entries the workers own are copied in (operands) or back
 * (outputs, by the caller). The arena is reused by the next split kernel.
 * @internal
 */
export class Arena {
  private at = 0;
  private constructor(private readonly buf: SharedArrayBuffer) {}

  /** An arena of at least `elements` float64 values, grown (and so first touched) only when too small. */
  static of(threads: number, elements: number): Arena {
    const p = poolOf(threads - 1);
    const need = elements * 8;
    if (p.arena.byteLength < need) p.arena = new SharedArrayBuffer(Math.max(need, 2 * p.arena.byteLength));
    return new Arena(p.arena);
  }

  /** A shared view of `n` entries, left as the last kernel left them: for outputs a worker writes in full. */
  space(n: number): Float64Array {
    const v = new Float64Array(this.buf, this.at * 8, n);
    this.at += n;
    return v;
  }

  /** A shared view of `a`'s length holding `a`'s entries [lo, hi) (all of them by default). */
  copyOf(a: Float64Array, lo = 0, hi = a.length): Float64Array {
    const v = this.space(a.length);
    v.set(a.subarray(lo, hi), lo);
    return v;
  }

  /** `n` shared zeros. */
  zeros(n: number): Float64Array {
    return this.space(n).fill(0);
  }
}

/**
 * Runs `fn(shares[0])` here and `task` on each other share in a worker at once, and returns every
 * share's value in order. `fn` is the function `task` names in engine/threads/worker.ts; the
 * shares reach the workers by structured clone, so the big typed arrays of shares 1.. should be
 * arena views (shared, not copied) or buffers listed in `transfer[t]` (moved to the worker, not
 * copied: the task hands them back by returning them). Call `Arena.of` with the same thread count
 * first: it starts the pool.
 * @internal
 */
export function runShares<A, R>(task: TaskName, fn: (args: A) => R, shares: readonly A[], transfer: readonly (readonly ArrayBuffer[])[] = []): R[] {
  const p = poolOf(shares.length - 1);
  splits[task]++;
  const workers = p.workers.slice(0, shares.length - 1);
  Atomics.store(p.ctl, BUSY, workers.length);
  Atomics.store(p.ctl, FAILED, 0);
  workers.forEach((w, i) => w.postMessage({ task, args: shares[i + 1] }, transfer[i + 1] ?? []));
  let mine: { value: R } | { error: unknown };
  try {
    mine = { value: fn(shares[0]) };
  } catch (e) {
    mine = { error: e };
  }
  for (let v = Atomics.load(p.ctl, BUSY); v > 0; v = Atomics.load(p.ctl, BUSY)) Atomics.wait(p.ctl, BUSY, v);
  if (Atomics.load(p.ctl, FAILED) !== 0) {
    const why = drainErrors(p);
    closePool();
    throw new Error(`lossgrad thread pool: a worker failed in ${task} (${why}); the pool was restarted`);
  }
  if ('error' in mine) throw mine.error;
  const wt = builtin<WorkerThreads>('node:worker_threads')!;
  const values: R[] = [mine.value];
  for (let i = 0; i < workers.length; i++) values.push((wt.receiveMessageOnPort(p.replies[i])!.message as Reply).value as R);
  return values;
}

/** A kernel's share of whole rows [u0, u1) (rows of its outer dimension). @internal */
export interface RowShare {
  u0: number;
  u1: number;
}

/**
 * Splits a kernel over whole rows: `job` covers rows [0, units), and each array it names in `ins`
 * (read) and `outs` (written in full at a share's rows, or added into when `zeroed`, which
 * zeroes the workers' rows first) holds the same number of entries per row.
 * The calling thread computes the first share in place, the workers the rest on arena copies of
 * their rows, whose outputs are then copied back.
 * @internal
 */
export function splitRows<S extends RowShare>(
  task: TaskName, fn: (s: S) => unknown, job: S, units: number, threads: number, ins: readonly (keyof S)[], outs: readonly (keyof S)[], zeroed = false,
): void {
  const first = shareOf(units, threads, 1)[0];
  const field = (k: keyof S) => job[k] as unknown as Float64Array | null;
  let total = 0;
  for (const k of [...ins, ...outs]) total += field(k)?.length ?? 0;
  const arena = Arena.of(threads, total);
  const theirs = { ...job } as Record<keyof S, unknown>;
  for (const k of ins) {
    const a = field(k);
    if (a !== null) theirs[k] = arena.copyOf(a, first * (a.length / units));
  }
  for (const k of outs) {
    const a = field(k);
    if (a !== null) theirs[k] = zeroed ? arena.space(a.length).fill(0, first * (a.length / units)) : arena.space(a.length);
  }
  const shares: S[] = [{ ...job, u0: 0, u1: first }];
  for (let t = 1; t < threads; t++) {
    const [u0, u1] = shareOf(units, threads, t);
    shares.push({ ...(theirs as S), u0, u1 });
  }
  runShares(task, fn, shares);
  for (const k of outs) {
    const a = field(k);
    if (a !== null) {
      const from = first * (a.length / units);
      a.set((theirs[k] as Float64Array).subarray(from), from);
    }
  }
}

/** The bytes of the staging arena, which lives as long as the pool (as large as the largest split kernel's operands). @internal */
export function arenaBytes(): number {
  return pool && pool.arena.byteLength > 8 ? pool.arena.byteLength : 0;
}

/** Lets the staging arena go, returning its bytes; the next split kernel makes a new one. @internal */
export function releaseArena(): number {
  const released = arenaBytes();
  if (pool) pool.arena = new SharedArrayBuffer(8);
  return released;
}

interface GemmShare {
  kind: GemmKind;
  M: number;
  K: number;
  N: number;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  /** Per product t, the offsets of its A and B: offsets[2t], offsets[2t + 1]. */
  offsets: Int32Array;
  byRows: boolean;
  chunk: number;
  /** Units of work [u0, u1): unit u is chunk `u % perProduct` of product `u / perProduct`. */
  perProduct: number;
  u0: number;
  u1: number;
}

/** A worker task: the units of a split product, written into the shared C. @internal */
export function gemmUnits(s: GemmShare): null {
  const { kind, M, K, N, a, b, c, offsets, byRows, chunk, perProduct } = s;
  for (let u = s.u0; u < s.u1; u++) {
    const t = Math.floor(u / perProduct);
    const lo = (u % perProduct) * chunk;
    const co = t * M * N;
    if (byRows) gemmRange(kind, a, offsets[2 * t], b, offsets[2 * t + 1], c, co, M, K, N, lo, Math.min(M, lo + chunk), 0, N);
    else gemmRange(kind, a, offsets[2 * t], b, offsets[2 * t + 1], c, co, M, K, N, 0, M, lo, Math.min(N, lo + chunk));
  }
  return null;
}

/**
 * `gemmBatched` (engine/kernels/gemm.ts) split over `getNumThreads()` threads when the product is
 * big enough: the same arguments, the same bits.
 * @internal
 */
export function parallelGemm(
  kind: GemmKind, nb: number, a: Float64Array, ia: Int32Array | null, b: Float64Array, ib: Int32Array | null, c: Float64Array, M: number, K: number, N: number,
): void {
  const threads = threadsFor(nb * M * K * N, PARALLEL_MIN_MACS);
  if (threads === 1) {
    gemmBatched(kind, nb, a, ia, b, ib, c, M, K, N);
    return;
  }
  // Chunks of whole 4-row (or 4-column) register blocks, at least `threads` of them in all.
  const byRows = M >= N;
  const side = byRows ? M : N;
  const perThread = Math.max(1, Math.ceil(threads / nb));
  const chunk = Math.ceil(side / perThread / 4) * 4;
  const perProduct = Math.ceil(side / chunk);
  const units = nb * perProduct;
  const arena = Arena.of(threads, a.length + b.length + c.length);
  const offsets = new Int32Array(2 * nb);
  for (let t = 0; t < nb; t++) {
    offsets[2 * t] = (ia ? ia[t] : t) * M * K;
    offsets[2 * t + 1] = (ib ? ib[t] : t) * K * N;
  }
  const base = { kind, M, K, N, a: arena.copyOf(a), b: arena.copyOf(b), c: arena.copyOf(c), offsets, byRows, chunk, perProduct };
  const shares = Array.from({ length: threads }, (_, w) => {
    const [u0, u1] = shareOf(units, threads, w);
    return { ...base, u0, u1 };
  });
  runShares('gemm', gemmUnits, shares);
  c.set(base.c);
}

const splits: Record<TaskName, number> = {
  gemm: 0, bceLogits: 0, crossEntropy: 0, logSoftmax: 0, logSoftmaxBackward: 0, ctcAlpha: 0, ctcBeta: 0, triplet: 0, tripletBackward: 0,
};

/**
 * How many times each kernel has been split over threads in this process: for tests (a result
 * that should not depend on the thread count proves nothing unless the work was split) and
 * diagnostics.
 * @internal
 */
export function splitCounts(): Readonly<Record<TaskName, number>> {
  return { ...splits };
}

/**
 * The live workers of the pool (none before the first split kernel): for tests and diagnostics.
 * @internal
 */
export function poolWorkers(): readonly Worker[] {
  return pool ? pool.workers : [];
}
