/** A fresh temporary folder for one spec's pictures, so parallel specs never share files. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freshOutDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `lossgrad-${name}-`));
}
