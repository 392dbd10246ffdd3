import { gammaln } from 'simple-statistics';
import type { Rng } from './prng.js';

/**
 * Random draws from the distributions the simulations need, all driven by a seeded {@link Rng}.
 * Each function costs O(1) expected time except where noted, and returns NaN for NaN parameters.
 */

/**
 * A standard normal draw (Box-Muller: two uniforms give two independent normals; the second is
 * kept on the rng for the next call, so each pair costs one logarithm, square root and cosine
 * instead of two: the sample paths draw millions of normals a night).
 * Cost: O(1).
 *
 * @example
 * sampleNormal(createRng(1)); // a draw from N(0, 1), the same for the same seed
 */
export function sampleNormal(rng: Rng): number {
  const spare = rng.spareNormal;
  if (spare === spare) {
    rng.spareNormal = Number.NaN;
    return spare;
  }
  const radius = Math.sqrt(-2 * Math.log(1 - rng.next())); // 1 - [0, 1) is (0, 1]: log(0) never happens
  const angle = 2 * Math.PI * rng.next();
  rng.spareNormal = radius * Math.sin(angle);
  return radius * Math.cos(angle);
}

/**
 * A Gamma(shape, scale) draw (Marsaglia-Tsang; shape < 1 via the u^(1/shape) boost).
 * Returns 0 when shape or scale is 0.
 * Cost: O(1) expected (rejection).
 *
 * @example
 * sampleGamma(createRng(1), 2, 3); // mean 6, variance 18 over many draws
 */
export function sampleGamma(rng: Rng, shape: number, scale: number): number {
  if (Number.isNaN(shape) || Number.isNaN(scale)) return Number.NaN;
  if (shape <= 0 || scale <= 0) return 0;
  if (shape < 1) return sampleGamma(rng, shape + 1, scale) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    // Marsaglia and Tsang's squeeze accepts ~98% of draws without the logarithms (same draws).
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

/**
 * A Poisson(mean) draw: inversion by sequential search below mean 30, Hörmann's PTRS
 * transformed rejection above (O(1) expected). Returns 0 for mean <= 0.
 * Cost: O(mean) below 30.
 *
 * @example
 * samplePoisson(createRng(1), 4.5); // a count with mean 4.5
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (Number.isNaN(mean)) return Number.NaN;
  if (mean <= 0) return 0;
  if (mean < 30) {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const u = rng.next();
    while (u > cdf && p > 0) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * Math.sqrt(mean);
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = 1 - rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - gammaln(k + 1)) return k;
  }
}

/**
 * A negative binomial draw with the given mean and size (dispersion) k: variance = mean + mean²/k.
 * A Gamma-Poisson mixture; size = Infinity gives a Poisson draw. Returns 0 for mean <= 0.
 * Cost: O(1) expected (as sampleGamma + samplePoisson).
 *
 * @example
 * sampleNegativeBinomial(createRng(1), 10, 5); // a count with mean 10, variance 30
 */
export function sampleNegativeBinomial(rng: Rng, mean: number, size: number): number {
  if (!Number.isFinite(size)) return samplePoisson(rng, mean);
  if (mean <= 0) return 0;
  return samplePoisson(rng, sampleGamma(rng, size, mean / size));
}

/**
 * A Beta(a, b) draw as a ratio of gammas. Returns NaN unless a > 0 and b > 0.
 * Cost: O(1) expected.
 *
 * @example
 * sampleBeta(createRng(1), 2, 8); // a rate with mean 0.2
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  if (!(a > 0 && b > 0)) return Number.NaN;
  const x = sampleGamma(rng, a, 1);
  const y = sampleGamma(rng, b, 1);
  return x / (x + y);
}

/**
 * A Binomial(trials, p) draw: exact inversion while trials·min(p, 1-p) < 50 (O(trials·p)),
 * a continuity-corrected normal approximation clamped to [0, trials] above that.
 * Returns 0 for trials <= 0 or p <= 0, `trials` for p >= 1.
 *
 * @example
 * sampleBinomial(createRng(1), 30, 0.4); // bookings of 30 leads at a 40% rate, mean 12
 */
export function sampleBinomial(rng: Rng, trials: number, p: number): number {
  const n = Math.round(trials);
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  if (n * p >= 50) {
    const draw = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * sampleNormal(rng));
    return Math.min(n, Math.max(0, draw));
  }
  const odds = p / (1 - p);
  let k = 0;
  let pk = Math.pow(1 - p, n);
  let cdf = pk;
  const u = rng.next();
  while (u > cdf && k < n) {
    pk *= (odds * (n - k)) / (k + 1);
    k++;
    cdf += pk;
  }
  return k;
}
