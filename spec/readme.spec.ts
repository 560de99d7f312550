/**
 * The README's tour runs as written, its `// =>` values hold, and pasted into a `.ts` file it
 * type-checks under `strict` (tsc from this repository, `lossgrad` mapped to the sources).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExample } from './helpers/run-example.js';

const root = process.cwd();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const jsBlocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
// Blocks with `// =>` checks are runnable tours; the others show import lines for a project.
const tours = jsBlocks.filter((b) => /\/\/\s*=>/.test(b));

describe('the README', () => {
  it('has a JavaScript tour importing from lossgrad', () => {
    expect(tours.length).toBeGreaterThan(0);
    expect(tours[0]).toMatch(/^import .* from 'lossgrad';$/m);
  });

  it.each(tours.map((b, i) => [i, b] as const))('tour %i runs and its => values hold', (i, block) => {
    const code = block.replace(/^import .* from 'lossgrad';$/m, '');
    expect(runExample(code, `README.md tour ${i}`)).toBeGreaterThan(0);
  });

  it('tour 0 type-checks as a strict TypeScript file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lossgrad-readme-'));
    try {
      // The last line proves the check has teeth: were lossgrad's types not found (w: any) or
      // strict off, the directive would be unused, which is itself an error in tour.ts.
      const probe = '// @ts-expect-error grad is Tensor | null\nw.grad.shape;\nexport {};\n';
      writeFileSync(join(dir, 'tour.ts'), `${tours[0]}\n${probe}`);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2022'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          skipLibCheck: true,
          paths: { lossgrad: [join(root, 'index.ts')] },
        },
        files: ['tour.ts'],
      }));
      let output = '';
      try {
        execFileSync('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      // Errors inside the library's own sources are the library's type-check's business, not the tour's.
      const tourErrors = output.split('\n').filter((l) => l.includes('tour.ts'));
      expect(tourErrors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
