/**
 * Runs every example in full mode, prints their results and writes the pictures to
 * examples/out/ (open examples/out/index.html). `npm run demo`; `npm run demo -- --quick` for the
 * small versions (pictures in examples/out-quick/); `npm run demo -- --docs` also refreshes the
 * README's copies under docs/; `npm run demo -- --help` lists the options.
 */
import { run as energyCollapse } from './energy-collapse.js';
import { copyToDocs } from './lib/pictures.js';
import { parseCommandLine, resolveOptions } from './lib/cli.js';
import { formatTable, percent } from './lib/terminal.js';
import { run as lossGallery } from './loss-gallery.js';
import { run as speechCtc } from './speech-ctc.js';
import { run as tripletEmbeddings } from './triplet-embeddings.js';

const commandLine = parseCommandLine(process.argv.slice(2), {
  command: 'npm run demo --',
  summary: 'Runs every example (triplet embeddings, speech-like CTC, energy collapse, loss gallery),\nprints their results and writes the pictures with an index.html.',
  extraFlags: [['--docs', "also copy the README's pictures to docs/ (full mode only)"]],
});
if (commandLine.kind !== 'run') {
  (commandLine.kind === 'help' ? console.log : console.error)(commandLine.text);
  process.exit(commandLine.kind === 'help' ? 0 : 2);
}
const docs = commandLine.flags.has('--docs');
if (docs && commandLine.options.quick) {
  console.error('--docs copies the full run\'s pictures to docs/; run it without --quick');
  process.exit(2);
}
const opts = resolveOptions(commandLine.options);
const { quick } = opts;
const started = Date.now();
const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const triplet = await tripletEmbeddings(opts);
console.log();
const ctc = await speechCtc(opts);
console.log();
const energy = await energyCollapse(opts);
console.log();
const gallery = await lossGallery(opts);
console.log();

const collapsed = energy.outcomes.filter((o) => o.collapsed).map((o) => o.loss);
console.log(formatTable(`Summary (${quick ? 'quick' : 'full'} mode, ${seconds()})`, ['example', 'result'], [
  ['triplet embeddings', `held-out 1-NN accuracy ${percent(triplet.accuracyBefore)} → ${percent(triplet.accuracyAfter)}`],
  ['speech-like CTC', `held-out LER greedy ${percent(ctc.greedyBefore)} → ${percent(ctc.greedyAfter)}, beam ${percent(ctc.beamBefore)} → ${percent(ctc.beamAfter)}`],
  ['energy collapse', `collapsed: ${collapsed.join(', ') || 'none'}; not collapsed: ${energy.outcomes.filter((o) => !o.collapsed).map((o) => o.loss).join(', ')}`],
  ['loss gallery', `${gallery.pictures.length} pictures`],
]));
console.log(`Pictures: ${opts.outDir}index.html`);
if (docs) console.log(`Copied to docs/: ${(await copyToDocs(opts.outDir)).map((p) => p.split('/').pop()).join(', ')}`);
