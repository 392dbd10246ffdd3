// Rolling-origin backtest of MONTHLY TOTALS of a daily series: the figure a growth page shows.
// Daily errors say little about a month's total (days that move together do not cancel out), so
// this scores the month totals and their ranges exactly as they are produced for the page: the
// automatic daily model trained to the end of month m, its sample paths summed per month, for
// the complete months m+1..m+3.

import { bucketBounds, monthBucket, sumPathsByBucket } from './aggregate-paths.js';
import { type ClosedSteps, forecastSeries, type SeriesForecast } from './forecast-series.js';
import type { ModelName } from './models/model.js';

/** One scored month: the forecast made `ahead` months before, against what happened. */
export interface MonthlyBacktestRow {
  /** Last month of the training history, `YYYY-MM`. */
  trainedTo: string;
  /** The month scored, `YYYY-MM`. */
  month: string;
  /** 1 = the month right after the training history. */
  ahead: number;
  actual: number;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

/** How a group of scored months went. */
export interface MonthlyScore {
  /** Monthly totals scored. */
  tested: number;
  /** Of them, inside the 80% (95%) range. */
  within80: number;
  within95: number;
  /** Median of |forecast − actual| / actual over months with an actual > 0 (0.07 = 7%); null without any. */
  typicalMissShare: number | null;
  /** Median of |forecast − actual|, in the series' units. */
  typicalMiss: number;
  /** Mean of (forecast − actual) / actual: > 0 means forecasts ran high. Null without an actual > 0. */
  bias: number | null;
}

export interface MonthlyBacktest {
  rows: MonthlyBacktestRow[];
  /** The months forecast 1 month ahead (trained to the month before). */
  nextMonth: MonthlyScore;
  /** The months forecast 2 or more months ahead; null when none could be scored. */
  later: MonthlyScore | null;
}

export interface MonthlyBacktestOptions {
  /** Training cut-offs (month ends), the most recent ones; default 6. */
  origins?: number;
  /** Months scored after each cut-off (complete months only); default 3. */
  monthsAhead?: number;
  /** Sample paths per forecast; default 500. */
  paths?: number;
  seed?: number | string;
  /** Training days needed at a cut-off; default 56 (8 weeks). */
  minimumHistory?: number;
  closed?: ClosedSteps;
  /**
   * Refit these candidates (the models behind today's forecast) at each cut-off instead of
   * rerunning the automatic choice over all of them (a fraction of the cost: the other candidates'
   * backtests are skipped). Falls back to the automatic choice where they give nothing.
   */
  models?: readonly ModelName[];
}

/**
 * Scores monthly totals by rolling origin. `values[i]` is day `start` + i (`YYYY-MM-DD`); the
 * last value is the last day of history. Cut-offs are the last `origins` month starts that
 * leave at least `minimumHistory` days before them and a complete month after; from each, the
 * automatic choice is fitted on the days before it and forecasts through the end of the next
 * `monthsAhead` complete months; month totals and their 80/95% ranges come from summed sample
 * paths (see {@link sumPathsByBucket}), as on the page. With `models`, those candidates are
 * refitted at each cut-off instead (the ones the automatic choice picked on the full history). Actual totals sum the observed days
 * (non-finite values count as 0). Returns null when no cut-off fits (under about 3 months).
 *
 * Cost: `origins` automatic forecasts of up to ~92 days, plus O(paths × 92) each.
 * An empty series gives null; a `start` that does not parse throws RangeError.
 *
 * @example
 * backtestMonthlyTotals('2024-01-01', counts).nextMonth; // { tested: 6, within80: 5, typicalMissShare: 0.07, ... }
 */
export function backtestMonthlyTotals(start: string, values: readonly number[], options: MonthlyBacktestOptions = {}): MonthlyBacktest | null {
  const origins = options.origins ?? 6;
  const monthsAhead = options.monthsAhead ?? 3;
  const paths = options.paths ?? 500;
  const minimumHistory = options.minimumHistory ?? 56;
  const startMs = Date.parse(`${start}T00:00:00Z`);
  if (Number.isNaN(startMs)) throw new RangeError(`cannot parse start date "${start}"`);
  const n = values.length;
  const dateOf = (i: number) => new Date(startMs + i * 86_400_000).toISOString().slice(0, 10);
  // Month starts inside (0, n]: index n is the day after the history (a month start when the
  // history ends on a month's last day, which completes that month).
  const monthStarts: number[] = [];
  for (let i = 1; i <= n; i++) if (dateOf(i).endsWith('-01')) monthStarts.push(i);
  const cutoffs = monthStarts.filter((o, k) => o >= minimumHistory && k + 1 < monthStarts.length).slice(-origins);
  if (cutoffs.length === 0) return null;

  const rows: MonthlyBacktestRow[] = [];
  for (const origin of cutoffs) {
    const k = monthStarts.indexOf(origin);
    const last = Math.min(k + monthsAhead, monthStarts.length - 1);
    const end = monthStarts[last] as number;
    const series = { start, frequency: 'daily' as const, values: values.slice(0, origin) };
    const base = { horizon: end - origin, ...(options.closed === undefined ? {} : { closed: options.closed }) };
    let forecast: SeriesForecast | null = null;
    if (options.models && options.models.length > 0) forecast = forecastSeries(series, { ...base, candidates: options.models, origins: 1 });
    forecast ??= forecastSeries(series, base);
    if (!forecast) continue;
    const sums = sumPathsByBucket(forecast.points, forecast.samplePaths(paths, `${options.seed ?? 0}:${origin}`), monthBucket);
    sums.labels.forEach((month, b) => {
      let actual = 0;
      for (let i = monthStarts[k + b] as number; i < (monthStarts[k + b + 1] as number); i++) {
        const v = values[i] as number;
        if (Number.isFinite(v)) actual += v;
      }
      const bounds = bucketBounds(sums.totals[b] as Float64Array, [80, 95]);
      rows.push({
        trainedTo: dateOf(origin - 1).slice(0, 7),
        month,
        ahead: b + 1,
        actual,
        mean: (sums.totals[b] as Float64Array).reduce((s, x) => s + x, 0) / paths,
        lo80: bounds.lo80 as number,
        hi80: bounds.hi80 as number,
        lo95: bounds.lo95 as number,
        hi95: bounds.hi95 as number,
      });
    });
  }
  if (rows.length === 0) return null;
  const later = rows.filter((row) => row.ahead > 1);
  return { rows, nextMonth: scoreMonths(rows.filter((row) => row.ahead === 1)), later: later.length > 0 ? scoreMonths(later) : null };
}

/**
 * Counts and typical misses of scored months (see {@link MonthlyScore}).
 * Cost: O(n log n) for n rows (two medians).
 * No rows give { tested: 0, within80: 0, within95: 0, typicalMissShare: null, typicalMiss: 0, bias: null }.
 *
 * @example
 * scoreMonths([{ mean: 110, actual: 100, lo80: 95, hi80: 125, lo95: 85, hi95: 140, ... }]); // { tested: 1, within80: 1, typicalMissShare: 0.1, bias: 0.1, ... }
 */
export function scoreMonths(rows: readonly MonthlyBacktestRow[]): MonthlyScore {
  const shares = rows.filter((row) => row.actual > 0).map((row) => (row.mean - row.actual) / row.actual);
  return {
    tested: rows.length,
    within80: rows.filter((row) => row.actual >= row.lo80 && row.actual <= row.hi80).length,
    within95: rows.filter((row) => row.actual >= row.lo95 && row.actual <= row.hi95).length,
    typicalMissShare: shares.length === 0 ? null : median(shares.map(Math.abs)),
    typicalMiss: rows.length === 0 ? 0 : median(rows.map((row) => Math.abs(row.mean - row.actual))),
    bias: shares.length === 0 ? null : shares.reduce((s, x) => s + x, 0) / shares.length,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
