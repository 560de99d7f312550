/**
 * lossgrad: reverse-mode autodiff in TypeScript with PyTorch's losses (exact float64 values and
 * gradients) and the energy-based-model losses of LeCun et al. (2006).
 *
 * @module lossgrad
 */
export * from './engine/index.js';
export * from './losses/index.js';
export * from './ctc/index.js';
export * as ebm from './ebm/index.js';
export * as nn from './nn/index.js';
