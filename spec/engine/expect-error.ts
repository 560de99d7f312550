import { expectThrowsWith } from '../helpers/index.js';

/** Asserts that `fn` throws an Error whose message starts with `prefix` (`<function>: …`) and mentions every fragment. */
export function expectErrorStartingWith(fn: () => unknown, prefix: string, ...fragments: string[]): void {
  expectThrowsWith(fn, prefix, ...fragments);
  try {
    fn();
  } catch (e) {
    if (!(e as Error).message.startsWith(prefix)) throw new Error(`error message ${JSON.stringify((e as Error).message)} does not start with ${JSON.stringify(prefix)}`);
  }
}
