import { intervalCoverage, maseScale, meanAbsoluteError, smape } from './metrics.js';
import type { FittedModel, ModelSpec, PreparedSeries } from './models/model.js';
import { usablePeriod } from './models/series-statistics.js';
import { predictiveIntervals } from './predictive-quantiles.js';

/** Out-of-sample accuracy of one model over the origins of a rolling-origin backtest. */
export interface Accuracy {
  /** Mean absolute scaled error: MAE / in-sample seasonal naive MAE, averaged over origins. <1 beats seasonal naive in-sample. */
  mase: number | null;
  /** Mean absolute error in the series' units. */
  mae: number | null;
  /** Symmetric MAPE in percent (0-200). */
  smape: number | null;
  /** Share of actual values inside the 80% interval (ideal 0.8). */
  coverage80: number | null;
  /** Share of actual values inside the 95% interval (ideal 0.95). */
  coverage95: number | null;
}

/** Where the backtest cuts the history: forecasts from each origin, `horizon` steps each. */
export interface BacktestPlan {
  origins: number[];
  horizon: number;
}

/**
 * Plans a rolling-origin backtest: `maxOrigins` (default 3) origins `horizon` steps apart, the
 * last one `horizon` steps before the end, so the test windows tile the most recent history.
 * The horizon is capped at a quarter of the history, and an origin needs at least
 * max(4, one cycle) values before it. Returns null when no origin fits (very short series).
 * Cost: O(1).
 * An empty series (length 0) gives null.
 *
 * @example
 * planBacktest(1095, 28, [7, 365.25]); // { origins: [1011, 1039, 1067], horizon: 28 }
 */
export function planBacktest(length: number, horizon: number, periods: readonly number[], maxOrigins = 3): BacktestPlan | null {
  const testHorizon = Math.min(horizon, Math.floor(length / 4));
  if (testHorizon < 1) return null;
  const minimumTraining = Math.max(4, Math.round(periods[0] ?? 1));
  const origins: number[] = [];
  for (let k = maxOrigins; k >= 1; k--) {
    const origin = length - k * testHorizon;
    if (origin >= minimumTraining) origins.push(origin);
  }
  return origins.length === 0 ? null : { origins, horizon: testHorizon };
}

/** Raw forecasts of a rolling-origin backtest, origin after origin (`origins.length × horizon`). */
export interface BacktestForecasts {
  plan: BacktestPlan;
  /** Origins the model could be fitted at (a subset of plan.origins, in order). */
  origins: number[];
  actual: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  /** In-sample seasonal naive MAE before each origin (the MASE scale), null when undefined or 0. */
  scales: (number | null)[];
  /** The fit at the last origin (a warm start for the final fit). */
  last: FittedModel;
}

/** Least share of a fit's values that an earlier fit must have seen to warm-start it. */
const WARM_START_MIN_SHARE = 0.9;

/**
 * Whether a fit on the first `previousLength` values may warm-start the fit on the first `length`
 * (keep its model type and start from its parameters): only when it saw nearly as much. A fit on
 * much less (the first origins of a short monthly series) chose its type on too little data, and
 * keeping that type would carry the choice to every later fit and to the forecast itself.
 * Cost: O(1).
 *
 * @example
 * canWarmStart(1067, 1095); // true
 * canWarmStart(42, 54); // false
 */
export function canWarmStart(previousLength: number, length: number): boolean {
  return previousLength >= WARM_START_MIN_SHARE * length;
}

/**
 * Fits `spec` before each origin of `plan` and keeps its forecasts of the next `plan.horizon`
 * steps, with the actual values (NaN where missing or closed). Later origins warm-start from the
 * previous fit when it saw nearly as many values (see {@link canWarmStart} and each model). Returns null when the model cannot be fitted at the first origin.
 *
 * Cost: one fit per origin plus O(origins·horizon).
 * An empty series has no plan (planBacktest gives null); with one, it cannot be fitted: null.
 *
 * @example
 * backtestForecasts(prepareSeries(values, [7]), seasonalNaive, planBacktest(values.length, 28, [7])!)?.mean;
 */
export function backtestForecasts(series: PreparedSeries, spec: ModelSpec, plan: BacktestPlan): BacktestForecasts | null {
  const { values } = series;
  const size = plan.origins.length * plan.horizon;
  const actual = new Float64Array(size);
  const mean = new Float64Array(size);
  const variance = new Float64Array(size);
  const origins: number[] = [];
  const scales: (number | null)[] = [];
  let previous: FittedModel | undefined;
  let previousOrigin = 0;
  let offset = 0;
  for (const origin of plan.origins) {
    if (!spec.applicable(series, origin)) {
      if (previous === undefined) return null;
      continue;
    }
    const fit = spec.fit(series, origin, previous && canWarmStart(previousOrigin, origin) ? previous : undefined);
    previous = fit;
    previousOrigin = origin;
    const moments = fit.forecast(plan.horizon);
    for (let h = 0; h < plan.horizon; h++) actual[offset + h] = origin + h < values.length ? (values[origin + h] as number) : Number.NaN;
    mean.set(moments.mean, offset);
    variance.set(moments.variance, offset);
    const scale = maseScale(values.subarray(0, origin), usablePeriod(series.periods, origin));
    scales.push(scale !== null && scale > 0 ? scale : null);
    origins.push(origin);
    offset += plan.horizon;
  }
  if (previous === undefined) return null;
  return { plan, origins, actual: actual.subarray(0, offset), mean: mean.subarray(0, offset), variance: variance.subarray(0, offset), scales, last: previous };
}

/**
 * Scores backtest forecasts: MASE averaged over origins, MAE, sMAPE, and the coverage of the
 * intervals built from `variance` × `varianceScale(step, origin, level)` (default 1) with the
 * series' predictive distribution. Cost: O(origins·horizon).
 * No forecasts (or only NaN actuals) give null for every measure.
 *
 * @example
 * scoreBacktest(series, backtestForecasts(series, seasonalNaive, plan)!).coverage80; // share of actuals inside the 80% intervals
 */
export function scoreBacktest(
  series: PreparedSeries,
  forecasts: Pick<BacktestForecasts, 'actual' | 'mean' | 'variance' | 'scales' | 'plan'>,
  varianceScale: (step: number, origin: number, level: 80 | 95) => number = () => 1,
): Accuracy {
  const { actual, mean, variance, scales, plan } = forecasts;
  const size = actual.length;
  const bounds = [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)] as const;
  let scaledErrorSum = 0;
  let scaledOrigins = 0;
  for (let o = 0; o * plan.horizon < size; o++) {
    const from = o * plan.horizon;
    for (let h = 0; h < plan.horizon; h++) {
      const i = from + h;
      const scale80 = varianceScale(h, o, 80);
      const scale95 = varianceScale(h, o, 95);
      const [i80, both95] = predictiveIntervals(
        mean[i] as number,
        (variance[i] as number) * scale80,
        scale95 === scale80 ? [80, 95] : [80],
        series.kind,
        series.nonNegative,
      );
      const i95 = both95 ?? predictiveIntervals(mean[i] as number, (variance[i] as number) * scale95, [95], series.kind, series.nonNegative)[0];
      bounds[0][i] = i80!.lower;
      bounds[1][i] = i80!.upper;
      bounds[2][i] = i95!.lower;
      bounds[3][i] = i95!.upper;
    }
    const scale = scales[o];
    const mae = meanAbsoluteError(actual.subarray(from, from + plan.horizon), mean.subarray(from, from + plan.horizon));
    if (scale !== null && scale !== undefined && mae !== null) {
      scaledErrorSum += mae / scale;
      scaledOrigins++;
    }
  }
  return {
    mase: scaledOrigins === 0 ? null : scaledErrorSum / scaledOrigins,
    mae: meanAbsoluteError(actual, mean),
    smape: smape(actual, mean),
    coverage80: intervalCoverage(actual, bounds[0], bounds[1]),
    coverage95: intervalCoverage(actual, bounds[2], bounds[3]),
  };
}

/**
 * Runs `spec` through a rolling-origin backtest: at each origin fit on the history before it,
 * forecast `plan.horizon` steps, and score against what happened (steps that are NaN, i.e.
 * missing or closed, are not scored) with the model's own (uncalibrated) intervals. Later
 * origins warm-start from the previous fit (see each model). Returns null when the model cannot
 * be fitted at the first origin.
 *
 * Cost: one fit per origin plus O(origins·horizon) for the scoring.
 * An empty series has no plan (planBacktest gives null); with one, it cannot be fitted: null.
 *
 * @example
 * backtest(prepareSeries(values, [7]), seasonalNaive, planBacktest(values.length, 28, [7])!)?.mase;
 */
export function backtest(series: PreparedSeries, spec: ModelSpec, plan: BacktestPlan): Accuracy | null {
  const forecasts = backtestForecasts(series, spec, plan);
  return forecasts && scoreBacktest(series, forecasts);
}
