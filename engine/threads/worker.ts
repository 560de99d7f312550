/**
 * What a pool worker runs (engine/threads/pool.ts loads this module in each worker): the table
 * from task names to kernels. The library never imports it, so the kernels that split their work
 * can import the pool without a cycle.
 */
import { logitsRange } from '../fused/bce.js';
import { ceRange } from '../fused/cross-entropy.js';
import { ctcAlphaRange, ctcBetaRange } from '../fused/ctc-loss.js';
import { tripletGradRows, tripletRows } from '../fused/triplet-margin.js';
import { logSoftmaxGradRows, logSoftmaxRows } from '../ops/softmax.js';
import type { TaskName } from './pool.js';
import { gemmUnits, serveWorker } from './pool.js';

const TASKS = {
  gemm: gemmUnits,
  bceLogits: logitsRange,
  crossEntropy: ceRange,
  logSoftmax: logSoftmaxRows,
  logSoftmaxBackward: logSoftmaxGradRows,
  ctcAlpha: ctcAlphaRange,
  ctcBeta: ctcBetaRange,
  triplet: tripletRows,
  tripletBackward: tripletGradRows,
} satisfies Record<TaskName, (args: never) => unknown>;

serveWorker(TASKS);
