/// <reference lib="dom" />
/**
 * A browser bundle of lossgrad (esbuild, from the root entry point, as a user's bundler would
 * build it, package.json `sideEffects` included) loads and computes in headless Chromium on a page
 * served with a Content-Security-Policy that forbids 'unsafe-eval'. The page computes a
 * cross-entropy loss and its gradient through a transpose (the strided-copy path); the test
 * recomputes both here from the formula.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';

const root = process.cwd();
const CSP = "default-src 'none'; script-src 'self'; connect-src 'none'";

// Runs on the page. The first lines probe the policy itself: were `new Function` allowed, the
// test would prove nothing about code generation.
const entry = `
import { crossEntropyLoss, tensor } from ${JSON.stringify(join(root, 'index.ts'))};
let evalBlocked = false;
try { new Function('return 1'); } catch { evalBlocked = true; }
const logitsT = tensor([[0.5, 1.5], [-1, 0.25], [2, -0.75]], { requiresGrad: true });   // [C, N]
const loss = crossEntropyLoss(logitsT.transpose(0, 1), [2, 0]);
loss.backward();
window.__lossgrad = { evalBlocked, loss: loss.item(), grad: logitsT.grad.toArray(), printed: String(loss) };
`;

const html = '<!doctype html><html><head><meta charset="utf-8"><title>lossgrad</title></head><body><script src="bundle.js"></script></body></html>';

let browser: Browser;
let server: Server;
let base: string;
let bundle: string;
const work = mkdtempSync(join(tmpdir(), 'lossgrad-browser-'));

beforeAll(async () => {
  writeFileSync(join(work, 'entry.js'), entry);
  const out = await build({
    entryPoints: [join(work, 'entry.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0].text;
  server = createServer((req, res) => {
    const body = req.url === '/bundle.js' ? bundle : req.url === '/' ? html : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': req.url === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
      'Content-Security-Policy': CSP,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

/** Cross-entropy with mean reduction and its gradient, from log-sum-exp, for rows of logits. */
function crossEntropyReference(rows: number[][], targets: number[]): { loss: number; grad: number[][] } {
  let loss = 0;
  const grad = rows.map((row, i) => {
    const m = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    loss += (m + Math.log(z) - row[targets[i]]) / rows.length;
    return row.map((v, j) => (Math.exp(v - m) / z - (j === targets[i] ? 1 : 0)) / rows.length);
  });
  return { loss, grad };
}

describe('the browser bundle', () => {
  it('loads and computes a loss and its gradient under a CSP without unsafe-eval', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const response = await page.goto(base);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    await page.waitForFunction(() => '__lossgrad' in window || document.readyState === 'complete');
    const result = await page.evaluate(() => (window as unknown as { __lossgrad?: unknown }).__lossgrad);
    await page.close();

    expect(problems).toEqual([]);
    const ref = crossEntropyReference([[0.5, -1, 2], [1.5, 0.25, -0.75]], [2, 0]); // the [N, C] rows
    const r = result as { evalBlocked: boolean; loss: number; grad: number[][]; printed: string };
    expect(r.evalBlocked).toBe(true);
    expect(r.loss).toBeCloseTo(ref.loss, 12);
    const gradT = ref.grad[0].map((_, c) => ref.grad.map((row) => row[c])); // [C, N], as logitsT
    r.grad.flat().forEach((g, i) => expect(g).toBeCloseTo(gradT.flat()[i], 12));
    expect(r.printed).toBe(`tensor(${ref.loss.toFixed(4)}, requiresGrad=true)`);
  });

});
