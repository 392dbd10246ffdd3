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
 *
 * @example
 * planBacktest(1095, 28, [7, 365.25]); // { origins: [1011, 1039, 1067], horizon: 28 }
 */
export function planBacktest(
  length: number,
  horizon: number,
  periods: readonly number[],
  maxOrigins = 3,
): BacktestPlan | null {
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

/**
 * Runs `spec` through a rolling-origin backtest: at each origin fit on the history before it,
 * forecast `plan.horizon` steps, and score against what happened (steps that are NaN, i.e.
 * missing or closed, are not scored). Later origins warm-start from the previous fit (see each
 * model). Returns null when the model cannot be fitted at the first origin.
 *
 * Cost: one fit per origin plus O(origins·horizon) for the scoring.
 */
export function backtest(series: PreparedSeries, spec: ModelSpec, plan: BacktestPlan): Accuracy | null {
  const { values } = series;
  const size = plan.origins.length * plan.horizon;
  const actual = new Float64Array(size);
  const mean = new Float64Array(size);
  const bounds = [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)] as const;
  let scaledErrorSum = 0;
  let scaledOrigins = 0;
  let previous: FittedModel | undefined;
  let offset = 0;
  for (const origin of plan.origins) {
    if (!spec.applicable(series, origin)) {
      if (previous === undefined) return null;
      continue;
    }
    const fit = spec.fit(series, origin, previous);
    previous = fit;
    const moments = fit.forecast(plan.horizon);
    const originActual = values.subarray(origin, origin + plan.horizon);
    actual.set(originActual, offset);
    mean.set(moments.mean, offset);
    for (let h = 0; h < plan.horizon; h++) {
      const [i80, i95] = predictiveIntervals(moments.mean[h] as number, moments.variance[h] as number, [80, 95], series.kind, series.nonNegative);
      bounds[0][offset + h] = i80!.lower;
      bounds[1][offset + h] = i80!.upper;
      bounds[2][offset + h] = i95!.lower;
      bounds[3][offset + h] = i95!.upper;
    }
    const scale = maseScale(values.subarray(0, origin), usablePeriod(series.periods, origin));
    const mae = meanAbsoluteError(originActual, moments.mean);
    if (scale !== null && scale > 0 && mae !== null) {
      scaledErrorSum += mae / scale;
      scaledOrigins++;
    }
    offset += plan.horizon;
  }
  const used = (array: Float64Array): Float64Array => array.subarray(0, offset);
  return {
    mase: scaledOrigins === 0 ? null : scaledErrorSum / scaledOrigins,
    mae: meanAbsoluteError(used(actual), used(mean)),
    smape: smape(used(actual), used(mean)),
    coverage80: intervalCoverage(used(actual), used(bounds[0]), used(bounds[1])),
    coverage95: intervalCoverage(used(actual), used(bounds[2]), used(bounds[3])),
  };
}
