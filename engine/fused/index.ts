/**
 * The losses' fused primitives: the kernels that are one graph node with a hand-written backward
 * because PyTorch's gradient or the speed demands it (each file's header says why, and where its
 * composed twin is tested). losses/ and ebm/ reach them through engine/internal.ts; the engine's
 * registry lists them through `fusedPrimitives`.
 */
import { primitiveTable } from '../autograd.js';
import { BCE, BCE_WITH_LOGITS } from './bce.js';
import { COSINE_EMBEDDING } from './cosine-embedding.js';
import { CROSS_ENTROPY } from './cross-entropy.js';
import { SMOOTH_L1_BETA0 } from './smooth-l1.js';
import { TRIPLET_MARGIN } from './triplet-margin.js';

export { bceElements, bceWithLogitsElements, bceWithLogitsSummed } from './bce.js';
export { cosineEmbeddingRows } from './cosine-embedding.js';
export { crossEntropyPositions } from './cross-entropy.js';
export type { ClassLayout } from './cross-entropy.js';
export { smoothL1Beta0 } from './smooth-l1.js';
export { tripletMarginRows } from './triplet-margin.js';
export type { TripletAttrs } from './triplet-margin.js';

/** Every fused loss primitive, by its name, for the engine's registry. */
export const fusedPrimitives = primitiveTable({
  bceLoss: BCE,
  bceWithLogitsLoss: BCE_WITH_LOGITS,
  cosineEmbeddingLoss: COSINE_EMBEDDING,
  crossEntropy: CROSS_ENTROPY,
  smoothL1Beta0: SMOOTH_L1_BETA0,
  tripletMarginLoss: TRIPLET_MARGIN,
});
