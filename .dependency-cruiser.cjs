/**
 * The package's dependency rules, checked by `npm test` (spec/structure.spec.ts) with
 * dependency-cruiser:
 * - no import cycle anywhere in the library (type-only imports, erased at compile time, aside);
 * - losses/, ctc/ and ebm/ depend on engine/ and never on each other; nn/ assembles layers from
 *   engine/, losses/ and ctc/; the root index.ts assembles everything;
 * - outside engine/, the engine is reached only through its two indexes (engine/index.ts, the
 *   public API, and engine/internal.ts, what the library's packages share), so moving an engine
 *   file breaks no importer;
 * - the engine depends on no other package folder, and no library module on specs, examples,
 *   benchmarks or the site.
 */
const LIB = '^(engine|losses|ctc|ebm|nn)/';

module.exports = {
  forbidden: [
    // Type-only imports are erased at compile time, so they cannot make a load-order cycle.
    { name: 'no-cycles', severity: 'error', from: { path: LIB }, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    { name: 'engine-stands-alone', severity: 'error', from: { path: '^engine/' }, to: { path: '^(losses|ctc|ebm|nn)/' } },
    { name: 'losses-only-on-engine', severity: 'error', from: { path: '^losses/' }, to: { path: '^(ctc|ebm|nn)/' } },
    { name: 'ctc-only-on-engine', severity: 'error', from: { path: '^ctc/' }, to: { path: '^(losses|ebm|nn)/' } },
    { name: 'ebm-only-on-engine', severity: 'error', from: { path: '^ebm/' }, to: { path: '^(losses|ctc|nn)/' } },
    {
      name: 'engine-through-its-indexes',
      severity: 'error',
      from: { path: '^(losses|ctc|ebm|nn)/' },
      to: { path: '^engine/', pathNot: '^engine/(index|internal)\\.ts$' },
    },
    { name: 'library-not-on-tooling', severity: 'error', from: { path: LIB }, to: { path: '^(spec|examples|bench|site)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    parser: 'tsc',
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist|spec|examples|bench|site|docs)/' },
  },
};
