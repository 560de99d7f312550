/** Runs bench/torch_bench.py for rows that have a PyTorch reference, with a given thread count. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TorchSpec } from './row.js';
import type { TimingOptions } from './timing.js';

// NOTE: only this interpreter has torch; the `python3` on PATH does not.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));

/**
 * glibc's allocator settings for every timed process (the rows' own and PyTorch's): memory freed
 * by a step is kept for the next instead of going back to the system. A fresh PyTorch process
 * otherwise maps and faults in each big tensor anew: cosineEmbeddingLoss [4096, 128] alone took
 * 24 to 43 ms a step that way and 6.2 to 7.8 ms with these, what it took when earlier rows had
 * already grown the heap. PyTorch gets its best case, whatever ran before it.
 */
export const ALLOCATOR_ENV = { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 32), MALLOC_TOP_PAD_: String(2 ** 28) };

export interface TorchTimes {
  version: string;
  /** Median milliseconds per forward+backward step, by row id. */
  medians: Record<string, number>;
}

/** PyTorch's timings with `threads` intra-op threads, or why there are none. */
export function runTorch(rows: readonly ({ id: string } & TorchSpec)[], threads: number, opts: TimingOptions): TorchTimes | { skip: string } {
  const job = { rows, threads, samples: opts.samples, min_sample_ms: opts.minSampleMs, warmup_ms: opts.warmupMs };
  const r = spawnSync(PYTHON, [SCRIPT, JSON.stringify(job)], { encoding: 'utf8', timeout: 900_000, env: { ...process.env, ...ALLOCATOR_ENV } });
  if (r.error) return { skip: `${PYTHON} did not run (${r.error.message})` };
  if (r.status !== 0) return { skip: `torch_bench.py failed: ${r.stderr.trim().split('\n').slice(-1)[0]}` };
  return JSON.parse(r.stdout) as TorchTimes | { skip: string };
}
