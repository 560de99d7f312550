/** Formats shapes the way every error message in lossgrad prints them: `[3, 4]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws an Error whose message starts with the public function's name, as API.md requires. */
export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

function scalar(v: unknown): string | null {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'bigint') return `${v}n (a BigInt)`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  return null;
}

// JSON.stringify throws on BigInts and cycles, and prints NaN as null: only plain finite data
// takes this path.
function jsonOrNull(v: unknown[]): string | null {
  try {
    const finite = (x: unknown): boolean => (Array.isArray(x) ? x.every(finite) : typeof x === 'number' ? Number.isFinite(x) : typeof x === 'string');
    return v.every(finite) ? JSON.stringify(v) : null;
  } catch {
    return null;
  }
}

/**
 * Describes a value for an error message without dumping large arrays. It never throws, whatever
 * it is given (BigInts, cycles, proxies, objects with a broken `shape`): a message about bad
 * input must not fail on that input.
 */
export function describe(value: unknown): string {
  try {
    const s = scalar(value);
    if (s !== null) return s;
    if (Array.isArray(value)) {
      if (value.length > 8) return `an array of length ${value.length}`;
      const json = jsonOrNull(value);
      if (json !== null && json.length <= 80) return json;
      const parts = value.map((v) => scalar(v) ?? (Array.isArray(v) ? `[…${v.length}]` : 'an object'));
      return `[${parts.join(', ')}]`;
    }
    if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length ?? value.byteLength}`;
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape) && shape.every((d) => typeof d === 'number')) {
      return `a Tensor of shape ${fmtShape(shape)}`;
    }
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  } catch {
    return 'an unreadable value';
  }
}
