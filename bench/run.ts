/**
 * `npm run bench [-- --quick] [filter…]`: times lossgrad against a fused loop, tfjs-cpu and
 * PyTorch, prints the ratios, and (for a full, unfiltered run) writes bench/RESULTS.md.
 * A filter keeps the rows whose id starts with any given word (`b`, `L2`) or whose title contains
 * one of three letters or more (`ctc`, `losses`, `triplet`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { disagreement } from './compare.js';
import { isSkip } from './load.js';
import { machine } from './machine.js';
import type { RowResult } from './report.js';
import { consoleNotes, consoleTable, fmtTime, markdown } from './report.js';
import type { Row } from './row.js';
import { ROWS } from './rows/index.js';
import { FULL, QUICK, measure } from './timing.js';
import type { TimingOptions } from './timing.js';
import { tfReady } from './tfjs.js';
import { runTorch } from './torch.js';

// lossgrad and the fused loop both run in float64, so only summation order may differ.
const EXACT_TOL = 1e-9;
// tfjs runs in float32: this only catches a tfjs program that computes something else.
const TFJS_TOL = 5e-3;

async function runRow(row: Row, opts: TimingOptions): Promise<RowResult> {
  const res: RowResult = { row, notes: row.about ? [row.about] : [] };
  const p = await row.prepare();
  if (isSkip(p)) return { ...res, skip: p.skip };
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
  const [ms, fusedMs, tfMs] = measure(fns, opts);
  return { ...res, ms, fused: ms / fusedMs, tfjs: tfMs === undefined ? undefined : ms / tfMs };
}

function addTorch(results: RowResult[], opts: TimingOptions): string | null {
  const timed = results.filter((r) => r.row.torch && r.ms !== undefined);
  if (timed.length === 0) return null;
  console.log(`PyTorch: ${timed.map((r) => r.row.id).join(', ')} …`);
  const t = runTorch(timed.map((r) => ({ id: r.row.id, ...r.row.torch! })), opts);
  if (isSkip(t)) {
    for (const r of timed) r.notes.push(`torch not measured: ${t.skip}`);
    console.log(`  torch skipped: ${t.skip}`);
    return null;
  }
  for (const r of timed) {
    const tm = t.medians[r.row.id];
    r.torch = r.ms! / tm;
    r.notes.push(`torch median ${fmtTime(tm)}`);
  }
  return t.version;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const filters = args.filter((a) => !a.startsWith('--')).map((a) => a.toLowerCase());
  const matches = (r: Row, f: string) => r.id.toLowerCase().startsWith(f) || (f.length >= 3 && r.title.toLowerCase().includes(f));
  const rows = ROWS.filter((r) => filters.length === 0 || filters.some((f) => matches(r, f)));
  const opts = quick ? QUICK : FULL;
  const mach = machine();
  console.log(`${mach}${quick ? ' (quick: few reps, numbers are a smoke check only)' : ''}`);
  // tfjs greets on its first use; let that happen before the progress lines.
  await tfReady();
  const results: RowResult[] = [];
  for (const row of rows) {
    process.stdout.write(`${row.id} ${row.title} … `);
    const r = await runRow(row, opts);
    console.log(r.skip ? `skipped: ${r.skip}` : fmtTime(r.ms!));
    results.push(r);
  }
  const torchVersion = addTorch(results, opts);
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
