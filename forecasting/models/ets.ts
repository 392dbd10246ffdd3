import { minimize } from '../optimize.js';
import type { Rng } from '../prng.js';
import { sampleNormal } from '../sampling.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, meanOf, robustNoiseScale, toKind, usablePeriod } from './series-statistics.js';

/** How the seasonal component combines with level + trend. */
export type Seasonality = 'additive' | 'multiplicative';

/** Smoothing parameters in the error-correction form (β <= α, γ <= 1 - α, φ in [0.8, 0.98]). */
interface Parameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** Level, trend and one seasonal value per phase; phase of step t is t mod m. */
interface State {
  level: number;
  trend: number;
  seasonal: Float64Array;
}

interface EtsFit extends FittedModel {
  readonly parameters: Parameters;
}

/** Errors beyond this many noise scales are clipped before they update the state (Huber). */
const CLIP = 3;

/**
 * Exponential smoothing with damped trend and additive seasonality, ETS(A,Ad,A).
 * See {@link fitEts}.
 * Cost: as fitEts. Not applicable to an empty series (fewer than 3 observed values).
 *
 * @example
 * etsAdditive.fit(prepareSeries(counts, [7]), counts.length).forecast(14).mean;
 */
export const etsAdditive: ModelSpec = {
  name: 'ets-additive',
  applicable: (series, length) => countObserved(series.values, length) >= 3,
  fit: (series, length, previous) => fitEts(series, length, 'additive', previous as EtsFit | undefined),
};

/**
 * ETS(A,Ad,M): damped trend, multiplicative seasonality (the weekly shape scales with the level).
 * Only for series with two full cycles and no observed value <= 0. See {@link fitEts}.
 * Cost: as fitEts. Not applicable to an empty series.
 *
 * @example
 * etsMultiplicative.applicable(prepareSeries(counts, [7]), counts.length); // false if any day is 0
 */
export const etsMultiplicative: ModelSpec = {
  name: 'ets-multiplicative',
  applicable: (series, length) => {
    if (usablePeriod(series.periods, length) === 1 || countObserved(series.values, length) < 3) return false;
    for (let t = 0; t < length; t++) if ((series.values[t] as number) <= 0) return false;
    return true;
  },
  fit: (series, length, previous) => fitEts(series, length, 'multiplicative', previous as EtsFit | undefined),
};

/**
 * Fits damped-trend exponential smoothing (Hyndman et al. 2008, additive errors) to
 * values[0, length): α, β, γ, φ by Nelder-Mead on the one-step Huber loss, the initial state from
 * the first two cycles. Robust: errors beyond 3 robust noise scales are clipped before they update
 * the state, so one outlier day does not shift the level or a season. Missing/closed steps (NaN)
 * leave the state to run on unchanged. Without two full cycles the model is non-seasonal.
 *
 * With `previous` (a backtest warm start) the smoothing parameters are reused and only the
 * filter runs again. Variance of step h: σ²(1 + Σ_{j<h} c_j²), c_j = α + βφ_j + γ·[m divides j]
 * (exact for additive seasonality, the usual approximation for multiplicative).
 *
 * Cost: O(n·m) for the initial state plus O(n) per objective evaluation (≤ 120 evaluations);
 * O(h) to forecast.
 * An empty series fits a zero level: forecasts of 0 with variance 0 (etsAdditive is not applicable to it).
 *
 * @example
 * fitEts(prepareSeries(counts, [7]), counts.length, 'additive').forecast(14).mean;
 */
export function fitEts(series: PreparedSeries, length: number, seasonality: Seasonality, previous?: EtsFit): EtsFit {
  const { values } = series;
  const m = usablePeriod(series.periods, length);
  const multiplicative = seasonality === 'multiplicative' && m > 1;
  const initial = initialState(values, length, m, multiplicative);
  const scale = robustNoiseScale(values, length, m);
  const clip = scale > 0 ? CLIP * scale : Infinity;

  const parameters =
    previous?.parameters ??
    fromUnconstrained(
      minimize((x) => runFilter(values, length, m, multiplicative, fromUnconstrained(x, m), initial, clip).loss, [-1.4, -2.2, -2.2, 1.5], {
        maxEvaluations: 120,
        tolerance: 1e-6,
      }).x,
      m,
    );
  const { state, sigma2 } = runFilter(values, length, m, multiplicative, parameters, initial, clip);
  const count = series.kind === 'count';

  return {
    parameters,
    periodsUsed: m > 1 ? [series.periods[0] as number] : [],
    forecast(horizon: number): ForecastMoments {
      const mean = new Float64Array(horizon);
      const variance = new Float64Array(horizon);
      const { alpha, beta, gamma, phi } = parameters;
      let phiSum = 0; // φ + φ² + ... + φ^h
      let power = 1;
      let accumulated = 0; // Σ_{j<h} c_j²
      for (let h = 1; h <= horizon; h++) {
        power *= phi;
        phiSum += power;
        const base = state.level + phiSum * state.trend;
        const season = state.seasonal[(length + h - 1) % m] as number;
        mean[h - 1] = multiplicative ? base * season : base + season;
        variance[h - 1] = sigma2 * (1 + accumulated);
        const c = alpha + beta * phiSum + (m > 1 && h % m === 0 ? gamma : 0);
        accumulated += c * c;
      }
      return { mean, variance };
    },
    simulate(horizon: number, rng: Rng): Float64Array {
      const path = new Float64Array(horizon);
      const sigma = Math.sqrt(sigma2);
      const s: State = { level: state.level, trend: state.trend, seasonal: Float64Array.from(state.seasonal) };
      for (let h = 0; h < horizon; h++) {
        const phase = (length + h) % m;
        const e = sigma * sampleNormal(rng);
        path[h] = toKind(predict(s, phase, parameters.phi, multiplicative) + e, count);
        correct(s, phase, e, parameters, multiplicative);
      }
      return path;
    },
  };
}

/** The one-step prediction from the state for a step of the given phase. */
function predict(state: State, phase: number, phi: number, multiplicative: boolean): number {
  const base = state.level + phi * state.trend;
  const season = state.seasonal[phase] as number;
  return multiplicative ? base * season : base + season;
}

/** Moves the state one step on, corrected by `error` (0 for a missing step). Mutates `state`. */
function correct(state: State, phase: number, error: number, p: Parameters, multiplicative: boolean): void {
  const base = state.level + p.phi * state.trend;
  const season = state.seasonal[phase] as number;
  if (multiplicative) {
    state.level = base + (p.alpha * error) / season;
    state.trend = p.phi * state.trend + (p.beta * error) / season;
    state.seasonal[phase] = season + (p.gamma * error) / base;
  } else {
    state.level = base + p.alpha * error;
    state.trend = p.phi * state.trend + p.beta * error;
    state.seasonal[phase] = season + p.gamma * error;
  }
}

/**
 * Runs the filter over values[0, length). Returns the Huber loss of the one-step errors (the
 * objective), the final state and σ², the mean squared clipped error. Infinite loss when a
 * multiplicative model's level or season stops being positive.
 */
function runFilter(
  values: Float64Array,
  length: number,
  m: number,
  multiplicative: boolean,
  p: Parameters,
  initial: State,
  clip: number,
): { loss: number; state: State; sigma2: number } {
  const state: State = { level: initial.level, trend: initial.trend, seasonal: Float64Array.from(initial.seasonal) };
  let loss = 0;
  let sumSquares = 0;
  let observed = 0;
  for (let t = 0; t < length; t++) {
    const phase = t % m;
    const y = values[t] as number;
    let error = 0;
    if (!Number.isNaN(y)) {
      const raw = y - predict(state, phase, p.phi, multiplicative);
      error = Math.max(-clip, Math.min(clip, raw));
      loss += Math.abs(raw) <= clip ? raw * raw : clip * (2 * Math.abs(raw) - clip);
      sumSquares += error * error;
      observed++;
    }
    correct(state, phase, error, p, multiplicative);
    if (multiplicative && !(state.level + p.phi * state.trend > 0 && (state.seasonal[phase] as number) > 0)) {
      return { loss: Infinity, state, sigma2: Infinity };
    }
  }
  return { loss, state, sigma2: observed === 0 ? 0 : sumSquares / observed };
}

/**
 * The initial state from the first (up to) two cycles: level = their mean, trend = the change
 * between the two cycle means per step, each season = the mean deviation (or ratio) of its phase.
 * A phase never observed gets a neutral season (0, or 1 when multiplicative).
 */
function initialState(values: Float64Array, length: number, m: number, multiplicative: boolean): State {
  const cycles = Math.max(1, Math.min(2, Math.floor(length / m)));
  const window = Math.min(length, cycles * m);
  const level = meanOf(values, 0, window);
  const first = meanOf(values, 0, m);
  const second = meanOf(values, m, 2 * m);
  const trend = cycles === 2 && !Number.isNaN(first) && !Number.isNaN(second) ? (second - first) / m : 0;
  const seasonal = new Float64Array(m).fill(multiplicative ? 1 : 0);
  if (m > 1) {
    for (let phase = 0; phase < m; phase++) {
      let sum = 0;
      let count = 0;
      for (let t = phase; t < window; t += m) {
        const v = values[t] as number;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      if (count > 0) seasonal[phase] = multiplicative ? sum / count / level : sum / count - level;
    }
  }
  return { level: Number.isNaN(level) ? 0 : level, trend, seasonal };
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** Maps four unconstrained numbers to admissible parameters (γ = 0 without seasonality). */
function fromUnconstrained(x: readonly number[], m: number): Parameters {
  const alpha = 0.0001 + 0.9998 * logistic(x[0] ?? 0);
  return {
    alpha,
    beta: alpha * logistic(x[1] ?? 0),
    gamma: m > 1 ? (1 - alpha) * logistic(x[2] ?? 0) : 0,
    phi: 0.8 + 0.18 * logistic(x[3] ?? 0),
  };
}
