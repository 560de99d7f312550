import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../examples/speech-ctc.js';
import { freshOutDir } from './out-dir.js';

describe('speech-like CTC example (quick mode)', () => {
  it('lowers the held-out label error rate of both decoders and draws the posteriors', async () => {
    const outDir = freshOutDir('ctc');
    const m = await run({ quick: true, outDir, log: false });
    expect(m.greedyBefore).toBeGreaterThan(0.9);
    expect(m.beamBefore).toBeGreaterThan(0.9);
    expect(m.greedyAfter).toBeLessThan(0.2);
    expect(m.beamAfter).toBeLessThan(0.2);
    const svg = readFileSync(join(outDir, 'ctc-posteriors.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('forced alignment');
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
  });
});
