/** E1: the energy-based hinge loss over many discrete answers, against PyTorch ops. */
import { tensor } from '../../engine/index.js';
import { hingeLoss } from '../../ebm/index.js';
import { ints, normal } from '../data.js';
import type { LossGrad, Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';

const P = 4096;
const K = 1000;
const MARGIN = 1;

/**
 * loss = mean(max(0, m + E(Y) - E(Ȳ))), Ȳ the lowest-energy wrong answer (ties: lowest index);
 * an active sample sends +1/P to E(Y) and -1/P to E(Ȳ).
 */
function fused(e: Float64Array, y: readonly number[]): LossGrad {
  const g = new Float64Array(e.length);
  let loss = 0;
  for (let i = 0; i < P; i++) {
    const row = i * K;
    let best = -1;
    let eBar = Infinity;
    for (let k = 0; k < K; k++) {
      if (k !== y[i] && (e[row + k] < eBar || best < 0)) {
        eBar = e[row + k];
        best = k;
      }
    }
    const v = MARGIN + e[row + y[i]] - eBar;
    if (!(v > 0)) continue;
    loss += v;
    g[row + y[i]] += 1 / P;
    g[row + best] -= 1 / P;
  }
  return { loss: loss / P, grads: [g] };
}

async function prepare(): Promise<Prepared> {
  const ed = normal(P * K, 81);
  const y = ints(P, 82, 0, K);
  const energies = tensor(ed, { shape: [P, K], requiresGrad: true });
  const targets = tensor(Float64Array.from(y));
  return {
    lossgrad() {
      energies.zeroGrad();
      const l = hingeLoss(energies, targets);
      l.backward();
      return { loss: l.item(), grads: [energies.grad!.data] };
    },
    fused: () => fused(ed, y),
  };
}

export const ebmHinge: Row = {
  id: 'E1',
  issue: 5,
  title: 'ebm: hingeLoss',
  sizes: '[4096, 1000]',
  goals: { fused: within(1.5), torch1: faster(), torch2: faster() },
  torch: { kind: 'ebm-hinge', sizes: { P, K } },
  about: 'torch has no EBM hinge loss: its reference is gather, scatter(+inf), min(1) and relu',
  prepare,
};
