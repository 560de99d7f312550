/**
 * The signatures of the functions under test, as /work/shared/API.md fixes them. They are
 * declared here rather than imported because the modules may not exist yet when the bench runs.
 */
import type { NestedNumbers, Tensor } from '../../engine/index.js';

type Index = Tensor | NestedNumbers;
type Opts = Record<string, unknown>;

export type PairLoss = (input: Tensor, target: Index, opts?: Opts) => Tensor;
export type TripleLoss = (a: Tensor, b: Tensor, c: Index, opts?: Opts) => Tensor;
export type CtcLoss = (logProbs: Tensor, targets: Index, inputLengths: number[], targetLengths: number[], opts?: Opts) => Tensor;
