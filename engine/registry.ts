/**
 * Every graph node the library declares, in one closed, typed table: the engine's primitives,
 * the losses' fused kernels and the CTC node. A primitive missing here is a compile error (the
 * table must have exactly the names of `PrimitiveName`), and spec/engine/registry.spec.ts checks
 * that no library module declares a primitive outside it.
 *
 * Users add their own nodes with `primitive(...)`; those are theirs, not the library's, and do
 * not belong here.
 */
import type { AnyPrimitive } from './autograd.js';
import { primitiveTable } from './autograd.js';
import { CTC_LOSS } from './fused/ctc.js';
import { GRU_GATES } from './fused/gru-gates.js';
import { fusedPrimitives } from './fused/index.js';
import { elementwisePrimitives } from './ops/elementwise.js';
import { matmulPrimitives } from './ops/linalg.js';
import { reductionPrimitives } from './ops/reduce.js';
import { shapePrimitives } from './ops/shape-ops.js';
import { softmaxPrimitives } from './ops/softmax.js';
import { specialPrimitives } from './ops/special.js';

export type PrimitiveName =
  // elementwise (engine/ops/elementwise.ts)
  | 'neg' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'abs' | 'sigmoid' | 'tanh' | 'relu' | 'softplus' | 'clamp'
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'where'
  // a one-element operand's rules (engine/ops/elementwise.ts)
  | 'addScalar' | 'subScalar' | 'rsubScalar' | 'mulScalar' | 'divScalar' | 'rdivScalar' | 'powScalar'
  // reductions (engine/ops/reduce.ts)
  | 'sum' | 'max' | 'min' | 'minExcluding' | 'logSumExp'
  // shape (engine/ops/shape-ops.ts)
  | 'reshape' | 'permute' | 'expand' | 'gather' | 'slice' | 'concat'
  // linear algebra (engine/ops/linalg.ts)
  | 'matmul' | 'norm'
  // softmax (engine/ops/softmax.ts)
  | 'softmax' | 'logSoftmax'
  // exact special functions (engine/ops/special.ts)
  | 'logSigmoid' | 'xlogy' | 'logAddExp' | 'clampMinStraightThrough'
  // fused loss kernels (engine/fused/)
  | 'bceLoss' | 'bceWithLogitsLoss' | 'cosineEmbeddingLoss' | 'crossEntropy' | 'smoothL1Beta0' | 'tripletMarginLoss'
  // CTC (engine/fused/ctc*.ts)
  | 'ctcLoss'
  // one GRU step (engine/fused/gru-gates.ts, for nn.GRU)
  | 'gruGates';

export const PRIMITIVES = primitiveTable({
  ...elementwisePrimitives,
  ...reductionPrimitives,
  ...shapePrimitives,
  ...matmulPrimitives,
  ...softmaxPrimitives,
  ...specialPrimitives,
  ...fusedPrimitives,
  ctcLoss: CTC_LOSS,
  gruGates: GRU_GATES,
}) satisfies Record<PrimitiveName, AnyPrimitive>;

// `satisfies` rejects a missing name; this rejects an extra one.
const exact: Record<keyof typeof PRIMITIVES, true> = {} as Record<PrimitiveName, true>;
void exact;
