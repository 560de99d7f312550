import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ctc from '../../ctc/index.js';
import * as ebm from '../../ebm/index.js';
import * as torchLosses from '../../losses/index.js';
import { GALLERY, run } from '../../examples/loss-gallery.js';
import { freshOutDir } from './out-dir.js';

const lossNames = (module: object): string[] =>
  Object.entries(module).filter(([k, v]) => typeof v === 'function' && k.endsWith('Loss')).map(([k]) => k);

// The torch.nn losses, CTC's included (losses/index does not re-export it).
const losses = { ...torchLosses, ctcLoss: ctc.ctcLoss };

describe('loss gallery example (quick mode)', () => {
  it('has an entry for every loss the library exports', () => {
    const drawn = (prefix: string): boolean => GALLERY.some((e) => e.title.startsWith(prefix));
    expect(lossNames(losses).filter((name) => !drawn(`${name}(`))).toEqual([]);
    expect(lossNames(ebm).filter((name) => !drawn(`ebm.${name}:`) && !drawn(`ebm.${name} `))).toEqual([]);
    expect(GALLERY.length).toBe(lossNames(losses).length + lossNames(ebm).length);
  });

  it('writes one SVG per loss, with an index page showing them all', async () => {
    const outDir = freshOutDir('gallery');
    const { pictures } = await run({ quick: true, outDir, log: false });
    const svgs = readdirSync(join(outDir, 'gallery')).filter((f) => f.endsWith('.svg'));
    expect(pictures).toHaveLength(GALLERY.length);
    expect(svgs.sort()).toEqual(GALLERY.map((e) => `${e.file}.svg`).sort());
    const index = readFileSync(join(outDir, 'gallery', 'index.html'), 'utf8');
    for (const f of svgs) expect(index).toContain(`src="${f}"`);
  });
});
