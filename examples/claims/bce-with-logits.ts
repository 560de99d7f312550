/**
 * Claim 1 of the lecture: BCE with logits is stabler than a sigmoid followed by BCE.
 *
 * Over logits z in [-50, 50] and targets 0 and 1, both routes are compared with the exact
 * loss and gradient written in closed form here (softplus by its overflow-free formula, the
 * gradient σ(z) − y). The composed route loses the loss where σ(z) rounds to 1 (BCE's log is
 * clamped at −100, so the loss reads 100 instead of z) and the gradient wherever σ(z)(1 − σ(z))
 * falls below BCE's 1e-12 floor; the fused route stays exact.
 *
 *   npx tsx examples/claims/bce-with-logits.ts
 */
import { bceLoss, bceWithLogitsLoss, sigmoid, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { isMain } from '../lib/cli.js';

export interface RouteError {
  /**
   * Largest |computed − exact| / max(1, |exact|) of the loss: relative for large losses,
   * absolute for small ones, where PyTorch's formula (a log, not log1p, of 1 + exp(−|z|)) rounds
   * a loss below 1e-16 to 0 by design.
   */
  lossError: number;
  /** Largest |computed − exact| of the gradient ∂loss/∂z (exact values lie in [−1, 1]). */
  gradAbsError: number;
}

export interface BceClaim {
  composed: RouteError;
  fused: RouteError;
  /** At z = 40, target 0: the exact loss is 40 (to 1e-17). */
  at40: { composed: number; fused: number; composedGrad: number; fusedGrad: number };
}

/** −log σ(z) for target 1 is softplus(−z); −log(1 − σ(z)) for target 0 is softplus(z). */
const softplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const logistic = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

function route(kind: 'composed' | 'fused', z: number, y: number): [number, number] {
  const leaf = tensor([z], { requiresGrad: true });
  const loss = kind === 'composed' ? bceLoss(sigmoid(leaf), tensor([y])) : bceWithLogitsLoss(leaf, tensor([y]));
  loss.backward();
  return [loss.item(), (leaf.grad as Tensor).item()];
}

export function run(): BceClaim {
  const errors = { composed: { lossError: 0, gradAbsError: 0 }, fused: { lossError: 0, gradAbsError: 0 } };
  for (let i = 0; i <= 400; i++) {
    const z = -50 + i * 0.25;
    for (const y of [0, 1]) {
      const exactLoss = y === 1 ? softplus(-z) : softplus(z);
      const exactGrad = logistic(z) - y;
      for (const kind of ['composed', 'fused'] as const) {
        const [loss, grad] = route(kind, z, y);
        const e = errors[kind];
        e.lossError = Math.max(e.lossError, Math.abs(loss - exactLoss) / Math.max(1, exactLoss));
        e.gradAbsError = Math.max(e.gradAbsError, Math.abs(grad - exactGrad));
      }
    }
  }
  const [composed, composedGrad] = route('composed', 40, 0);
  const [fused, fusedGrad] = route('fused', 40, 0);
  return { ...errors, at40: { composed, fused, composedGrad, fusedGrad } };
}

if (isMain(import.meta.url)) {
  const r = run();
  console.log('Claim 1: BCE with logits is stabler than sigmoid then BCE (z in [-50, 50], targets 0 and 1)');
  console.log(`  sigmoid -> bceLoss:  worst loss error ${r.composed.lossError.toExponential(2)}, worst gradient error ${r.composed.gradAbsError.toExponential(2)}`);
  console.log(`  bceWithLogitsLoss:   worst loss error ${r.fused.lossError.toExponential(2)}, worst gradient error ${r.fused.gradAbsError.toExponential(2)}`);
  console.log(`  at z = 40, target 0 (exact loss 40, gradient 1): composed ${r.at40.composed} (gradient ${r.at40.composedGrad}), fused ${r.at40.fused} (gradient ${r.at40.fusedGrad})`);
}
