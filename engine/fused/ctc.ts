/**
 * What engine/internal.ts exposes of the CTC kernels (as `ctcKernels`): the node and the types of
 * the checked problem for ctc/, the extended target and the frame count for ctc/'s alignment and
 * feasibility report, and the recursions themselves for their specs.
 */
export { CTC_LOSS, ctcLossNode } from './ctc-loss.js';
export type { CtcDims, CtcLossAttrs, CtcNodeAttrs, CtcSaved, CtcTargets } from './ctc-loss.js';
export { CtcScratch, minFrames, rowsBuffer } from './ctc-sample.js';
export type { CtcSample, Stop } from './ctc-sample.js';
export { alphaExact, alphaRows, betaExactGrad } from './ctc-exact.js';
export type { AlphaRows, SavedAlpha } from './ctc-exact.js';
export { alphaScaled, betaScaledGrad } from './ctc-scaled.js';
