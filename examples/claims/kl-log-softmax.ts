/**
 * Claim 2 of the lecture: KL divergence without a merged log-softmax is numerically fragile.
 *
 * klDivLoss expects log-probabilities. Fed log(softmax(z)), it inherits softmax's rounding: a
 * probability that underflows to 0 has log −∞, so the loss is infinite and the gradient NaN,
 * although the exact loss is just |z|. logSoftmax computes z − logSumExp(z) without forming the
 * probability, so it stays finite and accurate. In float64 the underflow needs a logit gap past
 * about 745 (in float32, about 104), which is why the range here is wide. Logits
 * (z, 0) for z in [−1000, 1000], target (1, 0), against the closed form
 * loss = softplus(−z), ∂loss/∂z = −σ(−z).
 *
 *   npx tsx examples/claims/kl-log-softmax.ts
 */
import { concat, klDivLoss, log, logSoftmax, softmax, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { isMain } from '../lib/cli.js';

export interface KlRoute {
  /** Logits z where the loss or the gradient came out infinite or NaN. */
  nonFinite: number;
  /** Largest |error| / max(1, |exact|) of the gradient, over logits where it was finite. */
  gradError: number;
  /** Largest |error| / max(1, |exact|) of the loss, over logits where it was finite. */
  lossError: number;
}

export interface KlClaim {
  logits: number;
  composed: KlRoute;
  fused: KlRoute;
}

const softplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const logistic = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

function route(kind: 'composed' | 'fused', z: number): [number, number] {
  const leaf = tensor([z], { requiresGrad: true });
  const logits = concat([leaf, tensor([0])]).reshape([1, 2]);
  const input = kind === 'composed' ? log(softmax(logits, 1)) : logSoftmax(logits, 1);
  const loss = klDivLoss(input, tensor([[1, 0]]), { reduction: 'sum' });
  loss.backward();
  return [loss.item(), (leaf.grad as Tensor).item()];
}

export function run(): KlClaim {
  const out = { composed: { nonFinite: 0, gradError: 0, lossError: 0 }, fused: { nonFinite: 0, gradError: 0, lossError: 0 } };
  let logits = 0;
  for (let i = 0; i <= 800; i++) {
    const z = -1000 + i * 2.5;
    logits++;
    const exactLoss = softplus(-z);
    const exactGrad = -logistic(-z);
    for (const kind of ['composed', 'fused'] as const) {
      const [loss, grad] = route(kind, z);
      const r = out[kind];
      if (!Number.isFinite(loss) || !Number.isFinite(grad)) {
        r.nonFinite++;
        continue;
      }
      r.lossError = Math.max(r.lossError, Math.abs(loss - exactLoss) / Math.max(1, exactLoss));
      r.gradError = Math.max(r.gradError, Math.abs(grad - exactGrad));
    }
  }
  return { logits, ...out };
}

if (isMain(import.meta.url)) {
  const r = run();
  console.log(`Claim 2: KL divergence needs a merged log-softmax (${r.logits} logits z in [-1000, 1000], logits (z, 0), target (1, 0))`);
  for (const [name, x] of [['log(softmax) -> klDivLoss', r.composed], ['logSoftmax -> klDivLoss ', r.fused]] as const) {
    console.log(`  ${name}: ${x.nonFinite} infinite or NaN, worst error elsewhere (relative to max(1, |exact|)): loss ${x.lossError.toExponential(2)}, gradient ${x.gradError.toExponential(2)}`);
  }
}
