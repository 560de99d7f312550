/** ctcLoss: the public entry point; the recursion is the engine's CTC node (engine/fused/ctc-loss.ts). */
import type { Reduction, Tensor } from '../engine/index.js';
import { div, tensor } from '../engine/index.js';
import { boolean, ctcKernels, parseOptions, reduce, reduction } from '../engine/internal.js';
import type { IndexInput, LengthsInput } from './args.js';
import { blankOption, problemArgs } from './args.js';

export interface CtcLossOptions {
  /** `'none'`: the per-sample losses; `'mean'` (default): each over its target length, averaged; `'sum'`: their sum. */
  reduction?: Reduction;
  /** Index of the blank class (default 0). */
  blank?: number;
  /** Replace an infinite loss (an infeasible or impossible target) and its gradient by 0 (default false). */
  zeroInfinity?: boolean;
}

/**
 * Connectionist temporal classification loss: −log of the total probability of every
 * alignment (path) of `targets` to the frames of `logProbs`.
 *
 * Formula: loss_n = −log Σ_{π ∈ B⁻¹(l_n)} Π_{t < Tn} exp(logProbs[t, n, π_t]), where B collapses
 * repeats and then drops blanks, computed by the forward (alpha) recursion; the backward pass is
 * the beta recursion, ∂loss_n/∂logProbs[t, n, k] = −Σ_{s: l'_s = k} α_t(s) β_t(s) / P.
 *
 * @param logProbs `[T, N, C]`, or `[T, C]` unbatched: per-frame log-probabilities (usually a
 *   `logSoftmax` over C; any values are accepted).
 * @param targets padded `[N, S]` (positions past a sample's length are ignored), or 1-D
 *   concatenated of length Σ targetLengths, or `[S]` unbatched: labels in [0, C), never the blank.
 *   A Tensor or nested number arrays.
 * @param inputLengths `[N]` frames per sample, each ≤ T (a number or a one-element array when
 *   unbatched). Frames past a sample's length get zero gradient.
 * @param targetLengths `[N]` labels per sample (≤ S when padded).
 * @param opts `blank = 0`, `reduction = 'mean'`, `zeroInfinity = false`.
 * @returns `'none'`: `[N]` (`[]` unbatched); `'sum'`: `[]`; `'mean'` (default): `[]`, each loss
 *   divided by max(targetLength, 1), then averaged over the batch.
 *
 * PyTorch: `torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths,
 * blank, reduction, zero_infinity)`.
 *
 * NOTE: the gradient is the true derivative with respect to `logProbs`: minus the posterior of
 * each class at each frame. PyTorch's ctc_loss backward returns softmax − posterior instead,
 * which equals the true gradient only once composed with `logSoftmax` (its extra softmax term
 * sums to one per frame and `logSoftmax`'s backward removes it). Compare with PyTorch through the
 * logits (logits → logSoftmax → ctcLoss), never on `logProbs` directly.
 *
 * NOTE: a sample with inputLength 0 has loss 0 for an empty target and Infinity otherwise;
 * PyTorch 1.13 returns unspecified values there.
 *
 * Numerical notes: the recursion runs over probabilities, each frame exponentiated once after
 * subtracting its maximum, with one scale per frame while every live state stays within 2^900 of
 * it (scaled.ts); from the frame where one does not, alpha (or, below it, beta) carries on with a
 * power-of-two exponent per state (recursion.ts), so no state underflows however far apart the
 * states drift: stable for any T (tested at T = 10,000 against a log-space reference). A sample whose blank or labels have, in
 * some frame, log-probabilities more than 550 apart, or NaN or +Infinity, is computed in log space. An
 * infeasible sample (inputLength < targetLength + adjacent repeats, see `ctcFeasible`) has loss
 * Infinity and NaN gradient on its frames, or 0 and 0 with `zeroInfinity`. NaN propagates.
 *
 * References: A. Graves, S. Fernández, F. Gomez, J. Schmidhuber, "Connectionist Temporal
 * Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks", ICML 2006.
 *
 * @example
 * const logits = tensor([[0.5, 1, -1], [0, 2, 0.3], [1, -0.5, 0.2]], { requiresGrad: true });
 * const loss = ctcLoss(logits.logSoftmax(1), [1, 2], 3, 2);
 * loss.item(); // => 0.6495166
 * loss.backward();
 * logits.grad.toArray()[0]; // => [0.0440094, -0.0828572, 0.0388478]
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: IndexInput,
  inputLengths: LengthsInput,
  targetLengths: LengthsInput,
  opts: CtcLossOptions = {},
): Tensor {
  const fn = 'ctcLoss';
  const o = parseOptions(fn, opts, { blank: blankOption, reduction: reduction(), zeroInfinity: boolean(false) });
  const p = problemArgs(fn, logProbs, targets, inputLengths, targetLengths, o.blank);
  const losses = ctcKernels.ctcLossNode(p.lp, { dims: p.dims, blank: p.blank, targets: p.targets, inputLengths: p.inputLengths, zeroInfinity: o.zeroInfinity }); // [N] or []
  if (o.reduction !== 'mean') return reduce(losses, o.reduction);
  // PyTorch's 'mean' divides each loss by its target length (at least 1), then averages.
  const perLabel = Float64Array.from(p.targetLengths, (u) => Math.max(u, 1));
  return reduce(div(losses, tensor(perLabel, { shape: losses.shape })), 'mean');
}
