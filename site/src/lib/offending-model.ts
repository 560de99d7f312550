/**
 * The continuous energy of the most-offending-answer page, free of the DOM so the browser spec
 * can rerun it in Node: a bowl around the trained minimum c, near the correct answer, minus a
 * Gaussian well of depth a and width w at d, a spurious low region the loss should push up.
 * E(y) = ‖y − c‖² − a · exp(−‖y − d‖² / (2w²)), every parameter a Tensor that requires grad, so
 * a contrastive loss on E(Y) and E(Ȳ) has a gradient with respect to the energy's shape.
 */
import { ebm, exp, tensor } from '../../../index.js';
import type { Tensor } from '../../../index.js';

export interface Shape {
  c: [number, number];
  d: [number, number];
  depth: number;
  width: number;
}

export const Y_TRUE: [number, number] = [0, 0];

export interface Energy {
  params: { c: Tensor; d: Tensor; depth: Tensor };
  /** E of one answer `[2]`, a one-element Tensor. */
  one(y: Tensor): Tensor;
  /** E of many answers `[N, 2]`, `[N]`. */
  many(y: Tensor): Tensor;
}

export function energy(s: Shape): Energy {
  const c = tensor(s.c, { requiresGrad: true });
  const d = tensor(s.d, { requiresGrad: true });
  const depth = tensor(s.depth, { requiresGrad: true });
  const w2 = 2 * s.width ** 2;
  const many = (y: Tensor): Tensor => y.sub(c).pow(2).sum(-1).sub(exp(y.sub(d).pow(2).sum(-1).div(-w2)).mul(depth));
  return { params: { c, d, depth }, many, one: (y) => many(y.reshape([1, 2])).reshape([1]) };
}

export interface Search {
  /** ε actually used: a tiny one stands in for ε = 0, which the search rejects. */
  epsilon: number;
  /** Each of `starts` single-start searches (seed s): where it began (0 steps) and where it ended. */
  runs: { start: number[]; end: number[]; energy: number }[];
  /** The library's multi-start answer with the same number of starts. */
  answer: number[];
  gap: number;
  hinge: number;
  /** ‖∂ hinge(E(Y), E(Ȳ)) / ∂(c, d, a)‖. */
  gradNorm: number;
}

export const TINY_EPSILON = 1e-6;
/** Gradient steps per start: fewer than the library's default, so that a slider stays responsive. */
const STEPS = 150;

export function search(s: Shape, epsilon: number, starts: number, margin: number): Search {
  const eps = epsilon > 0 ? epsilon : TINY_EPSILON;
  const E = energy(s);
  const y0 = tensor(Y_TRUE);
  const runs = Array.from({ length: starts }, (_, seed) => {
    const start = ebm.mostOffendingIncorrectContinuous(E.one, y0, { epsilon: eps, starts: 1, steps: 0, seed }).toArray() as number[];
    const endT = ebm.mostOffendingIncorrectContinuous(E.one, y0, { epsilon: eps, starts: 1, steps: STEPS, seed });
    return { start, end: endT.toArray() as number[], energy: E.one(endT).item() };
  });
  const answerT = ebm.mostOffendingIncorrectContinuous(E.one, y0, { epsilon: eps, starts, steps: STEPS });
  const e = E.one(y0);
  const eBar = E.one(answerT);
  const loss = ebm.pair.hinge(e, eBar, { margin });
  loss.backward();
  const grads = [E.params.c, E.params.d, E.params.depth].flatMap((p) => (p.grad ? ([p.grad.toArray()].flat(2) as number[]) : []));
  return {
    epsilon: eps, runs, answer: answerT.toArray() as number[], gap: eBar.item() - e.item(), hinge: loss.item(),
    gradNorm: Math.hypot(...grads),
  };
}
