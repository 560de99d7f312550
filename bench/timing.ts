/**
 * Interleaved medians: each sample round times every contender back to back, so a burst of
 * load from other processes hits all of them alike and the ratios stay meaningful.
 */

export interface TimingOptions {
  samples: number;
  /** Fast steps are repeated inside one sample until it lasts this long, to beat timer noise. */
  minSampleMs: number;
  warmupMs: number;
}

export const FULL: TimingOptions = { samples: 15, minSampleMs: 20, warmupMs: 300 };
export const QUICK: TimingOptions = { samples: 3, minSampleMs: 5, warmupMs: 50 };

function timeIters(fn: () => unknown, iters: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) fn();
  return (performance.now() - t0) / iters;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median milliseconds per call of each function; `warm` runs between the warm-up and the samples. */
export function measure(fns: readonly (() => unknown)[], opts: TimingOptions, warm?: () => void): number[] {
  const iters = fns.map((fn) => {
    const once = timeIters(fn, 1);
    let n = Math.max(1, Math.ceil(opts.minSampleMs / Math.max(once, 1e-4)));
    const warm = performance.now();
    while (performance.now() - warm < opts.warmupMs) {
      const t = timeIters(fn, n);
      n = Math.max(1, Math.ceil(opts.minSampleMs / Math.max(t, 1e-4)));
    }
    return n;
  });
  warm?.();
  const samples: number[][] = fns.map(() => []);
  for (let s = 0; s < opts.samples; s++) {
    fns.forEach((fn, i) => samples[i].push(timeIters(fn, iters[i])));
  }
  return samples.map(median);
}
