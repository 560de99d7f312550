/**
 * lossgrad/losses: the torch.nn loss family with PyTorch's values and gradients, `ctcLoss`
 * included. It is assembled here, beside the root index, so that losses/ itself need not depend
 * on ctc/ (the package rule: losses/, ctc/ and ebm/ depend on the engine, never on each other).
 *
 * @module lossgrad/losses
 */
export * from '../losses/index.js';
export { ctcLoss } from '../ctc/index.js';
export type { CtcLossOptions } from '../ctc/index.js';
