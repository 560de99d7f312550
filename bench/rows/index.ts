/**
 * Every benchmark row, in the order of the table. To add one: export a `Row` from a file in this
 * folder (named after what it measures, e.g. `nn-gru.ts`) and list it below.
 */
import type { Row } from '../row.js';
import { ctcLarge, ctcSmall } from './ctc-loss.js';
import { ebmHinge } from './ebm-hinge.js';
import { mlpMnist1, mlpMnist2 } from './engine-mlp-mnist.js';
import { mlpSmall } from './engine-mlp-small.js';
import { sigmoidSquare } from './engine-sigmoid-square.js';
import { bceWithLogits } from './losses-bce-with-logits.js';
import { cosineEmbedding } from './losses-cosine-embedding.js';
import { crossEntropy } from './losses-cross-entropy.js';
import { tripletMargin } from './losses-triplet-margin.js';
import { nnConv1d } from './nn-conv1d.js';
import { nnGru } from './nn-gru.js';

export const ROWS: readonly Row[] = [
  sigmoidSquare, mlpSmall, mlpMnist1, mlpMnist2,
  bceWithLogits, crossEntropy, tripletMargin, cosineEmbedding,
  ctcSmall, ctcLarge,
  ebmHinge,
  nnConv1d, nnGru,
];
