/**
 * Gallery entries for the energy-based-model losses with two answers, plotted as the tutorial
 * plots them: against E(Y) − E(Ȳ), the correct answer's energy minus the most offending
 * incorrect one's, for a fixed E(Ȳ). The gradient is ∂L/∂E(Y).
 */
import { full } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import * as ebm from '../../ebm/index.js';
import type { GalleryEntry } from './entry.js';

type Ebm = (energies: Tensor, targets: number[]) => Tensor;

/** Energies `[n, 2]`: the correct answer (index 0) at E(Ȳ) + x, the other at E(Ȳ). */
function against(loss: Ebm, eBar: number): (x: Tensor) => Tensor {
  return (x) => loss(x.add(eBar).unsqueeze(1).concat([full([x.shape[0], 1], eBar)], 1), new Array<number>(x.shape[0]).fill(0));
}

function entry(file: string, title: string, loss: Ebm, eBars: number[], range: [number, number] = [-2, 2]): GalleryEntry {
  return {
    file: `ebm-${file}`,
    title,
    xTitle: 'E(Y) − E(Ȳ)',
    range,
    series: eBars.map((eBar) => ({ label: `E(Ȳ) = ${eBar}`, loss: against(loss, eBar) })),
  };
}

const none = { reduction: 'none' } as const;
const SHIFT_FREE = [2];
const LEVELS = [2, 3];
/** For the losses meant for non-negative energies, the sweep keeps E(Y) >= 0 at E(Ȳ) = 0.5. */
const LOW_LEVELS = [0.5, 2];
const NON_NEGATIVE: [number, number] = [-0.5, 2.5];

export const EBM_ENTRIES: GalleryEntry[] = [
  entry('energy', 'ebm.energyLoss: E(Y)', (e, t) => ebm.energyLoss(e, t, none), LEVELS),
  entry('perceptron', 'ebm.perceptronLoss: E(Y) − min_y E(y)', (e, t) => ebm.perceptronLoss(e, t, none), SHIFT_FREE),
  entry('hinge', 'ebm.hingeLoss: max(0, m + E(Y) − E(Ȳ)), m = 1', (e, t) => ebm.hingeLoss(e, t, none), SHIFT_FREE),
  entry('log', 'ebm.logLoss: log(1 + exp(E(Y) − E(Ȳ)))', (e, t) => ebm.logLoss(e, t, none), SHIFT_FREE),
  entry('mce', 'ebm.mceLoss: σ(E(Y) − E(Ȳ))', (e, t) => ebm.mceLoss(e, t, none), SHIFT_FREE),
  entry('pairwise-hinge', 'ebm.pairwiseHingeLoss (2 answers), m = 1', (e, t) => ebm.pairwiseHingeLoss(e, t, none), SHIFT_FREE),
  entry('nll', 'ebm.nllLoss: E(Y) + (1/β) log Σ exp(−β E(y)), β = 1', (e, t) => ebm.nllLoss(e, t, none), SHIFT_FREE),
  entry('mee', 'ebm.meeLoss: 1 − softmin(E)(Y), β = 1', (e, t) => ebm.meeLoss(e, t, none), SHIFT_FREE),
  entry('square-square', 'ebm.squareSquareLoss: E(Y)² + max(0, m − E(Ȳ))², m = 1', (e, t) => ebm.squareSquareLoss(e, t, none), LOW_LEVELS, NON_NEGATIVE),
  entry('square-exp', 'ebm.squareExpLoss: E(Y)² + γ exp(−E(Ȳ)), γ = 1', (e, t) => ebm.squareExpLoss(e, t, none), LOW_LEVELS, NON_NEGATIVE),
  entry('lvq2', 'ebm.lvq2Loss: min(M, max(0, (E(Y) − E(Ȳ)) / (δ E(Ȳ)))), M = δ = 1', (e, t) => ebm.lvq2Loss(e, t, none), LEVELS),
];
