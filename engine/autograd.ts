/**
 * The reverse-mode core: how a primitive is recorded, and the backward pass.
 *
 * A primitive is one object holding its forward rule and, beside it, its backward rule
 * (the vector-Jacobian product). The engine, not each rule, sums a gradient back to a
 * broadcast input's shape and rejects a gradient whose shape fits neither.
 */
import { fail, fmtShape } from './errors.js';
import type { Shape } from './shape.js';
import { canBroadcastTo, sameShape, sizeOf, sumToShape } from './shape.js';
import { Tensor } from './tensor.js';

/** A gradient produced by a backward rule: in its input's shape, or in a shape that input broadcasts to. */
export interface DenseGrad {
  readonly shape: Shape;
  readonly data: Float64Array;
}

/**
 * A gradient that is zero except at `index` (flat positions in the input, which may repeat),
 * where it is `values`. Index-selecting rules (gather, max over a dim) return this form so that
 * the engine adds a few entries instead of sweeping a full-size buffer of zeros.
 */
export interface SparseGrad {
  readonly shape: Shape;
  readonly index: Int32Array;
  readonly values: Float64Array;
}

export type Grad = DenseGrad | SparseGrad;

export interface Forward<S> {
  readonly data: Float64Array;
  readonly shape: Shape;
  readonly saved: S;
}

export interface Node<A = unknown, S = unknown> {
  readonly prim: Primitive<A, S>;
  readonly inputs: readonly Tensor[];
  readonly attrs: A;
  saved: S | undefined;
  freed: boolean;
}

export interface Primitive<A, S> {
  readonly name: string;
  forward(inputs: readonly Tensor[], attrs: A): Forward<S>;
  /**
   * One entry per input; `null` where `needs[i]` is false or the input has no gradient.
   * Each array must be fresh or `grad` itself: the engine accumulates into what it is given.
   */
  backward(grad: Float64Array, ctx: BackwardCtx<A, S>): readonly (Grad | null)[];
}

export interface BackwardCtx<A, S> {
  readonly inputs: readonly Tensor[];
  readonly attrs: A;
  readonly saved: S;
  readonly out: Tensor;
  readonly needs: readonly boolean[];
}

/** Declares a primitive; the type makes a missing backward rule a compile error. */
export function primitive<A = void, S = void>(p: Primitive<A, S>): Primitive<A, S> {
  return p;
}

// Large gradient buffers that died during a backward pass, kept for the next rule (forward or
// backward) that needs one of the same length: a fresh multi-megabyte Float64Array costs several
// times a pass over it (zeroed pages, and garbage-collector pressure), so reuse makes a training
// step over big tensors about twice as fast.
const POOL_MIN = 1 << 15;
const POOL_MAX_BYTES = 256 * 1024 * 1024;
const pool = new Map<number, Float64Array[]>();
let pooledBytes = 0;

/**
 * A buffer of `n` values for a rule that writes every one of them: its contents are undefined
 * (it may be a recycled gradient buffer).
 */
export function takeBuffer(n: number): Float64Array {
  if (n >= POOL_MIN) {
    const b = pool.get(n)?.pop();
    if (b !== undefined) {
      pooledBytes -= b.byteLength;
      return b;
    }
  }
  return new Float64Array(n);
}

function recycle(b: Float64Array): void {
  if (b.length < POOL_MIN || b.byteOffset !== 0 || b.buffer.byteLength !== b.byteLength) return;
  if (pooledBytes + b.byteLength > POOL_MAX_BYTES) return;
  let free = pool.get(b.length);
  if (free === undefined) pool.set(b.length, (free = []));
  free.push(b);
  pooledBytes += b.byteLength;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording a graph; results do not require grad. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs a primitive's forward rule and, when any input requires grad, records its node. */
export function apply<A, S>(prim: Primitive<A, S>, inputs: readonly Tensor[], attrs: A): Tensor {
  const f = prim.forward(inputs, attrs);
  let track = false;
  if (gradEnabled) for (const t of inputs) if (t.requiresGrad) track = true;
  const out = new Tensor(f.data, f.shape, track);
  if (track) out.node = { prim, inputs, attrs, saved: f.saved, freed: false } as Node;
  return out;
}

function topoOrder(root: Tensor): Tensor[] {
  // Iterative post-order DFS: a 100,000-op chain would overflow a recursive one.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const t = stack[stack.length - 1];
    const inputs = t.node ? t.node.inputs : [];
    const i = next[next.length - 1];
    if (i < inputs.length) {
      next[next.length - 1] = i + 1;
      const c = inputs[i];
      if (c.requiresGrad && !seen.has(c)) {
        seen.add(c);
        stack.push(c);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

export interface BackwardOptions {
  /** Keep the graph so that `backward` can run through it again. */
  retainGraph?: boolean;
}

export function backward(root: Tensor, gradOutput?: Tensor | number, opts: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    fail('backward', 'the tensor does not require grad (no input of its graph has requiresGrad: true)');
  }
  let seed: Float64Array;
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      fail('backward', `gradOutput is required for a non-scalar output (shape ${fmtShape(root.shape)})`);
    }
    seed = new Float64Array([1]);
  } else {
    const g = typeof gradOutput === 'number' ? new Tensor(new Float64Array([gradOutput]), [], false) : gradOutput;
    if (!(g instanceof Tensor)) fail('backward', `gradOutput must be a Tensor or a number, got ${typeof g}`);
    if (!sameShape(g.shape, root.shape) && !(g.size === 1 && root.size === 1)) {
      fail('backward', `gradOutput shape ${fmtShape(g.shape)} does not match the output shape ${fmtShape(root.shape)}`);
    }
    seed = Float64Array.from(g.data);
  }
  const order = topoOrder(root);
  for (const t of order) {
    if (t.node?.freed) {
      fail('backward', `the graph through '${t.node.prim.name}' was freed by an earlier backward; pass { retainGraph: true } to the first call to backpropagate twice`);
    }
  }
  const grads = new Map<Tensor, Float64Array>([[root, seed]]);
  for (const t of order) {
    const g = grads.get(t);
    if (g === undefined) continue;
    grads.delete(t);
    const node = t.node;
    if (node === null) {
      accumulateLeaf(t, g);
      continue;
    }
    const needs = node.inputs.map((x) => x.requiresGrad);
    const out = node.prim.backward(g, { inputs: node.inputs, attrs: node.attrs, saved: node.saved, out: t, needs });
    // `g` is no longer needed by this node, so a rule that passes it through (add, reshape)
    // hands it to its first consumer without a copy; only a second consumer gets a copy.
    let gHanded = false;
    let gShared = false;
    node.inputs.forEach((x, i) => {
      const gi = out[i];
      if (!needs[i] || gi === null || gi === undefined) return;
      if ('index' in gi) {
        scatterGrad(node.prim.name, i, x, gi, grads);
        return;
      }
      let data = fitGrad(node.prim.name, i, x, gi);
      if (data === g) {
        if (gHanded) data = g.slice();
        gHanded = true;
      } else if (gi.data.buffer === g.buffer) gShared = true;
      const prev = grads.get(x);
      if (prev === undefined) grads.set(x, data);
      else {
        for (let k = 0; k < prev.length; k++) prev[k] += data[k];
        if (data === g) gHanded = false;
      }
    });
    // Once no gradient holds it, the incoming buffer is dead: the next rules may reuse it.
    if (!gHanded && !gShared) recycle(g);
    if (!opts.retainGraph) {
      node.saved = undefined;
      node.freed = true;
    }
  }
}

/** Adds a sparse gradient into the input's accumulated gradient, creating it when absent. */
function scatterGrad(op: string, i: number, x: Tensor, g: SparseGrad, grads: Map<Tensor, Float64Array>): void {
  if (!sameShape(g.shape, x.shape) || g.index.length !== g.values.length) {
    fail(op, `backward produced a sparse gradient of shape ${fmtShape(g.shape)} with ${g.index.length} positions and ${g.values.length} values for input ${i} of shape ${fmtShape(x.shape)}`);
  }
  let acc = grads.get(x);
  if (acc === undefined) {
    acc = new Float64Array(x.size);
    grads.set(x, acc);
  }
  const { index, values } = g;
  for (let k = 0; k < index.length; k++) acc[index[k]] += values[k];
}

/** Sums a gradient back to its input's shape, or names the op whose rule produced a wrong one. */
function fitGrad(op: string, i: number, x: Tensor, g: DenseGrad): Float64Array {
  if (g.data.length !== sizeOf(g.shape)) {
    fail(op, `backward produced ${g.data.length} values for gradient shape ${fmtShape(g.shape)} of input ${i}`);
  }
  if (sameShape(g.shape, x.shape)) return g.data;
  if (canBroadcastTo(x.shape, g.shape)) return sumToShape(g.data, g.shape, x.shape);
  return fail(op, `backward produced a gradient of shape ${fmtShape(g.shape)} for input ${i} of shape ${fmtShape(x.shape)}`);
}

function accumulateLeaf(t: Tensor, g: Float64Array): void {
  if (t.grad === null) {
    t.grad = new Tensor(g, t.shape.slice(), false);
  } else {
    const d = t.grad.data;
    for (let k = 0; k < d.length; k++) d[k] += g[k];
  }
}
