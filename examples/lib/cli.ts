/**
 * What every example shares on the command line: the options its `run` takes, the flags that set
 * them (`--quick`, `--out`, `--quiet`, `--help`), and whether a module was started directly.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RunOptions {
  /** Small data and few steps: seconds instead of tens of seconds, for the specs. */
  quick: boolean;
  /** Where the SVG pictures go: `examples/out/`, or `examples/out-quick/` in quick mode. */
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
/** Quick runs write here, so that they never overwrite the full run's pictures. */
export const QUICK_OUT_DIR = fileURLToPath(new URL('../out-quick/', import.meta.url));

export function resolveOptions(opts: RunOptions): ResolvedOptions {
  return { quick: opts.quick, outDir: opts.outDir ?? (opts.quick ? QUICK_OUT_DIR : DEFAULT_OUT_DIR), log: opts.log ?? true };
}

/** Picks the quick-mode or the full-mode value of a setting. */
export function pick<T>(opts: ResolvedOptions, quick: T, full: T): T {
  return opts.quick ? quick : full;
}

/** Whether a module was started directly (`npx tsx examples/x.ts`) rather than imported. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
}

/** Console output that a caller can silence (the specs run the examples quietly). */
export type Say = (...lines: unknown[]) => void;

export function sayer(enabled: boolean): Say {
  return enabled ? (...lines) => console.log(...lines) : () => undefined;
}

/** How `--help` describes a command. */
export interface Usage {
  /** How to start it, e.g. `npx tsx examples/speech-ctc.ts`. */
  command: string;
  /** One or two lines on what it does. */
  summary: string;
  /** Flags of this command beyond the shared ones: `[flag, description]`. */
  extraFlags?: readonly (readonly [string, string])[];
}

export type CommandLine =
  | { kind: 'run'; options: RunOptions; flags: ReadonlySet<string> }
  | { kind: 'help'; text: string }
  | { kind: 'error'; text: string };

const SHARED_FLAGS: readonly (readonly [string, string])[] = [
  ['--quick', `small data and few steps (seconds); pictures go to ${relativeToCwd(QUICK_OUT_DIR)}`],
  ['--out DIR', `write the pictures to DIR (default ${relativeToCwd(DEFAULT_OUT_DIR)})`],
  ['--quiet', 'no progress bars or tables'],
  ['--help, -h', 'print this help and exit'],
];

function relativeToCwd(path: string): string {
  const cwd = `${process.cwd()}/`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

export function helpText(usage: Usage): string {
  const flags = [...SHARED_FLAGS, ...(usage.extraFlags ?? [])];
  const width = Math.max(...flags.map(([f]) => f.length));
  return [`Usage: ${usage.command} [options]`, '', usage.summary, '', 'Options:', ...flags.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`)].join('\n');
}

/** Reads the shared flags and the command's own (`extraFlags`, reported in `flags`). */
export function parseCommandLine(argv: readonly string[], usage: Usage): CommandLine {
  const extra = new Set((usage.extraFlags ?? []).map(([f]) => f.split(/[ ,]/)[0]));
  const options: RunOptions = { quick: false };
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { kind: 'help', text: helpText(usage) };
    if (a === '--quick') options.quick = true;
    else if (a === '--quiet') options.log = false;
    else if (a === '--out' || a.startsWith('--out=')) {
      const dir = a === '--out' ? argv[++i] : a.slice('--out='.length);
      if (dir === undefined || dir === '' || dir.startsWith('--')) return { kind: 'error', text: `--out needs a folder\n\n${helpText(usage)}` };
      options.outDir = dir;
    } else if (extra.has(a)) flags.add(a);
    else return { kind: 'error', text: `unknown option ${a}\n\n${helpText(usage)}` };
  }
  return { kind: 'run', options, flags };
}

/**
 * When `moduleUrl` is the started script: `--help` prints the help and runs nothing, a bad flag
 * prints the help to stderr with exit code 2, otherwise `run` gets the options.
 */
export async function runFromCommandLine(moduleUrl: string, usage: Usage, run: (opts: RunOptions) => Promise<unknown>): Promise<void> {
  if (!isMain(moduleUrl)) return;
  const parsed = parseCommandLine(process.argv.slice(2), usage);
  if (parsed.kind === 'help') console.log(parsed.text);
  else if (parsed.kind === 'error') {
    console.error(parsed.text);
    process.exitCode = 2;
  } else await run(parsed.options);
}
