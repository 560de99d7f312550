/**
 * lossgrad/nn: modules with PyTorch's names, weight layouts, state-dict keys and default
 * initialisation, the losses as modules, and safetensors files that PyTorch reads.
 *
 * @module lossgrad/nn
 */
export { Module } from './module.js';
export type { LoadResult, LoadStateDictOptions, StateDict } from './module.js';
export { Sequential, ModuleList } from './containers.js';
export { Linear, Bilinear } from './linear.js';
export type { LinearOptions } from './linear.js';
export {
  ReLU, LeakyReLU, ELU, Tanh, Sigmoid, LogSigmoid, SiLU, GELU, Softplus, Hardtanh, ReLU6, Softsign, Identity,
  Softmax, LogSoftmax, Flatten, gelu,
} from './activation.js';
export type { GELUOptions, SoftplusOptions } from './activation.js';
export * from './loss.js';
export * as init from './init.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { LayerNorm, BatchNorm1d } from './normalization.js';
export type { LayerNormOptions, BatchNorm1dOptions } from './normalization.js';
export { Dropout } from './dropout.js';
export { Conv1d } from './conv.js';
export type { Conv1dOptions } from './conv.js';
export { GRU } from './gru.js';
export type { GRUOptions } from './gru.js';
export { saveSafetensors, loadSafetensors, inspectSafetensors } from './safetensors.js';
export type { SafetensorsDtype, SafetensorsReadDtype, SaveSafetensorsOptions, SafetensorsEntry, SafetensorsHeader } from './safetensors.js';
