/**
 * The five lecture claims that examples/claims/ shows, checked with the numbers the scripts
 * compute through lossgrad: each against a closed form written in the script, or against the
 * contrast the claim is about.
 */
import { run as bce } from '../../examples/claims/bce-with-logits.js';
import { run as cosine } from '../../examples/claims/cosine-embedding.js';
import { run as epsilonBall } from '../../examples/claims/continuous-epsilon.js';
import { run as kl } from '../../examples/claims/kl-log-softmax.js';
import { run as perceptron } from '../../examples/claims/perceptron-linear.js';

describe('lecture claims (examples/claims)', () => {
  it('1: BCE with logits stays exact where sigmoid then BCE hits the clamp and loses the gradient', () => {
    const r = bce();
    expect(r.fused.lossError).toBeLessThan(1e-13);
    expect(r.fused.gradAbsError).toBeLessThan(1e-15);
    expect(r.composed.lossError).toBeGreaterThan(1);
    expect(r.composed.gradAbsError).toBeGreaterThan(0.99);
    expect(r.at40).toEqual({ composed: 100, fused: 40, composedGrad: 0, fusedGrad: 1 });
  });

  it('2: KL of log(softmax) overflows to infinity or NaN where logSoftmax then KL stays accurate', () => {
    const r = kl();
    expect(r.fused.nonFinite).toBe(0);
    expect(r.fused.lossError).toBeLessThan(1e-14);
    expect(r.fused.gradError).toBeLessThan(1e-14);
    // The composed route breaks once e^z underflows: z < log(min subnormal) ≈ −744.4, a quarter of the grid.
    expect(r.composed.nonFinite).toBeGreaterThan(0.2 * r.logits);
    expect(r.composed.nonFinite).toBeLessThan(0.3 * r.logits);
  });

  it('5: the cosine loss ignores length and a small margin leaves random high-dimensional pairs alone', () => {
    const r = cosine();
    const ref = r.scales[1].cosineLoss;
    for (const s of r.scales) expect(Math.abs(s.cosineLoss - ref)).toBeLessThan(1e-9);
    const dots = r.scales.map((s) => s.dotLoss);
    expect(dots).toEqual([...dots].sort((a, b) => b - a));
    expect(dots[3]).toBeLessThan(1e-6 * dots[0]);
    expect(r.scales[3].distance / r.scales[1].distance).toBeCloseTo(1000, 6);
    expect(r.radialShare).toBeLessThan(1e-9);
    const [d2, d16, d256] = r.equator;
    expect(d2.nearEquator).toBeLessThan(d16.nearEquator);
    expect(d16.nearEquator).toBeLessThan(d256.nearEquator);
    expect(d256.nearEquator).toBeGreaterThan(0.8);
    for (const e of r.equator) expect(Math.abs(e.penalisedMargin0 - 0.5)).toBeLessThan(0.05);
    expect(d256.penalisedSmallMargin).toBeLessThan(0.1);
  });

  it('8: the perceptron loss trains a linear energy; a non-linear one collapses, unlike with the hinge loss', () => {
    const [linear, nonLinear, hinge] = perceptron();
    expect(linear.report.collapsed).toBe(false);
    expect(linear.report.accuracy).toBeGreaterThan(0.85);
    expect(nonLinear.report.collapsed).toBe(true);
    expect(nonLinear.report.meanSpread).toBeLessThan(0.5 * linear.report.meanSpread);
    expect(nonLinear.report.accuracy).toBeLessThan(linear.report.accuracy - 0.1);
    expect(hinge.report.collapsed).toBe(false);
    expect(hinge.report.accuracy).toBeGreaterThan(0.8);
    expect(hinge.report.accuracy).toBeGreaterThan(nonLinear.report.accuracy + 0.1);
  });

  it('11: without an ε-ball the most offending answer closes on the correct one and the gradient vanishes', () => {
    const rows = epsilonBall();
    for (const r of rows) {
      // E(y) = ‖y − Y‖² near its minimum: Ȳ on the sphere, a gap of ε², a gradient of norm 2ε.
      expect(r.distance).toBeCloseTo(r.epsilon, 6);
      expect(Math.abs(r.gap - r.epsilon ** 2)).toBeLessThan(1e-6 * Math.max(r.epsilon ** 2, 1e-6));
      expect(r.gradNorm / (2 * r.epsilon)).toBeCloseTo(1, 5);
    }
    expect(rows.at(-1)!.gradNorm).toBeLessThan(1e-5);
  });
});
