import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../examples/energy-collapse.js';
import { freshOutDir } from './out-dir.js';

describe('energy collapse example (quick mode)', () => {
  it('detects the collapse of the energy loss and none for the contrastive losses', async () => {
    const outDir = freshOutDir('energy');
    const { outcomes } = await run({ quick: true, outDir, log: false });
    const byLoss = new Map(outcomes.map((o) => [o.loss, o]));
    expect([...byLoss.keys()]).toEqual(['energy', 'hinge', 'log', 'square-square', 'nll']);

    const energy = byLoss.get('energy')!;
    expect(energy.collapsed).toBe(true);
    expect(Math.abs(energy.meanGap)).toBeLessThan(0.05);
    expect(energy.marginAccuracy).toBe(0);

    for (const name of ['hinge', 'log', 'square-square', 'nll']) {
      const o = byLoss.get(name)!;
      expect(o.collapsed).toBe(false);
      expect(o.accuracy).toBeGreaterThan(0.75);
      expect(o.meanGap).toBeGreaterThan(0.3);
    }
    for (const f of ['energy-surfaces.svg', 'energy-margins.svg']) expect(existsSync(join(outDir, f))).toBe(true);
  });
});
