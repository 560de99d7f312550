/**
 * Node file helpers for safetensors, in their own module so that a browser bundle of
 * `lossgrad/nn` never pulls in `node:fs`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Tensor } from '../engine/index.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import type { SaveSafetensorsOptions } from './safetensors.js';

/**
 * Writes `stateDict` to `path` as a safetensors file (see `saveSafetensors`). The bytes go to
 * `path + '.tmp'` first and are renamed into place, so a crash never leaves a truncated file.
 * @param path the file to write
 * @param stateDict names to tensors
 * @param metadata string keys to string values
 * @param opts `dtype` (default `'F64'`)
 * @returns the number of bytes written
 * PyTorch equivalent: `safetensors.torch.save_file(state_dict, path, metadata)`. (No `@example`
 * here: the doc examples run without file access; spec/nn/safetensors.spec.ts writes and reads
 * a file.)
 */
export function saveSafetensorsFile(path: string, stateDict: Record<string, Tensor>, metadata?: Record<string, string>, opts?: SaveSafetensorsOptions): number {
  const bytes = saveSafetensors(stateDict, metadata, opts);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return bytes.length;
}

/**
 * Reads a safetensors file into a state dict (see `loadSafetensors`).
 * @param path the file to read
 * @returns names to float64 tensors
 * PyTorch equivalent: `safetensors.torch.load_file(path)`.
 */
export function loadSafetensorsFile(path: string): Record<string, Tensor> {
  return loadSafetensors(readFileSync(path));
}
