/** `Embedding`: a lookup table of learned vectors, indexed by integers. */
import { Tensor, tensor, where, zeros } from '../engine/index.js';
import type { IndexLike } from '../engine/index.js';
import { checkInt, checkOptions, describe, fail } from './check.js';
import * as init from './init.js';
import type { RandomSource } from './init.js';
import { Module } from './module.js';

export interface EmbeddingOptions extends RandomSource {
  /** This row gets no gradient and starts at zero (negative counts from the end), as PyTorch's `padding_idx`. */
  paddingIdx?: number;
}

/** Integer indices from a Tensor or nested arrays, checked against the table size. */
function readIndices(input: IndexLike, n: number): { data: Float64Array; shape: number[] } {
  let t: Tensor;
  if (input instanceof Tensor) t = input;
  else {
    try {
      t = tensor(input as number[]);
    } catch (e) {
      return fail('Embedding', `input must be a Tensor or (nested) arrays of integer indices: ${(e as Error).message}`);
    }
  }
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isInteger(d[i])) fail('Embedding', `input must hold integer indices, got ${describe(d[i])} at flat position ${i}`);
    if (d[i] < 0 || d[i] >= n) fail('Embedding', `input index ${d[i]} at flat position ${i} is out of range (expected 0 <= index < ${n})`);
  }
  return { data: d, shape: t.shape.slice() };
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`; `forward(indices)` looks them up,
 * as `torch.nn.Embedding`. The weight starts from N(0, 1), as PyTorch's, with the padding row
 * zeroed.
 * @param numEmbeddings rows of the table
 * @param embeddingDim size of each vector
 * @param opts `paddingIdx`, `seed` or `generator`
 * @returns (forward) indices of any shape `[...]` to `[..., embeddingDim]`; `weight` is `[numEmbeddings, embeddingDim]`
 * @example
 * const emb = new nn.Embedding(10, 3, { paddingIdx: 0, seed: 0 });
 * emb.call([[0, 2], [4, 0]]).shape; // => [2, 2, 3]
 * emb.weight.toArray()[0]; // => [0, 0, 0]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    checkOptions('Embedding', opts, ['paddingIdx', 'seed', 'generator']);
    this.numEmbeddings = checkInt('Embedding', 'numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = checkInt('Embedding', 'embeddingDim', embeddingDim, 1);
    const p = opts.paddingIdx;
    if (p !== undefined && (!Number.isInteger(p) || p < -numEmbeddings || p >= numEmbeddings)) {
      fail('Embedding', `paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings}), got ${describe(p)}`);
    }
    this.paddingIdx = p === undefined ? null : p < 0 ? p + numEmbeddings : p;
    const w = init.normal(zeros([numEmbeddings, embeddingDim]), 0, 1, { generator: init.rngFrom('Embedding', opts) });
    if (this.paddingIdx !== null) w.data.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.weight = this.registerParameter('weight', w);
  }

  /**
   * @param input integer indices of any shape `[...]`, each in `[0, numEmbeddings)`
   * @returns `[..., embeddingDim]`
   */
  override forward(input: IndexLike): Tensor {
    const idx = readIndices(input, this.numEmbeddings);
    const rows = this.weight.indexSelect(0, tensor(idx.data)); // [n, dim]
    let out = rows;
    if (this.paddingIdx !== null) {
      const keep = new Float64Array(rows.size);
      for (let i = 0; i < idx.data.length; i++) {
        if (idx.data[i] !== this.paddingIdx) keep.fill(1, i * this.embeddingDim, (i + 1) * this.embeddingDim);
      }
      // The padding rows keep their value but pass no gradient to the table.
      out = where(tensor(keep, { shape: rows.shape }), rows, rows.detach());
    }
    return out.reshape([...idx.shape, this.embeddingDim]);
  }
}
