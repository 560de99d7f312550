/** Console output that a caller can silence (the specs run the examples quietly). */
export type Say = (...lines: unknown[]) => void;

export function sayer(enabled: boolean): Say {
  return enabled ? (...lines) => console.log(...lines) : () => undefined;
}
