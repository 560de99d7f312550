/**
 * Run as a child by spec/speed/threads.spec.ts: one split product, then nothing. The process must
 * exit by itself. With `--no-builtins`, `process.getBuiltinModule` is hidden first, as in a runtime
 * without worker threads, and everything must still work on one thread.
 */
if (process.argv.includes('--no-builtins')) {
  Object.defineProperty(process, 'getBuiltinModule', { value: undefined });
}
const { getNumThreads, setNumThreads, tensor } = await import('../../../engine/index.js');
const { poolWorkers } = await import('../../../engine/threads/pool.js');
const started = poolWorkers().length;
if (!process.argv.includes('--no-builtins')) setNumThreads(2);
const a = tensor(Array.from({ length: 64 * 256 }, (_, i) => Math.sin(i)), { shape: [64, 256] });
const b = tensor(Array.from({ length: 256 * 128 }, (_, i) => Math.cos(i)), { shape: [256, 128] });
const y = a.matmul(b);
console.log(JSON.stringify({ threads: getNumThreads(), workersAtImport: started, workersAfter: poolWorkers().length, sum: y.sum().item() }));
