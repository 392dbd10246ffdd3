import { parseTimestamp } from './calendar.js';
import { type Interval, negativeBinomialSize, predictiveIntervals } from './predictive-quantiles.js';

/** Arrivals in one local clock hour of one local date. */
export interface HourlyCount {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** Local hour 0-23. */
  hour: number;
  count: number;
}

/**
 * Share of a weekday's arrivals falling in each of its hours: 168 values, index
 * weekday·24 + hour with Monday = 0. Each weekday's 24 shares sum to 1, or are all 0 for a weekday
 * with no arrivals in the history (closed).
 */
export type HourOfWeekProfile = Float64Array;

/**
 * Builds the hour-of-week arrival profile from hourly history. Each weekday's shares are shrunk
 * toward the all-days hourly shape by `smoothing` pseudo-arrivals (default 24), so a weekday with
 * few arrivals borrows the common shape instead of trusting a handful of calls.
 *
 * Rows with an unparseable date, an hour outside 0-23 or a non-finite/negative count are
 * skipped. Empty history gives all zeros. Cost: O(rows).
 *
 * @example
 * const profile = hourOfWeekProfile([{ date: '2026-11-23', hour: 9, count: 4 }, { date: '2026-11-23', hour: 10, count: 4 }], 0);
 * profile[9]; // 0.5 (Monday 09:00)
 */
export function hourOfWeekProfile(history: readonly HourlyCount[], smoothing = 24): HourOfWeekProfile {
  const counts = new Float64Array(168);
  for (const { date, hour, count } of history) {
    const parsed = parseTimestamp(date);
    if (!parsed || !Number.isInteger(hour) || hour < 0 || hour > 23 || !(count >= 0) || !Number.isFinite(count)) continue;
    const index = weekdayIndex(parsed.ms) * 24 + hour;
    counts[index] = (counts[index] as number) + count;
  }
  const pooled = new Float64Array(24);
  let pooledTotal = 0;
  for (let i = 0; i < 168; i++) {
    pooled[i % 24] = (pooled[i % 24] as number) + (counts[i] as number);
    pooledTotal += counts[i] as number;
  }
  const profile = new Float64Array(168);
  for (let day = 0; day < 7; day++) {
    let total = 0;
    for (let h = 0; h < 24; h++) total += counts[day * 24 + h] as number;
    if (total === 0) continue;
    for (let h = 0; h < 24; h++) {
      const prior = (pooled[h] as number) / pooledTotal;
      profile[day * 24 + h] = ((counts[day * 24 + h] as number) + smoothing * prior) / (total + smoothing);
    }
  }
  return profile;
}

/** Expected arrivals in one hour of a forecast day. */
export interface HourlyExpectation {
  date: string;
  hour: number;
  mean: number;
}

/**
 * Spreads daily forecasts over the hours of each day by the profile: mean(day) × share(weekday,
 * hour). 24 rows per day; a weekday with an all-zero profile gets zeros. Days whose date does not
 * parse are skipped. Cost: O(24 × days).
 * No days give [].
 *
 * @example
 * expectedArrivalsByHour([{ date: '2026-11-23', mean: 8 }], profile); // [{ date, hour: 0, mean: 0 }, ..., { hour: 9, mean: 4 }, ...]
 */
export function expectedArrivalsByHour(days: readonly { date: string; mean: number }[], profile: HourOfWeekProfile): HourlyExpectation[] {
  const result: HourlyExpectation[] = [];
  for (const { date, mean } of days) {
    const parsed = parseTimestamp(date);
    if (!parsed) continue;
    const day = weekdayIndex(parsed.ms);
    for (let hour = 0; hour < 24; hour++) result.push({ date, hour, mean: mean * (profile[day * 24 + hour] as number) });
  }
  return result;
}

/** "Are we on pace": what should have arrived by now today, with bands. */
export interface OnPace {
  /** Share of the day's arrivals expected by now (0-1). */
  shareOfDay: number;
  /** Expected count by now. */
  expected: number;
  /** Count bands by now, one per requested level. */
  intervals: Interval[];
}

/**
 * The expected count by a time of day, with bands: share = profile's cumulative share up to
 * `hourOfDay` (fractional: 10.5 is 10:30, the current hour counted pro rata), expected = share ×
 * the day's predictive mean. If the day's count is negative binomial (mean μ, variance v), the
 * arrivals by now are a thinned NB with mean share·μ and the same size, so the bands are count
 * quantiles, never below 0. A closed weekday (all-zero profile) or μ = 0 gives 0 with a [0, 0] band.
 *
 * Cost: O(24). Throws RangeError for an unparseable date.
 * An empty `levels` gives no intervals.
 *
 * @example
 * onPace(profile, '2026-11-23', 12, { mean: 20, variance: 30 }); // { shareOfDay: 0.45, expected: 9, intervals: [...] }
 */
export function onPace(
  profile: HourOfWeekProfile,
  date: string,
  hourOfDay: number,
  day: { mean: number; variance: number },
  levels: readonly number[] = [80, 95],
): OnPace {
  const parsed = parseTimestamp(date);
  if (!parsed) throw new RangeError(`cannot parse date "${date}"`);
  const offset = weekdayIndex(parsed.ms) * 24;
  const clamped = Math.max(0, Math.min(24, hourOfDay));
  let share = 0;
  for (let h = 0; h < Math.floor(clamped); h++) share += profile[offset + h] as number;
  if (clamped < 24) share += (clamped - Math.floor(clamped)) * (profile[offset + Math.floor(clamped)] as number);
  const expected = share * day.mean;
  const size = negativeBinomialSize(day.mean, day.variance);
  const variance = Number.isFinite(size) ? expected + (expected * expected) / size : expected;
  return { shareOfDay: share, expected, intervals: predictiveIntervals(expected, variance, levels, 'count') };
}

/** Monday = 0 ... Sunday = 6. */
function weekdayIndex(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}
