/**
 * The normal distribution function Φ(x) = ½ erfc(-x/√2) in float64, for GELU.
 *
 * Two routes, each accurate to a few ulps where it is used: for |z| < 3 the series
 * erf(z) = (2/√π) e^{-z²} Σ_n (2z²)ⁿ z / (1·3·…·(2n+1)), whose terms are all positive (no
 * cancellation); for larger |z| the continued fraction
 * erfc(z) = e^{-z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))), evaluated by Lentz's method.
 * The tail of Φ for very negative x then keeps its relative precision, where 1 + erf would
 * round to 0.
 */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let s = z;
  for (let n = 1; n < 200; n++) {
    term *= (2 * z2) / (2 * n + 1);
    s += term;
    if (term < 1e-17 * s) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z2) * s;
}

/** erfc(z) for z >= 3 by the continued fraction (modified Lentz). */
function erfcFraction(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = z + a * d;
    d = d === 0 ? tiny : d;
    c = z + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-z * z)) / f;
}

/** erfc(z) for any z; NaN stays NaN. */
export function erfc(z: number): number {
  if (z !== z) return z;
  if (z >= 3) return erfcFraction(z);
  if (z <= -3) return 2 - erfcFraction(-z);
  return 1 - (z >= 0 ? erfSeries(z) : -erfSeries(-z));
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_PI * Math.SQRT1_2 * Math.exp(-0.5 * x * x);
}
