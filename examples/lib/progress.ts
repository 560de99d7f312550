/** Progress bars for training loops, shown only to a person watching a terminal. */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Advances one step; `info` is shown after the bar (e.g. the current loss). */
  tick(info?: string): void;
  stop(): void;
}

const silent: Progress = { tick: () => undefined, stop: () => undefined };

/**
 * A bar of `total` steps. Piped output (CI logs, files) and quick runs get no bar, since
 * redrawn lines would only litter the log.
 */
export function progress(label: string, total: number, enabled: boolean): Progress {
  if (!enabled || !process.stdout.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(22)} {bar} {value}/{total} {info}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    tick: (info = '') => bar.increment(1, { info }),
    stop: () => bar.stop(),
  };
}
