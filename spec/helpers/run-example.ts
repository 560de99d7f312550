/**
 * Runs a documentation example: plain JavaScript with the root exports in scope, where a line
 * `expr; // => value` asserts that `expr` equals `value` to the precision written (half a unit
 * in the last printed decimal), elementwise for arrays.
 */
import * as lib from '../../index.js';

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

/** Runs `code`, checking each `// =>` line; returns how many were checked. */
export function runExample(code: string, where: string): number {
  let checks = 0;
  const body = code.replace(/^(.*?);?\s*\/\/\s*=>\s*(.+)$/gm, (_m, expr: string, val: string) => {
    checks++;
    return `__check((${expr}), ${JSON.stringify(val.trim())}, ${JSON.stringify(where)});`;
  });
  const names = Object.keys(lib);
  const run = new Function(...names, '__check', body);
  run(...names.map((n) => (lib as Record<string, unknown>)[n]), check);
  return checks;
}
