/**
 * The package's structure rules (.dependency-cruiser.cjs): no import cycle, losses/ctc/ebm on the
 * engine only and never on each other, the engine reached only through its indexes. A change
 * that breaks one fails here, naming the import.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = process.cwd();

it('the library follows its dependency rules (dependency-cruiser)', () => {
  let out: string;
  try {
    out = execFileSync(process.execPath, [
      join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config', '.dependency-cruiser.cjs', '--output-type', 'err',
      'index.ts', 'entries', 'engine', 'losses', 'ctc', 'ebm', 'nn',
    ], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`dependency rules broken:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  expect(out).toContain('no dependency violations found');
});
