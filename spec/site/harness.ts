/**
 * What the companion-site spec needs around the browser: a production build of `site/` into a
 * temporary folder (the Vite CLI, as `npm run site` runs it), a static file server on localhost,
 * and a page opener that records console errors and waits until every chart has rendered.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const SCREENSHOTS = join(process.cwd(), 'site', 'screenshots');

export function buildSite(): string {
  const out = mkdtempSync(join(tmpdir(), 'lossgrad-site-'));
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'site', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'pipe' });
  return out;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

export async function serve(root: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

export interface Opened {
  page: Page;
  errors: string[];
  /** Milliseconds from navigation to every chart rendered. */
  loadMs: number;
}

export async function openPage(browser: Browser, url: string, width = 1000): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(url);
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  } catch (e) {
    throw new Error(`${url} never became ready (${String(e).split('\n')[0]}); its console errors: ${JSON.stringify(errors)}`);
  }
  return { page, errors, loadMs: Date.now() - t0 };
}

/** Charts on the page, and how many have drawn an SVG with marks in it. */
export async function chartCounts(page: Page): Promise<{ charts: number; drawn: number }> {
  // A string, not a function: the spec is compiled without the DOM's types.
  return page.evaluate(`(() => {
    const figs = [...document.querySelectorAll('figure.chart > div')];
    return { charts: figs.length, drawn: figs.filter((d) => d.querySelector('svg [class^="mark-"]') !== null).length };
  })()`);
}

/** The full-precision value behind a read-out. */
export async function valueOf(page: Page, id: string): Promise<string> {
  return (await page.getAttribute(`#${id}`, 'data-value')) ?? '';
}

/**
 * Narrows the window to a phone's width and returns by how many pixels the page then scrolls
 * sideways (0 when it fits); charts sized to their container redraw on the resize first.
 */
export async function phoneOverflow(page: Page, width = 390): Promise<number> {
  await page.setViewportSize({ width, height: 800 });
  await page.waitForTimeout(300);
  return page.evaluate(`document.documentElement.scrollWidth - window.innerWidth`);
}

/** Text of every element matching `selector`. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
