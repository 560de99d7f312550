/**
 * The pictures the examples draw: Vega-Lite specs of each kind of chart, rendered headless to SVG
 * files, the HTML pages that show them, and the copies the README shows under docs/.
 */
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

// Charts: data arrive as plain row objects.
type Row = Record<string, number | string>;
/** One line, or several (a long title wraps by hand: Vega-Lite does not wrap). */
export type Title = string | string[];

const CONFIG = { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ccc' } } as const;

/** Points coloured by class, e.g. 2-D embeddings. */
export function scatterChart(title: Title, points: { x: number; y: number; label: string }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 360,
    height: 360,
    config: CONFIG,
    data: { values: points },
    mark: { type: 'circle', size: 22, opacity: 0.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'embedding 1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'embedding 2', scale: { zero: false } },
      color: { field: 'label', type: 'nominal', title: 'class', scale: { scheme: 'category10' }, sort: 'ascending' },
    },
  };
}

export interface HeatmapOptions {
  title: Title;
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  /** One panel per distinct value of this field, sharing one colour scale. */
  facet?: string;
  columns?: number;
  /** Row labels top to bottom; numeric rows otherwise run from the highest at the top. */
  yOrder?: string[];
  /** Clamps the colour scale so that panels with very different ranges stay comparable. */
  domain?: [number, number];
  scheme?: string;
  /** Points drawn over the cells, e.g. an alignment path or the true answers. */
  overlay?: { rows: Row[]; title: string };
  cellWidth?: number;
  cellHeight?: number;
}

/** Cells at integer `x` (columns) and `y` (rows) coloured by `value`. */
export function heatmapChart(cells: Row[], opts: HeatmapOptions): TopLevelSpec {
  const xs = new Set(cells.map((c) => c.x)).size;
  const ys = new Set(cells.map((c) => c.y)).size;
  const x = { field: 'x', type: 'ordinal', title: opts.xTitle, axis: { labelOverlap: true, labelAngle: 0 } } as const;
  const y = { field: 'y', type: 'ordinal', title: opts.yTitle, sort: opts.yOrder ?? 'descending' } as const;
  const rect = {
    mark: 'rect',
    encoding: {
      x,
      y,
      color: {
        field: 'value',
        type: 'quantitative',
        title: opts.valueTitle,
        scale: { scheme: opts.scheme ?? 'viridis', ...(opts.domain ? { domain: opts.domain, clamp: true } : {}) },
      },
    },
  } as const;
  const layers: object[] = [rect];
  if (opts.overlay) {
    layers.push({
      data: { values: opts.overlay.rows },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 30, color: '#ff3b30' },
      encoding: { x, y },
    });
  }
  const inner = {
    width: xs * (opts.cellWidth ?? 6),
    height: ys * (opts.cellHeight ?? 22),
    layer: layers,
  };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: opts.title, config: CONFIG };
  if (opts.facet) {
    return {
      ...base,
      data: { values: cells },
      facet: { field: opts.facet, type: 'nominal', title: null, sort: null },
      columns: opts.columns ?? 3,
      spec: inner,
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec;
  }
  return { ...base, data: { values: cells }, ...inner } as TopLevelSpec;
}

export interface CurveRow {
  x: number;
  value: number;
  series: string;
}

/** A loss (top) and its derivative (bottom) against one argument, one line per series. */
export function lossAndGradientChart(
  title: Title,
  xTitle: string,
  loss: CurveRow[],
  grad: CurveRow[],
): TopLevelSpec {
  const panel = (rows: CurveRow[], yTitle: string): object => ({
    width: 320,
    height: 170,
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', color: '#bbb' }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle },
          y: { field: 'value', type: 'quantitative', title: yTitle },
          color: { field: 'series', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom', columns: 2 } },
        },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CONFIG,
    vconcat: [panel(loss, 'loss'), panel(grad, 'gradient (backward)')],
  } as TopLevelSpec;
}

/** Bars per category, e.g. a metric per loss function. */
export function barChart(title: Title, rows: { category: string; value: number }[], valueTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CONFIG,
    width: 320,
    height: 160,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'category', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: valueTitle },
    },
  };
}

// Rendering: no browser, no canvas.

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: compiled } = vl.compile(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Writes `spec` as `<outDir>/<name>.svg` and returns the file's path. */
export async function writeSvg(outDir: string, name: string, spec: TopLevelSpec): Promise<string> {
  const path = join(outDir, `${name}.svg`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await renderSvg(spec));
  return path;
}

// Pages: built from what is on disk, so that running one example refreshes the index without
// losing the pictures of the others.

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

// The README's pictures: committed copies under docs/, refreshed by `npm run demo -- --docs`.

const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

/** docs/ name → path under the output folder. */
export const DOCS_PICTURES: Record<string, string> = {
  'triplet-before.svg': 'triplet-before.svg',
  'triplet-after.svg': 'triplet-after.svg',
  'ctc-posteriors.svg': 'ctc-posteriors.svg',
  'energy-surfaces.svg': 'energy-surfaces.svg',
  'gallery-hinge.svg': 'gallery/ebm-hinge.svg',
  'gallery-log.svg': 'gallery/ebm-log.svg',
};

export async function copyToDocs(outDir: string): Promise<string[]> {
  await mkdir(DOCS_DIR, { recursive: true });
  const written: string[] = [];
  for (const [name, source] of Object.entries(DOCS_PICTURES)) {
    await copyFile(join(outDir, source), join(DOCS_DIR, name));
    written.push(join(DOCS_DIR, name));
  }
  return written;
}
