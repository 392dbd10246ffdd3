import type { PreparedSeries } from './models/model.js';

/**
 * Turns raw values into a {@link PreparedSeries}: non-finite values become NaN (missing), steps
 * flagged in `closed` become NaN too (zero by design, so they must not drag down seasonality or
 * level), and the value kind is detected: `count` when every observed value is a non-negative
 * integer, `continuous` otherwise.
 *
 * Cost: O(n). Empty input gives an empty series of kind `count`; an all-NaN input likewise.
 *
 * @example
 * prepareSeries([3, 0, Number.NaN, 5], [7], [false, true, false, false]).values; // [3, NaN, NaN, 5]
 */
export function prepareSeries(values: readonly number[], periods: readonly number[], closed?: ArrayLike<boolean>): PreparedSeries {
  const prepared = new Float64Array(values.length);
  let integers = true;
  let nonNegative = true;
  for (let t = 0; t < values.length; t++) {
    const v = values[t] as number;
    if (!Number.isFinite(v) || closed?.[t] === true) {
      prepared[t] = Number.NaN;
      continue;
    }
    prepared[t] = v;
    if (v < 0) nonNegative = false;
    if (!Number.isInteger(v)) integers = false;
  }
  return { values: prepared, kind: integers && nonNegative ? 'count' : 'continuous', nonNegative, periods };
}
