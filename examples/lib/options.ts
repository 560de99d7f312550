/** The options every example's `run` takes, and their defaults. */
import { fileURLToPath } from 'node:url';

export interface RunOptions {
  /** Small data and few steps: seconds instead of tens of seconds, for the specs. */
  quick: boolean;
  /** Where the SVG pictures go; `examples/out/` by default. */
  outDir?: string;
  /** Print progress bars and a summary table (default true). */
  log?: boolean;
}

export interface ResolvedOptions {
  quick: boolean;
  outDir: string;
  log: boolean;
}

export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

export function resolveOptions(opts: RunOptions): ResolvedOptions {
  return { quick: opts.quick, outDir: opts.outDir ?? DEFAULT_OUT_DIR, log: opts.log ?? true };
}

/** Picks the quick-mode or the full-mode value of a setting. */
export function pick<T>(opts: ResolvedOptions, quick: T, full: T): T {
  return opts.quick ? quick : full;
}
