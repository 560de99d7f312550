/**
 * The model whose weights lossgrad saves for PyTorch to read (spec/fixtures/gen_nn.py rebuilds
 * it as a torch module with the same child names). Run as a script it writes the files:
 *   npx tsx spec/nn/saved-model.ts spec/fixtures
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nn } from '../../index.js';
import type { Tensor } from '../../engine/index.js';

/** Conv1d(3→4, k 3, padding 1) → GRU(4→5) over the length → Linear(5→2): `[N, 3, L]` to `[L, N, 2]`. */
export class SavedModel extends nn.Module {
  readonly conv = this.registerModule('conv', new nn.Conv1d(3, 4, 3, { padding: 1, seed: 101 }));
  readonly gru = this.registerModule('gru', new nn.GRU(4, 5, { seed: 102 }));
  readonly head = this.registerModule('head', new nn.Linear(5, 2, { seed: 103 }));

  override forward(x: Tensor): Tensor {
    const h = this.conv.call(x).permute([2, 0, 1]); // [L, N, 4]
    const [out] = this.gru.call(h);
    return this.head.call(out); // [L, N, 2]
  }
}

/** The dtypes the fixtures save the model in, and the file of each. */
export const SAVED_FILES = { F64: 'nn-from-lossgrad.safetensors', F32: 'nn-from-lossgrad-f32.safetensors', F16: 'nn-from-lossgrad-f16.safetensors', BF16: 'nn-from-lossgrad-bf16.safetensors' } as const;

export const SAVED_METADATA = { producer: 'lossgrad spec/nn/saved-model.ts', format: 'pt' };

/** The bytes lossgrad writes for `dtype`. */
export function savedBytes(dtype: keyof typeof SAVED_FILES): Uint8Array {
  return nn.saveSafetensors(new SavedModel().stateDict(), SAVED_METADATA, { dtype });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? 'spec/fixtures';
  for (const [dtype, file] of Object.entries(SAVED_FILES)) writeFileSync(join(dir, file), savedBytes(dtype as keyof typeof SAVED_FILES));
}
