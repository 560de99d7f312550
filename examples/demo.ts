/**
 * Runs every example in full mode, prints their results and writes the pictures to
 * examples/out/ (open examples/out/index.html). `npm run demo`; `npm run demo -- --quick` for the
 * small versions; `npm run demo -- --docs` also refreshes the README's copies under docs/.
 */
import { run as energyCollapse } from './energy-collapse.js';
import { copyToDocs } from './lib/docs-copies.js';
import { DEFAULT_OUT_DIR } from './lib/options.js';
import { formatTable, percent } from './lib/table.js';
import { run as lossGallery } from './loss-gallery.js';
import { run as speechCtc } from './speech-ctc.js';
import { run as tripletEmbeddings } from './triplet-embeddings.js';

const quick = process.argv.includes('--quick');
const started = Date.now();
const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const triplet = await tripletEmbeddings({ quick });
console.log();
const ctc = await speechCtc({ quick });
console.log();
const energy = await energyCollapse({ quick });
console.log();
const gallery = await lossGallery({ quick });
console.log();

const collapsed = energy.outcomes.filter((o) => o.collapsed).map((o) => o.loss);
console.log(formatTable(`Summary (${quick ? 'quick' : 'full'} mode, ${seconds()})`, ['example', 'result'], [
  ['triplet embeddings', `held-out 1-NN accuracy ${percent(triplet.accuracyBefore)} → ${percent(triplet.accuracyAfter)}`],
  ['speech-like CTC', `held-out LER greedy ${percent(ctc.greedyBefore)} → ${percent(ctc.greedyAfter)}, beam ${percent(ctc.beamBefore)} → ${percent(ctc.beamAfter)}`],
  ['energy collapse', `collapsed: ${collapsed.join(', ') || 'none'}; not collapsed: ${energy.outcomes.filter((o) => !o.collapsed).map((o) => o.loss).join(', ')}`],
  ['loss gallery', `${gallery.pictures.length} pictures`],
]));
console.log(`Pictures: ${DEFAULT_OUT_DIR}index.html`);
if (process.argv.includes('--docs')) console.log(`Copied to docs/: ${(await copyToDocs(DEFAULT_OUT_DIR)).map((p) => p.split('/').pop()).join(', ')}`);
