/**
 * Claim 11 of the lecture: in the continuous case the most offending incorrect answer needs an
 * ε-ball.
 *
 * A trained energy has its minimum near the correct answer Y. Without a ball, "the lowest energy
 * among answers other than Y" has no minimiser: answers arbitrarily close to Y have energy
 * arbitrarily close to E(Y), so a contrastive loss pushes up as hard as it pushes down, on
 * nearly the same point, and its gradient with respect to the parameters vanishes. With the
 * ball, mostOffendingIncorrectContinuous returns Ȳ on or outside the sphere ‖Ȳ − Y‖ = ε, the
 * gap E(Ȳ) − E(Y) is finite, and the hinge loss has a gradient that reshapes the energy.
 * The energy here is E_θ(y) = ‖y − θ‖², trained so far that its minimum θ sits on the correct
 * answer Y = (0.5, −0.5); the parameter gradient comes from lossgrad's backward through both
 * energies. Analytically Ȳ lies on the sphere, the gap is ε² and the gradient norm 2ε.
 *
 *   npx tsx examples/claims/continuous-epsilon.ts
 */
import { ebm, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { isMain } from '../lib/cli.js';

export interface EpsilonRow {
  epsilon: number;
  /** ‖Ȳ − Y‖ of the answer found. */
  distance: number;
  /** E(Ȳ) − E(Y). */
  gap: number;
  /** ‖∂ hinge(E(Y), E(Ȳ)) / ∂θ‖ with margin 1. */
  gradNorm: number;
}

export function run(epsilons: number[] = [1, 0.3, 0.1, 1e-2, 1e-4, 1e-6]): EpsilonRow[] {
  const yTrue = tensor([0.5, -0.5]);
  return epsilons.map((epsilon) => {
    const theta = tensor([0.5, -0.5], { requiresGrad: true });
    const energy = (y: Tensor): Tensor => y.sub(theta).pow(2).sum();
    const yBar = ebm.mostOffendingIncorrectContinuous(energy, yTrue, { epsilon });
    const e = energy(yTrue);
    const eBar = energy(yBar);
    ebm.pair.hinge(e.reshape([1]), eBar.reshape([1]), { margin: 1 }).backward();
    const g = (theta.grad as Tensor).toArray() as number[];
    const d = yBar.sub(yTrue).toArray() as number[];
    return { epsilon, distance: Math.hypot(...d), gap: eBar.item() - e.item(), gradNorm: Math.hypot(...g) };
  });
}

if (isMain(import.meta.url)) {
  console.log('Claim 11: the continuous most offending answer needs an epsilon-ball (E(y) = |y - theta|^2, theta = Y = (0.5, -0.5), hinge margin 1)');
  console.log('  epsilon    |Ybar - Y|   E(Ybar) - E(Y)   |d hinge / d theta|');
  for (const r of run()) console.log(`  ${String(r.epsilon).padEnd(10)} ${r.distance.toExponential(3).padEnd(12)} ${r.gap.toExponential(3).padEnd(16)} ${r.gradNorm.toExponential(3)}`);
}
