/**
 * The companion site in headless Chromium: each page loads without console errors, every chart
 * draws, works at phone width, and one interaction per page changes what the page shows exactly
 * as lossgrad, run here in Node, says it must.
 */
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { bceLoss, bceWithLogitsLoss, cosineEmbeddingLoss, ctcLoss, ebm, huberLoss, randn, sigmoid, tensor } from '../../index.js';
import { launchBrowser } from '../helpers/browser.js';
import { TripletTrainer, nearest } from '../../site/src/lib/triplet-model.js';
import { parseTarget, syntheticLogProbs } from '../../site/src/lib/ctc-lattice.js';
import { CtcTrainer } from '../../site/src/lib/ctc-model.js';
import { EbmTrainer } from '../../site/src/lib/ebm-model.js';
import { search } from '../../site/src/lib/offending-model.js';
import { ROWS, classify } from '../../site/src/lib/margin-table.js';
import { buildSite, chartCounts, openPage, phoneOverflow, screenshot, serve, valueOf } from './harness.js';

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  const dist = buildSite();
  ({ server, base } = await serve(dist));
  browser = await launchBrowser();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function openChecked(file: string, width = 1000) {
  const opened = await openPage(browser, base + file, width);
  const { charts, drawn } = await chartCounts(opened.page);
  if (file !== 'index.html') expect(charts).toBeGreaterThan(0);
  expect(drawn).toBe(charts);
  return opened;
}

describe('companion site', () => {
  it('home page links every lecture page', async () => {
    const { page, errors } = await openChecked('index.html');
    const links = await Promise.all((await page.locator('main a').all()).map((a) => a.getAttribute('href')));
    expect(links).toEqual(['losses.html', 'triplet.html', 'cosine.html', 'ctc.html', 'ebm.html', 'offending.html', 'margins.html']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('losses: a slider moves the loss shown to the value lossgrad gives', async () => {
    const { page, errors } = await openChecked('losses.html');
    expect(await chartCounts(page)).toEqual({ charts: 6, drawn: 6 });
    await page.selectOption('#loss-pick', 'huberLoss');
    await page.fill('#opt-delta', '0.4');
    await page.fill('#x', '1.5');
    const huberAt = (x: number): number => huberLoss(tensor([x, 0]), tensor([0.5, 1]), { delta: 0.4 }).item();
    const x = Number(await page.inputValue('#x'));
    expect(Number(await valueOf(page, 'loss-value'))).toBe(huberAt(x));
    // From the keyboard: one arrow press moves x by one step and the loss follows.
    await page.focus('#x');
    await page.keyboard.press('ArrowLeft');
    const x2 = Number(await page.inputValue('#x'));
    expect(x2).toBeLessThan(x);
    expect(Number(await valueOf(page, 'loss-value'))).toBe(huberAt(x2));
    // The stability read-outs at z = 40, target 0: the composed route is clamped, the fused one exact.
    expect(Number(await valueOf(page, 'bce-composed-40'))).toBe(bceLoss(sigmoid(tensor([40])), tensor([0])).item());
    expect(Number(await valueOf(page, 'bce-logits-40'))).toBe(bceWithLogitsLoss(tensor([40]), tensor([0])).item());
    await screenshot(page, 'losses');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('triplet: steps train the same model lossgrad trains in Node; neighbours match', async () => {
    const { page, errors } = await openChecked('triplet.html');
    for (let i = 0; i < 5; i++) await page.click('#triplet-step-once');
    const node = new TripletTrainer({ seed: 1, mining: 'batch-hard', margin: 0.5 });
    for (let i = 0; i < 5; i++) node.step();
    expect(Number(await valueOf(page, 'triplet-step'))).toBe(5);
    expect(Number(await valueOf(page, 'triplet-loss'))).toBeCloseTo(node.loss, 10);
    await page.fill('#triplet-query', '3');
    await page.press('#triplet-query', 'Enter');
    expect(await page.getAttribute('#neighbours', 'data-neighbours')).toBe(nearest(node.embed('train'), 3, 5).join(','));
    await page.click('#triplet-start');
    await page.waitForFunction(`Number(document.querySelector('#triplet-step').dataset.value) > 40`);
    await page.click('#triplet-pause');
    await screenshot(page, 'triplet');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cosine: turning x2 and moving the margin give the losses lossgrad gives; scaling changes nothing', async () => {
    const { page, errors } = await openChecked('cosine.html', 390);
    await page.fill('#x2-angle', '140');
    await page.fill('#cos-margin', '0.25');
    const x1 = [1.5 * Math.cos((20 * Math.PI) / 180), 1.5 * Math.sin((20 * Math.PI) / 180)];
    const x2 = [Math.cos((140 * Math.PI) / 180), Math.sin((140 * Math.PI) / 180)];
    for (const [id, y] of [['cos-loss-pos', 1], ['cos-loss-neg', -1]] as const) {
      const expected = cosineEmbeddingLoss(tensor([x1]), tensor([x2]), tensor([y]), { margin: 0.25 }).item();
      expect(Number(await valueOf(page, id))).toBeCloseTo(expected, 12);
    }
    expect(Math.abs(Number(await valueOf(page, 'cos-radial')))).toBeLessThan(1e-12);
    const before = Number(await valueOf(page, 'cos-loss-pos'));
    await page.fill('#x1-length', '0.4');
    const short = x1.map((v) => (v * 0.4) / 1.5);
    const after = Number(await valueOf(page, 'cos-loss-pos'));
    expect(after).toBeCloseTo(cosineEmbeddingLoss(tensor([short]), tensor([x2]), tensor([1]), { margin: 0.25 }).item(), 12);
    // Only the 1e-12 that the loss adds to each squared norm sees the length.
    expect(Math.abs(after - before)).toBeLessThan(1e-11);
    await page.fill('#equator-logd', '8');
    const a = randn([1000, 256], { seed: 7 });
    const b = randn([1000, 256], { seed: 8 });
    const cos = (cosineEmbeddingLoss(a, b, tensor(new Array(1000).fill(1)), { reduction: 'none' }).toArray() as number[]).map((l) => 1 - l);
    expect(Number(await valueOf(page, 'equator-share'))).toBe(cos.filter((c) => Math.abs(c) < 0.1).length / 1000);
    await screenshot(page, 'cosine-phone');
    expect(await page.evaluate(`document.documentElement.scrollWidth - window.innerWidth`)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ctc: a typed target gets 2S + 1 states and the loss ctcLoss gives; too few frames is infeasible', async () => {
    const { page, errors } = await openChecked('ctc.html');
    await page.fill('#ctc-target', 'cabbd');
    await page.fill('#ctc-frames', '11');
    expect(Number(await valueOf(page, 'ctc-states'))).toBe(2 * 5 + 1);
    // The drawn lattice: Vega describes each axis for screen readers, the state axis with its row count.
    const yAxis = await page.locator('#chart-posterior svg g[aria-label^="Y-axis"]').first().getAttribute('aria-label');
    expect(yAxis).toMatch(/discrete scale with 11 values/);
    const target = parseTarget('cabbd');
    const lp = syntheticLogProbs(target, 11, 1, 2);
    expect(Number(await valueOf(page, 'ctc-loss'))).toBeCloseTo(ctcLoss(lp, target, 11, 5, { reduction: 'sum' }).item(), 10);
    expect(Number(await valueOf(page, 'ctc-check'))).toBeLessThan(1e-12);
    expect(Number(await valueOf(page, 'ctc-min-frames'))).toBe(6);
    await page.fill('#ctc-frames', '5');
    expect(await page.textContent('#ctc-status')).toContain('infeasible');
    expect(Number(await valueOf(page, 'ctc-loss'))).toBe(Infinity);
    await page.fill('#ctc-frames', '11');
    for (let i = 0; i < 3; i++) await page.click('#ctc-step');
    const node = new CtcTrainer(1);
    for (let i = 0; i < 3; i++) node.step();
    expect(Number(await valueOf(page, 'ctc-train-loss'))).toBeCloseTo(node.loss, 10);
    expect(Number(await valueOf(page, 'ctc-greedy-ler'))).toBe(node.evaluate().greedy);
    await page.click('#ctc-start');
    await page.waitForFunction(`Number(document.querySelector('#ctc-train-step').dataset.value) >= 20`);
    await page.click('#ctc-pause');
    await screenshot(page, 'ctc');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ebm: training with the energy loss reports collapse, as the same run in Node does', async () => {
    const { page, errors } = await openChecked('ebm.html');
    await page.selectOption('#ebm-loss-pick', 'energy');
    await page.click('#ebm-start');
    await page.waitForFunction(`Number(document.querySelector('#ebm-step').dataset.value) >= 100`, undefined, { timeout: 30000 });
    await page.click('#ebm-pause');
    await page.waitForTimeout(50);
    const steps = Number(await valueOf(page, 'ebm-step'));
    const node = new EbmTrainer({ loss: 'energy', energy: 'non-linear', beta: 1, margin: 1, seed: 1 });
    for (let i = 0; i < steps; i++) node.step();
    const report = node.report();
    expect(report.collapsed).toBe(true);
    expect(await valueOf(page, 'report-collapsed')).toBe('true');
    expect(Number(await valueOf(page, 'report-meanSpread'))).toBeCloseTo(report.meanSpread, 9);
    expect(await page.textContent('#ebm-collapse')).toContain('collapsed');
    await screenshot(page, 'ebm');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offending: the highlighted answer is mostOffendingIncorrect; the continuous answer respects ε', async () => {
    const { page, errors } = await openChecked('offending.html');
    await page.selectOption('#disc-target-0', '4');
    const e = randn([4, 5], { seed: 3 }).mul(1.2).add(2).toArray() as number[][];
    const offenders = ebm.mostOffendingIncorrect(e, [4, 1, 2, 3]);
    expect(await page.getAttribute('#disc-energies', 'data-offenders')).toBe(offenders.join(','));
    expect(await page.getAttribute(`#disc-energies td[data-row="0"][data-col="${offenders[0]}"]`, 'class')).toBe('hit');
    const shape = { c: [0, 0] as [number, number], d: [1.2, 0.6] as [number, number], depth: 1.5, width: 0.4 };
    const done = async (): Promise<number> => Number(await page.getAttribute('#continuous', 'data-done'));
    for (const eps of [0.8, 0]) {
      const before = await done();
      await page.fill('#cont-eps', String(eps));
      await page.waitForFunction(`Number(document.querySelector('#continuous').dataset.done) > ${before}`);
      const node = search(shape, eps, 4, 1);
      const answer = (await valueOf(page, 'cont-answer')).split(',').map(Number);
      expect(answer[0]).toBeCloseTo(node.answer[0], 9);
      expect(answer[1]).toBeCloseTo(node.answer[1], 9);
      expect(Math.hypot(...answer)).toBeGreaterThanOrEqual(node.epsilon * (1 - 1e-12));
      expect(Number(await valueOf(page, 'cont-grad'))).toBeCloseTo(node.gradNorm, 9);
    }
    expect(await page.textContent('#cont-note')).toContain('rejected');
    await screenshot(page, 'offending');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("margins: the table on the page is marginClass's output, and follows the margin slider", async () => {
    const { page, errors } = await openChecked('margins.html');
    const table = async (): Promise<string[][]> => Promise.all((await page.locator('#margin-table tr[data-loss]').all()).map(async (tr) => [
      (await tr.getAttribute('data-loss')) ?? '', (await tr.locator('td.margin').getAttribute('data-value')) ?? '', (await tr.locator('td.holds').getAttribute('data-value')) ?? '',
    ]));
    const expected = (margin: number): string[][] => ROWS.map((r) => {
      const c = classify(r, { margin, beta: 1, gamma: 1, steps: 161 });
      return [r.name, String(c.margin), String(c.holdsUpTo)];
    });
    const shown = await table();
    expect(shown).toEqual(expected(1));
    // The tutorial's column, claim 12 of the lecture, is what marginClass regenerates.
    expect(shown.map((r) => r[1])).toEqual(['none', '0', '0', 'm', 'm', '> 0', '> 0', '> 0', '> 0', '> 0']);
    await page.fill('#mt-margin', '0.5');
    expect(await table()).toEqual(expected(0.5));
    await page.fill('#mt-test-margin', '1.5');
    expect(await page.textContent('#mt-verdict')).toContain('fails');
    await screenshot(page, 'margins');
    expect(await phoneOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
