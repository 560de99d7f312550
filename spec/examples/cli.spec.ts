/** The examples' command line: --help runs nothing, --quick has its own folder, bad flags fail. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OUT_DIR, QUICK_OUT_DIR, parseCommandLine, resolveOptions } from '../../examples/lib/cli.js';

const usage = { command: 'npx tsx examples/x.ts', summary: 'Does x.', extraFlags: [['--docs', 'copy pictures']] as const };

describe('the examples command line', () => {
  it('--quick writes to its own folder, never over the full run', () => {
    const parsed = parseCommandLine(['--quick'], usage);
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(resolveOptions(parsed.options).outDir).toBe(QUICK_OUT_DIR);
    expect(resolveOptions({ quick: false }).outDir).toBe(DEFAULT_OUT_DIR);
    expect(QUICK_OUT_DIR).not.toBe(DEFAULT_OUT_DIR);
    expect(QUICK_OUT_DIR.startsWith(DEFAULT_OUT_DIR)).toBe(false);
  });

  it('reads --out (both spellings), --quiet and the command\'s own flags', () => {
    const a = parseCommandLine(['--out', '/tmp/a', '--quiet', '--docs'], usage);
    const b = parseCommandLine(['--out=/tmp/b', '--quick'], usage);
    expect(a).toEqual({ kind: 'run', options: { quick: false, outDir: '/tmp/a', log: false }, flags: new Set(['--docs']) });
    expect(b).toEqual({ kind: 'run', options: { quick: true, outDir: '/tmp/b' }, flags: new Set() });
  });

  it('--help and -h give the usage with every option; unknown flags and a missing folder are errors', () => {
    for (const flag of ['--help', '-h']) {
      const parsed = parseCommandLine(['--quick', flag], usage);
      expect(parsed.kind).toBe('help');
      if (parsed.kind === 'help') for (const f of ['--quick', '--out DIR', '--quiet', '--help', '--docs', 'Does x.']) expect(parsed.text).toContain(f);
    }
    const unknown = parseCommandLine(['--quik'], usage);
    expect(unknown.kind).toBe('error');
    if (unknown.kind === 'error') expect(unknown.text).toMatch(/^unknown option --quik\n/);
    expect(parseCommandLine(['--out'], usage).kind).toBe('error');
    expect(parseCommandLine(['--out', '--quick'], usage).kind).toBe('error');
  });

  it('an example started with --help prints it and runs nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'lossgrad-cli-'));
    rmSync(out, { recursive: true });
    try {
      const text = execFileSync('node', ['--import', 'tsx', 'examples/triplet-embeddings.ts', '--out', out, '--help'], { encoding: 'utf8' });
      expect(text).toContain('Usage: npx tsx examples/triplet-embeddings.ts [options]');
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
