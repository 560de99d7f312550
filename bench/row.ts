/** What a benchmark row is: one workload, its contenders, and the goals its ratios are judged by. */

/** A loss value and the gradients of every input that requires grad, in a fixed order. */
export interface LossGrad {
  loss: number;
  grads: Float64Array[];
}

/** A ratio goal: met when lossgrad time / reference time is at most `max`. */
export interface Goal {
  max: number;
  text: string;
}

export interface TfjsContender {
  /** One forward+backward step with every tensor it made disposed. */
  step(): void;
  /** The same step, read back (float32) for a loose sanity check of the tfjs code. */
  result(): LossGrad;
}

export interface Prepared {
  lossgrad(): LossGrad;
  fused(): LossGrad;
  tfjs?: TfjsContender;
}

/** A PyTorch program in bench/torch_bench.py (`kind`) and the sizes it is built with. */
export interface TorchSpec {
  kind: string;
  sizes: Record<string, number>;
}

export interface Row {
  id: string;
  issue: number;
  title: string;
  sizes: string;
  /** The engine's thread count for this row (setNumThreads); omitted: the default, all cores. */
  threads?: number;
  /** Goals per column: torch1 and torch2 are PyTorch with one and with two threads. */
  goals: { fused?: Goal; tfjs?: Goal; torch1?: Goal; torch2?: Goal; stepUs?: number };
  torch?: TorchSpec;
  /** What a reader of the table needs to know about this row's references. */
  about?: string;
  prepare(): Promise<Prepared>;
}

export const within = (max: number): Goal => ({ max, text: `≤${max}x` });
export const faster = (times = 1): Goal =>
  times === 1 ? { max: 1, text: '<1x' } : { max: 1 / times, text: `≤${+(1 / times).toFixed(3)}x (${times}x faster)` };
