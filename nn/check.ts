/** Argument checks shared by the layers: every error starts with the layer's name and names the argument. */
import { Tensor, describe, fail, fmtShape } from '../engine/internal.js';

export { describe, fail, fmtShape } from '../engine/internal.js';

/** Throws when `opts` is not a plain object or has a key outside `allowed`. */
export function checkOptions(where: string, opts: object | undefined, allowed: readonly string[]): void {
  if (opts === undefined) return;
  if (Object.prototype.toString.call(opts) !== '[object Object]') fail(where, `options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) fail(where, `unknown option '${k}' (expected one of: ${allowed.join(', ')})`);
  }
}

/** An integer argument `>= min`. */
export function checkInt(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(where, `${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

/** A boolean argument. */
export function checkBool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(where, `${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** A finite number argument accepted by `ok`. */
export function checkNumber(where: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !ok(v)) fail(where, `${name} must be ${expected}, got ${describe(v)}`);
  return v;
}

/** The forward input: a Tensor with one of the allowed numbers of dims. */
export function checkInput(where: string, name: string, x: unknown, ndims: readonly number[], layout: string): Tensor {
  if (!(x instanceof Tensor)) fail(where, `${name} must be a Tensor, got ${describe(x)}`);
  if (!ndims.includes(x.ndim)) fail(where, `${name} must be ${layout}, got shape ${fmtShape(x.shape)}`);
  return x;
}

/** A dim index in `[-ndim, ndim)`, made non-negative. */
export function normDim(where: string, name: string, dim: number, ndim: number): number {
  if (!Number.isInteger(dim) || dim < -ndim || dim >= ndim) fail(where, `${name} ${describe(dim)} is out of range for ${ndim} dims`);
  return dim < 0 ? dim + ndim : dim;
}
