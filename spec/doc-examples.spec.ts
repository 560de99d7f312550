/**
 * Runs every `@example` in the public sources. An example is plain JavaScript using the root
 * exports; a line `expr; // => value` asserts that `expr` equals `value` to the precision written
 * (half a unit in the last printed decimal), elementwise for arrays.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExample } from './helpers/run-example.js';

const roots = ['engine', 'losses', 'ctc', 'ebm', 'nn'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Example { file: string; line: number; code: string }

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of roots.flatMap((r) => sources(join(process.cwd(), r)))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j];
        if (/^\s*\*\//.test(l) || /^\s*\*\s*@\w+/.test(l)) break;
        body.push(l.replace(/^\s*\*\s?/, ''));
      }
      out.push({ file: file.slice(process.cwd().length + 1), line: i + 1, code: body.join('\n').replace(/^```\w*$/gm, '') });
    }
  }
  return out;
}

const all = examples();

describe('@example blocks in the public docs', () => {
  it('exist', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  it.each(all.map((e) => [`${e.file}:${e.line}`, e] as const))('%s runs and its => values hold', (where, ex) => {
    expect(runExample(ex.code, where)).toBeGreaterThan(0);
  });
});
