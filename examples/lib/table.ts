/** Summary tables printed at the end of an example. */
import Table from 'cli-table3';

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
