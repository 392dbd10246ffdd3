// The week of a staffing plan in call-centre intervals (15, 30 or 60 minutes, practice-local wall
// clock, Monday 00:00 first): the quarter-hour-of-week arrival profile, which part of each interval
// lies inside opening hours, and whether the history has enough calls to plan at that resolution.
// Everything is built on quarter hours, so a half hour or an hour is exactly the sum of its quarters.

import { parseTimestamp } from './calendar.js';

/** Interval lengths a plan can use, finest first. */
export const INTERVAL_MINUTES = [15, 30, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];

/** Quarter hours in a week. */
export const QUARTERS_PER_WEEK = 7 * 96;

/**
 * Below this many calls in the typical (median) open interval of the week over the history, an
 * interval length is too thin to plan by: a cell estimated from under 10 calls is off by a third or
 * more (Poisson: ±1/√10), so the shape inside the hour would be mostly noise.
 */
export const MIN_CALLS_PER_INTERVAL = 10;

/** Arrivals in one local quarter hour of one local date. */
export interface QuarterCount {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** Quarter of the local day, 0-95 (0 = 00:00-00:14). */
  quarter: number;
  count: number;
}

/** Opening hours per weekday, Monday first: `[['08:00', '18:00']]`, [] when closed. */
export type WeekHours = ReadonlyArray<ReadonlyArray<readonly [open: string, close: string]>>;

/**
 * Raw arrivals per quarter hour of the week (672 cells, Monday 00:00 first), summed over the history.
 * Rows with a bad date, quarter or count are skipped. Cost: O(rows).
 * Empty history gives 672 zeros.
 *
 * @example
 * quarterOfWeekCounts([{ date: '2026-11-23', quarter: 36, count: 3 }])[36]; // 3 (Monday 09:00-09:15)
 */
export function quarterOfWeekCounts(history: readonly QuarterCount[]): Float64Array {
  const counts = new Float64Array(QUARTERS_PER_WEEK);
  for (const { date, quarter, count } of history) {
    const parsed = parseTimestamp(date);
    if (!parsed || !Number.isInteger(quarter) || quarter < 0 || quarter > 95 || !(count >= 0) || !Number.isFinite(count)) continue;
    const index = weekdayIndex(parsed.ms) * 96 + quarter;
    counts[index] = (counts[index] as number) + count;
  }
  return counts;
}

/**
 * Share of each weekday's arrivals in each of its quarter hours: each weekday's 96 shares sum to 1,
 * or are all 0 for a weekday with no arrivals. Shrunk toward the all-days shape by `smoothing`
 * pseudo-arrivals, as the hour-of-week profile is, so summing four quarters gives exactly the
 * hour-of-week profile's share. Cost: O(672).
 * All-zero counts (no history) give all-zero shares.
 *
 * @example
 * quarterOfWeekProfile(quarterOfWeekCounts([{ date: '2026-11-23', quarter: 36, count: 3 }, { date: '2026-11-23', quarter: 37, count: 1 }]), 0)[36]; // 0.75
 */
export function quarterOfWeekProfile(counts: Float64Array, smoothing = 24): Float64Array {
  const pooled = new Float64Array(96);
  let pooledTotal = 0;
  for (let i = 0; i < QUARTERS_PER_WEEK; i++) {
    pooled[i % 96] = (pooled[i % 96] as number) + (counts[i] as number);
    pooledTotal += counts[i] as number;
  }
  const profile = new Float64Array(QUARTERS_PER_WEEK);
  for (let day = 0; day < 7; day++) {
    let total = 0;
    for (let q = 0; q < 96; q++) total += counts[day * 96 + q] as number;
    if (total === 0) continue;
    for (let q = 0; q < 96; q++) {
      const prior = (pooled[q] as number) / pooledTotal;
      profile[day * 96 + q] = ((counts[day * 96 + q] as number) + smoothing * prior) / (total + smoothing);
    }
  }
  return profile;
}

/** Minutes of 'HH:MM' (24:00 allowed as the end of the day). */
function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Open minutes (0-15) of each quarter hour of the week under these opening hours, by the same rule
 * as a call's after-hours flag: minute `t` is open when open <= t < close. Cost: O(672 × ranges).
 * No opening hours ([] or every day []) give 672 zeros.
 *
 * @example
 * openMinutesByQuarter([[['08:00', '18:00']], [], [], [], [], [], []])[32]; // 15 (Monday 08:00-08:15)
 */
export function openMinutesByQuarter(hours: WeekHours): Uint8Array {
  const open = new Uint8Array(QUARTERS_PER_WEEK);
  for (let day = 0; day < 7; day++) {
    for (const [from, until] of hours[day] ?? []) {
      const start = minutesOf(from);
      const end = minutesOf(until);
      for (let q = 0; q < 96; q++) {
        const overlap = Math.min(end, q * 15 + 15) - Math.max(start, q * 15);
        if (overlap > 0) open[day * 96 + q] = Math.min(15, (open[day * 96 + q] as number) + overlap);
      }
    }
  }
  return open;
}

/**
 * Whether the minute `minuteOfDay` of weekday `day` (Monday 0) is inside opening hours.
 * Cost: O(ranges of that day). A day without hours (or missing) is closed.
 *
 * @example
 * isOpenMinute([[['08:00', '18:00']]], 0, 8 * 60); // true
 */
export function isOpenMinute(hours: WeekHours, day: number, minuteOfDay: number): boolean {
  return (hours[day] ?? []).some(([from, until]) => minuteOfDay >= minutesOf(from) && minuteOfDay < minutesOf(until));
}

/** How well the history supports planning at one interval length. */
export interface IntervalSupport {
  minutes: IntervalMinutes;
  /** Median calls per open interval of the week over the history (0 when none is open). */
  medianCalls: number;
  supported: boolean;
}

/**
 * For each interval length, the median of the history's calls over the open intervals of the week,
 * and whether it reaches MIN_CALLS_PER_INTERVAL. Hourly is the fallback and is reported as it is.
 * Cost: O(672 × interval lengths). No history or no open interval gives medianCalls 0 and unsupported.
 *
 * @example
 * intervalSupport(quarterOfWeekCounts(history), openMinutesByQuarter(hours)); // [{ minutes: 15, medianCalls: 1.5, supported: false }, ...]
 */
export function intervalSupport(counts: Float64Array, openMinutes: Uint8Array, minimum = MIN_CALLS_PER_INTERVAL): IntervalSupport[] {
  return INTERVAL_MINUTES.map((minutes) => {
    const per = minutes / 15;
    const cells: number[] = [];
    for (let start = 0; start < QUARTERS_PER_WEEK; start += per) {
      let calls = 0;
      let open = 0;
      for (let q = start; q < start + per; q++) {
        calls += counts[q] as number;
        open += openMinutes[q] as number;
      }
      if (open > 0) cells.push(calls);
    }
    const medianCalls = median(cells);
    return { minutes, medianCalls, supported: cells.length > 0 && medianCalls >= minimum };
  });
}

/** One interval of the plan's week. */
export interface WeekInterval {
  /** Monday = 0. */
  day: number;
  /** Minute of the local day the interval starts at. */
  minute: number;
  /** Minutes of it inside opening hours. */
  openMinutes: number;
  /** Expected calls in its open minutes, and in the rest (after hours). */
  openCalls: number;
  afterHoursCalls: number;
}

/**
 * Splits a typical week's expected calls into intervals: day mean (Monday first) × quarter share,
 * each quarter's calls divided between its open and closed minutes pro rata, then summed per
 * interval. Open + after-hours calls of all intervals add up to the sum of `dayMeans` (for weekdays
 * with a profile). Cost: O(672).
 * Empty `dayMeans` give the week's intervals with 0 calls.
 *
 * @example
 * weekIntervals([40, 35, 35, 30, 25, 0, 0], profile, openMinutesByQuarter(hours), 60).length; // 168
 */
export function weekIntervals(dayMeans: readonly number[], profile: Float64Array, openMinutes: Uint8Array, minutes: IntervalMinutes): WeekInterval[] {
  const per = minutes / 15;
  const result: WeekInterval[] = [];
  for (let start = 0; start < QUARTERS_PER_WEEK; start += per) {
    const day = Math.floor(start / 96);
    const mean = dayMeans[day] ?? 0;
    const cell: WeekInterval = { day, minute: (start % 96) * 15, openMinutes: 0, openCalls: 0, afterHoursCalls: 0 };
    for (let q = start; q < start + per; q++) {
      const calls = mean * (profile[q] as number);
      const open = openMinutes[q] as number;
      cell.openMinutes += open;
      cell.openCalls += (calls * open) / 15;
      cell.afterHoursCalls += (calls * (15 - open)) / 15;
    }
    result.push(cell);
  }
  return result;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Monday = 0 ... Sunday = 6. */
function weekdayIndex(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}
