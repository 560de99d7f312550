/** The machine a run measured, for the record beside its numbers. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // no /proc on this platform: fall through to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machine(): string {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  return `Node ${process.version}, ${cpuModel()}, ${os.cpus().length} cores, load average ${load}`;
}
