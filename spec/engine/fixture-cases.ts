/**
 * Replays the cases of spec/fixtures/engine.json (written by gen_engine.py from PyTorch float64):
 * the same op on the same inputs, then the value, its shape, and the gradients of
 * `(out * gout).sum()` compared with PyTorch's.
 */
import type { Tensor } from '../../engine/index.js';
import * as E from '../../engine/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

type Dim = number | number[] | null | undefined;

export interface EngineCase {
  group: string;
  name: string;
  op: string;
  args: Record<string, any>;
  inputs: { data: number[]; shape: number[]; requiresGrad: boolean }[];
  out: { data: number[]; shape: number[] };
  gout?: number[];
  grads?: (number[] | null)[];
}

const dimArg = (d: Dim): number | number[] | undefined => (d === null ? undefined : d);

/** The engine call for each fixture op; the Python side of each lives in gen_engine.py's `run`. */
const OPS: Record<string, (xs: Tensor[], a: Record<string, any>) => Tensor> = {
  neg: ([x]) => x.neg(),
  exp: ([x]) => x.exp(),
  log: ([x]) => x.log(),
  log1p: ([x]) => x.log1p(),
  sqrt: ([x]) => x.sqrt(),
  abs: ([x]) => x.abs(),
  sigmoid: ([x]) => x.sigmoid(),
  tanh: ([x]) => x.tanh(),
  relu: ([x]) => x.relu(),
  softplus: ([x]) => x.softplus(),
  add: ([x, y]) => x.add(y),
  sub: ([x, y]) => x.sub(y),
  mul: ([x, y]) => x.mul(y),
  div: ([x, y]) => x.div(y),
  pow: ([x, y]) => x.pow(y),
  maximum: ([x, y]) => x.maximum(y),
  minimum: ([x, y]) => x.minimum(y),
  scalar: ([x], a) => (x as any)[a.fn](a.value),
  clamp: ([x], a) => x.clamp(a.min, a.max),
  where: ([c, x, y]) => E.where(c, x, y),
  sum: ([x], a) => x.sum(dimArg(a.dim), a.keepDim),
  mean: ([x], a) => x.mean(dimArg(a.dim), a.keepDim),
  max: ([x], a) => x.max(dimArg(a.dim), a.keepDim),
  min: ([x], a) => x.min(dimArg(a.dim), a.keepDim),
  logSumExp: ([x], a) => x.logSumExp(dimArg(a.dim), a.keepDim),
  argMax: ([x], a) => x.argMax(a.dim ?? undefined, a.keepDim),
  minExcluding: ([x], a) => x.minExcluding(a.dim, a.index, a.keepDim),
  argMin: ([x], a) => x.argMin(a.dim ?? undefined, a.keepDim),
  reshape: ([x], a) => x.reshape(a.shape),
  transpose: ([x], a) => x.transpose(a.dim0, a.dim1),
  permute: ([x], a) => x.permute(a.dims),
  unsqueeze: ([x], a) => x.unsqueeze(a.dim),
  squeeze: ([x], a) => x.squeeze(a.dim ?? undefined),
  expand: ([x], a) => x.expand(a.shape),
  gather: ([x], a) => x.gather(a.dim, a.index),
  indexSelect: ([x], a) => x.indexSelect(a.dim, a.index),
  slice: ([x], a) => x.slice(a.dim, a.start, a.end, a.step),
  concat: (xs, a) => E.concat(xs, a.dim),
  stack: (xs, a) => E.stack(xs, a.dim),
  matmul: ([x, y]) => x.matmul(y),
  norm: ([x], a) => x.norm(a.p, dimArg(a.dim), a.keepDim),
  softmax: ([x], a) => x.softmax(a.dim),
  logSoftmax: ([x], a) => x.logSoftmax(a.dim),
};

const all: EngineCase[] = loadFixture<{ cases: EngineCase[] }>('engine.json').cases;

export function fixtureCases(group: string): [string, EngineCase][] {
  const cases = all.filter((c) => c.group === group);
  if (cases.length === 0) throw new Error(`engine.json has no cases in group ${group}`);
  return cases.map((c) => [c.name, c]);
}

/** Runs one case through the engine and compares the value and every gradient with PyTorch's. */
export function replay(c: EngineCase, rtol = 1e-10): void {
  const op = OPS[c.op];
  if (op === undefined) throw new Error(`no engine call for fixture op ${c.op}`);
  const xs = c.inputs.map((i) => E.tensor(Float64Array.from(i.data), { shape: i.shape, requiresGrad: i.requiresGrad }));
  const y = op(xs, c.args);
  expect(y.shape).toEqual(c.out.shape);
  expectClose(y, c.out.data, rtol);
  if (c.gout === undefined || c.grads === undefined) {
    expect(y.requiresGrad).toBe(false);
    return;
  }
  y.backward(E.tensor(Float64Array.from(c.gout), { shape: c.out.shape }));
  c.grads.forEach((g, i) => {
    if (g === null) expect(xs[i].grad).toBeNull();
    else expectClose(xs[i].grad!, g, rtol);
  });
}
