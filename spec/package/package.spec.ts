/**
 * The package as a user gets it: a fresh `git clone` of HEAD (no prior build; the clone borrows
 * this checkout's node_modules, as `npm install <git url>` would install the dev dependencies)
 * is packed, which runs `prepare`; the tarball is installed into a temporary project, and ESM,
 * CommonJS and strict TypeScript (`nodenext` and `bundler` resolution, tsc from this repository)
 * use it with plain node, outside ts-jest.
 *
 * Only committed work is packed: uncommitted edits in this checkout are not part of HEAD.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const temps: string[] = [];
const run = (cmd: string, args: string[], cwd: string): string => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
};
const write = (dir: string, files: Record<string, string | object>): void => {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }
};

// Each probe prints one JSON line: the same few computations from each kind of consumer.
const esmProbe = `
import * as root from 'lossgrad';
import { setNumThreads, tensor } from 'lossgrad/engine';
import { mseLoss } from 'lossgrad/losses';
import { ctcLoss } from 'lossgrad/ctc';
import { hingeLoss } from 'lossgrad/ebm';
import { Linear } from 'lossgrad/nn';
const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
x.mul(x).sum().backward();
// A product big enough to split: the installed package's workers must load, and agree.
const big = tensor(Array.from({ length: 300 * 300 }, (_, i) => Math.sin(i)), { shape: [300, 300] });
setNumThreads(1);
const one = big.matmul(big).data;
setNumThreads(2);
const two = big.matmul(big).data;
console.log(JSON.stringify({
  root: ['tensor', 'bceLoss', 'ctcLoss', 'ebm'].filter((k) => k in root),
  split: one.every((v, i) => Object.is(v, two[i])),
  sameTensor: root.tensor === tensor,
  sameLinear: root.nn.Linear === Linear,
  mse: mseLoss(tensor([1, 2]), tensor([0, 0])).item(),
  ctc: typeof ctcLoss,
  hinge: hingeLoss(tensor([[0.2, 1.5, 0.9], [2.0, 0.1, 0.4]]), [0, 1], { margin: 1 }).item(),
  grad: x.grad.toArray(),
  printed: String(x.grad),
}));
`;

const cjsProbe = `
const root = require('lossgrad');
const { setNumThreads, tensor } = require('lossgrad/engine');
const { hingeLoss } = require('lossgrad/ebm');
const { Linear } = require('lossgrad/nn');
const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
x.mul(x).sum().backward();
const big = tensor(Array.from({ length: 300 * 300 }, (_, i) => Math.cos(i)), { shape: [300, 300] });
setNumThreads(1);
const one = big.matmul(big).data;
setNumThreads(2);
const two = big.matmul(big).data;
console.log(JSON.stringify({
  split: one.every((v, i) => Object.is(v, two[i])),
  sameTensor: root.tensor === tensor,
  sameLinear: root.nn.Linear === Linear,
  hinge: hingeLoss(tensor([[0.2, 1.5, 0.9], [2.0, 0.1, 0.4]]), [0, 1], { margin: 1 }).item(),
  grad: x.grad.toArray(),
  version: require('lossgrad/package.json').version,
}));
`;

// Strict TypeScript: the probe must compile with no error, and the one line marked with the
// expect-error directive must be an error (an unchecked possibly-null gradient), or tsc fails.
const tsProbe = `
import { tensor, randn, crossEntropyLoss, toArray2d, type Tensor } from 'lossgrad';
import { ebm } from 'lossgrad';
const w: Tensor = randn([4, 3], { seed: 0, requiresGrad: true });
const loss = crossEntropyLoss(randn([8, 4], { seed: 1 }).matmul(w), [0, 1, 2, 0, 1, 2, 0, 1]);
loss.backward();
// @ts-expect-error grad is null until backward() has run, so strict mode asks for a check
const unchecked = w.grad.shape;
const g = w.grad;
if (g === null) throw new Error('no gradient');
const hinge: number = ebm.hingeLoss(tensor([[0.2, 1.5, 0.9], [2.0, 0.1, 0.4]]), [0, 1], { margin: 1 }).item();
const rowLengths: number[] = toArray2d(g).map((row) => row.length);
console.log(JSON.stringify({ gradShape: g.shape, hinge, unchecked: typeof unchecked, rowLengths }));
`;

const tsconfig = (module: string, moduleResolution: string): object => ({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module,
    moduleResolution,
    lib: ['ES2022', 'DOM'],
    types: [],
    outDir: 'out',
    skipLibCheck: false,
  },
  include: ['main.ts'],
});

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('the npm package, from a fresh clone', () => {
  it('packs with dist built by prepare and works from ESM, CommonJS and strict TypeScript', () => {
    const work = mkdtempSync(join(tmpdir(), 'lossgrad-package-'));
    temps.push(work);
    const clone = join(work, 'clone');
    const project = join(work, 'consumer');

    run('git', ['clone', '--quiet', root, clone], work);
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], clone)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md',
      'dist/index.js', 'dist/index.d.ts',
      ...['engine', 'losses', 'ctc', 'ebm', 'nn'].flatMap((s) => [`dist/${s}/index.js`, `dist/${s}/index.d.ts`]),
    ]));
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f))).toEqual([]);

    write(project, { 'package.json': { name: 'consumer', version: '1.0.0', private: true } });
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)], project);

    write(join(project, 'esm'), { 'package.json': { type: 'module' }, 'probe.js': esmProbe });
    expect(JSON.parse(run('node', ['probe.js'], join(project, 'esm')))).toEqual({
      root: ['tensor', 'bceLoss', 'ctcLoss', 'ebm'],
      split: true,
      sameTensor: true,
      sameLinear: true,
      mse: 2.5,
      ctc: 'function',
      hinge: expect.closeTo(0.5, 12),
      grad: [[2, 4], [6, 8]],
      printed: 'tensor([[2., 4.],\n        [6., 8.]])',
    });

    write(join(project, 'cjs'), { 'package.json': { type: 'commonjs' }, 'probe.js': cjsProbe });
    expect(JSON.parse(run('node', ['probe.js'], join(project, 'cjs')))).toEqual({
      split: true,
      sameTensor: true,
      sameLinear: true,
      hinge: expect.closeTo(0.5, 12),
      grad: [[2, 4], [6, 8]],
      version: '0.1.0',
    });

    const tsProjects: [string, object, object][] = [
      ['ts-nodenext', { type: 'module' }, tsconfig('nodenext', 'nodenext')],
      ['ts-nodenext-cjs', { type: 'commonjs' }, tsconfig('nodenext', 'nodenext')],
      ['ts-bundler', { type: 'module' }, tsconfig('esnext', 'bundler')],
    ];
    for (const [name, pkg, config] of tsProjects) {
      const dir = join(project, name);
      write(dir, { 'package.json': pkg, 'tsconfig.json': config, 'main.ts': tsProbe });
      run('node', [tsc, '-p', 'tsconfig.json'], dir);
      expect({ name, ...JSON.parse(run('node', ['out/main.js'], dir)) }).toEqual({
        name,
        gradShape: [4, 3],
        hinge: expect.closeTo(0.5, 12),
        unchecked: 'object',
        rowLengths: [3, 3, 3, 3],
      });
    }
  }, 180_000);
});
