/** The pictures the README shows: committed copies under docs/, refreshed by `npm run demo -- --docs`. */
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

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
