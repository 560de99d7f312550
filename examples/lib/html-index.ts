/**
 * HTML pages that show the pictures. Built from what is on disk, so that running one example
 * refreshes the index without losing the pictures of the others.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SECTIONS: Record<string, string> = {
  triplet: 'Triplet embeddings (tripletMarginLoss with batch-hard mining)',
  ctc: 'Speech-like CTC (ctcLoss, greedy and beam decoding, forced alignment)',
  energy: 'Energy collapse (energy loss against contrastive losses)',
  gallery: 'Loss gallery (values and gradients from backward)',
};

/** The SVGs under `dir` in the order they were written, which is the order each example tells its story in. */
async function svgsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const paths = entries.filter((e) => e.isFile() && e.name.endsWith('.svg')).map((e) => join(e.parentPath, e.name));
  const written = await Promise.all(paths.map(async (p) => ({ p, t: (await stat(p)).mtimeMs })));
  return written.sort((a, b) => a.t - b.t || a.p.localeCompare(b.p)).map(({ p }) => p);
}

function page(title: string, sections: [string, string[]][]): string {
  const body = sections
    .map(([heading, srcs]) => {
      const figures = srcs.map((s) => `<figure><img src="${s}" alt="${s}"><figcaption>${s}</figcaption></figure>`);
      return `<section><h2>${heading}</h2><div class="grid">${figures.join('\n')}</div></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: 0.8em; color: #666; }
</style></head>
<body><h1>${title}</h1>
${body}
</body></html>
`;
}

function sectionOf(path: string): string {
  const first = path.split(/[/-]/)[0];
  return first in SECTIONS ? first : 'other';
}

/** Writes `index.html` (every picture) and `gallery/index.html` (the loss gallery alone). */
export async function writeIndexPages(outDir: string): Promise<void> {
  const files = (await svgsUnder(outDir)).map((f) => relative(outDir, f).split('\\').join('/'));
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const s = sectionOf(f);
    groups.set(s, [...(groups.get(s) ?? []), f]);
  }
  const order = [...Object.keys(SECTIONS), 'other'].filter((s) => groups.has(s));
  const sections = order.map((s): [string, string[]] => [SECTIONS[s] ?? 'Other pictures', groups.get(s)!]);
  await writeFile(join(outDir, 'index.html'), page('lossgrad examples', sections));
  const gallery = groups.get('gallery');
  if (gallery) {
    const local = gallery.map((f) => f.replace(/^gallery\//, ''));
    await writeFile(join(outDir, 'gallery', 'index.html'), page('lossgrad loss gallery', [[SECTIONS.gallery, local]]));
  }
}
