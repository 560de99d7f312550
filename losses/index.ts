/** lossgrad/losses: the torch.nn loss family with PyTorch's values and gradients. */
export type { Reduction } from './common.js';
export * from './regression.js';
export * from './probabilistic.js';
export * from './classification.js';
export * from './embedding.js';
export * from './mining.js';
export { ctcLoss } from '../ctc/index.js';
