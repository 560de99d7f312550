import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../examples/triplet-embeddings.js';
import { freshOutDir } from './out-dir.js';

describe('triplet embeddings example (quick mode)', () => {
  it('raises held-out nearest-neighbour accuracy above 90% and draws the embeddings', async () => {
    const outDir = freshOutDir('triplet');
    const m = await run({ quick: true, outDir, log: false });
    expect(m.accuracyBefore).toBeLessThan(0.6);
    expect(m.accuracyAfter).toBeGreaterThan(0.9);
    const semiHard = m.runs.find((r) => r.mining === 'semi-hard')!;
    expect(semiHard.accuracyAfter).toBeGreaterThan(semiHard.accuracyBefore + 0.3);
    const linear = m.runs.find((r) => r.model.startsWith('linear'))!;
    expect(linear.accuracyAfter).toBeLessThan(m.accuracyAfter - 0.15);
    for (const f of ['triplet-before.svg', 'triplet-after.svg', 'index.html']) expect(existsSync(join(outDir, f))).toBe(true);
  });

  it('gives the same numbers on every run (fixed seeds)', async () => {
    const a = await run({ quick: true, outDir: freshOutDir('triplet'), log: false });
    const b = await run({ quick: true, outDir: freshOutDir('triplet'), log: false });
    expect(b.runs).toEqual(a.runs);
  });
});
