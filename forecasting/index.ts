// Public API of the forecasting library. Pure TypeScript: no server, no NestJS.
export {
  aggregateForecast,
  type AggregateOptions,
  bucketBounds,
  type BucketPathTotals,
  bucketPathTotals,
  type BucketTotal,
  empiricalQuantile,
  monthBucket,
  sumPathsByBucket,
  weekBucket,
} from './aggregate-paths.js';
export { type Accuracy, backtest, type BacktestForecasts, backtestForecasts, type BacktestPlan, planBacktest, scoreBacktest } from './backtest.js';
export {
  addSteps,
  FREQUENCIES,
  type Frequency,
  formatTimestamp,
  hasTimeOfDay,
  inferFrequency,
  parseTimestamp,
  SEASONAL_PERIODS,
  stepsBetween,
} from './calendar.js';
export { type CliResult, runForecastingCli } from './cli.js';
export { CsvError, type CsvRecord, parseCsv } from './csv.js';
export { erlangAMetrics, erlangB, erlangC, erlangCMetrics, type QueueInput, type QueueMetrics } from './erlang.js';
export {
  BACKTEST_HORIZON,
  type ChosenAccuracy,
  type ClosedSteps,
  DEFAULT_CANDIDATES,
  forecastSeries,
  patternName,
  type SeasonalPattern,
  type ForecastOptions,
  type ForecastPoint,
  MODELS,
  type SeriesForecast,
  type TimeSeries,
} from './forecast-series.js';
export {
  expectedArrivalsByHour,
  hourOfWeekProfile,
  type HourlyCount,
  type HourlyExpectation,
  type HourOfWeekProfile,
  onPace,
  type OnPace,
} from './intraday.js';
export { ForecastPool, type ForecastPoolOptions } from './forecast-pool.js';
export { intervalCoverage, maseScale, meanAbsoluteError, smape } from './metrics.js';
export {
  backtestMonthlyTotals,
  type MonthlyBacktest,
  type MonthlyBacktestOptions,
  type MonthlyBacktestRow,
  type MonthlyScore,
  scoreMonths,
} from './monthly-backtest.js';
export type { FittedModel, ForecastMoments, ModelName, ModelSpec, PreparedSeries } from './models/model.js';
export {
  type BucketSummary,
  type DailySeriesSummary,
  forecastPractice,
  type PracticeForecast,
  type PracticeForecastInput,
  type SeasonalPatterns,
  seasonalPatterns,
  summarizeDailySeries,
  type SummaryOptions,
} from './practice-forecast.js';
export { type EtsModel, type EtsType, fitEtsModel, selectEts } from './models/ets-family.js';
export { mstl, stl } from './models/stl.js';
export { fitSes, fitTheta, thetaForecast } from './models/theta.js';
export { normalQuantile } from './normal-quantile.js';
export { prepareSeries } from './prepare-series.js';
export { type Interval, negativeBinomialSize, predictiveIntervals, predictiveQuantiles, type ValueKind } from './predictive-quantiles.js';
export { createRng, type Rng } from './prng.js';
export { type ChannelAssumption, type ChannelHistory, type ChannelLeadForecast, projectRevenue, type RevenueProjection, type RevenueRange } from './revenue.js';
export { type StaffingResult, staffingPlan, type StaffingTarget, staffingWhatIf, staffNeeded } from './staffing.js';
export {
  INTERVAL_MINUTES,
  type IntervalMinutes,
  type IntervalSupport,
  intervalSupport,
  isOpenMinute,
  MIN_CALLS_PER_INTERVAL,
  openMinutesByQuarter,
  type QuarterCount,
  quarterOfWeekCounts,
  quarterOfWeekProfile,
  QUARTERS_PER_WEEK,
  type WeekHours,
  type WeekInterval,
  weekIntervals,
} from './staffing-intervals.js';
