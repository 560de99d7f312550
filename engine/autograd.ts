/**
 * The reverse-mode core: how a primitive is recorded, and the backward pass.
 *
 * A primitive is one object holding its forward rule and, beside it, its backward rule
 * (the vector-Jacobian product). The engine, not each rule, sums a gradient back to a
 * broadcast input's shape and rejects a gradient whose shape fits neither.
 */
import { describe, fail, fmtShape } from './errors.js';
import { boolean, parseOptions } from './options.js';
import type { Shape } from './shape.js';
import { canBroadcastTo, sameShape, sizeOf, sumToShape } from './shape.js';
import { tensorList } from './convert.js';
import { Tensor } from './tensor.js';
import { arenaBytes, releaseArena } from './threads/pool.js';

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

/** A primitive of any attribute and saved-state types, as a registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPrimitive = Primitive<any, any>;

const declared: AnyPrimitive[] = [];

/**
 * A module's table of primitives, keyed by name, for the registry. Its type keeps the names and
 * forgets each node's private attribute and saved-state types, so declarations can name it.
 */
export function primitiveTable<K extends string>(table: Record<K, AnyPrimitive>): Record<K, AnyPrimitive> {
  return table;
}

/**
 * Declares a graph node: its forward rule and, beside it, its backward rule (the vector-Jacobian
 * product). The library declares its own nodes this way; so can a user, for an op of their own.
 *
 * @param p `name` (used in error messages), `forward(inputs, attrs)` returning
 *   `{ data, shape, saved }`, and `backward(grad, ctx)` returning one gradient per input (in the
 *   input's shape or a shape it broadcasts to; `null` where `ctx.needs[i]` is false)
 * @returns the primitive, to run with `apply(prim, inputs, attrs)`
 *
 * The engine, not the rule, sums a gradient back to a broadcast input's shape, and it rejects a
 * gradient of a wrong shape with an error naming the primitive and the input.
 *
 * PyTorch: `torch.autograd.Function` (JAX: `jax.custom_vjp`).
 *
 * @example
 * const cube = primitive({
 *   name: 'cube',
 *   forward([x]) {
 *     return { data: x.data.map((v) => v * v * v), shape: x.shape, saved: x.data };
 *   },
 *   backward(g, { saved: x, inputs }) {
 *     return [{ shape: inputs[0].shape, data: g.map((gi, i) => 3 * x[i] * x[i] * gi) }];
 *   },
 * });
 * const x = tensor([1, 2], { requiresGrad: true });
 * apply(cube, [x], undefined).sum().backward();
 * x.grad.toArray(); // => [3, 12]
 */
export function primitive<A = void, S = void>(p: Primitive<A, S>): Primitive<A, S> {
  if (p === null || typeof p !== 'object' || typeof p.name !== 'string' || typeof p.forward !== 'function' || typeof p.backward !== 'function') {
    fail('primitive', `expected { name: string, forward: function, backward: function }, got ${describe(p)}`);
  }
  declared.push(p);
  return p;
}

/** Every primitive declared so far (the library's and any of the user's), in declaration order. */
export function declaredPrimitives(): readonly AnyPrimitive[] {
  return declared;
}

// Large gradient buffers that died during a backward pass, kept for the next rule (forward or
// backward) that needs one of the same length: a fresh multi-megabyte Float64Array costs several
// times a pass over it (zeroed pages, and garbage-collector pressure), so reuse makes a training
// step over big tensors about twice as fast. A length not asked for during the last two backward
// passes is handed back to the garbage collector, so training on changing sizes stays bounded.
const POOL_MIN = 1 << 15;
let poolLimitBytes = 256 * 1024 * 1024;
interface Shelf { buffers: Float64Array[]; lastPass: number }
const pool = new Map<number, Shelf>();
let pooledBytes = 0;
let pass = 0;

/**
 * A buffer of `n` values for a rule that writes every one of them: its contents are undefined
 * (it may be a recycled gradient buffer).
 */
export function takeBuffer(n: number): Float64Array {
  if (n >= POOL_MIN) {
    const shelf = pool.get(n);
    if (shelf !== undefined) {
      shelf.lastPass = pass;
      const b = shelf.buffers.pop();
      if (b !== undefined) {
        pooledBytes -= b.byteLength;
        return b;
      }
    }
  }
  return new Float64Array(n);
}

function recycle(b: Float64Array): void {
  if (b.length < POOL_MIN || b.byteOffset !== 0 || b.buffer.byteLength !== b.byteLength) return;
  if (pooledBytes + b.byteLength > poolLimitBytes) return;
  let shelf = pool.get(b.length);
  if (shelf === undefined) pool.set(b.length, (shelf = { buffers: [], lastPass: pass }));
  shelf.buffers.push(b);
  pooledBytes += b.byteLength;
}

/** Drops the shelves of lengths that no rule asked for in the last two passes. */
function evictStale(): void {
  for (const [n, shelf] of pool) {
    if (pass - shelf.lastPass > 2) {
      for (const b of shelf.buffers) pooledBytes -= b.byteLength;
      pool.delete(n);
    }
  }
}

/**
 * Hands every buffer of the gradient-buffer pool, and the thread pool's staging arena, back to
 * the garbage collector.
 *
 * The engine keeps dead gradient buffers of at least 32768 values (256 KiB) for reuse by the next
 * pass, up to a limit (`setCacheLimit`, 256 MiB by default), and drops a length by itself once
 * two backward passes went by without asking for it. Kernels split over threads stage their
 * operands in one shared arena, kept as large as the largest of them. Call this after a phase of
 * work on big tensors to release that memory at once.
 *
 * @returns the number of bytes released
 *
 * PyTorch: `torch.cuda.empty_cache()` (for its caching allocator).
 *
 * @example
 * emptyCache(); // => 0
 */
export function emptyCache(): number {
  const released = pooledBytes;
  pool.clear();
  pooledBytes = 0;
  return released + releaseArena();
}

/**
 * Sets the most bytes the gradient-buffer pool may hold (0 turns pooling off) and returns the
 * previous limit; buffers beyond a lowered limit are released at once.
 *
 * @example
 * const before = setCacheLimit(2 ** 26);
 * setCacheLimit(before); // => 67108864
 */
export function setCacheLimit(bytes: number): number {
  if (typeof bytes !== 'number' || !(bytes >= 0) || bytes === Infinity) {
    fail('setCacheLimit', `bytes must be a finite number >= 0, got ${describe(bytes)}`);
  }
  const prev = poolLimitBytes;
  poolLimitBytes = bytes;
  if (pooledBytes > bytes) emptyCache();
  return prev;
}

/** The bytes the gradient-buffer pool and the thread pool's staging arena hold now. */
export function cacheBytes(): number {
  return pooledBytes + arenaBytes();
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording a graph: tensors it computes do not require grad.
 *
 * @param fn a synchronous function. An async function is rejected: after its first `await` it
 *   would run with recording back on, so `noGrad` cannot cover it (wrap each synchronous part).
 * @returns what `fn` returns
 *
 * PyTorch: `with torch.no_grad():`.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * noGrad(() => w.mul(2)).requiresGrad; // => false
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') fail('noGrad', `fn must be a function, got ${describe(fn)}`);
  const prev = gradEnabled;
  gradEnabled = false;
  let result: T;
  try {
    result = fn();
  } finally {
    gradEnabled = prev;
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    fail('noGrad', 'fn returned a Promise: an async function runs with recording back on after its first await, so noGrad cannot cover it; call noGrad inside it around each synchronous part');
  }
  return result;
}

/**
 * Runs a primitive's forward rule on `inputs` and, when any input requires grad (and recording is
 * on), records the node so that `backward` can run its backward rule.
 *
 * @param prim a primitive from `primitive(...)`
 * @param inputs the tensor inputs
 * @param attrs non-tensor arguments, handed to both rules
 * @returns the output tensor
 *
 * @example
 * const double = primitive({
 *   name: 'double',
 *   forward: ([x]) => ({ data: x.data.map((v) => 2 * v), shape: x.shape, saved: undefined }),
 *   backward: (g, { inputs }) => [{ shape: inputs[0].shape, data: g.map((v) => 2 * v) }],
 * });
 * apply(double, [tensor([1, 2])], undefined).toArray(); // => [2, 4]
 */
export function apply<A, S>(prim: Primitive<A, S>, inputs: readonly Tensor[], attrs: A): Tensor {
  if (prim === null || typeof prim !== 'object' || typeof prim.forward !== 'function' || typeof prim.backward !== 'function') {
    fail('apply', `prim must be a primitive from primitive({ name, forward, backward }), got ${describe(prim)}`);
  }
  const name = typeof prim.name === 'string' ? prim.name : 'apply';
  // A copy of the caller's array: the graph must not change if they edit theirs later.
  const list = tensorList(name, 'inputs', inputs);
  const f = prim.forward(list, attrs);
  if (f === null || typeof f !== 'object' || !(f.data instanceof Float64Array)) {
    fail(name, `forward must return { data: Float64Array, shape, saved }, got ${describe(f)}`);
  }
  return record(prim, list, attrs, f);
}

/**
 * `apply` for the library's own primitives, whose arguments the op has already checked: runs the
 * forward rule and records the node.
 */
export function applyPrimitive<A, S>(prim: Primitive<A, S>, inputs: readonly Tensor[], attrs: A): Tensor {
  return record(prim, inputs, attrs, prim.forward(inputs, attrs));
}

function record<A, S>(prim: Primitive<A, S>, inputs: readonly Tensor[], attrs: A, f: Forward<S>): Tensor {
  let track = false;
  if (gradEnabled) for (const t of inputs) if (t.requiresGrad) track = true;
  const out = new Tensor(f.data, f.shape, track);
  if (track) out.node = { prim, inputs, attrs, saved: f.saved, freed: false } as Node;
  return out;
}

const NO_INPUTS: readonly Tensor[] = [];

function topoOrder(root: Tensor): Tensor[] {
  // Iterative post-order DFS: a 100,000-op chain would overflow a recursive one.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const t = stack[stack.length - 1];
    const inputs = t.node ? t.node.inputs : NO_INPUTS;
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
  /** Keep the graph so that `backward` can run through it again (default false). */
  retainGraph?: boolean;
}

/** The gradient a caller gave for `root`, checked, as a fresh buffer. */
function seedFor(fn: string, root: Tensor, gradOutput: unknown): Float64Array {
  if (gradOutput === undefined) {
    if (root.size !== 1) fail(fn, `gradOutput is required for a non-scalar output (shape ${fmtShape(root.shape)})`);
    return new Float64Array([1]);
  }
  if (typeof gradOutput === 'number') {
    if (root.size !== 1) fail(fn, `a number gradOutput needs a one-element output, got shape ${fmtShape(root.shape)}`);
    return Float64Array.of(gradOutput);
  }
  if (!(gradOutput instanceof Tensor)) fail(fn, `gradOutput must be a Tensor or a number, got ${describe(gradOutput)}`);
  if (!sameShape(gradOutput.shape, root.shape) && !(gradOutput.size === 1 && root.size === 1)) {
    fail(fn, `gradOutput shape ${fmtShape(gradOutput.shape)} does not match the output shape ${fmtShape(root.shape)}`);
  }
  return Float64Array.from(gradOutput.data);
}

/**
 * The reverse pass: pushes `seed` from `root` through the graph and hands each leaf's gradient
 * to `leaf`. With `retain` false, each node's saved state is dropped once its rule has run.
 */
function propagate(fn: string, root: Tensor, seed: Float64Array, retain: boolean, leaf: (t: Tensor, g: Float64Array) => void): void {
  const order = topoOrder(root);
  for (const t of order) {
    if (t.node?.freed) {
      fail(fn, `the graph through '${t.node.prim.name}' was freed by an earlier backward; pass { retainGraph: true } to the first call to backpropagate twice`);
    }
  }
  pass++;
  evictStale();
  const grads = new Map<Tensor, Float64Array>([[root, seed]]);
  for (const t of order) {
    const g = grads.get(t);
    if (g === undefined) continue;
    grads.delete(t);
    const node = t.node;
    if (node === null) {
      leaf(t, g);
      continue;
    }
    const inputs = node.inputs;
    const needs = inputs.map((x) => x.requiresGrad);
    const out = node.prim.backward(g, { inputs, attrs: node.attrs, saved: node.saved as never, out: t, needs });
    // `g` is no longer needed by this node, so a rule that passes it through (add, reshape)
    // hands it to its first consumer without a copy; only a second consumer gets a copy.
    let gHanded = false;
    let gShared = false;
    for (let i = 0; i < inputs.length; i++) {
      const gi = out[i];
      if (!needs[i] || gi === null || gi === undefined) continue;
      const x = inputs[i];
      if ('index' in gi) {
        scatterGrad(node.prim.name, i, x, gi, grads);
        continue;
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
    }
    // Once no gradient holds it, the incoming buffer is dead: the next rules may reuse it.
    if (!gHanded && !gShared) recycle(g);
    if (!retain) {
      node.saved = undefined;
      node.freed = true;
    }
  }
}

export function backward(root: Tensor, gradOutput?: Tensor | number, opts?: BackwardOptions): void {
  const o = parseOptions('backward', opts, { retainGraph: boolean(false) });
  if (!root.requiresGrad) {
    fail('backward', 'the tensor does not require grad (no input of its graph has requiresGrad: true)');
  }
  propagate('backward', root, seedFor('backward', root, gradOutput), o.retainGraph, accumulateLeaf);
}

/**
 * The gradients of `y` with respect to `wrt` (leaves of its graph), for the output gradient
 * `seed`, without touching any `.grad` and without freeing the graph. Leaves not in `wrt` are
 * ignored; an input that `y` does not depend on gets zeros.
 */
export function gradientsOf(fn: string, y: Tensor, wrt: readonly Tensor[], seed: Float64Array): Float64Array[] {
  const found = new Map<Tensor, Float64Array>();
  if (y.requiresGrad) {
    propagate(fn, y, seed, true, (t, g) => {
      if (wrt.includes(t)) found.set(t, g);
    });
  }
  return wrt.map((t) => found.get(t) ?? new Float64Array(t.size));
}

/** A function of tensors to one tensor: what `grad`, `valueAndGrad` and `gradCheck` differentiate. */
export type Differentiable = (...inputs: Tensor[]) => Tensor;

/** Fresh leaves sharing each input's data, so that the caller's tensors and graphs stay untouched. */
function leavesFor(fn: string, inputs: unknown): Tensor[] {
  if (!Array.isArray(inputs)) fail(fn, `inputs must be an array of Tensors, got ${describe(inputs)}`);
  return inputs.map((t, i) => {
    if (!(t instanceof Tensor)) fail(fn, `inputs[${i}] must be a Tensor, got ${describe(t)}`);
    return new Tensor(t.data, t.shape, true);
  });
}

/**
 * The value of a scalar-valued `fn` at `inputs` and its gradient with respect to each input,
 * computed without reading or writing any tensor's `.grad` (the caller's tensors, and any graph
 * they belong to, are left exactly as they were).
 *
 * @param fn called with one tensor per input (sharing the inputs' data); must return a
 *   one-element tensor
 * @param inputs the points at which to differentiate
 * @returns `{ value, grads }`: the value, detached, and one gradient per input, in its shape
 *   (zeros for an input that `fn` does not use)
 *
 * PyTorch: `torch.func.grad_and_value` (JAX: `jax.value_and_grad`).
 *
 * @example
 * const { value, grads } = valueAndGrad((x) => x.mul(x).sum(), [tensor([1, 2])]);
 * value.item(); // => 5
 * grads[0].toArray(); // => [2, 4]
 */
export function valueAndGrad(fn: Differentiable, inputs: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  const name = 'valueAndGrad';
  if (typeof fn !== 'function') fail(name, `fn must be a function, got ${describe(fn)}`);
  const leaves = leavesFor(name, inputs);
  // Recording is on inside, as torch.enable_grad: the caller asked for a gradient.
  const prev = gradEnabled;
  gradEnabled = true;
  let y: unknown;
  try {
    y = fn(...leaves);
  } finally {
    gradEnabled = prev;
  }
  if (!(y instanceof Tensor)) fail(name, `fn must return a Tensor, got ${describe(y)}`);
  if (y.size !== 1) fail(name, `fn must return a one-element tensor, got shape ${fmtShape(y.shape)}`);
  const g = gradientsOf(name, y, leaves, Float64Array.of(1));
  return { value: new Tensor(y.data.slice(), y.shape.slice(), false), grads: g.map((d, i) => new Tensor(d, leaves[i].shape.slice(), false)) };
}

/**
 * The gradient of a scalar-valued `fn` with respect to each of `inputs`, without touching any
 * `.grad`: `valueAndGrad(fn, inputs).grads`.
 *
 * PyTorch: `torch.autograd.grad(fn(*inputs), inputs)` (JAX: `jax.grad`).
 *
 * @example
 * grad((x, y) => x.mul(y).sum(), [tensor([1, 2]), tensor([3, 4])])[1].toArray(); // => [1, 2]
 */
export function grad(fn: Differentiable, inputs: readonly Tensor[]): Tensor[] {
  return valueAndGrad(fn, inputs).grads;
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
