/**
 * Forecast accuracy measures. All of them skip pairs where either side is NaN (missing or
 * closed days are passed as NaN) and return `null` when no pair is left, rather than a NaN that
 * would print as a number.
 */

/**
 * The MASE scale of a training series: the mean absolute difference between values one
 * seasonal period `m` apart (Hyndman & Koehler 2006). Pairs with a NaN are skipped.
 *
 * Returns null when no pair exists (series shorter than m + 1, all NaN); 0 for a constant series.
 * Cost: O(n).
 *
 * @example
 * maseScale([1, 2, 3, 5], 1); // (1 + 1 + 2) / 3 = 1.333...
 */
export function maseScale(values: ArrayLike<number>, m: number): number | null {
  let sum = 0;
  let count = 0;
  for (let t = m; t < values.length; t++) {
    const d = Math.abs((values[t] as number) - (values[t - m] as number));
    if (!Number.isNaN(d)) {
      sum += d;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}

/**
 * Mean absolute error over the pairs where both values are numbers; null if there are none.
 * Cost: O(n).
 *
 * @example
 * meanAbsoluteError([1, NaN, 3], [2, 5, 1]); // (1 + 2) / 2 = 1.5
 */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs((actual[i] as number) - (predicted[i] as number));
    if (!Number.isNaN(e)) {
      sum += e;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}

/**
 * Symmetric MAPE in percent (0-200): mean of 200·|a - f| / (|a| + |f|), where a pair with
 * a = f = 0 counts as 0 (a perfect zero forecast is not an error). Null if no pair.
 * Cost: O(n).
 *
 * @example
 * smape([10, 0], [5, 0]); // (200·5/15 + 0) / 2 = 33.33...
 */
export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const f = predicted[i] as number;
    if (Number.isNaN(a) || Number.isNaN(f)) continue;
    const denominator = Math.abs(a) + Math.abs(f);
    sum += denominator === 0 ? 0 : (200 * Math.abs(a - f)) / denominator;
    count++;
  }
  return count === 0 ? null : sum / count;
}

/**
 * Share (0-1) of actual values inside [lower, upper], bounds included. Null if no pair.
 * Cost: O(n).
 *
 * @example
 * intervalCoverage([1, 5], [0, 0], [2, 4]); // 0.5
 */
export function intervalCoverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number | null {
  let inside = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const lo = lower[i] as number;
    const hi = upper[i] as number;
    if (Number.isNaN(a) || Number.isNaN(lo) || Number.isNaN(hi)) continue;
    if (a >= lo && a <= hi) inside++;
    count++;
  }
  return count === 0 ? null : inside / count;
}
