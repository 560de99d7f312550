/** The loop every example trains with: steps, a progress bar, and the loss history. */
import { progress } from './terminal.js';

export interface LoopOptions {
  label: string;
  steps: number;
  showProgress: boolean;
  /** One optimisation step; returns that step's loss. */
  step: (index: number) => number;
}

export function trainLoop({ label, steps, showProgress, step }: LoopOptions): number[] {
  const bar = progress(label, steps, showProgress);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = step(s);
    losses.push(loss);
    bar.tick(`loss ${loss.toFixed(4)}`);
  }
  bar.stop();
  return losses;
}

/** The mean of the last `n` losses: a less noisy "final loss" than the last step's. */
export function tailMean(losses: readonly number[], n = 20): number {
  const tail = losses.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}
