/** lossgrad/losses: the torch.nn loss family with PyTorch's values and gradients. */
export type { Reduction } from '../engine/index.js';
export * from './regression.js';
export * from './probabilistic.js';
export * from './classification.js';
export * from './margin.js';
export * from './embedding.js';
export * from './mining.js';
