/** The README's tour runs as written, and its `// =>` values hold. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExample } from './helpers/run-example.js';

const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('the README', () => {
  it('has a JavaScript tour importing from lossgrad', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]).toContain("from 'lossgrad'");
  });

  it.each(blocks.map((b, i) => [i, b] as const))('block %i runs and its => values hold', (i, block) => {
    const code = block.replace(/^import .* from 'lossgrad';$/m, '');
    expect(runExample(code, `README.md block ${i}`)).toBeGreaterThan(0);
  });
});
