/**
 * Argument checks shared by the layers: every error starts with the layer's name and names the
 * argument. Options go through the engine's one option parser, so a layer's options follow the
 * same rules as every loss's.
 */
import { Tensor, custom, describe, fail, fmtShape, number, parseOptions } from '../engine/internal.js';

export { describe, fail, fmtShape } from '../engine/internal.js';

// Each layer reads its option values itself (they depend on one another: a bias shape on the
// sizes, a default on another option), so the parser only checks the object and the names here.
const passThrough = custom((_fn, _name, v) => v);

/** Throws when `opts` is not a plain object or has a key outside `allowed` (engine's `parseOptions`). */
export function checkOptions(where: string, opts: object | undefined, allowed: readonly string[]): void {
  parseOptions(where, opts, Object.fromEntries(allowed.map((k) => [k, passThrough])));
}

/** An integer argument `>= min`, read by the engine's number rule. */
export function checkInt(where: string, name: string, v: unknown, min: number): number {
  return number({ integer: true, min }).read(where, name, v);
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
