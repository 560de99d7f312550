/**
 * The companion site: one HTML page per part of the lecture, each importing lossgrad from the
 * repository's TypeScript sources (root `index.ts`), so every number on a page is computed by
 * the library itself. Relative `base` lets `site/dist/` open from any static host or sub-path.
 */
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const pages = Object.fromEntries(
  readdirSync(here).filter((f) => f.endsWith('.html')).map((f) => [f.replace(/\.html$/, ''), resolve(here, f)]),
);

export default defineConfig({
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
