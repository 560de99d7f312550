/** Runs bench/torch_bench.py once per thread count for every row that has a PyTorch reference. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TorchSpec } from './row.js';
import type { TimingOptions } from './timing.js';

// NOTE: only this interpreter has torch; the `python3` on PATH does not.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));

export interface TorchTimes {
  version: string;
  /** Median milliseconds per forward+backward step, by row id. */
  medians: Record<string, number>;
}

/** PyTorch's timings with `threads` intra-op threads, or why there are none. */
export function runTorch(rows: readonly ({ id: string } & TorchSpec)[], threads: number, opts: TimingOptions): TorchTimes | { skip: string } {
  const job = { rows, threads, samples: opts.samples, min_sample_ms: opts.minSampleMs, warmup_ms: opts.warmupMs };
  const r = spawnSync(PYTHON, [SCRIPT, JSON.stringify(job)], { encoding: 'utf8', timeout: 900_000 });
  if (r.error) return { skip: `${PYTHON} did not run (${r.error.message})` };
  if (r.status !== 0) return { skip: `torch_bench.py failed: ${r.stderr.trim().split('\n').slice(-1)[0]}` };
  return JSON.parse(r.stdout) as TorchTimes | { skip: string };
}
