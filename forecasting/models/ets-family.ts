import { minimize } from '../optimize.js';
import type { Rng } from '../prng.js';
import { sampleNormal } from '../sampling.js';
import type { ForecastMoments } from './model.js';

/**
 * Exponential smoothing state-space models fitted by likelihood (Hyndman, Koehler, Ord & Snyder
 * 2008; the models of R's `forecast::ets`): error A|M, trend N|A|Ad, season N|A|M. Written
 * `ETS(error, trend, season)`, e.g. AAdA or MAdM. Missing steps (NaN) let the state run on with a
 * zero error, as R's ets does for NA.
 */

export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsType {
  error: EtsError;
  trend: EtsTrend;
  season: EtsSeason;
}

/** Smoothing parameters and the initial level and trend (the seasonal start comes from a decomposition). */
export interface EtsParameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level0: number;
  trend0: number;
}

/** A fitted ETS model: its type, parameters, final state and information criterion. */
export interface EtsModel {
  readonly type: EtsType;
  readonly label: string;
  readonly parameters: EtsParameters;
  /** Seasonal period used (1 without season). */
  readonly period: number;
  /** Initial seasonal state, phase 0 = the first step of the series. */
  readonly season0: Float64Array;
  readonly sigma2: number;
  /** Corrected Akaike information criterion (comparable across types on the same data). */
  readonly aicc: number;
  /** Final state after `length` steps; seasonal indexed by phase (t mod period). */
  readonly level: number;
  readonly trend: number;
  readonly seasonal: Float64Array;
  readonly length: number;
  forecast(horizon: number): ForecastMoments;
  /** One sample path of the state-space model (continuous values). */
  simulate(horizon: number, rng: Rng): Float64Array;
}

/**
 * Text label such as `AAdM`.
 * Cost: O(1).
 *
 * @example
 * etsLabel({ error: 'A', trend: 'Ad', season: 'M' }); // 'AAdM'
 */
export function etsLabel(type: EtsType): string {
  return `${type.error}${type.trend}${type.season}`;
}

interface Filtered {
  /** -2 log likelihood up to a constant; Infinity when the state leaves the admissible region. */
  objective: number;
  sse: number;
  observed: number;
  level: number;
  trend: number;
  seasonal: Float64Array;
}

/**
 * Runs the ETS recursions over values[0, length). Cost O(length). Errors are clipped at `clip`
 * (in error units) when they update the state, so one wild value does not derail a forecast; the
 * likelihood still sees the raw error.
 */
function filter(
  values: ArrayLike<number>,
  length: number,
  type: EtsType,
  m: number,
  p: EtsParameters,
  season0: Float64Array,
  seasonal: Float64Array,
  clip: number,
): Filtered {
  const multiplicativeError = type.error === 'M';
  const seasonKind = type.season;
  const hasTrend = type.trend !== 'N';
  const phi = type.trend === 'Ad' ? p.phi : 1;
  const { alpha, beta, gamma } = p;
  seasonal.set(season0);
  let level = p.level0;
  let trend = hasTrend ? p.trend0 : 0;
  let sse = 0;
  let logSum = 0;
  let observed = 0;
  for (let t = 0; t < length; t++) {
    const phase = m > 1 ? t % m : 0;
    const s = seasonKind === 'N' ? (multiplicativeError ? 1 : 0) : (seasonal[phase] as number);
    const base = level + phi * trend;
    const yhat = seasonKind === 'M' ? base * s : seasonKind === 'A' ? base + s : base;
    const y = values[t] as number;
    let e = 0;
    if (y === y) {
      if (multiplicativeError) {
        if (!(yhat > 0)) return { objective: Infinity, sse, observed, level, trend, seasonal };
        e = (y - yhat) / yhat;
        logSum += Math.log(yhat);
      } else {
        e = y - yhat;
      }
      sse += e * e;
      observed++;
      if (e > clip) e = clip;
      else if (e < -clip) e = -clip;
    }
    if (multiplicativeError) {
      // Multiplicative errors: every component moves in proportion (Hyndman et al. 2008, table 2.3).
      if (seasonKind === 'M') {
        level = base * (1 + alpha * e);
        trend = phi * trend + beta * base * e;
        seasonal[phase] = s * (1 + gamma * e);
      } else if (seasonKind === 'A') {
        level = base + alpha * yhat * e;
        trend = phi * trend + beta * yhat * e;
        seasonal[phase] = s + gamma * yhat * e;
      } else {
        level = base * (1 + alpha * e);
        trend = phi * trend + beta * base * e;
      }
    } else if (seasonKind === 'M') {
      level = base + (alpha * e) / s;
      trend = phi * trend + (beta * e) / s;
      seasonal[phase] = s + (gamma * e) / base;
    } else {
      level = base + alpha * e;
      trend = phi * trend + beta * e;
      if (seasonKind === 'A') seasonal[phase] = s + gamma * e;
    }
    if (seasonKind === 'M' && !((seasonal[phase] as number) > 0)) return { objective: Infinity, sse, observed, level, trend, seasonal };
    if (multiplicativeError && !(level > 0)) return { objective: Infinity, sse, observed, level, trend, seasonal };
  }
  if (observed === 0) return { objective: Infinity, sse, observed, level, trend, seasonal };
  // R ets: n·log(SSE) (+ 2Σlog|ŷ| for multiplicative errors).
  const objective = observed * Math.log(sse + 1e-300) + (multiplicativeError ? 2 * logSum : 0);
  return { objective, sse, observed, level, trend, seasonal };
}

/**
 * Initial seasonal indices and level/trend the way R's ets starts (its `initstate`): a classical
 * decomposition of the first few cycles gives the seasonal start, a straight line through the
 * first ten seasonally adjusted values the level and trend. Cost: O(min(n, 3m)·…) = O(m).
 */
function initialState(values: ArrayLike<number>, length: number, m: number, season: EtsSeason): { season0: Float64Array; level: number; trend: number } {
  const season0 = new Float64Array(Math.max(1, m)).fill(season === 'M' ? 1 : 0);
  const window = season !== 'N' && m > 1 ? Math.min(length, Math.max(2 * m, Math.min(3 * m, length))) : Math.min(length, 10);
  if (season !== 'N' && m > 1 && window >= 2 * m) {
    // Centred moving average of order m (2×m for even m) as the trend of the window.
    const half = Math.floor(m / 2);
    const sums = new Float64Array(m);
    const counts = new Float64Array(m);
    for (let t = half; t + half < window; t++) {
      let sum = 0;
      let count = 0;
      const even = m % 2 === 0;
      for (let j = -half; j <= half; j++) {
        const v = values[t + j] as number;
        if (v !== v) continue;
        const w = even && (j === -half || j === half) ? 0.5 : 1;
        sum += w * v;
        count += w;
      }
      const y = values[t] as number;
      if (count < m * 0.75 || y !== y) continue;
      const trend = sum / count;
      sums[t % m] = (sums[t % m] as number) + (season === 'M' ? y / trend : y - trend);
      counts[t % m] = (counts[t % m] as number) + 1;
    }
    let total = 0;
    let seen = 0;
    for (let i = 0; i < m; i++) {
      if ((counts[i] as number) > 0) {
        season0[i] = (sums[i] as number) / (counts[i] as number);
        total += season0[i] as number;
        seen++;
      }
    }
    if (seen > 0) {
      const centre = total / seen;
      for (let i = 0; i < m; i++) {
        if ((counts[i] as number) === 0) season0[i] = season === 'M' ? 1 : 0;
        else season0[i] = season === 'M' ? (season0[i] as number) / centre : (season0[i] as number) - centre;
      }
    }
  }
  // Level and trend: least squares line through the first (up to) 10 adjusted values.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let k = 0;
  const first = Math.min(length, Math.max(10, season !== 'N' ? m : 0));
  for (let t = 0; t < first && k < 10; t++) {
    const v = values[t] as number;
    if (v !== v) continue;
    const s = season0[m > 1 ? t % m : 0] as number;
    const adjusted = season === 'M' ? v / s : season === 'A' ? v - s : v;
    sx += t;
    sy += adjusted;
    sxx += t * t;
    sxy += t * adjusted;
    k++;
  }
  if (k === 0) return { season0, level: 0, trend: 0 };
  const denominator = k * sxx - sx * sx;
  const slope = k > 1 && denominator !== 0 ? (k * sxy - sx * sy) / denominator : 0;
  const intercept = (sy - slope * sx) / k;
  // Level at time -1 so that the first one-step forecast is the line at 0.
  return { season0, level: intercept - slope, trend: slope };
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Admissible parameters from unconstrained coordinates (R's usual bounds). */
function decode(x: readonly number[], type: EtsType, start: { level: number; trend: number }, scale: number): EtsParameters {
  let i = 0;
  const alpha = 1e-4 + (0.9999 - 1e-4) * logistic(x[i++] ?? 0);
  const beta = type.trend !== 'N' ? 1e-4 + (alpha - 1e-4) * logistic(x[i++] ?? 0) : 0;
  const gamma = type.season !== 'N' ? 1e-4 + (1 - alpha - 1e-4) * logistic(x[i++] ?? 0) : 0;
  const phi = type.trend === 'Ad' ? 0.8 + 0.18 * logistic(x[i++] ?? 0) : 1;
  const level0 = start.level + scale * (x[i++] ?? 0);
  const trend0 = type.trend !== 'N' ? start.trend + (scale / 10) * (x[i] ?? 0) : 0;
  return { alpha, beta, gamma, phi, level0, trend0 };
}

function encode(p: EtsParameters, type: EtsType, start: { level: number; trend: number }, scale: number): number[] {
  const x = [logit((p.alpha - 1e-4) / (0.9999 - 1e-4))];
  if (type.trend !== 'N') x.push(logit(Math.min(0.999, Math.max(0.001, (p.beta - 1e-4) / Math.max(1e-9, p.alpha - 1e-4)))));
  if (type.season !== 'N') x.push(logit(Math.min(0.999, Math.max(0.001, (p.gamma - 1e-4) / Math.max(1e-9, 1 - p.alpha - 1e-4)))));
  if (type.trend === 'Ad') x.push(logit(Math.min(0.999, Math.max(0.001, (p.phi - 0.8) / 0.18))));
  x.push((p.level0 - start.level) / scale);
  if (type.trend !== 'N') x.push((p.trend0 - start.trend) / (scale / 10));
  return x;
}

/** Options of {@link fitEtsModel}. */
export interface EtsFitOptions {
  /** Re-use these parameters (a backtest warm start): only the filter runs. */
  parameters?: EtsParameters;
  /** Objective evaluations for Nelder-Mead; default 60 + 40 per parameter. */
  maxEvaluations?: number;
}

/**
 * Fits one ETS type to values[0, length) by maximum likelihood (Nelder-Mead over α, β, γ, φ and
 * the initial level and trend; the seasonal start from a classical decomposition). Only the last
 * max(300, 10 periods) values (whole cycles) are used: the fit costs O(1) in the history's length. Returns null
 * when no admissible fit exists (e.g. a multiplicative model on data with zeros).
 *
 * Cost: O(length) per objective evaluation, about 150-300 evaluations; O(h) to forecast.
 * An empty series gives null.
 *
 * @example
 * fitEtsModel(Float64Array.from(airPassengers), 144, { error: 'M', trend: 'Ad', season: 'M' }, 12)?.aicc;
 */
export function fitEtsModel(series: ArrayLike<number>, fullLength: number, type: EtsType, period: number, options: EtsFitOptions = {}): EtsModel | null {
  const m = type.season === 'N' ? 1 : period;
  // Long series: fit on the most recent whole cycles only (ETS forgets the far past anyway).
  const window = Math.max(ETS_WINDOW, 10 * m);
  const from = fullLength > window ? Math.floor((fullLength - window) / m) * m : 0;
  const length = fullLength - from;
  let values = series;
  if (from > 0) {
    // A plain copy (Float64Array.from with a mapping function is several times slower).
    const recent = new Float64Array(length);
    for (let t = 0; t < length; t++) recent[t] = series[from + t] as number;
    values = recent;
  }
  const start = initialState(values, length, m, type.season);
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let t = 1; t < length; t++) {
    const d = (values[t] as number) - (values[t - 1] as number);
    if (d === d) {
      sum += d;
      sumSquares += d * d;
      count++;
    }
  }
  const scale = Math.max(1e-8, count > 1 ? Math.sqrt(Math.max(0, sumSquares / count - (sum / count) ** 2)) : Math.abs(start.level) * 0.1 + 1e-8);
  // Clip updates at 5 standard deviations of the first differences (a gross outlier guard).
  const clip = type.error === 'M' ? 5 * Math.max(0.05, scale / Math.max(1e-8, Math.abs(start.level))) : 5 * scale;
  const seasonal = new Float64Array(Math.max(1, m));
  let parameters = options.parameters;
  if (!parameters) {
    const x0 = encode({ alpha: 0.3, beta: 0.03, gamma: 0.05, phi: 0.95, level0: start.level, trend0: start.trend }, type, start, scale);
    const objective = (x: number[]): number => filter(values, length, type, m, decode(x, type, start, scale), start.season0, seasonal, clip).objective;
    const result = minimize(objective, x0, { maxEvaluations: options.maxEvaluations ?? 50 + 30 * x0.length, tolerance: 1e-6, step: 0.6 });
    if (!Number.isFinite(result.value)) return null;
    parameters = decode(result.x, type, start, scale);
  }
  const final = filter(values, length, type, m, parameters, start.season0, seasonal, clip);
  if (!Number.isFinite(final.objective)) return null;
  const k = 2 + (type.trend !== 'N' ? 2 : 0) + (type.trend === 'Ad' ? 1 : 0) + (type.season !== 'N' ? m : 0) + 1;
  const n = final.observed;
  const aicc = final.objective + 2 * k + (n - k - 1 > 0 ? (2 * k * (k + 1)) / (n - k - 1) : Infinity);
  // R: SSE / (n - number of estimated parameters), σ itself not counted.
  const sigma2 = final.sse / Math.max(1, n - k + 1 > 0 ? n - k + 1 : n);
  return makeModel(type, parameters, m, start.season0, sigma2, aicc, final.level, final.trend, Float64Array.from(final.seasonal), fullLength);
}

/** Values an ETS fit looks at, at most (or 10 cycles when longer). */
const ETS_WINDOW = 300;

function makeModel(
  type: EtsType,
  parameters: EtsParameters,
  m: number,
  season0: Float64Array,
  sigma2: number,
  aicc: number,
  level: number,
  trend: number,
  seasonal: Float64Array,
  length: number,
): EtsModel {
  const phi = type.trend === 'Ad' ? parameters.phi : 1;
  const hasTrend = type.trend !== 'N';
  const seasonAt = (h: number): number =>
    type.season === 'N' ? (type.season === 'N' && type.error === 'M' ? 1 : 0) : (seasonal[(length + h - 1) % m] as number);
  return {
    type,
    label: etsLabel(type),
    parameters,
    period: m,
    season0,
    sigma2,
    aicc,
    level,
    trend,
    seasonal,
    length,
    forecast(horizon: number): ForecastMoments {
      const mean = new Float64Array(horizon);
      const variance = new Float64Array(horizon);
      const { alpha, beta, gamma } = parameters;
      let phiSum = 0;
      let power = 1;
      let accumulated = 0;
      for (let h = 1; h <= horizon; h++) {
        power *= phi;
        phiSum += hasTrend ? power : 0;
        const base = level + phiSum * trend;
        const s = seasonAt(h);
        const mu = type.season === 'M' ? base * s : type.season === 'A' ? base + s : base;
        mean[h - 1] = mu;
        // Class 1 (additive error) variance is exact; with multiplicative errors the usual
        // approximation σ²·μ²·(1 + Σc²) (Hyndman et al. 2008, ch. 6), calibrated later anyway.
        const v = sigma2 * (1 + accumulated);
        variance[h - 1] = type.error === 'M' ? v * mu * mu : type.season === 'M' ? v * s * s : v;
        const c = alpha + (hasTrend ? beta * phiSum : 0) + (m > 1 && type.season !== 'N' && h % m === 0 ? gamma : 0);
        accumulated += c * c;
      }
      return { mean, variance };
    },
    simulate(horizon: number, rng: Rng): Float64Array {
      const path = new Float64Array(horizon);
      const sigma = Math.sqrt(sigma2);
      const s = Float64Array.from(seasonal);
      let l = level;
      let b = trend;
      const { alpha, beta, gamma } = parameters;
      for (let h = 0; h < horizon; h++) {
        const phase = m > 1 ? (length + h) % m : 0;
        const season = type.season === 'N' ? (type.error === 'M' ? 1 : 0) : (s[phase] as number);
        const base = l + phi * b;
        const yhat = type.season === 'M' ? base * season : type.season === 'A' ? base + season : base;
        const e = sigma * sampleNormal(rng);
        if (type.error === 'M') {
          path[h] = yhat * (1 + e);
          if (type.season === 'M') {
            l = base * (1 + alpha * e);
            b = phi * b + beta * base * e;
            s[phase] = season * (1 + gamma * e);
          } else {
            l = base * (1 + alpha * e);
            b = phi * b + beta * base * e;
            if (type.season === 'A') s[phase] = season + gamma * yhat * e;
          }
        } else {
          path[h] = yhat + e;
          if (type.season === 'M') {
            l = base + (alpha * e) / season;
            b = phi * b + (beta * e) / season;
            s[phase] = season + (gamma * e) / base;
          } else {
            l = base + alpha * e;
            b = phi * b + beta * e;
            if (type.season === 'A') s[phase] = season + gamma * e;
          }
        }
      }
      return path;
    },
  };
}

/** Options of {@link selectEts}. */
export interface EtsSelectOptions {
  /** Allow multiplicative error and season (data must be positive). */
  multiplicative: boolean;
  /** Candidate types; default chosen by period and length (see selectEts). */
  types?: readonly EtsType[];
}

/**
 * Automatic ETS: fits each candidate type by likelihood and keeps the lowest AICc, as R's
 * `ets()` does. Default candidates: ANN, AAdN, and with a usable season (two full cycles,
 * period <= 52) ANA, AAdA, plus MNN, MAdN, MNM, MAdM for positive data.
 * Returns null when nothing fits (no observed value).
 *
 * Cost: one {@link fitEtsModel} per candidate, O(length·evaluations) each.
 * An empty series gives null.
 *
 * @example
 * selectEts(values, values.length, 12, { multiplicative: true })?.label; // e.g. 'MAdM'
 */
export function selectEts(values: ArrayLike<number>, length: number, period: number, options: EtsSelectOptions): EtsModel | null {
  const seasonal = period > 1 && period <= 52 && length >= 2 * period;
  // Short and medium series also try undamped trends (as R's ets); long ones (daily history)
  // only the damped ones, to keep the fit cheap.
  const undamped: EtsType[] =
    length <= 400
      ? [
          { error: 'A', trend: 'A', season: 'N' },
          ...(seasonal ? ([{ error: 'A', trend: 'A', season: 'A' }] as EtsType[]) : []),
          ...(options.multiplicative ? ([{ error: 'M', trend: 'A', season: seasonal ? 'M' : 'N' }] as EtsType[]) : []),
        ]
      : [];
  const types: EtsType[] = options.types
    ? [...options.types]
    : [
        ...undamped,
        { error: 'A', trend: 'N', season: 'N' },
        { error: 'A', trend: 'Ad', season: 'N' },
        ...(seasonal
          ? ([
              { error: 'A', trend: 'N', season: 'A' },
              { error: 'A', trend: 'Ad', season: 'A' },
            ] as EtsType[])
          : []),
        ...(options.multiplicative
          ? ([
              { error: 'M', trend: 'N', season: 'N' },
              { error: 'M', trend: 'Ad', season: 'N' },
              ...(seasonal
                ? ([
                    { error: 'M', trend: 'N', season: 'M' },
                    { error: 'M', trend: 'Ad', season: 'M' },
                  ] as EtsType[])
                : []),
            ] as EtsType[])
          : []),
      ];
  let best: EtsModel | null = null;
  for (const type of types) {
    if (type.season !== 'N' && !(period > 1 && length >= 2 * period)) continue;
    const fit = fitEtsModel(values, length, type, period);
    if (fit && (best === null || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}

/**
 * Refits a selected model's type and parameters on a different length (backtest warm start).
 * Cost: one filter pass, O(length). An empty series gives null.
 *
 * @example
 * refitEts(values, values.length - 28, selectEts(values, values.length, 7, { multiplicative: true })!)?.label;
 */
export function refitEts(values: ArrayLike<number>, length: number, model: EtsModel): EtsModel | null {
  return fitEtsModel(values, length, model.type, model.period, { parameters: model.parameters });
}
