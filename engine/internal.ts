/**
 * What the library's own packages (losses/, ctc/, ebm/, nn/) use from the engine beyond its
 * public API: the argument-checking layer, the option parser, the reduction, and the pieces
 * for declaring primitives. One index, so that moving an engine file breaks no importer.
 */
export * from './index.js';
export { describe, fail, fmtShape } from './errors.js';
export { allocate, classIndices, expectShape, flatten, shapeArg, toIndex, toTensor } from './convert.js';
export {
  parseOptions, number, optionalNumber, margin, boolean, oneOf, reduction, func, custom,
} from './options.js';
export type { Field, Schema, Parsed, NumberRule } from './options.js';
export { reduce } from './reduction.js';
export { clampMinStraightThrough } from './ops/special.js';
export * as numerics from './numerics.js';
export * from './fused/index.js';
export * as ctcKernels from './fused/ctc.js';
export { gruGates } from './fused/gru-gates.js';
export { applyPrimitive, declaredPrimitives, gradientsOf, takeBuffer } from './autograd.js';
export { PRIMITIVES } from './registry.js';
export type { PrimitiveName } from './registry.js';
export { broadcastData, broadcastShapes, canBroadcastTo, normDim, sameShape, sizeOf, stridesOf } from './shape.js';
