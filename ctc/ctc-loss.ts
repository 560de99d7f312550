/** ctcLoss: the public entry point; the recursion is the engine's CTC node (engine/fused/ctc-loss.ts). */
import type { Reduction, Tensor, TensorLike } from '../engine/index.js';
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
 * alignment (path) of each target to the frames of its sample.
 *
 * `ℓ_n = −log Σ_{π ∈ B⁻¹(l_n)} Π_{t < Tn} exp(logProbs[t, n, π_t])`, where B merges repeats and
 * then drops blanks, by the forward (alpha) recursion over l' = (blank, l_1, blank, …, l_U, blank);
 * the backward pass is the beta recursion, `∂ℓ_n/∂logProbs[t, n, k] = −Σ_{s: l'_s = k} α_t(s) β_t(s) / P`.
 *
 * @param logProbs `[T, N, C]` (time first), or `[T, C]` for one sample: per-frame
 *   log-probabilities (usually a `logSoftmax` over C; any values are accepted).
 * @param targets padded `[N, S]` (positions past a sample's length are ignored), or 1-D
 *   concatenated of length Σ targetLengths (for `[T, C]`, the one target: its length must equal
 *   targetLength, as in PyTorch): labels in [0, C), never the blank; a Tensor or nested number arrays.
 * @param inputLengths `[N]` frames per sample, each ≤ T (for `[T, C]`, a number, a one-element
 *   array or a 0-d Tensor). Frames past a sample's length get zero gradient.
 * @param targetLengths `[N]` labels per sample (≤ S when padded); for `[T, C]` as inputLengths.
 * @param opts `blank = 0`, `reduction = 'mean'`, `zeroInfinity = false` (an infinite loss and
 *   its gradient become 0).
 * @returns `'none'`: `[N]` (`[]` for `[T, C]`); `'sum'`: `[]`; `'mean'` (default): `[]`, each loss
 *   divided by max(targetLength, 1), then averaged over the batch.
 *
 * PyTorch: `torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths,
 * blank=0, reduction='mean', zero_infinity=False)`.
 *
 * Numerics: the recursion runs over probabilities, each frame exponentiated once after
 * subtracting the maximum over the classes the sample uses, with one scale per frame while every
 * live state stays within 2^900 of it; from the frame where one does not, alpha (or, below it,
 * beta) carries on with a power-of-two exponent per state, so no state underflows however far
 * apart the states drift: exact for any T (tested at T = 10,000 against a log-space reference).
 * A sample whose blank and labels lie more than 550 nats apart in some frame, or hold NaN or
 * +Infinity, runs in log space, as PyTorch's kernel does. An infeasible sample (inputLength below
 * targetLength plus its adjacent repeats, see `ctcFeasible`) has loss Infinity and NaN gradient on
 * its frames, or 0 and 0 with `zeroInfinity`. NaN propagates.
 * NOTE: the gradient is the true derivative with respect to `logProbs`: minus the posterior of
 * each class at each frame. PyTorch's ctc_loss backward returns softmax − posterior instead,
 * which equals the true gradient only once composed with `logSoftmax` (its extra softmax term
 * sums to one per frame and `logSoftmax`'s backward removes it). Compare with PyTorch through the
 * logits (logits → logSoftmax → ctcLoss), never on `logProbs` directly.
 * NOTE: a sample with inputLength 0 has loss 0 for an empty target and Infinity otherwise;
 * PyTorch 1.13 returns unspecified values there.
 *
 * References: A. Graves, S. Fernández, F. Gomez, J. Schmidhuber, "Connectionist Temporal
 * Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks", ICML 2006;
 * L. R. Rabiner, "A Tutorial on Hidden Markov Models", Proc. IEEE 77(2), 1989 (scaling).
 *
 * @example
 * const logits = tensor([[0.5, 1, -1], [0, 2, 0.3], [1, -0.5, 0.2]], { requiresGrad: true });
 * const loss = ctcLoss(logits.logSoftmax(1), [1, 2], 3, 2);
 * loss.item(); // => 0.6495166
 * loss.backward();
 * logits.grad.toArray()[0]; // => [0.0440094, -0.0828572, 0.0388478]
 */
export function ctcLoss(
  logProbs: TensorLike,
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
