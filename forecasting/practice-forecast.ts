// One practice's forecasts for one day, computed once at the longest horizon any view needs and
// then sliced by the views (a 3-month and a 12-month window show the same December): daily
// points, weekly and monthly totals with ranges from summed sample paths, the monthly-totals
// backtest, which seasonal patterns the model used, and the revenue projection. Plain data only
// (structured-cloneable), so it can be computed in a worker thread (forecast-pool.ts).

import { bucketBounds, monthBucket, sumPathsByBucket, weekBucket } from './aggregate-paths.js';
import { type ChosenAccuracy, forecastSeries, type ForecastPoint, type SeriesForecast } from './forecast-series.js';
import { backtestMonthlyTotals, type MonthlyBacktest } from './monthly-backtest.js';
import type { ModelName } from './models/model.js';
import { type ChannelHistory, projectRevenue, type RevenueProjection } from './revenue.js';

/** Which seasonal patterns the chosen model used, and how much history it had for them. */
export interface SeasonalPatterns {
  weekly: boolean;
  /** `full`: a yearly pattern as estimated; `shrunk`: pulled toward flat because the history is short; `none`. */
  yearly: 'full' | 'shrunk' | 'none';
  /** Days of history behind the forecast. */
  historyDays: number;
}

/** Days of daily history from which a yearly pattern is estimated in full (two years); below it, shrunk toward flat. */
const FULL_YEARLY_DAYS = 2 * 365.25;

/**
 * The seasonal patterns a daily forecast used: the one place that knows where this comes from.
 * A forecast that names its patterns (`patterns: ['weekly', 'yearly']`) is read as it says, a
 * yearly pattern from under two years of history being the shrunk one; otherwise they are derived
 * from the models' rules (every model uses the weekly cycle from two weeks of history; a forecast
 * that does not name its patterns predates the yearly pattern from 13 months, so only its
 * regression used one, and only from two full years).
 * Cost: O(patterns). No history (historyDays 0) gives { weekly: false, yearly: 'none', historyDays: 0 }.
 *
 * @example
 * seasonalPatterns({ model: 'ets', patterns: ['weekly', 'yearly'] }, 400); // { weekly: true, yearly: 'shrunk', historyDays: 400 }
 */
export function seasonalPatterns(forecast: { model: string; patterns?: readonly string[] }, historyDays: number): SeasonalPatterns {
  if (forecast.patterns) {
    const yearly = forecast.patterns.includes('yearly') ? (historyDays < FULL_YEARLY_DAYS ? 'shrunk' : 'full') : 'none';
    return { weekly: forecast.patterns.includes('weekly'), yearly, historyDays };
  }
  const weekly = historyDays >= 14;
  const yearly = forecast.model === 'regression' && historyDays >= FULL_YEARLY_DAYS ? 'full' : 'none';
  return { weekly, yearly, historyDays };
}

/** A total over a week or month of forecast days, with ranges from summed sample paths. */
export interface BucketSummary {
  /** `YYYY-MM` for months, the Monday `YYYY-MM-DD` for weeks. */
  bucket: string;
  /** Forecast days in the bucket (fewer in the first, partial one). */
  steps: number;
  /**
   * Mean of the summed sample paths: the total the range belongs to. Equal to the sum of the daily
   * means up to sampling error when the model's paths agree with its means; where they do not (a
   * path floored at zero drifts up), this keeps the figure inside its own range.
   */
  mean: number;
  /** Variance of the path totals. */
  variance: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

/** A daily series' forecast, summarised for the views. */
export interface DailySeriesSummary {
  name: string;
  model: string;
  /** The model further ahead when it differs (see SeriesForecast.longRangeModel), else null. */
  longRangeModel: string | null;
  kind: 'count' | 'continuous';
  accuracy: ChosenAccuracy | null;
  historyDays: number;
  /** One per day from the day after the history, `horizon` of them. */
  points: ForecastPoint[];
  /** Variance of the first forecast day (from the sample paths), for the on-pace bands. */
  firstDayVariance: number;
  weekly: BucketSummary[];
  monthly: BucketSummary[];
  patterns: SeasonalPatterns;
  /** Rolling-origin backtest of monthly totals (when asked for); null when the history is too short. */
  monthlyBacktest: MonthlyBacktest | null;
}

export interface SummaryOptions {
  horizon: number;
  /** Closed days (`YYYY-MM-DD`), past and future: not fitted, forecast as 0. */
  closedDates?: readonly string[];
  /** Sample paths behind the weekly and monthly ranges; default 500 (the 2.5% quantile is then the 13th lowest). */
  paths?: number;
  seed: string;
  monthlyBacktest?: boolean;
}

/**
 * Forecasts a daily series with the library's automatic choice and summarises it (see
 * {@link DailySeriesSummary}); `monthPaths[m][p]` is path p's total in month m, for a revenue
 * simulation that keeps months moving together. Null when nothing is observed.
 * Cost: one automatic forecast + O(paths × horizon), + the monthly backtest when asked.
 * An empty series (or one all missing) gives null.
 *
 * @example
 * summarizeDailySeries('total', '2026-01-01', counts, { horizon: 90, seed: 'practice-1:2026-12-03' })?.summary.monthly[0]; // { bucket: '2026-12', steps: 28, mean, lo80, ... }
 */
export function summarizeDailySeries(
  name: string,
  start: string,
  values: readonly number[],
  options: SummaryOptions,
): { summary: DailySeriesSummary; monthPaths: Float64Array[] } | null {
  const closed = new Set(options.closedDates ?? []);
  const forecast = forecastSeries({ start, frequency: 'daily', values }, { horizon: options.horizon, closed });
  if (!forecast) return null;
  const paths = forecast.samplePaths(options.paths ?? 500, `${options.seed}:${name}`);
  const months = sumPathsByBucket(forecast.points, paths, monthBucket);
  const weeks = sumPathsByBucket(forecast.points, paths, weekBucket);
  const buckets = (sums: ReturnType<typeof sumPathsByBucket>): BucketSummary[] =>
    sums.labels.map((bucket, b) => {
      const totals = sums.totals[b] as Float64Array;
      const bounds = bucketBounds(totals, [80, 95]);
      return {
        bucket,
        steps: sums.steps[b] as number,
        mean: average(totals),
        variance: variance(totals),
        lo80: bounds.lo80 as number,
        hi80: bounds.hi80 as number,
        lo95: bounds.lo95 as number,
        hi95: bounds.hi95 as number,
      };
    });
  const summary: DailySeriesSummary = {
    name,
    model: forecast.model,
    longRangeModel: forecast.longRangeModel,
    kind: forecast.kind,
    accuracy: forecast.accuracy,
    historyDays: values.length,
    points: forecast.points,
    firstDayVariance: variance(Float64Array.from(paths, (path) => path[0] ?? 0)),
    weekly: buckets(weeks),
    monthly: buckets(months),
    patterns: seasonalPatterns(forecast, values.length),
    monthlyBacktest: options.monthlyBacktest
      ? backtestMonthlyTotals(start, values, { closed, seed: `${options.seed}:${name}:backtest`, models: membersOf(forecast), paths: 300 })
      : null,
  };
  return { summary, monthPaths: months.totals };
}

/** Everything forecast for one practice on one day. */
export interface PracticeForecastInput {
  /** First day of the lead history (`YYYY-MM-DD`); the history ends the day before the forecast. */
  start: string;
  /** New-patient leads per day, all channels. */
  total: readonly number[];
  channels: readonly { name: string; values: readonly number[] }[];
  /** Inbound calls per day, from their own first day (null: no call history). */
  calls: { start: string; values: readonly number[]; horizon: number } | null;
  /** Days ahead for the leads (the longest any view needs). */
  horizon: number;
  closedDates: readonly string[];
  seed: string;
  /** Sample paths behind the total's weekly and monthly ranges; default 500. */
  paths?: number;
  /** Sample paths per channel (and calls); default 250: they feed the revenue simulation, which cycles through them. */
  channelPaths?: number;
  /** Booking history per channel for the revenue projection (null: no projection). */
  revenue: { history: readonly ChannelHistory[]; paths?: number } | null;
}

export interface PracticeForecast {
  total: DailySeriesSummary | null;
  channels: DailySeriesSummary[];
  calls: DailySeriesSummary | null;
  /** Months of the revenue projection, `YYYY-MM` (the forecast's months, the first partial). */
  months: string[];
  /** Revenue per month from the channels' lead paths; null without channels or history. */
  revenue: RevenueProjection | null;
}

/**
 * A practice's nightly forecasts: the total with its monthly-totals backtest, each channel, the
 * calls, and the revenue projection from the channels' joint monthly lead paths. Same input,
 * same output (seeded), in whichever thread it runs.
 * Cost: one summarizeDailySeries per series (total, each channel, calls) plus the monthly-totals backtest
 * and the revenue simulation, O(revenue paths × months × channels).
 * Empty histories give { total: null, channels: [], calls: null, months: [], revenue: null }
 * (a channel without observed values is left out).
 *
 * @example
 * forecastPractice({ start: '2025-01-01', total, channels: [], calls: null, horizon: 365, closedDates: [], seed: 'p1', revenue: null }).total?.monthly;
 */
export function forecastPractice(input: PracticeForecastInput): PracticeForecast {
  const options = { horizon: input.horizon, closedDates: input.closedDates, seed: input.seed, paths: input.channelPaths ?? 250 };
  const total = summarizeDailySeries('total', input.start, input.total, { ...options, paths: input.paths ?? 500, monthlyBacktest: true });
  const channels = input.channels.flatMap((channel) => {
    const result = summarizeDailySeries(channel.name, input.start, channel.values, options);
    return result ? [result] : [];
  });
  const calls = input.calls ? summarizeDailySeries('calls', input.calls.start, input.calls.values, { ...options, horizon: input.calls.horizon }) : null;
  const months = total?.summary.monthly.map((m) => m.bucket) ?? [];
  const revenue =
    input.revenue && channels.length > 0
      ? projectRevenue(
          input.revenue.history,
          channels.map(({ summary, monthPaths }) => ({
            channel: summary.name,
            periods: months.map((month) => summary.monthly.find((m) => m.bucket === month) ?? { mean: 0, variance: 0 }),
            paths: months.map((month) => monthPaths[summary.monthly.findIndex((m) => m.bucket === month)] ?? new Float64Array(0)),
          })),
          { seed: `${input.seed}:revenue`, paths: input.revenue.paths ?? 2000 },
        )
      : null;
  return { total: total?.summary ?? null, channels: channels.map((c) => c.summary), calls: calls?.summary ?? null, months, revenue };
}

/** The candidate models behind a forecast: its combination's members and long-range ones when it names them, else its model. */
function membersOf(forecast: SeriesForecast): readonly ModelName[] {
  const named = (forecast as { members?: readonly ModelName[] }).members;
  if (!named || named.length === 0) return [forecast.model as ModelName];
  return [...new Set([...named, ...(forecast.longRangeMembers ?? [])])];
}

function average(values: Float64Array): number {
  let sum = 0;
  for (const x of values) sum += x;
  return values.length === 0 ? 0 : sum / values.length;
}

function variance(values: Float64Array): number {
  if (values.length === 0) return 0;
  let sum = 0;
  let sumSq = 0;
  for (const x of values) {
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / values.length;
  return Math.max(0, sumSq / values.length - mean * mean);
}
