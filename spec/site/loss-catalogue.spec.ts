/**
 * The losses page's catalogue, swept in Node: every loss, over its whole range, for every choice
 * and switch of its options and each numeric option at its ends, gives a finite value and a
 * finite gradient, and the gradient its backward pass shows agrees with central differences of
 * the value away from kinks. A slider on the page can then never reach an input that throws.
 */
import { ENTRIES, evaluate, hingeKinks } from '../../site/src/lib/loss-catalogue.js';
import type { Entry, Options } from '../../site/src/lib/loss-catalogue.js';

/** Every combination of the discrete options, each numeric one at its default. */
function discreteCombos(e: Entry): Options[] {
  let combos: Options[] = [Object.fromEntries(e.opts.map((o) => [o.key, o.value]))];
  for (const o of e.opts) {
    const values: (string | boolean)[] | null = 'choices' in o ? o.choices : typeof o.value === 'boolean' ? [false, true] : null;
    if (values) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [o.key]: v })));
  }
  return combos;
}

/** Each numeric option moved to either end of its slider, one at a time. */
function numericEnds(e: Entry, base: Options): Options[] {
  return e.opts.flatMap((o) => ('min' in o ? [{ ...base, [o.key]: o.min }, { ...base, [o.key]: o.max }] : []));
}

describe('the losses page catalogue', () => {
  it.each(ENTRIES.map((e) => [e.name, e] as const))('%s: finite values and gradients for every option', (_name, e) => {
    const combos = discreteCombos(e);
    const settings = [...combos, ...numericEnds(e, combos[0])];
    for (const o of settings) {
      for (const reduction of e.reductions ?? ['mean', 'sum', 'none']) {
        const [lo, hi] = e.range(o);
        for (let i = 0; i <= 20; i++) {
          const p = evaluate(e, lo + ((hi - lo) * i) / 20, o, reduction);
          if (!Number.isFinite(p.value) || !Number.isFinite(p.grad)) throw new Error(`${e.name} ${JSON.stringify(o)} ${reduction} at x = ${p.x}: ${p.value}, ${p.grad}`);
        }
      }
    }
  });

  it.each(ENTRIES.map((e) => [e.name, e] as const))('%s: the gradient shown is the slope of the value shown', (_name, e) => {
    const o = Object.fromEntries(e.opts.map((opt) => [opt.key, opt.value])) as Options;
    const [lo, hi] = e.range(o);
    const h = 1e-6 * (hi - lo);
    const grid = Array.from({ length: 41 }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / 41);
    const kinks = e.hinge ? hingeKinks(grid.map((x) => evaluate(e, x, o, 'mean'))) : (e.kinks?.(o) ?? []);
    let checked = 0;
    for (const x of grid) {
      if (kinks.some((k) => Math.abs(k - x) < 0.06 * (hi - lo))) continue;
      const slope = (evaluate(e, x + h, o, 'mean').value - evaluate(e, x - h, o, 'mean').value) / (2 * h);
      expect(evaluate(e, x, o, 'mean').grad).toBeCloseTo(slope, 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
