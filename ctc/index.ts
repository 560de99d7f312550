/**
 * lossgrad/ctc: connectionist temporal classification: the loss, decoders, alignment and a feasibility report.
 *
 * @module lossgrad/ctc
 */
export { ctcLoss } from './ctc-loss.js';
export type { CtcLossOptions } from './ctc-loss.js';
export { ctcGreedyDecode } from './greedy.js';
export type { CtcDecodeOptions } from './greedy.js';
export { ctcBeamSearch, ctcBeamSearchDetailed } from './beam-search.js';
export type { CtcBeamSearchOptions, CtcBeamSearchDetailedOptions, CtcHypothesis } from './beam-search.js';
export { ctcAlign } from './align.js';
export type { CtcAlignOptions } from './align.js';
export { ctcFeasible } from './feasible.js';
export type { CtcFeasibility } from './feasible.js';
export type { IndexInput, LengthsInput } from './args.js';
