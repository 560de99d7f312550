/** C1, C2: ctcLoss forward and backward through logSoftmax, against PyTorch's CPU kernel. */
import { tensor } from '../../engine/index.js';
import { ctcLoss } from '../../ctc/index.js';
import { ints, normal } from '../data.js';
import type { Prepared, Row } from '../row.js';
import { faster, within } from '../row.js';
import type { CtcSizes } from './ctc-alpha-beta.js';
import { ctcFused } from './ctc-alpha-beta.js';

function prepareFor(sizes: CtcSizes, seed: number): () => Promise<Prepared> {
  const { T, N, C, S } = sizes;
  return async () => {
    const xd = normal(T * N * C, seed);
    const targets = ints(N * S, seed + 1, 1, C);
    const logits = tensor(xd, { shape: [T, N, C], requiresGrad: true });
    const tt = tensor(Float64Array.from(targets), { shape: [N, S] });
    const inputLengths = new Array<number>(N).fill(T);
    const targetLengths = new Array<number>(N).fill(S);
    return {
      lossgrad() {
        logits.zeroGrad();
        const l = ctcLoss(logits.logSoftmax(2), tt, inputLengths, targetLengths);
        l.backward();
        return { loss: l.item(), grads: [logits.grad!.data] };
      },
      fused: () => ctcFused(xd, targets, sizes),
    };
  };
}

function ctcRow(id: string, sizes: CtcSizes, seed: number): Row {
  const { T, N, C, S } = sizes;
  return {
    id,
    issue: 4,
    title: 'ctc: ctcLoss through logSoftmax',
    sizes: `T=${T} N=${N} C=${C} S=${S}`,
    goals: { fused: within(1.2), torch1: faster(), torch2: faster() },
    torch: { kind: 'ctc', sizes: { T, N, C, S } },
    about: 'the fused loop is a scaled-probability alpha-beta over the feasible states; torch is F.log_softmax + F.ctc_loss',
    prepare: prepareFor(sizes, seed),
  };
}

export const ctcSmall = ctcRow('C1', { T: 200, N: 32, C: 40, S: 50 }, 71);
export const ctcLarge = ctcRow('C2', { T: 1000, N: 8, C: 100, S: 200 }, 73);
