/**
 * The margin table's rows, free of the DOM so the browser spec can rerun them in Node: each
 * built-in pair loss, the options the page gives it, and the range marginClass checks it on.
 */
import { ebm } from '../../../index.js';
import type { Tensor } from '../../../index.js';

export interface TableOptions {
  margin: number;
  beta: number;
  gamma: number;
  steps: number;
}

export interface Row {
  name: string;
  formula: string;
  /** The tutorial's Table 1 entry, as the lecture states it. */
  tutorial: ebm.MarginClassValue;
  loss: ebm.PairLoss;
  lossOptions: (o: TableOptions) => Record<string, number>;
  /** LVQ2 divides by Ē: positive energies only. */
  range: readonly [number, number];
}

const none = (): Record<string, number> => ({});
const FULL = [-8, 8] as const;

export const ROWS: Row[] = [
  { name: 'energy', formula: 'E', tutorial: 'none', loss: ebm.pair.energy, lossOptions: none, range: FULL },
  { name: 'perceptron', formula: 'E − min(E, Ē)', tutorial: 0, loss: ebm.pair.perceptron, lossOptions: none, range: FULL },
  { name: 'LVQ2', formula: 'min(M, max(0, (E − Ē) / (δĒ)))', tutorial: 0, loss: ebm.pair.lvq2, lossOptions: none, range: [0, 8] },
  { name: 'hinge', formula: 'max(0, m + E − Ē)', tutorial: 'm', loss: ebm.pair.hinge, lossOptions: (o) => ({ margin: o.margin }), range: FULL },
  { name: 'square-square', formula: 'E² + max(0, m − Ē)²', tutorial: 'm', loss: ebm.pair.squareSquare, lossOptions: (o) => ({ margin: o.margin }), range: FULL },
  { name: 'log', formula: 'log(1 + exp(E − Ē))', tutorial: '> 0', loss: ebm.pair.log, lossOptions: none, range: FULL },
  { name: 'MCE', formula: 'σ(E − Ē)', tutorial: '> 0', loss: ebm.pair.mce, lossOptions: none, range: FULL },
  { name: 'square-exp', formula: 'E² + γ exp(−Ē)', tutorial: '> 0', loss: ebm.pair.squareExp, lossOptions: (o) => ({ gamma: o.gamma }), range: FULL },
  { name: 'NLL/MMI', formula: 'E + (1/β) log(exp(−βE) + exp(−βĒ))', tutorial: '> 0', loss: ebm.pair.nll, lossOptions: (o) => ({ beta: o.beta }), range: FULL },
  { name: 'MEE', formula: 'σ(β(E − Ē))', tutorial: '> 0', loss: ebm.pair.mee, lossOptions: (o) => ({ beta: o.beta }), range: FULL },
];

export function classify(row: Row, o: TableOptions): ebm.MarginClassResult {
  return ebm.marginClass(row.loss, { lossOptions: row.lossOptions(o), range: row.range, steps: o.steps });
}

/** The loss over an n × n grid of (E, Ē), row-major in E. */
export function lossGrid(row: Row, o: TableOptions, n: number, fromTensor: (values: number[]) => Tensor): { e: number; eBar: number; loss: number }[] {
  const [lo, hi] = row.range;
  const axis = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const pairs = axis.flatMap((e) => axis.map((eBar) => [e, eBar]));
  const loss = row.loss(fromTensor(pairs.map((p) => p[0])), fromTensor(pairs.map((p) => p[1])), { ...row.lossOptions(o), reduction: 'none' }).toArray() as number[];
  return pairs.map(([e, eBar], i) => ({ e, eBar, loss: loss[i] }));
}
