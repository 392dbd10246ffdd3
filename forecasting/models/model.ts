import type { ValueKind } from '../predictive-quantiles.js';
import type { Rng } from '../prng.js';

/**
 * A series ready for the models: a regular grid of values where NaN marks a step to ignore
 * (missing, or closed by design), plus what the models need to know about it.
 */
export interface PreparedSeries {
  /** One value per step; NaN where missing or closed, so such steps never shape a model. */
  readonly values: Float64Array;
  /** `count` when every observed value is a non-negative integer. */
  readonly kind: ValueKind;
  /** True when no observed value is negative: bounds are then floored at zero. */
  readonly nonNegative: boolean;
  /** Seasonal cycles in steps, shortest first (e.g. [7, 365.25] for daily data). */
  readonly periods: readonly number[];
}

/** Predictive mean and variance for each step ahead (index 0 = one step ahead). */
export interface ForecastMoments {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** A model fitted to the first `length` values of a series. */
export interface FittedModel {
  /** Mean and variance of the predictive distribution for steps 1..horizon. */
  forecast(horizon: number): ForecastMoments;
  /** One joint sample path for steps 1..horizon (integers >= 0 for count series). */
  simulate(horizon: number, rng: Rng): Float64Array;
  /** Seasonal periods (from the series' periods) the fit actually modelled; undefined = unknown. */
  readonly periodsUsed?: readonly number[];
  /** A more specific label, e.g. `ets(MAdM)`. */
  readonly label?: string;
}

/** The names of the candidate models, in order of simplicity (ties go to the simpler). */
export type ModelName = 'seasonal-naive' | 'ets-additive' | 'ets-multiplicative' | 'regression' | 'theta' | 'ets' | 'stl' | 'arima';

/** A forecasting method: how to fit it on a prefix of a series. */
export interface ModelSpec {
  readonly name: ModelName;
  /** Whether the model can be fitted on the first `length` values of `series`. */
  applicable(series: PreparedSeries, length: number): boolean;
  /**
   * Fits on values[0, length). `previous`, a fit of the same spec on a shorter prefix, lets a
   * rolling-origin backtest warm-start (see each model for what it reuses).
   */
  fit(series: PreparedSeries, length: number, previous?: FittedModel): FittedModel;
}
