/**
 * Loads a function that another engineer may not have written yet. A missing module or export
 * becomes a skip reason instead of a crash, so the engine rows still run.
 */
import type { Skip } from './row.js';

export async function loadExport<F>(modulePath: string, name: string): Promise<F | Skip> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { skip: `${modulePath} does not load yet (${msg})` };
  }
  const f = mod[name];
  if (typeof f !== 'function') return { skip: `${modulePath} does not export ${name} yet` };
  return f as F;
}

export function isSkip(x: unknown): x is Skip {
  return typeof x === 'object' && x !== null && 'skip' in x;
}
