/**
 * How a tensor prints: PyTorch's `repr` layout (torch/_tensor_str.py in 1.13), so a value printed
 * here reads like the same value printed by PyTorch with float64 as the default dtype. One
 * formatter per tensor picks fixed or scientific notation and one column width from the values
 * shown; big tensors are summarized with `...`.
 *
 * NOTE: deliberate differences from PyTorch: no `dtype=` (every tensor is float64); a tensor that
 * requires grad prints `requiresGrad=true` whether or not an op made it (PyTorch prints
 * `grad_fn=<MulBackward0>` for results), since the graph is not part of the value; an empty
 * tensor that is not 1-D prints `shape=[0, 3]` where PyTorch prints `size=(0, 3)`.
 */
import { fail } from './errors.js';

/** Printing options, as `torch.set_printoptions` takes them. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** Tensors with more elements than this are summarized with `...` (default 1000). */
  threshold: number;
  /** Items shown at each end of a summarized dimension (default 3). */
  edgeitems: number;
  /** Characters per line before a 1-D run of values wraps (default 80). */
  linewidth: number;
  /** `true` forces scientific notation, `false` forbids it, `null` lets the values decide (default). */
  sciMode: boolean | null;
}

const DEFAULTS: Readonly<PrintOptions> = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const opts: PrintOptions = { ...DEFAULTS };

/** The options `toString()` and `console.log` use now (a copy). */
export function getPrintOptions(): PrintOptions {
  return { ...opts };
}

/**
 * Sets how tensors print, like `torch.set_printoptions`; fields left out keep their value, and
 * `profile: 'default'` restores every field first (`'short'`: precision 2, edgeitems 2;
 * `'full'`: no summarization).
 *
 * @param options `precision` (an integer 0 to 16), `threshold` (a positive number or Infinity),
 *   `edgeitems` (an integer ≥ 0), `linewidth` (an integer ≥ 1), `sciMode` (`true`, `false` or
 *   `null` for automatic), `profile`.
 * @returns nothing; the options are global to the lossgrad module instance.
 *
 * PyTorch: `torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode)`,
 * except that leaving out `sciMode` keeps it (PyTorch resets it to automatic on every call).
 *
 * @example
 * setPrintOptions({ precision: 2 });
 * String(tensor([1.12345, 2]));   // => "tensor([1.12, 2.00])"
 * setPrintOptions({ profile: 'default' });
 * String(tensor([1.12345, 2]));   // => "tensor([1.1235, 2.0000])"
 */
export function setPrintOptions(options: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' }): void {
  if (options === null || typeof options !== 'object') fail('setPrintOptions', `options must be an object, got ${String(options)}`);
  const next: PrintOptions = { ...opts };
  const { profile, ...fields } = options;
  if (profile !== undefined) {
    if (profile === 'default') Object.assign(next, DEFAULTS);
    else if (profile === 'short') Object.assign(next, DEFAULTS, { precision: 2, edgeitems: 2 });
    else if (profile === 'full') Object.assign(next, DEFAULTS, { threshold: Infinity });
    else fail('setPrintOptions', `profile must be 'default', 'short' or 'full', got ${JSON.stringify(profile)}`);
  }
  const integer = (name: string, v: unknown, min: number, max: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail('setPrintOptions', `${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
    }
  };
  const given = Object.entries(fields).filter(([, v]) => v !== undefined);
  for (const [key, v] of given) {
    if (key === 'precision') integer('precision', v, 0, 16);
    else if (key === 'edgeitems') integer('edgeitems', v, 0, Number.MAX_SAFE_INTEGER);
    else if (key === 'linewidth') integer('linewidth', v, 1, Number.MAX_SAFE_INTEGER);
    else if (key === 'threshold') {
      if (typeof v !== 'number' || !(v > 0)) fail('setPrintOptions', `threshold must be a positive number or Infinity, got ${String(v)}`);
    } else if (key === 'sciMode') {
      if (v !== null && typeof v !== 'boolean') fail('setPrintOptions', `sciMode must be true, false or null, got ${String(v)}`);
    } else {
      fail('setPrintOptions', `unknown option ${JSON.stringify(key)}; expected precision, threshold, edgeitems, linewidth, sciMode or profile`);
    }
  }
  Object.assign(next, Object.fromEntries(given));
  Object.assign(opts, next);
}

/**
 * The exact decimal significand of `|x|` (finite) and the power of ten of its first digit.
 * `toExponential(100)` is exact to 101 significant digits, enough to tell a double from an exact
 * tie at any precision `setPrintOptions` accepts; integers past 1e21 go through BigInt.
 */
function decimal(x: number): { digits: string; exp: number } {
  const a = Math.abs(x);
  if (a >= 1e21) {
    const digits = BigInt(a).toString();
    return { digits, exp: digits.length - 1 };
  }
  const [m, e] = a.toExponential(100).split('e');
  return { digits: m.replace('.', ''), exp: Number(e) };
}

/**
 * The first `keep` digits rounded half to even, as Python's formatting rounds (JavaScript's
 * `toFixed` breaks an exact tie such as 0.125 at 2 digits away from zero). One digit longer after
 * a carry.
 */
function roundHalfEven(digits: string, keep: number): string {
  if (keep < 0) return '0';
  const head = digits.slice(0, keep).padEnd(keep, '0') || '0';
  const rest = digits.slice(keep);
  const first = rest[0] ?? '0';
  const odd = Number(head[head.length - 1]) % 2 === 1;
  const up = first > '5' || (first === '5' && (/[1-9]/.test(rest.slice(1)) || odd));
  return up ? (BigInt(head) + 1n).toString() : head;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

const signOf = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Python's `'{:.Nf}'.format(x)`. */
function fixedPython(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { digits, exp } = decimal(x);
  const n = roundHalfEven(digits, exp + 1 + precision).padStart(precision + 1, '0');
  const whole = n.slice(0, n.length - precision);
  return signOf(x) + whole + (precision > 0 ? `.${n.slice(n.length - precision)}` : '');
}

/** Python's `'{:.Ne}'.format(x)`: a two-digit exponent at least, `inf` and `nan` spelled out. */
function scientific(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { digits, exp } = decimal(x);
  let n = roundHalfEven(digits, precision + 1);
  let e = x === 0 ? 0 : exp;
  if (n.length > precision + 1) {
    n = n.slice(0, precision + 1);
    e += 1;
  }
  const mantissa = n[0] + (precision > 0 ? `.${n.slice(1)}` : '');
  return `${signOf(x)}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** PyTorch's `_Formatter` for a floating tensor: one notation and width for all shown values. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private width = 1;

  constructor(shown: readonly number[], private readonly precision: number, forcedSci: boolean | null) {
    const vals = shown.filter((v) => Number.isFinite(v) && v !== 0);
    if (vals.length > 0) {
      const abs = vals.map(Math.abs);
      const min = Math.min(...abs);
      const max = Math.max(...abs);
      this.intMode = vals.every((v) => v === Math.ceil(v));
      const wide = max / min > 1000 || max > 1e8;
      this.sciMode = this.intMode ? wide : wide || min < 1e-4;
      for (const v of vals) {
        const text = this.sciMode ? scientific(v, precision) : this.intMode ? fixedPython(v, 0) + '.' : fixedPython(v, precision);
        this.width = Math.max(this.width, text.length);
      }
    }
    if (forcedSci !== null) this.sciMode = forcedSci;
  }

  get columnWidth(): number {
    return this.width;
  }

  format(v: number): string {
    let text: string;
    if (this.sciMode) text = scientific(v, this.precision);
    else if (this.intMode) text = Number.isFinite(v) ? `${fixedPython(v, 0)}.` : nonFinite(v);
    else text = fixedPython(v, this.precision);
    return text.padStart(this.width);
  }
}

/** The indices of one dimension that a summarized print shows, or all of them. */
function shownIndices(n: number, summarize: boolean, edge: number): number[] {
  const all = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return summarize && n > 2 * edge ? [...all(0, edge), ...all(n - edge, n)] : all(0, n);
}

/**
 * PyTorch's `repr` of a float64 tensor: `tensor([1.0000, inf, nan], requiresGrad=true)`.
 *
 * @param data the values in row-major order.
 * @param shape the tensor's shape.
 * @param requiresGrad whether to add the `requiresGrad=true` suffix.
 * @returns the text; several lines for a tensor of two or more dimensions.
 */
export function formatTensor(data: ArrayLike<number>, shape: readonly number[], requiresGrad: boolean): string {
  const prefix = 'tensor(';
  const suffixes: string[] = [];
  let body: string;
  if (data.length === 0) {
    if (shape.length !== 1) suffixes.push(`shape=[${shape.join(', ')}]`);
    body = '[]';
  } else {
    body = formatValues(data, shape, prefix.length);
  }
  if (requiresGrad) suffixes.push('requiresGrad=true');
  return addSuffixes(prefix + body, suffixes, prefix.length);
}

function formatValues(data: ArrayLike<number>, shape: readonly number[], indent: number): string {
  const { precision, threshold, edgeitems, linewidth, sciMode } = opts;
  const summarize = data.length > threshold;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

  const shown: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      shown.push(data[offset]);
      return;
    }
    for (const i of shownIndices(shape[dim], summarize, edgeitems)) collect(dim + 1, offset + i * strides[dim]);
  };
  collect(0, 0);
  const formatter = new Formatter(shown, precision, sciMode);

  const vector = (offset: number, ind: number): string => {
    const n = shape[shape.length - 1];
    const perLine = Math.max(1, Math.floor((linewidth - ind) / (formatter.columnWidth + 2)));
    const items: string[] = [];
    if (summarize && n > 2 * edgeitems) {
      for (let i = 0; i < edgeitems; i++) items.push(formatter.format(data[offset + i]));
      items.push(' ...');
      for (let i = n - edgeitems; i < n; i++) items.push(formatter.format(data[offset + i]));
    } else {
      for (let i = 0; i < n; i++) items.push(formatter.format(data[offset + i]));
    }
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
  };

  const nested = (dim: number, offset: number, ind: number): string => {
    if (dim === shape.length - 1) return vector(offset, ind);
    const n = shape[dim];
    const rows: string[] = [];
    const row = (i: number): string => nested(dim + 1, offset + i * strides[dim], ind + 1);
    if (summarize && n > 2 * edgeitems) {
      for (let i = 0; i < edgeitems; i++) rows.push(row(i));
      rows.push('...');
      for (let i = n - edgeitems; i < n; i++) rows.push(row(i));
    } else {
      for (let i = 0; i < n; i++) rows.push(row(i));
    }
    const rank = shape.length - dim;
    return `[${rows.join(`,${'\n'.repeat(rank - 1)}${' '.repeat(ind + 1)}`)}]`;
  };

  return shape.length === 0 ? formatter.format(data[0]) : nested(0, 0, indent);
}

/** PyTorch's `_add_suffixes`, including its count of the last line's length. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  const parts = [text];
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > opts.linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}
