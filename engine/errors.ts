/** Formats shapes the way every error message in lossgrad prints them: `[3, 4]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws an Error whose message starts with the public function's name, as API.md requires. */
export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** Describes a value for an error message without dumping large arrays. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length <= 8 ? JSON.stringify(value) : `an array of length ${value.length}`;
  if (typeof value === 'object' && value !== null && 'shape' in value) {
    return `a Tensor of shape ${fmtShape((value as { shape: number[] }).shape)}`;
  }
  return typeof value;
}
