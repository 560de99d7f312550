/** Containers: `Sequential` chains modules, `ModuleList` holds them for a forward of your own. */
import { describe, fail } from './check.js';
import { Module } from './module.js';

function checkModules(where: string, modules: readonly unknown[]): Module[] {
  modules.forEach((m, i) => {
    if (!(m instanceof Module)) fail(where, `module ${i} must be a Module, got ${describe(m)}`);
  });
  return modules as Module[];
}

/**
 * Modules applied in order, each to the previous one's output, as `torch.nn.Sequential`. The
 * children are named `0`, `1`, …, so state-dict keys read `0.weight`, `2.bias`.
 *
 * @param modules the layers, first applied first
 * @example
 * const net = new nn.Sequential(new nn.Linear(2, 8, { seed: 0 }), new nn.ReLU(), new nn.Linear(8, 1, { seed: 1 }));
 * Object.keys(net.stateDict()); // => ["0.weight", "0.bias", "2.weight", "2.bias"]
 * net.call(zeros([4, 2])).shape; // => [4, 1]
 */
export class Sequential extends Module {
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = checkModules('Sequential', modules);
    this.layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** How many modules it chains. */
  get length(): number {
    return this.layers.length;
  }

  /** The `i`-th module (negative counts from the end). */
  get(i: number): Module {
    const j = i < 0 ? i + this.layers.length : i;
    if (!Number.isInteger(i) || j < 0 || j >= this.layers.length) fail('Sequential', `index ${describe(i)} is out of range for ${this.layers.length} modules`);
    return this.layers[j];
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  /**
   * @param input the first module's input
   * @returns the last module's output
   */
  override forward(input: any): any {
    let h = input;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}

/**
 * A list of modules whose parameters the parent sees (named `0`, `1`, …), as
 * `torch.nn.ModuleList`; it has no forward of its own.
 *
 * @param modules the initial modules
 * @example
 * const blocks = new nn.ModuleList([new nn.Linear(3, 3, { seed: 0 }), new nn.Linear(3, 3, { seed: 1 })]);
 * blocks.append(new nn.Linear(3, 1, { seed: 2 }));
 * blocks.length; // => 3
 * blocks.namedParameters().at(-1)[0]; // => "2.bias"
 */
export class ModuleList extends Module {
  private readonly items: Module[] = [];

  constructor(modules: readonly Module[] = []) {
    super();
    if (!Array.isArray(modules)) fail('ModuleList', `modules must be an array of Modules, got ${describe(modules)}`);
    for (const m of checkModules('ModuleList', modules)) this.append(m);
  }

  /** Adds a module at the end; returns this. */
  append(module: Module): this {
    checkModules('ModuleList', [module]);
    this.registerModule(String(this.items.length), module);
    this.items.push(module);
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  /** The `i`-th module (negative counts from the end). */
  get(i: number): Module {
    const j = i < 0 ? i + this.items.length : i;
    if (!Number.isInteger(i) || j < 0 || j >= this.items.length) fail('ModuleList', `index ${describe(i)} is out of range for ${this.items.length} modules`);
    return this.items[j];
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}
