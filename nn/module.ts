/**
 * `Module`: the base of every layer. A module owns named parameters (tensors that train),
 * buffers (state that does not train, such as BatchNorm's running statistics) and child
 * modules, and names them the way PyTorch's `state_dict` does: `encoder.1.bias`.
 */
import { Tensor } from '../engine/index.js';
import { checkOptions, describe, fail, fmtShape } from './check.js';

/** What `loadStateDict` did not match, as `torch.nn.Module.load_state_dict` reports it. */
export interface LoadResult {
  /** Keys the module has that the dict lacks. */
  missingKeys: string[];
  /** Keys the dict has that the module lacks. */
  unexpectedKeys: string[];
}

export interface LoadStateDictOptions {
  /** Throw when any key is missing or unexpected (default true). */
  strict?: boolean;
}

/** A state dict: dotted names to tensors (parameters and buffers). */
export type StateDict = Record<string, Tensor>;

/**
 * The base class of layers and models, as `torch.nn.Module`. Subclasses register their
 * parameters, buffers and children in the constructor (the registration order is the order of
 * `namedParameters()` and of `stateDict()`) and implement `forward`.
 *
 * @example
 * class TwoLayer extends nn.Module {
 *   constructor() {
 *     super();
 *     this.body = this.registerModule('body', new nn.Sequential(new nn.Linear(3, 4, { seed: 0 }), new nn.Tanh()));
 *     this.head = this.registerModule('head', new nn.Linear(4, 2, { seed: 1 }));
 *   }
 *   forward(x) { return this.head.call(this.body.call(x)); }
 * }
 * const m = new TwoLayer();
 * m.namedParameters().map(([k]) => k); // => ["body.0.weight", "body.0.bias", "head.weight", "head.bias"]
 * m.call(zeros([5, 3])).shape; // => [5, 2]
 */
export class Module {
  /** Training mode (the default) or evaluation mode; `train()` and `eval()` set it for the whole tree. */
  training = true;
  private readonly ownParams = new Map<string, Tensor | null>();
  private readonly ownBuffers = new Map<string, Tensor | null>();
  private readonly ownModules = new Map<string, Module>();

  /** The name used in error messages: the class name, as PyTorch prints it. */
  get layerName(): string {
    return this.constructor.name;
  }

  /** The computation; layers override it. The base one throws, as PyTorch's does. */
  forward(..._args: any[]): any {
    fail(this.layerName, 'forward is not implemented');
  }

  /**
   * Runs `forward`, typed by the subclass's own signature: `m.call(x)` is `m(x)` in PyTorch.
   * @param args the arguments of `forward`
   * @returns what `forward` returns
   */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    return this.forward(...args);
  }

  /**
   * Registers a trainable tensor (made a leaf with `requiresGrad: true`), or `null` for an
   * absent one (a layer built with `bias: false`), which no listing shows.
   */
  protected registerParameter<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name);
    if (value !== null && !(value instanceof Tensor)) fail(this.layerName, `parameter '${name}' must be a Tensor or null, got ${describe(value)}`);
    if (value !== null && !value.isLeaf) fail(this.layerName, `parameter '${name}' must be a leaf tensor (detach it first)`);
    if (value !== null) value.requiresGrad = true;
    this.ownParams.set(name, value);
    return value;
  }

  /** Registers state that is saved in the state dict but does not train. */
  protected registerBuffer<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name);
    if (value !== null && !(value instanceof Tensor)) fail(this.layerName, `buffer '${name}' must be a Tensor or null, got ${describe(value)}`);
    this.ownBuffers.set(name, value);
    return value;
  }

  /** Registers a child module; its entries appear under `name.` in every listing. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    if (!(module instanceof Module)) fail(this.layerName, `module '${name}' must be a Module, got ${describe(module)}`);
    this.ownModules.set(name, module);
    return module;
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) fail(this.layerName, `a name must be a non-empty string without '.', got ${describe(name)}`);
    if (this.ownParams.has(name) || this.ownBuffers.has(name) || this.ownModules.has(name)) fail(this.layerName, `the name '${name}' is already registered`);
  }

  /** The direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.ownModules];
  }

  /** The direct children, in registration order. */
  children(): Module[] {
    return [...this.ownModules.values()];
  }

  /** This module and every descendant with its dotted name (`''` for this one), each module once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, p: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [k, c] of m.ownModules) visit(c, p === '' ? k : `${p}.${k}`);
    };
    visit(this, prefix);
    return out;
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private collect(which: 'ownParams' | 'ownBuffers', dedupe: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [p, m] of this.namedModules()) {
      for (const [k, t] of m[which]) {
        if (t === null || (dedupe && seen.has(t))) continue;
        seen.add(t);
        out.push([p === '' ? k : `${p}.${k}`, t]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name (`0.weight`, `encoder.1.bias`); a shared tensor appears once. */
  namedParameters(): [string, Tensor][] {
    return this.collect('ownParams', true);
  }

  /** Every parameter, for an optimizer: `new optim.Adam(model.parameters())`. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    return this.collect('ownBuffers', true);
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') fail(this.layerName, `train: mode must be a boolean, got ${describe(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (to null, as `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Parameters and buffers by dotted name, each module's own parameters then its own buffers
   * then its children's, as `state_dict()`. The tensors share storage with the module (detached
   * views, as PyTorch's); clone them to keep a snapshot while training continues.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [p, m] of this.namedModules()) {
      for (const which of ['ownParams', 'ownBuffers'] as const) {
        for (const [k, t] of m[which]) if (t !== null) out[p === '' ? k : `${p}.${k}`] = t.detach();
      }
    }
    return out;
  }

  /**
   * Copies values from `dict` into the module's parameters and buffers, in place (an optimizer
   * built on `parameters()` keeps working), as `load_state_dict`.
   *
   * Everything is checked before anything is copied: a shape mismatch always throws, and with
   * `strict` (the default) so does any missing or unexpected key; a call that throws changes
   * nothing.
   * @param dict dotted names to tensors of the module's shapes
   * @param opts `strict` (default true)
   * @returns the missing and unexpected keys (both empty when strict)
   */
  loadStateDict(dict: StateDict, opts: LoadStateDictOptions = {}): LoadResult {
    const where = `${this.layerName}.loadStateDict`;
    checkOptions(where, opts, ['strict']);
    const strict = opts.strict ?? true;
    if (typeof strict !== 'boolean') fail(where, `strict must be a boolean, got ${describe(strict)}`);
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) fail(where, `dict must be an object of Tensors, got ${describe(dict)}`);
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !Object.prototype.hasOwnProperty.call(dict, k));
    const unexpectedKeys = Object.keys(dict).filter((k) => !Object.prototype.hasOwnProperty.call(own, k));
    const problems: string[] = [];
    for (const [k, t] of Object.entries(own)) {
      if (!Object.prototype.hasOwnProperty.call(dict, k)) continue;
      const v = dict[k];
      if (!(v instanceof Tensor)) problems.push(`'${k}' must be a Tensor, got ${describe(v)}`);
      else if (v.shape.length !== t.shape.length || v.shape.some((s, i) => s !== t.shape[i])) {
        problems.push(`size mismatch for '${k}': the dict has shape ${fmtShape(v.shape)}, the module ${fmtShape(t.shape)}`);
      }
    }
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    if (problems.length > 0) fail(where, `nothing was loaded: ${problems.join('; ')}`);
    for (const [k, t] of Object.entries(own)) {
      if (Object.prototype.hasOwnProperty.call(dict, k)) t.data.set(dict[k].data);
    }
    return { missingKeys, unexpectedKeys };
  }
}
