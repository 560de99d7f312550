/**
 * lossgrad/ebm: the energy-based-model losses of LeCun, Chopra, Hadsell, Ranzato and Huang,
 * "A Tutorial on Energy-Based Learning" (2006): discrete losses over an energy table, their pair
 * forms for continuous answers, the most offending incorrect answer, the loss functional, and
 * margin diagnostics.
 *
 * @module lossgrad/ebm
 */
export {
  energyLoss, nllLoss, perceptronLoss, hingeLoss, logLoss, squareSquareLoss, squareExpLoss, lvq2Loss, mceLoss, meeLoss,
  pairwiseHingeLoss,
} from './discrete.js';
export type { PairwiseHingeOptions } from './discrete.js';
export { pair } from './pair.js';
export type { EbmLossOptions, MarginOptions, BetaOptions, GammaOptions, Lvq2Options, PairLoss } from './pair.js';
export { mostOffendingIncorrect } from './offending.js';
export { mostOffendingIncorrectContinuous } from './continuous.js';
export type { ContinuousOptions } from './continuous.js';
export { lossFunctional, l2Regularizer } from './functional.js';
export { marginReport, marginClass } from './diagnostics.js';
export type { MarginReport, MarginReportOptions, MarginClassOptions, MarginClassResult, MarginClassValue } from './diagnostics.js';
