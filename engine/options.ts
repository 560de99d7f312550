/**
 * The one option parser of the library. Every public function that takes an options object
 * declares a schema of field readers and calls `parseOptions`, so that the same kind of option
 * is read by the same rule everywhere:
 *
 * - `undefined` (or a missing key) means the default; `null` is not a default: it throws, except
 *   where a field says `nullable` (PyTorch's `None`, such as a `weight` of `None`).
 * - numbers must be numbers; NaN and ±Infinity in an option throw unless the field allows them
 *   (an option configures the function: NaN in an option is a bug, while NaN in the data
 *   propagates). Margins take any finite number, negative ones included, as PyTorch's do.
 * - booleans must be booleans (`'false'` is not false).
 * - unknown names throw, listing the known ones, so a misspelt option never passes silently.
 */
import { describe, fail } from './errors.js';

/** Reads one option: `value` is what the caller passed (`undefined` when absent). */
export interface Field<T> {
  read(fn: string, name: string, value: unknown): T;
}

export type Schema = Record<string, Field<unknown>>;

/** The parsed options: each field's value, defaults filled in. */
export type Parsed<S extends Schema> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/**
 * Checks `opts` against `schema` and returns every field's value (defaults filled in).
 *
 * @param fn the public function's name, which starts every error message
 * @param opts what the caller passed: `undefined`, or a plain object
 * @param schema one field reader per allowed option name
 * @returns an object with one entry per schema field
 *
 * For example, `parseOptions('hingeLoss', { margin: 2 }, { margin: margin(1), reduction: reduction() })`
 * is `{ margin: 2, reduction: 'mean' }`, and `{ margin: NaN }` or `{ marg: 2 }` throws.
 */
export function parseOptions<S extends Schema>(fn: string, opts: unknown, schema: S): Parsed<S> {
  if (opts !== undefined && Object.prototype.toString.call(opts) !== '[object Object]') {
    fail(fn, `options must be an object, got ${describe(opts)}`);
  }
  const given = (opts ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, k)) {
      const known = Object.keys(schema);
      fail(fn, known.length === 0 ? `takes no options, got '${k}'` : `unknown option '${k}' (expected one of: ${known.join(', ')})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(schema)) out[k] = schema[k].read(fn, k, given[k]);
  return out as Parsed<S>;
}

export interface NumberRule {
  /** Used when the option is absent; without one, the option is required. */
  default?: number;
  /** Allow NaN and ±Infinity (default false). */
  nonFinite?: boolean;
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

/** What a number rule asks for, in words: `a finite number >= 0`, `an integer > 1`. */
function expected(rule: NumberRule): string {
  let e = rule.integer ? 'an integer' : rule.nonFinite ? 'a number' : 'a finite number';
  if (rule.min !== undefined) e += ` >= ${rule.min}`;
  if (rule.above !== undefined) e += ` > ${rule.above}`;
  if (rule.max !== undefined) e += ` <= ${rule.max}`;
  return e;
}

function numberValue(fn: string, name: string, v: unknown, rule: NumberRule): number {
  const ok = typeof v === 'number'
    && (rule.nonFinite || Number.isFinite(v))
    && (!rule.integer || Number.isInteger(v))
    && (rule.min === undefined || v >= rule.min)
    && (rule.above === undefined || v > rule.above)
    && (rule.max === undefined || v <= rule.max);
  if (!ok) fail(fn, `${name} must be ${expected(rule)}, got ${describe(v)}`);
  return v as number;
}

/** A number option (see `NumberRule`); required when it has no default. */
export function number(rule: NumberRule = {}): Field<number> {
  return {
    read(fn, name, v) {
      if (v === undefined) {
        if (rule.default === undefined) fail(fn, `${name} must be ${expected(rule)}, got undefined`);
        return rule.default;
      }
      return numberValue(fn, name, v, rule);
    },
  };
}

/** A number option with no default: absent stays `undefined`. */
export function optionalNumber(rule: Omit<NumberRule, 'default'> = {}): Field<number | undefined> {
  return { read: (fn, name, v) => (v === undefined ? undefined : numberValue(fn, name, v, rule)) };
}

/** A margin: any finite number (negative margins are legal, as in PyTorch). */
export function margin(def: number): Field<number> {
  return number({ default: def });
}

/** A boolean option: only `true` and `false` are booleans. */
export function boolean(def: boolean): Field<boolean> {
  return {
    read(fn, name, v) {
      if (v === undefined) return def;
      if (typeof v !== 'boolean') fail(fn, `${name} must be a boolean, got ${describe(v)}`);
      return v;
    },
  };
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(values: readonly T[], def: T): Field<T> {
  return {
    read(fn, name, v) {
      if (v === undefined) return def;
      if (!values.includes(v as T)) fail(fn, `${name} must be one of ${values.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`);
      return v as T;
    },
  };
}

export type Reduction = 'none' | 'mean' | 'sum';

/** The `reduction` option of every loss: `'mean'` unless given; `null` throws, as in PyTorch. */
export function reduction(): Field<Reduction>;
export function reduction<R extends string>(values: readonly R[]): Field<R>;
export function reduction(values: readonly string[] = ['none', 'mean', 'sum']): Field<string> {
  return oneOf(values, 'mean');
}

/** A function option (a callback such as a distance). */
export function func<F extends (...args: never[]) => unknown>(): Field<F | undefined> {
  return {
    read(fn, name, v) {
      if (v === undefined) return undefined;
      if (typeof v !== 'function') fail(fn, `${name} must be a function, got ${describe(v)}`);
      return v as F;
    },
  };
}

/**
 * An option whose reading is specific to one function (a tensor of weights, a cost matrix):
 * `read` receives the raw value, `undefined` included.
 */
export function custom<T>(read: (fn: string, name: string, v: unknown) => T): Field<T> {
  return { read };
}
