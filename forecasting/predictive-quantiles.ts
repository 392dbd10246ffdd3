import { normalQuantile } from './normal-quantile.js';

/**
 * How a series' values are distributed: `count` for non-negative integers (leads, calls),
 * `continuous` for anything else (revenue, temperatures).
 */
export type ValueKind = 'count' | 'continuous';

/**
 * The negative binomial size k whose variance mean + mean²/k matches `variance`; Infinity
 * (a Poisson) when variance <= mean, because a count cannot be less dispersed than Poisson here.
 * Cost: O(1). NaN in, NaN out.
 *
 * @example
 * negativeBinomialSize(4, 8); // 4
 */
export function negativeBinomialSize(mean: number, variance: number): number {
  if (Number.isNaN(mean) || Number.isNaN(variance)) return Number.NaN;
  return variance > mean ? (mean * mean) / (variance - mean) : Infinity;
}

/** Beyond this mean + 8 sd, walking the count distribution (O(mean)) costs more than it is worth. */
const EXACT_COUNT_LIMIT = 2_000;

/**
 * Quantiles of a predictive distribution given its mean and variance (moment matching):
 *
 * - `count`: a negative binomial (Poisson when variance <= mean); each quantile is the smallest
 *   integer x with P(X <= x) >= p, so bounds are counts and never negative. Exact by walking
 *   the pmf from 0 in O(mean + a few sd); above mean + 8 sd = 2,000, or when more dispersed
 *   than a geometric (variance > mean + mean²), a moment-matched log-normal, rounded.
 * - `continuous`: a normal; when `nonNegative` the quantiles are floored at 0.
 *
 * `probabilities` must be ascending in (0, 1). Mean <= 0 for counts gives all zeros; NaN mean
 * or variance gives NaNs; zero variance gives the mean (rounded for counts).
 * Empty `probabilities` give [].
 * Cost: O(mean + a few sd) for counts up to mean + 8 sd = 2,000, else O(probabilities).
 *
 * @example
 * predictiveQuantiles(2, 2, [0.1, 0.9], 'count'); // [0, 4]  (Poisson(2))
 */
export function predictiveQuantiles(
  mean: number,
  variance: number,
  probabilities: readonly number[],
  kind: ValueKind,
  nonNegative = kind === 'count',
): number[] {
  if (Number.isNaN(mean) || Number.isNaN(variance)) return probabilities.map(() => Number.NaN);
  const sd = Math.sqrt(Math.max(variance, 0));
  if (kind === 'continuous') {
    return probabilities.map((p) => {
      const q = mean + sd * normalQuantile(p);
      return nonNegative ? Math.max(0, q) : q;
    });
  }
  if (mean <= 0) return probabilities.map(() => 0);
  const countVariance = Math.max(variance, mean);
  // A negative binomial more dispersed than a geometric (size < 1) is J-shaped: most of its mass
  // at 0 and a long tail, so its central 80% range can lie wholly below the mean (a mean of 34
  // with an 80% range of [0, 5], seen on an epidemic series). The log-normal with the same mean
  // and variance keeps the forecast inside its ranges.
  if (mean + 8 * Math.sqrt(countVariance) > EXACT_COUNT_LIMIT || countVariance > mean + mean * mean) {
    const logVariance = Math.log1p(countVariance / (mean * mean));
    const logMean = Math.log(mean) - logVariance / 2;
    return probabilities.map((p) => Math.round(Math.exp(logMean + Math.sqrt(logVariance) * normalQuantile(p))));
  }
  return countQuantiles(mean, negativeBinomialSize(mean, countVariance), probabilities);
}

/**
 * Walks the NB (or Poisson) pmf upward from 0 with its ratio recurrence. The pmf is carried on a
 * log scale offset so that P(0) = exp(-mean) cannot underflow for large means.
 */
function countQuantiles(mean: number, size: number, probabilities: readonly number[]): number[] {
  const poisson = !Number.isFinite(size);
  const q = poisson ? 0 : mean / (mean + size);
  let logScale = poisson ? -mean : size * Math.log(size / (size + mean));
  let pmf = 1;
  let cdf = 1;
  const result: number[] = [];
  let x = 0;
  for (const p of probabilities) {
    const logTarget = Math.log(p) - 1e-12;
    // cdf·e^logScale < p, compared without a log per step while e^(logTarget - logScale) is finite.
    let threshold = Math.exp(logTarget - logScale);
    let scaleSeen = logScale;
    while (Number.isFinite(threshold) ? cdf < threshold : Math.log(cdf) + logScale < logTarget) {
      pmf *= poisson ? mean / (x + 1) : ((x + size) / (x + 1)) * q;
      x++;
      cdf += pmf;
      if (cdf > 1e250) {
        pmf *= 1e-250;
        cdf *= 1e-250;
        logScale += 250 * Math.LN10;
      }
      if (logScale !== scaleSeen) {
        threshold = Math.exp(logTarget - logScale);
        scaleSeen = logScale;
      }
      if (pmf === 0 && x > mean) break; // numerically exhausted the upper tail
    }
    result.push(x);
  }
  return result;
}

/** A central prediction interval at `level` percent. */
export interface Interval {
  level: number;
  lower: number;
  upper: number;
}

/**
 * Central intervals at each level (percent, e.g. [80, 95]) from one predictive mean and
 * variance, via {@link predictiveQuantiles} (one pass for all levels). Levels outside (0, 100)
 * give NaN bounds. Cost: as predictiveQuantiles.
 * Empty `levels` give [].
 *
 * @example
 * predictiveIntervals(2, 2, [80], 'count'); // [{ level: 80, lower: 0, upper: 4 }]
 */
export function predictiveIntervals(mean: number, variance: number, levels: readonly number[], kind: ValueKind, nonNegative = kind === 'count'): Interval[] {
  if (levels.length === 1) {
    // One level (the forecast's per-level ranges): no sorting or lookups.
    const level = levels[0] as number;
    if (!(level > 0 && level < 100)) return [{ level, lower: Number.NaN, upper: Number.NaN }];
    const [lower, upper] = predictiveQuantiles(mean, variance, [(1 - level / 100) / 2, (1 + level / 100) / 2], kind, nonNegative) as [number, number];
    return [{ level, lower, upper }];
  }
  if (levels.length === 2) {
    // Two levels (the backtest's 80% and 95%, hundreds of calls a forecast): the four
    // probabilities in ascending order without building, sorting and searching arrays.
    const [first, second] = levels as [number, number];
    if (first > 0 && first < 100 && second > 0 && second < 100 && first !== second) {
      const inner = Math.min(first, second);
      const outer = Math.max(first, second);
      const [outerLower, innerLower, innerUpper, outerUpper] = predictiveQuantiles(
        mean,
        variance,
        [(1 - outer / 100) / 2, (1 - inner / 100) / 2, (1 + inner / 100) / 2, (1 + outer / 100) / 2],
        kind,
        nonNegative,
      ) as [number, number, number, number];
      const innerInterval = { level: inner, lower: innerLower, upper: innerUpper };
      const outerInterval = { level: outer, lower: outerLower, upper: outerUpper };
      return first < second ? [innerInterval, outerInterval] : [outerInterval, innerInterval];
    }
  }
  const valid = levels.filter((level) => level > 0 && level < 100);
  const probabilities = valid.flatMap((level) => [(1 - level / 100) / 2, (1 + level / 100) / 2]).sort((a, b) => a - b);
  const quantiles = predictiveQuantiles(mean, variance, probabilities, kind, nonNegative);
  const at = (p: number): number => quantiles[probabilities.indexOf(p)] as number;
  return levels.map((level) =>
    level > 0 && level < 100 ? { level, lower: at((1 - level / 100) / 2), upper: at((1 + level / 100) / 2) } : { level, lower: Number.NaN, upper: Number.NaN },
  );
}
