/** Renders a Vega-Lite spec to an SVG file, headless (no browser, no canvas). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

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
