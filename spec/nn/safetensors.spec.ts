/** safetensors: exact round trips, the format's layout, and corrupt files rejected with clear errors. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Tensor, nn, tensor, zeros } from '../../index.js';
import { loadSafetensorsFile, saveSafetensorsFile } from '../../nn/safetensors-node.js';
import { arbShape, expectThrowsWith, fcParams } from '../helpers/index.js';

/** A file from a header object and raw data bytes, laid out by hand (not by saveSafetensors). */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const head = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

const f64 = (...v: number[]): Uint8Array => new Uint8Array(Float64Array.from(v).buffer);

const arbDict = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__metadata__'),
  arbShape(0, 3, 3).chain((s) => fc.array(fc.double(), { minLength: s.reduce((p, d) => p * d, 1), maxLength: s.reduce((p, d) => p * d, 1) }).map((v) => new Tensor(Float64Array.from(v), s))),
  { maxKeys: 4 },
);

describe('saveSafetensors / loadSafetensors', () => {
  it('F64 round trips are bit for bit (NaN, -0 and infinities included), with names, shapes and metadata', () => {
    fc.assert(fc.property(arbDict, fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (dict, meta) => {
      const bytes = nn.saveSafetensors(dict, meta);
      const back = nn.loadSafetensors(bytes);
      expect(Object.keys(back).sort()).toEqual(Object.keys(dict).sort());
      for (const [k, t] of Object.entries(dict)) {
        expect(back[k].shape).toEqual(t.shape);
        expect(Buffer.from(back[k].data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
      }
      expect(nn.inspectSafetensors(bytes).metadata).toEqual(meta);
    }), fcParams(40));
  });

  it('lays the file out as the format says: u64 header length, JSON, data 8-byte aligned, offsets from the data start', () => {
    const bytes = nn.saveSafetensors({ b: tensor([1, 2]), a: tensor([[3]]) }, { k: 'v' });
    const view = new DataView(bytes.buffer);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { k: 'v' },
      a: { dtype: 'F64', shape: [1, 1], data_offsets: [0, 8] },
      b: { dtype: 'F64', shape: [2], data_offsets: [8, 24] },
    });
    expect(view.getFloat64(8 + n, true)).toBe(3);
    expect(view.getFloat64(8 + n + 16, true)).toBe(2);
  });

  it('reads files laid out by hand, in any tensor order, with 0-d and empty tensors', () => {
    const header = { z: { dtype: 'F64', shape: [], data_offsets: [8, 16] }, e: { dtype: 'F32', shape: [0, 3], data_offsets: [16, 16] }, y: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } };
    const d = nn.loadSafetensors(file(header, f64(1.5, -2)));
    expect(d.z.shape).toEqual([]);
    expect(d.z.item()).toBe(-2);
    expect(d.y.toArray()).toEqual([1.5]);
    expect(d.e.shape).toEqual([0, 3]);
  });

  it('reads the integer dtypes of PyTorch state dicts exactly', () => {
    const i64 = new Uint8Array(BigInt64Array.from([-3n, 2n ** 40n]).buffer);
    const d = nn.loadSafetensors(file({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] }, b: { dtype: 'BOOL', shape: [2], data_offsets: [16, 18] } }, new Uint8Array([...i64, 1, 0])));
    expect(d.n.toArray()).toEqual([-3, 2 ** 40]);
    expect(d.b.toArray()).toEqual([1, 0]);
    const big = new Uint8Array(BigInt64Array.from([2n ** 60n]).buffer);
    expectThrowsWith(() => nn.loadSafetensors(file({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big)), "tensor 'n'", 'cannot be held exactly in float64');
  });

  it('narrows by rounding to nearest, ties to even, in one step from float64', () => {
    // 1 + 2^-11 is a tie between 1 and 1 + 2^-10 in F16: even is 1; 1 + 3·2^-11 rounds up to 1 + 2^-9.
    const x = tensor([1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -24, 2 ** -25, 2 ** -25 * 1.5, 70000, -0]);
    const back = nn.loadSafetensors(nn.saveSafetensors({ x }, undefined, { dtype: 'F16' })).x.toArray() as number[];
    expect(back.slice(0, 6)).toEqual([1, 1 + 2 ** -9, 2 ** -24, 0, 2 ** -24, Infinity]);
    expect(Object.is(back[6], -0)).toBe(true);
    // BF16 from float64 directly: 1 + 2^-8 + 2^-40 is above the tie, so it rounds up (through F32 it would tie and round down).
    expect(nn.loadSafetensors(nn.saveSafetensors({ x: tensor([1 + 2 ** -8 + 2 ** -40, NaN]) }, undefined, { dtype: 'BF16' })).x.toArray()).toEqual([1 + 2 ** -7, NaN]);
  });

  it('rejects bad arguments when writing', () => {
    expectThrowsWith(() => nn.saveSafetensors({ a: zeros([1]) }, undefined, { dtype: 'F8' as nn.SafetensorsDtype }), 'saveSafetensors: dtype must be one of F64, F32, F16, BF16, got "F8"');
    expectThrowsWith(() => nn.saveSafetensors({ a: [1] as unknown as Tensor }), "saveSafetensors: stateDict['a'] must be a Tensor");
    expectThrowsWith(() => nn.saveSafetensors({ __metadata__: zeros([1]) }), "cannot be named '__metadata__'");
    expectThrowsWith(() => nn.saveSafetensors({}, { epoch: 3 as unknown as string }), "metadata['epoch'] must be a string");
    expectThrowsWith(() => nn.saveSafetensors({}, undefined, { dtpye: 'F32' } as object), "unknown option 'dtpye'");
  });
});

describe('loadSafetensors rejects corrupt files with a clear error', () => {
  const good = nn.saveSafetensors({ w: tensor([[1, 2], [3, 4]]), b: tensor([5]) }, { a: 'b' });
  const entry = (o: unknown) => ({ w: { dtype: 'F64', shape: [2], data_offsets: o } });

  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(5), 'the file is 5 bytes, shorter than its 8-byte header length'],
    ['a header longer than the file', (() => { const b = good.slice(); new DataView(b.buffer).setUint32(0, 10000, true); return b; })(), 'the header length 10000 runs past the end of the file'],
    ['a huge header length (high word set)', (() => { const b = good.slice(); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), 'runs past the end of the file'],
    ['a header that is not JSON', file(null, undefined, '{"w": '), 'the header is not valid JSON'],
    ['a header that is not an object', file(null, undefined, '[1, 2]'), "must be a JSON object starting with '{'"],
    ['invalid UTF-8', (() => { const b = file(null, undefined, '{"a":1}'); b[10] = 0xff; return b; })(), 'not valid UTF-8'],
    ['an unknown dtype', file({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)), "tensor 'w': unknown dtype \"F128\""],
    ['a missing field', file({ w: { dtype: 'F64', shape: [1] } }, new Uint8Array(8)), "tensor 'w': its entry must have exactly dtype, shape and data_offsets"],
    ['an extra field', file({ w: { dtype: 'F64', shape: [1], data_offsets: [0, 8], extra: 1 } }, new Uint8Array(8)), 'must have exactly dtype, shape and data_offsets'],
    ['a negative dim', file({ w: { dtype: 'F64', shape: [-1], data_offsets: [0, 8] } }, new Uint8Array(8)), 'shape must be a list of non-negative integers'],
    ['a shape that disagrees with the byte count', file(entry([0, 8]), new Uint8Array(8)), 'shape [2] of F64 needs 16 bytes, but data_offsets [0,8] hold 8'],
    ['offsets past the end of the data', file(entry([0, 16]), new Uint8Array(8)), 'data_offsets [0,16] run past the end of the data (8 bytes)'],
    ['reversed offsets', file(entry([16, 0]), new Uint8Array(16)), 'data_offsets must be [begin, end] with 0 <= begin <= end'],
    ['overlapping tensors', file({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] }, b: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } }, new Uint8Array(16)), "the data of tensors 'a' and 'b' overlap"],
    ['a gap between tensors', file({ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] }, b: { dtype: 'F64', shape: [1], data_offsets: [16, 24] } }, new Uint8Array(24)), 'bytes 8..16 of the data belong to no tensor'],
    ['trailing bytes no tensor covers', file(entry([0, 16]), new Uint8Array(24)), 'the tensors cover 16 bytes of data, but the file holds 24'],
    ['non-string metadata', file({ __metadata__: { epoch: 3 } }), "__metadata__['epoch'] must be a string"],
    ['a BOOL byte other than 0 or 1', file({ b: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array([2])), 'a BOOL byte must be 0 or 1'],
  ])('%s', (_name, bytes, msg) => {
    expectThrowsWith(() => nn.loadSafetensors(bytes as Uint8Array), 'loadSafetensors:', msg as string);
  });

  it('rejects a non-buffer argument', () => {
    expectThrowsWith(() => nn.loadSafetensors('model.safetensors' as unknown as Uint8Array), 'loadSafetensors: bytes must be a Uint8Array or an ArrayBuffer');
  });

  it('every truncation of a valid file throws (never a half-read dict)', () => {
    for (let n = 0; n < good.length; n++) expect(() => nn.loadSafetensors(good.subarray(0, n))).toThrow(/^loadSafetensors: /);
  });

  it('random corruption of the length or header either throws a loadSafetensors error or reads a consistent dict', () => {
    const n = new DataView(good.buffer).getUint32(0, true);
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 + n - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
      const b = good.slice();
      for (const [i, v] of edits) b[i] = v;
      let d: Record<string, Tensor> | null = null;
      try {
        d = nn.loadSafetensors(b);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).constructor).toBe(Error);
        expect((e as Error).message).toMatch(/^loadSafetensors: /);
      }
      if (d) for (const t of Object.values(d)) expect(t.data.length).toBe(t.shape.reduce((p, s) => p * s, 1));
    }), fcParams(300));
  });
});

describe('Node file helpers', () => {
  it('write a file (through a temporary name) that reads back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lossgrad-nn-'));
    const path = join(dir, 'm.safetensors');
    const m = new nn.Linear(3, 2, { seed: 4 });
    const n = saveSafetensorsFile(path, m.stateDict(), { epoch: '1' });
    expect(readFileSync(path).length).toBe(n);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    const back = loadSafetensorsFile(path);
    expect(back.weight.toArray()).toEqual(m.weight.toArray());
    expect(nn.inspectSafetensors(readFileSync(path)).metadata).toEqual({ epoch: '1' });
  });
});
