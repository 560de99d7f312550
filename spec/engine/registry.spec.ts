/**
 * The registry is the closed set of the library's graph nodes: every primitive that any library
 * module declares (loading the whole package declares them all) is in it, once.
 */
import * as lossgrad from '../../index.js';
import { PRIMITIVES as primitives, declaredPrimitives } from '../../engine/internal.js';

describe('the primitive registry', () => {
  it('lists every primitive the library declares, and nothing twice', () => {
    const listed = new Set(Object.values(primitives));
    expect(listed.size).toBe(Object.keys(primitives).length);
    const outside = declaredPrimitives().filter((p) => !listed.has(p)).map((p) => p.name);
    expect(outside).toEqual([]);
  });

  it('keys each node by its name (a one-element operand\'s rule by its op\'s name and "Scalar")', () => {
    for (const [key, p] of Object.entries(primitives)) {
      expect([p.name, `${p.name}Scalar`, `r${p.name}Scalar`]).toContain(key);
    }
  });

  it('does not list a user-defined primitive', () => {
    const mine = lossgrad.primitive<void, void>({
      name: 'mine',
      forward: ([x]) => ({ data: x.data.slice(), shape: x.shape, saved: undefined }),
      backward: (g, { inputs }) => [{ shape: inputs[0].shape, data: g }],
    });
    expect(Object.values(primitives)).not.toContain(mine);
  });
});
