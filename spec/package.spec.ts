/**
 * The published package works from a fresh project: build, pack, install the tarball (its
 * dependencies ndarray and ndarray-ops come from the npm registry) and import every entry point
 * with plain node, outside ts-jest.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const temps: string[] = [];
const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });

// Runs in the consumer project: each entry point's names, reported as JSON for the test to check.
const probe = `
import * as root from 'lossgrad';
import * as engine from 'lossgrad/engine';
import * as losses from 'lossgrad/losses';
import * as ctc from 'lossgrad/ctc';
import * as ebm from 'lossgrad/ebm';
const x = engine.tensor([[1, 2], [3, 4]], { requiresGrad: true });
x.mul(x).sum().backward();
console.log(JSON.stringify({
  root: ['tensor', 'bceLoss', 'ctcLoss', 'ebm'].filter((k) => k in root),
  rootEbmHinge: typeof root.ebm?.hingeLoss,
  engine: typeof engine.tensor,
  losses: typeof losses.bceLoss,
  ctc: typeof ctc.ctcLoss,
  ebm: typeof ebm.hingeLoss,
  grad: x.grad.toArray(),
}));
`;

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('builds, packs, installs into a fresh project and imports lossgrad and its four subpaths', () => {
    const packDir = mkdtempSync(join(tmpdir(), 'lossgrad-pack-'));
    const project = mkdtempSync(join(tmpdir(), 'lossgrad-consumer-'));
    temps.push(packDir, project);

    run('npm', ['run', 'build'], root);
    run('npm', ['pack', '--pack-destination', packDir], root);
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);

    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tarballs[0])], project);
    writeFileSync(join(project, 'probe.mjs'), probe);
    const report = JSON.parse(run('node', ['probe.mjs'], project));

    expect(report).toEqual({
      root: ['tensor', 'bceLoss', 'ctcLoss', 'ebm'],
      rootEbmHinge: 'function',
      engine: 'function',
      losses: 'function',
      ctc: 'function',
      ebm: 'function',
      grad: [[2, 4], [6, 8]],
    });
  }, 240_000);
});
