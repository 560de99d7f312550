/**
 * `npm run bench [-- --quick] [filter…]`: times lossgrad against a fused loop, tfjs-cpu and
 * PyTorch (one and two threads, right after each row's own timing), prints the ratios, and (for a full, unfiltered run) writes
 * bench/RESULTS.md. A filter keeps the rows whose id starts with any given word (`b`, `L2`) or
 * whose title contains one of three letters or more (`ctc`, `losses`, `triplet`).
 *
 * Each row runs in a child process of its own, so the peak resident memory it reports is that
 * row's alone (plus the fixed cost of Node, tsx and tfjs, reported beside it as the baseline).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getNumThreads, setNumThreads } from '../engine/index.js';
import { disagreement } from './compare.js';
import { machine } from './machine.js';
import type { Measured, RowResult } from './report.js';
import { consoleNotes, consoleTable, fmtTime, markdown } from './report.js';
import type { Row } from './row.js';
import { ROWS } from './rows/index.js';
import { FULL, QUICK, measure } from './timing.js';
import type { TimingOptions } from './timing.js';
import { tfReady } from './tfjs.js';
import { ALLOCATOR_ENV, runTorch } from './torch.js';

// lossgrad and the fused loop both run in float64, so only summation order may differ.
const EXACT_TOL = 1e-9;
// tfjs runs in float32: this only catches a tfjs program that computes something else.
const TFJS_TOL = 5e-3;
const CHILD_FLAG = '--child';
const RESULT_TAG = 'BENCH-RESULT ';
const MiB = 1024 * 1024;

/** Runs one row in this process: the child's whole job. */
async function measureRow(row: Row, opts: TimingOptions): Promise<Measured> {
  await tfReady();
  if (row.threads !== undefined) setNumThreads(row.threads);
  const rssBase = process.memoryUsage().rss / MiB;
  const res: Measured = { notes: row.about ? [row.about] : [], threads: getNumThreads(), rssBase };
  const p = await row.prepare();
  const ref = p.fused();
  const bad = disagreement(p.lossgrad(), ref, EXACT_TOL);
  if (bad) return { ...res, skip: `lossgrad and the fused loop disagree: ${bad}` };
  let tfjs = p.tfjs;
  if (tfjs) {
    const badTf = disagreement(tfjs.result(), ref, TFJS_TOL);
    if (badTf) {
      res.notes.push(`tfjs not timed: its result disagrees (${badTf})`);
      tfjs = undefined;
    }
  }
  const fns = [() => p.lossgrad(), () => p.fused(), ...(tfjs ? [tfjs.step] : [])];
  let rssWarm = 0;
  const [ms, fusedMs, tfMs] = measure(fns, opts, () => { rssWarm = process.memoryUsage().rss / MiB; });
  const rssTimed = process.memoryUsage().rss / MiB - rssWarm;
  // maxRSS is in KiB on every platform Node supports.
  const rssPeak = process.resourceUsage().maxRSS / 1024;
  return { ...res, ms, fused: ms / fusedMs, tfjs: tfMs === undefined ? undefined : ms / tfMs, rssPeak, rssTimed };
}

/** Runs one row in a fresh child process and reads back what it measured. */
function runChild(row: Row, quick: boolean): Measured {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, CHILD_FLAG, row.id, ...(quick ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * MiB, env: { ...process.env, ...ALLOCATOR_ENV } });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (line) return JSON.parse(line.slice(RESULT_TAG.length)) as Measured;
  const why = r.error?.message ?? (r.stderr.trim().split('\n').slice(-1)[0] || `exit status ${r.status}`);
  return { notes: [], skip: `the row's process failed: ${why}` };
}

/**
 * PyTorch's times for one row, with one and with two threads, measured right after the row's
 * own (seconds apart, not minutes, on a machine whose speed drifts): the torch version, or null
 * when the row has no PyTorch reference or torch did not run.
 */
function addTorch(r: RowResult, opts: TimingOptions): string | null {
  if (!r.row.torch || r.ms === undefined) return null;
  let version: string | null = null;
  for (const threads of [1, 2] as const) {
    const label = `${threads} thread${threads > 1 ? 's' : ''}`;
    const t = runTorch([{ id: r.row.id, ...r.row.torch }], threads, opts);
    if ('skip' in t) {
      r.notes.push(`torch (${label}) not measured: ${t.skip}`);
      continue;
    }
    version = t.version;
    const tm = t.medians[r.row.id];
    r[threads === 1 ? 'torch1' : 'torch2'] = r.ms / tm;
    r.notes.push(`torch median (${label}) ${fmtTime(tm)}`);
  }
  return version;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const opts = quick ? QUICK : FULL;
  if (args[0] === CHILD_FLAG) {
    const row = ROWS.find((r) => r.id === args[1]);
    if (!row) throw new Error(`bench: no row with id ${args[1]}`);
    console.log(RESULT_TAG + JSON.stringify(await measureRow(row, opts)));
    return;
  }
  const filters = args.filter((a) => !a.startsWith('--')).map((a) => a.toLowerCase());
  const matches = (r: Row, f: string) => r.id.toLowerCase().startsWith(f) || (f.length >= 3 && r.title.toLowerCase().includes(f));
  const rows = ROWS.filter((r) => filters.length === 0 || filters.some((f) => matches(r, f)));
  const mach = machine();
  console.log(`${mach}${quick ? ' (quick: few reps, numbers are a smoke check only)' : ''}`);
  const results: RowResult[] = [];
  let torchVersion: string | null = null;
  for (const row of rows) {
    process.stdout.write(`${row.id} ${row.title} … `);
    const r: RowResult = { row, ...runChild(row, quick) };
    torchVersion = addTorch(r, opts) ?? torchVersion;
    console.log(r.skip ? `skipped: ${r.skip}` : `${fmtTime(r.ms!)}${r.torch1 === undefined ? '' : ` (${r.torch1.toFixed(2)}x torch on 1 thread)`}`);
    results.push(r);
  }
  console.log(consoleTable(results));
  const notes = consoleNotes(results);
  if (notes) console.log(`Notes:\n${notes}`);
  if (quick || filters.length > 0) {
    console.log('bench/RESULTS.md not written: only a full, unfiltered run writes it.');
    return;
  }
  const out = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  writeFileSync(out, markdown(results, mach, torchVersion, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'));
  console.log(`wrote ${out}`);
}

await main();
