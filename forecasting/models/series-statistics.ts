/**
 * Small statistics over a prefix of a prepared series, shared by the models. NaN values
 * (missing or closed steps) are skipped throughout.
 */

/**
 * The seasonal period (an integer number of steps) a model on `length` values can use: the
 * shortest cycle rounded, provided two full cycles are present; otherwise 1 (no seasonality).
 * Cost: O(1). No periods or an empty series give 1.
 *
 * @example
 * usablePeriod([7, 365.25], 20); // 7 (two weeks are there); usablePeriod([7], 10) is 1
 */
export function usablePeriod(periods: readonly number[], length: number): number {
  const m = Math.round(periods[0] ?? 1);
  return m >= 2 && length >= 2 * m ? m : 1;
}

/** A long cycle seen at most this much beyond once is left out: its shape is not yet known. */
const MIN_SECOND_CYCLE_SHARE = 0.02;

/**
 * The share of a long cycle's fitted shape a model keeps when the first `length` steps hold
 * between one and two of its cycles (a yearly pattern from 13-23 months of daily data): the
 * square root of the share of the second cycle observed, √(length/period − 1), so 13 months keep
 * ~29% of the fitted shape, 18 months ~70%, 23 months ~95%. One cycle and a bit is a single
 * year's pattern, holidays and one-off events included, hence the shrinkage; the square root
 * because on held-back windows of real daily series (temperatures, wind, bird strikes) and
 * synthetic practices the linear share kept too little (forecasts with it were worse than
 * without shrinkage at all, the square root in between). 1 from two cycles on; 0 up to
 * {@link MIN_SECOND_CYCLE_SHARE} beyond one cycle. Used by STL and the seasonal regression alike,
 * so the two agree. Cost: O(1).
 *
 * @example
 * thinCycleShare(365.25, 548); // ≈ 0.71
 */
export function thinCycleShare(period: number, length: number): number {
  const secondCycle = length / period - 1;
  if (secondCycle >= 1) return 1;
  return secondCycle > MIN_SECOND_CYCLE_SHARE ? Math.sqrt(secondCycle) : 0;
}

/**
 * A robust scale of the one-step noise from the lag-`lag` differences of values[0, length):
 * max(1.4826·MAD, sd / 2) / √2. The sd term keeps a series that is constant apart from a level
 * shift from getting a zero scale (which would freeze a model that clips errors at it).
 * Returns 0 when there are no differences.
 * Cost: O(n log n) (two sorts).
 *
 * @example
 * robustNoiseScale(Float64Array.of(1, 2, 3, 5), 4, 1); // max(1.4826 × 0, 1.414 / 2) / √2 = 0.5
 */
export function robustNoiseScale(values: Float64Array, length: number, lag: number): number {
  const differences: number[] = [];
  for (let t = lag; t < length; t++) {
    const d = (values[t] as number) - (values[t - lag] as number);
    if (!Number.isNaN(d)) differences.push(d);
  }
  if (differences.length === 0) return 0;
  differences.sort((a, b) => a - b);
  const median = differences[Math.floor(differences.length / 2)] as number;
  const deviations = differences.map((d) => Math.abs(d - median)).sort((a, b) => a - b);
  const mad = deviations[Math.floor(deviations.length / 2)] as number;
  let sumSquares = 0;
  for (const d of differences) sumSquares += d * d;
  const sd = Math.sqrt(sumSquares / differences.length);
  return Math.max(1.4826 * mad, sd / 2) / Math.SQRT2;
}

/**
 * Mean of the non-NaN values in [from, to); NaN when there are none.
 * Cost: O(to − from). An empty range gives NaN.
 *
 * @example
 * meanOf(Float64Array.of(2, NaN, 4), 0, 3); // 3
 */
export function meanOf(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let t = Math.max(0, from); t < to; t++) {
    const v = values[t] as number;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Number of non-NaN values in [0, length).
 * Cost: O(length). An empty series gives 0.
 *
 * @example
 * countObserved(Float64Array.of(2, NaN, 4), 3); // 2
 */
export function countObserved(values: Float64Array, length: number): number {
  let count = 0;
  for (let t = 0; t < length; t++) if (!Number.isNaN(values[t])) count++;
  return count;
}

/**
 * Rounds a simulated value to a count (>= 0) for count series, leaves it otherwise.
 * Cost: O(1).
 *
 * @example
 * toKind(-0.4, true); // 0; toKind(2.6, true) is 3
 */
export function toKind(value: number, count: boolean): number {
  return count ? Math.max(0, Math.round(value)) : value;
}
