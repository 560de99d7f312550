/**
 * Loss gallery: every loss of the library against its argument, with its gradient, both
 * computed by the engine (the gradient comes from backward, not from a formula).
 *
 *   npx tsx examples/loss-gallery.ts [--quick] [--out DIR] [--quiet] [--help]
 */
import { join } from 'node:path';
import { EBM_ENTRIES } from './gallery/ebm-entries.js';
import { curves } from './gallery/entry.js';
import { TORCH_ENTRIES } from './gallery/torch-entries.js';
import { lossAndGradientChart, writeIndexPages, writeSvg } from './lib/pictures.js';
import { pick, resolveOptions, runFromCommandLine, sayer } from './lib/cli.js';
import type { RunOptions } from './lib/cli.js';
import { formatTable, progress } from './lib/terminal.js';

export const GALLERY = [...TORCH_ENTRIES, ...EBM_ENTRIES];

export interface GalleryMetrics {
  /** One SVG per loss, under `gallery/`. */
  pictures: string[];
  /** Per picture, the largest loss and |gradient| drawn, for the summary. */
  extremes: { file: string; maxLoss: number; maxGrad: number }[];
}

export async function run(options: RunOptions): Promise<GalleryMetrics> {
  const opts = resolveOptions(options);
  const say = sayer(opts.log);
  const points = pick(opts, 41, 241);
  const bar = progress('loss gallery', GALLERY.length, opts.log && !opts.quick);
  const pictures: string[] = [];
  const extremes: GalleryMetrics['extremes'] = [];
  for (const entry of GALLERY) {
    const { loss, grad } = curves(entry, points);
    pictures.push(await writeSvg(join(opts.outDir, 'gallery'), entry.file, lossAndGradientChart(entry.title, entry.xTitle, loss, grad)));
    extremes.push({
      file: entry.file,
      maxLoss: Math.max(...loss.map((r) => r.value)),
      maxGrad: Math.max(...grad.map((r) => Math.abs(r.value))),
    });
    bar.tick(entry.file);
  }
  bar.stop();
  await writeIndexPages(opts.outDir);
  say(formatTable(
    `Loss gallery: ${pictures.length} pictures in ${join(opts.outDir, 'gallery')} (${points} points per curve)`,
    ['loss', 'max loss drawn', 'max |gradient| drawn'],
    extremes.map((e) => [e.file, e.maxLoss, e.maxGrad]),
  ));
  return { pictures, extremes };
}

await runFromCommandLine(import.meta.url, {
  command: 'npx tsx examples/loss-gallery.ts',
  summary: 'draws every loss and its gradient (from backward) as SVG pictures.',
}, run);
