/**
 * The companion site: one HTML page per part of the lecture, each importing lossgrad from the
 * repository's TypeScript sources (root `index.ts`), so every number on a page is computed by
 * the library itself. Relative `base` lets `site/dist/` open from any static host or sub-path.
 */
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const pages = Object.fromEntries(
  readdirSync(here).filter((f) => f.endsWith('.html')).map((f) => [f.replace(/\.html$/, ''), resolve(here, f)]),
);

/**
 * engine/methods.ts attaches the op methods to Tensor when engine/index.ts imports it. With
 * package.json's sideEffects list, Rolldown takes engine/index.ts (not on the list) for a module
 * whose import of methods.ts can be skipped, and tensors reach the page without their methods.
 * The library's own source modules are therefore kept as ordinary, side-effectful modules;
 * dependencies keep their packages' declarations.
 */
const keepLibrarySideEffects: Plugin = {
  name: 'keep-library-side-effects',
  transform(code, id) {
    return id.startsWith(repo) && !id.includes('/node_modules/') ? { code, moduleSideEffects: true } : null;
  },
};

export default defineConfig({
  plugins: [keepLibrarySideEffects],
  root: here,
  base: './',
  server: { fs: { allow: [repo] } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: pages },
  },
});
