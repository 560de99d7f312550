/** Console output of the examples: summary tables and progress bars. */
import Table from 'cli-table3';
import cliProgress from 'cli-progress';

export type Cell = string | number;

/** No rule between body rows: long tables stay readable in a terminal. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Numbers print with `digits` decimals so that runs compare line by line. */
export function formatTable(title: string, head: string[], rows: Cell[][], digits = 3): string {
  const table = new Table({ head, style: { head: [], border: [] }, chars: COMPACT });
  for (const row of rows) table.push(row.map((c) => (typeof c === 'number' ? c.toFixed(digits) : c)));
  return `${title}\n${table.toString()}`;
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

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
