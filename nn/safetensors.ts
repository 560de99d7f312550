/**
 * safetensors, the weight format PyTorch's ecosystem reads (`safetensors.torch.load_file`):
 * an 8-byte little-endian header length n, n bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { key: value } }`, then
 * the tensors' raw little-endian bytes, offsets counted from the end of the header.
 *
 * Reading checks the whole file before it returns anything: a corrupt file throws an Error that
 * says what is wrong and yields no tensors at all.
 */
import { Tensor } from '../engine/index.js';
import { checkOptions, describe, fail } from './check.js';

/** Element types written (F64, the default, is exact; the others round to nearest, ties to even). */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16';
/** Element types read: the four float types and the integer types PyTorch's state dicts hold (`num_batches_tracked` is I64). */
export type SafetensorsReadDtype = SafetensorsDtype | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsReadDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const WRITE_DTYPES: readonly SafetensorsDtype[] = ['F64', 'F32', 'F16', 'BF16'];
const SAVE = 'saveSafetensors';
const LOAD = 'loadSafetensors';

export interface SaveSafetensorsOptions {
  /** Element type of every tensor (default `'F64'`, exact). */
  dtype?: SafetensorsDtype;
}

/** `2^e` for an integer e within the double range. */
const pow2 = (e: number): number => Math.pow(2, e);

/** ⌊log₂ a⌋ for a finite a > 0, exact at powers of two. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  return e;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/**
 * The bits of the binary float with `mbits` fraction bits and exponent bias `bias` nearest to
 * `x` (ties to even), rounded once from the double (not through float32).
 */
function encodeSmallFloat(x: number, mbits: number, bias: number): number {
  const ebits = bias === 15 ? 5 : 8;
  const expAll = (1 << ebits) - 1;
  const sign = x < 0 || Object.is(x, -0) ? 1 << (ebits + mbits) : 0;
  if (x !== x) return (expAll << mbits) | (1 << (mbits - 1));
  const a = Math.abs(x);
  if (a === Infinity) return sign | (expAll << mbits);
  if (a === 0) return sign;
  const emin = 1 - bias;
  const emax = bias;
  const e = Math.max(exponentOf(a), emin);
  const quantum = pow2(e - mbits);
  const q = roundHalfEven(a / quantum) * quantum;
  if (q >= pow2(emax + 1)) return sign | (expAll << mbits);
  if (q < pow2(emin)) return sign | (q / pow2(emin - mbits));
  const eq = exponentOf(q);
  return sign | ((eq + bias) << mbits) | (q / pow2(eq - mbits) - (1 << mbits));
}

function decodeSmallFloat(bits: number, mbits: number, bias: number): number {
  const ebits = bias === 15 ? 5 : 8;
  const expAll = (1 << ebits) - 1;
  const sign = bits >> (ebits + mbits) ? -1 : 1;
  const ex = (bits >> mbits) & expAll;
  const m = bits & ((1 << mbits) - 1);
  if (ex === expAll) return m ? NaN : sign * Infinity;
  if (ex === 0) return sign * m * pow2(1 - bias - mbits);
  return sign * (1 + m / (1 << mbits)) * pow2(ex - bias);
}

/**
 * Serialises tensors to safetensors bytes.
 *
 * Tensors are laid out in the order of their names (sorted), each contiguous, and the header
 * is padded with spaces so that the data starts at a multiple of 8 bytes, as the reference
 * writer does. F64 is exact; F32, F16 and BF16 round each value to nearest (ties to even),
 * overflow to ±Infinity, and keep NaN.
 *
 * NOTE: F16 and BF16 are rounded once, from the float64 value. PyTorch's `.to(torch.float16)`
 * and `.to(torch.bfloat16)` of a float64 tensor round through float32 first, so the two differ
 * where that first rounding lands exactly on a tie (1 + 2⁻⁸ + 2⁻⁴⁰ gives 1 + 2⁻⁷ here, 1 there);
 * elsewhere the bits are PyTorch's (the fixtures compare them).
 * @param stateDict names to tensors (`model.stateDict()`); a name must not be `__metadata__`
 * @param metadata string keys to string values, stored as the header's `__metadata__`
 * @param opts `dtype`: `'F64'` (default), `'F32'`, `'F16'` or `'BF16'`
 * @returns the file's bytes
 * PyTorch equivalent: `safetensors.torch.save(state_dict, metadata)`.
 * @example
 * const bytes = nn.saveSafetensors({ w: tensor([[1, 2], [3, 4]]) }, { note: 'demo' });
 * nn.loadSafetensors(bytes).w.toArray(); // => [[1, 2], [3, 4]]
 */
export function saveSafetensors(stateDict: Record<string, Tensor>, metadata?: Record<string, string>, opts: SaveSafetensorsOptions = {}): Uint8Array {
  checkOptions(SAVE, opts, ['dtype']);
  const dtype = opts.dtype ?? 'F64';
  if (!WRITE_DTYPES.includes(dtype)) fail(SAVE, `dtype must be one of ${WRITE_DTYPES.join(', ')}, got ${describe(dtype)}`);
  if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict)) fail(SAVE, `stateDict must be an object of Tensors, got ${describe(stateDict)}`);
  const names = Object.keys(stateDict).sort();
  for (const k of names) {
    if (k === '__metadata__') fail(SAVE, `a tensor cannot be named '__metadata__' (the header's metadata key)`);
    if (!(stateDict[k] instanceof Tensor)) fail(SAVE, `stateDict['${k}'] must be a Tensor, got ${describe(stateDict[k])}`);
  }
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) fail(SAVE, `metadata must be an object of strings, got ${describe(metadata)}`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(SAVE, `metadata['${k}'] must be a string, got ${describe(v)}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const width = BYTES[dtype];
  let offset = 0;
  for (const k of names) {
    const t = stateDict[k];
    header[k] = { dtype, shape: t.shape.slice(), data_offsets: [offset, offset + t.size * width] };
    offset += t.size * width;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let headBytes = enc.encode(json);
  const pad = (8 - (headBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headBytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + headBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headBytes.length, true);
  view.setUint32(4, Math.floor(headBytes.length / 2 ** 32), true);
  out.set(headBytes, 8);
  let p = 8 + headBytes.length;
  for (const k of names) {
    const d = stateDict[k].data;
    for (let i = 0; i < d.length; i++, p += width) {
      if (dtype === 'F64') view.setFloat64(p, d[i], true);
      else if (dtype === 'F32') view.setFloat32(p, d[i], true);
      else if (dtype === 'F16') view.setUint16(p, encodeSmallFloat(d[i], 10, 15), true);
      else view.setUint16(p, encodeSmallFloat(d[i], 7, 127), true);
    }
  }
  return out;
}

/** One tensor's entry in the header. */
export interface SafetensorsEntry {
  dtype: SafetensorsReadDtype;
  shape: number[];
  dataOffsets: [number, number];
}

/** The parsed, validated header of a safetensors file. */
export interface SafetensorsHeader {
  metadata: Record<string, string>;
  tensors: Record<string, SafetensorsEntry>;
  /** Where the data starts in the file: 8 + the header length. */
  dataStart: number;
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  return fail(LOAD, `bytes must be a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads and checks a safetensors header without decoding the data.
 *
 * It rejects, with an Error naming the problem: a file shorter than 8 bytes; a header length
 * that runs past the end; a header that is not UTF-8 JSON or not an object; an entry without
 * exactly `dtype`, `shape` and `data_offsets`; an unknown dtype; a shape that is not a list of
 * non-negative integers; byte counts that disagree with the shape; and offsets that overlap,
 * leave gaps, or do not end exactly at the end of the file.
 * @param bytes the whole file
 * @returns the metadata, each tensor's dtype, shape and offsets, and where the data starts
 * @example
 * const h = nn.inspectSafetensors(nn.saveSafetensors({ b: zeros([3]) }, {}, { dtype: 'F16' }));
 * h.tensors.b.dtype; // => "F16"
 * h.tensors.b.dataOffsets; // => [0, 6]
 */
export function inspectSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const buf = asBytes(bytes);
  if (buf.length < 8) fail(LOAD, `the file is ${buf.length} bytes, shorter than its 8-byte header length`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > buf.length - 8) fail(LOAD, `the header length ${n} runs past the end of the file (${buf.length - 8} bytes after the length)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n));
  } catch {
    return fail(LOAD, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(LOAD, `the header must be a JSON object starting with '{', got ${describe(text.slice(0, 20))}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail(LOAD, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(parsed)) fail(LOAD, 'the header must be a JSON object');
  const dataLength = buf.length - 8 - n;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, SafetensorsEntry> = {};
  for (const [name, raw] of Object.entries(parsed)) {
    if (name === '__metadata__') {
      if (!isPlainObject(raw)) fail(LOAD, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') fail(LOAD, `__metadata__['${k}'] must be a string, got ${describe(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const where = `tensor '${name}'`;
    if (!isPlainObject(raw)) fail(LOAD, `${where}: its entry must be an object`);
    const keys = Object.keys(raw).sort().join(',');
    if (keys !== 'data_offsets,dtype,shape') fail(LOAD, `${where}: its entry must have exactly dtype, shape and data_offsets, got ${Object.keys(raw).join(', ')}`);
    const dtype = raw.dtype as SafetensorsReadDtype;
    if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(BYTES, dtype)) {
      fail(LOAD, `${where}: unknown dtype ${describe(raw.dtype)} (expected one of ${Object.keys(BYTES).join(', ')})`);
    }
    const shape = raw.shape;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) fail(LOAD, `${where}: shape must be a list of non-negative integers, got ${describe(shape)}`);
    const off = raw.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[0] > off[1]) {
      fail(LOAD, `${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${describe(off)}`);
    }
    if (off[1] > dataLength) fail(LOAD, `${where}: data_offsets ${describe(off)} run past the end of the data (${dataLength} bytes)`);
    const count = (shape as number[]).reduce((p, s) => p * s, 1);
    if (off[1] - off[0] !== count * BYTES[dtype]) {
      fail(LOAD, `${where}: shape ${describe(shape)} of ${dtype} needs ${count * BYTES[dtype]} bytes, but data_offsets ${describe(off)} hold ${off[1] - off[0]}`);
    }
    tensors[name] = { dtype, shape: (shape as number[]).slice(), dataOffsets: [off[0], off[1]] };
  }
  const spans = Object.entries(tensors).sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let end = 0;
  let prev = '';
  for (const [name, { dataOffsets: [b, e] }] of spans) {
    if (b < end) fail(LOAD, `the data of tensors '${prev}' and '${name}' overlap (byte ${b} < ${end})`);
    if (b > end) fail(LOAD, `bytes ${end}..${b} of the data belong to no tensor (before '${name}')`);
    end = e;
    prev = name;
  }
  if (end !== dataLength) fail(LOAD, `the tensors cover ${end} bytes of data, but the file holds ${dataLength}`);
  return { metadata, tensors, dataStart: 8 + n };
}

function decode(view: DataView, p: number, dtype: SafetensorsReadDtype, name: string): number {
  switch (dtype) {
    case 'F64': return view.getFloat64(p, true);
    case 'F32': return view.getFloat32(p, true);
    case 'F16': return decodeSmallFloat(view.getUint16(p, true), 10, 15);
    case 'BF16': return decodeSmallFloat(view.getUint16(p, true), 7, 127);
    case 'I32': return view.getInt32(p, true);
    case 'I16': return view.getInt16(p, true);
    case 'I8': return view.getInt8(p);
    case 'U8': return view.getUint8(p);
    case 'BOOL': {
      const b = view.getUint8(p);
      if (b > 1) fail(LOAD, `tensor '${name}': a BOOL byte must be 0 or 1, got ${b}`);
      return b;
    }
    case 'I64': {
      const v = view.getBigInt64(p, true);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail(LOAD, `tensor '${name}': the I64 value ${v} cannot be held exactly in float64`);
      return Number(v);
    }
  }
}

/**
 * Reads safetensors bytes into a state dict of float64 tensors (`model.loadStateDict(dict)`).
 *
 * The whole file is checked first (see `inspectSafetensors`) and every value decoded before
 * anything is returned. F64 values come back bit for bit; F32, F16 and BF16 values widen
 * exactly; integer types (I64, I32, I16, I8, U8, BOOL) become exact float64 integers.
 * @param bytes the whole file
 * @returns names to tensors (no `__metadata__`; `inspectSafetensors` gives it)
 * PyTorch equivalent: `safetensors.torch.load(bytes)`.
 * @example
 * const bytes = nn.saveSafetensors({ 'fc.bias': tensor([0.1, 1e-5]) }, undefined, { dtype: 'BF16' });
 * nn.loadSafetensors(bytes)['fc.bias'].toArray(); // => [0.10009765625, 0.000010013580322265625]
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const buf = asBytes(bytes);
  const header = inspectSafetensors(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Record<string, Tensor> = {};
  for (const [name, { dtype, shape, dataOffsets: [b] }] of Object.entries(header.tensors)) {
    const count = shape.reduce((p, s) => p * s, 1);
    const data = new Float64Array(count);
    const width = BYTES[dtype];
    for (let i = 0, p = header.dataStart + b; i < count; i++, p += width) data[i] = decode(view, p, dtype, name);
    out[name] = new Tensor(data, shape);
  }
  return out;
}
