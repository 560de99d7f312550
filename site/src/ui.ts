/**
 * The few building blocks every page shares: labelled controls that work with a keyboard, number
 * read-outs that carry their full-precision value in `data-value` (the browser test reads it),
 * Vega-Lite charts through vega-embed, and a training loop that never holds a frame for long.
 */
import type { Result, VisualizationSpec } from 'vega-embed';
import './style.css';

export const PAGES: readonly { file: string; title: string }[] = [
  { file: 'losses.html', title: '1 · torch.nn losses' },
  { file: 'triplet.html', title: '2 · Triplet embeddings' },
  { file: 'cosine.html', title: '3 · Cosine embedding' },
  { file: 'ctc.html', title: '4 · CTC' },
  { file: 'ebm.html', title: '5 · Energy-based losses' },
  { file: 'offending.html', title: '6 · Most offending answer' },
  { file: 'margins.html', title: '7 · The margin table' },
];

/** Builds the page frame (navigation, title, intro) and returns the element sections go into. */
export function page(title: string, intro: string): HTMLElement {
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Pages');
  const here = location.pathname.split('/').pop() || 'index.html';
  nav.innerHTML = `<a href="index.html">lossgrad, live</a>` + PAGES.map((p) =>
    `<a href="${p.file}"${p.file === here ? ' aria-current="page"' : ''}>${p.title}</a>`).join('');
  const main = document.createElement('main');
  main.innerHTML = `<h1>${title}</h1><p class="intro">${intro}</p>`;
  document.body.append(nav, main);
  return main;
}

/** A titled section with an explanatory paragraph. */
export function section(parent: HTMLElement, title: string, text: string): HTMLElement {
  const s = document.createElement('section');
  s.innerHTML = `<h2>${title}</h2><p>${text}</p>`;
  parent.append(s);
  return s;
}

export function row(parent: HTMLElement, cls = 'controls'): HTMLElement {
  const d = document.createElement('div');
  d.className = cls;
  parent.append(d);
  return d;
}

export interface SliderSpec {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onInput: (v: number) => void;
}

const SYNC = 'lossgrad-sync';

/** Sets a slider's range or value from code, updating the number shown beside it (its onInput is not called). */
export function setSlider(input: HTMLInputElement, attrs: { min?: number; max?: number; step?: number; value?: number }): void {
  for (const key of ['min', 'max', 'step', 'value'] as const) {
    const v = attrs[key];
    if (v !== undefined) input[key] = String(v);
  }
  input.dispatchEvent(new Event(SYNC));
}

/** A range input with its label and current value; arrow keys move it by one step. */
export function slider(parent: HTMLElement, s: SliderSpec): HTMLInputElement {
  const label = document.createElement('label');
  label.className = 'slider';
  const input = document.createElement('input');
  Object.assign(input, { type: 'range', id: s.id, min: String(s.min), max: String(s.max), step: String(s.step), value: String(s.value) });
  const shown = document.createElement('span');
  shown.className = 'value';
  const show = (): void => { shown.textContent = fmt(Number(input.value)); };
  show();
  input.addEventListener('input', () => { show(); s.onInput(Number(input.value)); });
  input.addEventListener(SYNC, show);
  label.append(`${s.label} `, input, shown);
  parent.append(label);
  return input;
}

export function select(parent: HTMLElement, id: string, label: string, options: readonly string[], value: string, onChange: (v: string) => void): HTMLSelectElement {
  const l = document.createElement('label');
  const sel = document.createElement('select');
  sel.id = id;
  for (const o of options) sel.add(new Option(o, o, false, o === value));
  sel.addEventListener('change', () => onChange(sel.value));
  l.append(`${label} `, sel);
  parent.append(l);
  return sel;
}

export function checkbox(parent: HTMLElement, id: string, label: string, value: boolean, onChange: (v: boolean) => void): HTMLInputElement {
  const l = document.createElement('label');
  const box = document.createElement('input');
  Object.assign(box, { type: 'checkbox', id, checked: value });
  box.addEventListener('change', () => onChange(box.checked));
  l.append(box, ` ${label}`);
  parent.append(l);
  return box;
}

export function button(parent: HTMLElement, id: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.textContent = label;
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

export function textInput(parent: HTMLElement, id: string, label: string, value: string, onChange: (v: string) => void): HTMLInputElement {
  const l = document.createElement('label');
  const input = document.createElement('input');
  Object.assign(input, { type: 'text', id, value, spellcheck: false });
  input.addEventListener('input', () => onChange(input.value));
  l.append(`${label} `, input);
  parent.append(l);
  return input;
}

/** Shows a number rounded for reading, keeps the exact value in `data-value`. */
export function readout(parent: HTMLElement, id: string, label: string): (v: number | string) => void {
  const span = document.createElement('span');
  span.className = 'readout';
  const out = document.createElement('output');
  out.id = id;
  out.setAttribute('aria-live', 'polite');
  span.append(`${label}: `, out);
  parent.append(span);
  return (v) => {
    out.textContent = typeof v === 'number' ? fmt(v) : v;
    out.dataset.value = String(v);
  };
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/** vega-embed (with Vega and Vega-Lite, most of the bundle) loads only on pages that draw charts. */
let vegaEmbed: Promise<typeof import('vega-embed')> | null = null;
let changeset: (typeof import('vega-embed'))['vega']['changeset'] | null = null;
function loadVega(): Promise<typeof import('vega-embed')> {
  vegaEmbed ??= import('vega-embed').then((m) => {
    changeset = m.vega.changeset;
    return m;
  });
  return vegaEmbed;
}

let pending = 0;
let failed = false;

/** Marks the page ready (for the browser test) once every chart has rendered. */
function settle(): void {
  if (pending === 0 && !failed) document.body.dataset.ready = 'true';
}

/**
 * Embeds a Vega-Lite chart into a new figure. Data sets are named so that `update` can replace
 * their values without rebuilding the chart. SVG rendering keeps the charts inspectable.
 */
export function chart(parent: HTMLElement, id: string, spec: Record<string, unknown>, caption = ''): Promise<Result> {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  const div = document.createElement('div');
  div.id = id;
  fig.append(div);
  if (caption) {
    const c = document.createElement('figcaption');
    c.textContent = caption;
    fig.append(c);
  }
  parent.append(fig);
  pending++;
  delete document.body.dataset.ready;
  const full = { width: 'container', height: 220, ...spec, config: { font: 'system-ui, sans-serif', ...(spec.config as object ?? {}) } };
  return loadVega().then((m) => m.default(div, full as VisualizationSpec, { renderer: 'svg', actions: false })).then((r) => {
    div.dataset.rendered = 'true';
    pending--;
    settle();
    return r;
  }, (e: unknown) => {
    failed = true;
    console.error(e);
    throw e;
  });
}

/** Replaces the values of the named data set of a chart and redraws it. */
export function update(r: Result, name: string, values: object[]): void {
  // A Result exists only once vega-embed has loaded, so changeset is set by then.
  r.view.change(name, (changeset as NonNullable<typeof changeset>)().remove(() => true).insert(values)).resize().run();
}

/** Call after a page has set up its charts (a page with none is ready at once). */
export function pageReady(): void {
  settle();
}

/**
 * Runs `step` repeatedly between frames: as many calls as fit in `budgetMs` per frame, and
 * `draw` at most every `drawMs` (and when the run stops), so a training run keeps the page
 * responsive however long it is, and redrawing charts does not eat the time meant for training.
 */
export class Loop {
  private running = false;
  private handle = 0;
  private lastDraw = -Infinity;

  constructor(private readonly step: () => boolean | void, private readonly draw: () => void, private readonly budgetMs = 10, private readonly drawMs = 100) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const frame = (): void => {
      if (!this.running) return;
      const t0 = performance.now();
      let more = true;
      while (more && performance.now() - t0 < this.budgetMs) more = this.step() !== false;
      if (!more) {
        this.pause();
        return;
      }
      if (performance.now() - this.lastDraw >= this.drawMs) {
        this.draw();
        this.lastDraw = performance.now();
      }
      this.handle = requestAnimationFrame(frame);
    };
    this.handle = requestAnimationFrame(frame);
  }

  /** Stops after the current frame's steps and draws the state reached. */
  pause(): void {
    if (!this.running) return;
    this.running = false;
    cancelAnimationFrame(this.handle);
    this.draw();
  }

  once(): void {
    this.step();
    this.draw();
  }
}

/** Evenly spaced points from `lo` to `hi`. */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}
