/**
 * Runs every `@example` in the public sources. An example is plain JavaScript using the root
 * exports; a line `expr; // => value` asserts that `expr` equals `value` to the precision written
 * (half a unit in the last printed decimal), elementwise for arrays.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from '../index.js';

const roots = ['engine', 'losses', 'ctc', 'ebm'];

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

function tolerance(literal: string): number {
  const m = /\.(\d+)(?:e([+-]?\d+))?/i.exec(literal);
  const digits = m ? m[1].length : 0;
  const exp = m && m[2] ? Number(m[2]) : 0;
  return 0.5 * 10 ** (exp - digits) + 1e-12;
}

function check(actual: unknown, expectedLiteral: string, where: string): void {
  const expected = JSON.parse(expectedLiteral.replace(/\bNaN\b/g, '"NaN"').replace(/-?\bInfinity\b/g, (s) => `"${s}"`));
  const tol = tolerance(expectedLiteral);
  const a = [actual].flat(Infinity) as unknown[];
  const e = [expected].flat(Infinity) as unknown[];
  if (a.length !== e.length) throw new Error(`${where}: got ${JSON.stringify(actual)}, expected ${expectedLiteral}`);
  e.forEach((ev, i) => {
    const av = a[i];
    const ok = typeof ev === 'number'
      ? typeof av === 'number' && Math.abs(av - ev) <= tol
      : ev === 'NaN' ? Number.isNaN(av) : ev === 'Infinity' ? av === Infinity : ev === '-Infinity' ? av === -Infinity : av === ev;
    if (!ok) throw new Error(`${where}: got ${JSON.stringify(actual)}, expected ${expectedLiteral}`);
  });
}

const all = examples();

describe('@example blocks in the public docs', () => {
  it('exist', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  it.each(all.map((e) => [`${e.file}:${e.line}`, e] as const))('%s runs and its => values hold', (where, ex) => {
    const code = ex.code.replace(/^(.*?);?\s*\/\/\s*=>\s*(.+)$/gm, (_m, expr: string, val: string) => `__check((${expr}), ${JSON.stringify(val.trim())}, ${JSON.stringify(where)});`);
    expect(code).toContain('__check(');
    const names = Object.keys(lib);
    const run = new Function(...names, '__check', code);
    run(...names.map((n) => (lib as Record<string, unknown>)[n]), check);
  });
});
