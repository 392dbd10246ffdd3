import { normalQuantile } from '../normal-quantile.js';
import type { Rng } from '../prng.js';
import { sampleNormal } from '../sampling.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, toKind, usablePeriod } from './series-statistics.js';

/** Simple exponential smoothing fitted by least squares: α and the initial level. */
export interface SesFit {
  alpha: number;
  level0: number;
  /** Final level (the flat forecast). */
  level: number;
  sse: number;
  n: number;
}

/**
 * Simple exponential smoothing (ETS(A,N,N)) by minimum squared one-step error, as R's
 * `ses()`/`ets(x, "ANN", opt.crit = "mse")`. For a fixed α the best initial level is a closed-form
 * least-squares solution (the one-step forecasts are linear in it), so only α is searched
 * (golden section on [1e-4, 0.9999] after a coarse grid). `x` must hold no NaN.
 *
 * Cost: O(n) per α tried, ~60 tries. Empty input gives level 0.
 *
 * @example
 * fitSes(Float64Array.from([3, 5, 4, 6, 5])).level; // ≈ 4.6-5
 */
export function fitSes(x: Float64Array): SesFit {
  const n = x.length;
  if (n === 0) return { alpha: 0.5, level0: 0, level: 0, sse: 0, n: 0 };
  const evaluate = (alpha: number): { sse: number; level0: number; level: number } => {
    // ŷ_t = a_t + (1-α)^t·l0 with a_t the forecast from l0 = 0.
    const keep = 1 - alpha;
    let a = 0;
    let power = 1;
    let sxy = 0;
    let sxx = 0;
    for (let t = 0; t < n; t++) {
      const y = x[t] as number;
      sxy += (y - a) * power;
      sxx += power * power;
      a = keep * a + alpha * y;
      power *= keep;
    }
    const level0 = sxx > 0 ? sxy / sxx : 0;
    let level = level0;
    let sse = 0;
    for (let t = 0; t < n; t++) {
      const e = (x[t] as number) - level;
      sse += e * e;
      level += alpha * e;
    }
    return { sse, level0, level };
  };
  let lo = 1e-4;
  // Coarse grid first: the SSE in α can have several local minima.
  let bestAlpha = lo;
  let bestSse = Infinity;
  for (let i = 0; i <= 20; i++) {
    const alpha = 1e-4 + ((0.9999 - 1e-4) * i) / 20;
    const sse = evaluate(alpha).sse;
    if (sse < bestSse) {
      bestSse = sse;
      bestAlpha = alpha;
    }
  }
  lo = Math.max(1e-4, bestAlpha - 0.05);
  let hi = Math.min(0.9999, bestAlpha + 0.05);
  const golden = (Math.sqrt(5) - 1) / 2;
  let c = hi - golden * (hi - lo);
  let d = lo + golden * (hi - lo);
  let fc = evaluate(c).sse;
  let fd = evaluate(d).sse;
  for (let i = 0; i < 40 && hi - lo > 1e-7; i++) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - golden * (hi - lo);
      fc = evaluate(c).sse;
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + golden * (hi - lo);
      fd = evaluate(d).sse;
    }
  }
  const alpha = (lo + hi) / 2;
  const result = evaluate(alpha);
  return { alpha, level0: result.level0, level: result.level, sse: result.sse, n };
}

/**
 * Classical decomposition's seasonal indices (R's `decompose`): centred moving average of order
 * m (2×m for even m) as the trend, the mean ratio (or difference) per phase, normalised to mean 1
 * (or 0). Phase 0 is the first value. `x` must hold no NaN and at least 2m values.
 * Cost: O(n·m).
 * Under 2m values the indices mean nothing (an empty `x` gives m zeros when additive).
 *
 * @example
 * classicalSeasonalIndices(Float64Array.from(airPassengers), 12, true)[6]; // July, above 1
 */
export function classicalSeasonalIndices(x: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const n = x.length;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  for (let t = half; t + half < n; t++) {
    if (even && t + half >= n) break;
    let sum = 0;
    for (let j = -half; j <= half; j++) sum += (even && (j === -half || j === half) ? 0.5 : 1) * (x[t + j] as number);
    const trend = sum / m;
    const y = x[t] as number;
    sums[t % m] = (sums[t % m] as number) + (multiplicative ? y / trend : y - trend);
    counts[t % m] = (counts[t % m] as number) + 1;
  }
  const figure = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    figure[i] = (counts[i] as number) > 0 ? (sums[i] as number) / (counts[i] as number) : multiplicative ? 1 : 0;
    total += figure[i] as number;
  }
  for (let i = 0; i < m; i++) figure[i] = multiplicative ? (figure[i] as number) / (total / m) : (figure[i] as number) - total / m;
  return figure;
}

/**
 * R's thetaf seasonality test: |r_m| beyond the 90% two-sided band of an MA(m-1) null.
 * Cost: O(n). An empty series (or m < 2) gives false.
 *
 * @example
 * seasonalityTest(Float64Array.from(airPassengers), 12); // true
 */
export function seasonalityTest(x: Float64Array, m: number): boolean {
  const n = x.length;
  if (m <= 1 || n <= 2 * m) return false;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t] as number;
  mean /= n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += ((x[t] as number) - mean) ** 2;
  if (c0 === 0) return false;
  let sumSquares = 0;
  let rm = 0;
  for (let k = 1; k <= m; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += ((x[t] as number) - mean) * ((x[t - k] as number) - mean);
    const r = c / c0;
    if (k < m) sumSquares += r * r;
    else rm = r;
  }
  const stat = Math.sqrt((1 + 2 * sumSquares) / n);
  return Math.abs(rm) / stat > normalQuantile(0.95);
}

/**
 * Linear interpolation over NaN (constant at the ends); all-NaN gives zeros. Cost O(n).
 * An empty series gives an empty array.
 *
 * @example
 * interpolateMissing([NaN, 2, NaN, 4, NaN], 5); // Float64Array [2, 2, 3, 4, 4]
 */
export function interpolateMissing(values: ArrayLike<number>, length: number): Float64Array {
  const x = new Float64Array(length);
  let last = -1;
  for (let t = 0; t < length; t++) {
    const v = values[t] as number;
    if (v !== v) continue;
    if (last === -1) for (let j = 0; j < t; j++) x[j] = v;
    else {
      const from = x[last] as number;
      for (let j = last + 1; j < t; j++) x[j] = from + ((v - from) * (j - last)) / (t - last);
    }
    x[t] = v;
    last = t;
  }
  if (last >= 0) for (let j = last + 1; j < length; j++) x[j] = x[last] as number;
  return x;
}

/** The parts of a Theta fit that a forecast needs. */
export interface ThetaFit {
  alpha: number;
  level: number;
  /** Half the slope of the least-squares line (the drift of the theta = 2 line's SES). */
  drift: number;
  n: number;
  sigma2: number;
  /** Seasonal indices by phase (length m), or null when the series was not deseasonalised. */
  seasonal: Float64Array | null;
  multiplicative: boolean;
  m: number;
}

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) in Hyndman & Billah's (2003) form, as
 * R's `forecast::thetaf`: when the lag-m autocorrelation is significant the series is
 * deseasonalised by a classical multiplicative decomposition (additive when values are not all
 * positive); SES with drift b/2 (b the slope of a straight line through the data) forecasts it:
 * ŷ(h) = SES level + b/2·(h - 1 + (1 - (1-α)^n)/α); the seasonal indices are put back. Variance
 * σ²(1 + (h-1)α²) as thetaf states it (not rescaled by the season, as in thetaf). `x` must hold no NaN.
 *
 * Cost: O(n·m) for the decomposition and the test, O(n) per SES α tried.
 * An empty series gives a zero level and drift (forecasts of 0).
 *
 * @example
 * fitTheta(Float64Array.from(airPassengers), 12).drift; // half the yearly slope per month
 */
export function fitTheta(x: Float64Array, m: number): ThetaFit {
  const n = x.length;
  let seasonal: Float64Array | null = null;
  let multiplicative = true;
  let adjusted = x;
  if (m > 1 && seasonalityTest(x, m)) {
    multiplicative = x.every((v) => v > 0);
    const indices = classicalSeasonalIndices(x, m, multiplicative);
    if (!multiplicative || indices.every((s) => Math.abs(s) >= 1e-4)) {
      seasonal = indices;
      adjusted = x.map((v, t) => (multiplicative ? v / (indices[t % m] as number) : v - (indices[t % m] as number)));
    }
  }
  const ses = fitSes(adjusted);
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let t = 0; t < n; t++) {
    const y = adjusted[t] as number;
    st += t;
    sy += y;
    stt += t * t;
    sty += t * y;
  }
  const denominator = n * stt - st * st;
  const slope = n > 1 && denominator !== 0 ? (n * sty - st * sy) / denominator : 0;
  // R's ets divides the SSE by n minus its 2 parameters (α and the initial level).
  const sigma2 = n > 2 ? ses.sse / (n - 2) : ses.sse;
  return { alpha: Math.max(1e-10, ses.alpha), level: ses.level, drift: slope / 2, n, sigma2, seasonal, multiplicative, m };
}

/**
 * Theta mean and variance for steps 1..horizon (see {@link fitTheta}). Cost O(h).
 * Horizon 0 gives empty means and variances.
 *
 * @example
 * thetaForecast(fitTheta(Float64Array.from(airPassengers), 12), 12).mean;
 */
export function thetaForecast(fit: ThetaFit, horizon: number): ForecastMoments {
  const mean = new Float64Array(horizon);
  const variance = new Float64Array(horizon);
  const offset = (1 - (1 - fit.alpha) ** fit.n) / fit.alpha;
  for (let h = 1; h <= horizon; h++) {
    let mu = fit.level + fit.drift * (h - 1 + offset);
    if (fit.seasonal) {
      const s = fit.seasonal[(fit.n + h - 1) % fit.m] as number;
      // thetaf's ranges are the SES ranges around the reseasonalised mean (not rescaled).
      if (fit.multiplicative) mu *= s;
      else mu += s;
    }
    mean[h - 1] = mu;
    variance[h - 1] = fit.sigma2 * (1 + (h - 1) * fit.alpha * fit.alpha);
  }
  return { mean, variance };
}

/**
 * Theta model spec for {@link forecastSeries}: see {@link fitTheta}. Missing values are
 * interpolated linearly first. Uses the shortest seasonal period. Needs 3 observed values.
 * Sample paths follow SES with drift (state noise α·e per step), so steps are correlated.
 * Cost: as fitTheta. Not applicable to an empty series (fewer than 3 observed values).
 *
 * @example
 * theta.fit(prepareSeries(counts, [7]), counts.length).forecast(28).mean;
 */
export const theta: ModelSpec = {
  name: 'theta',
  applicable: (series, length) => countObserved(series.values, length) >= 3,
  fit: (series: PreparedSeries, length: number): FittedModel => {
    const m = usablePeriod(series.periods, length);
    const x = interpolateMissing(series.values, length);
    const fit = fitTheta(x, m);
    const count = series.kind === 'count';
    // The sample paths share one forecast of the means (computed on the first path).
    let shared: ForecastMoments | null = null;
    return {
      periodsUsed: fit.seasonal ? [series.periods[0] as number] : [],
      forecast: (horizon) => thetaForecast(fit, horizon),
      simulate(horizon: number, rng: Rng): Float64Array {
        const path = new Float64Array(horizon);
        const sigma = Math.sqrt(fit.sigma2);
        if (!shared || shared.mean.length !== horizon) shared = thetaForecast(fit, horizon);
        const moments = shared;
        let shift = 0;
        for (let h = 0; h < horizon; h++) {
          const e = sigma * sampleNormal(rng);
          const s = fit.seasonal && fit.multiplicative ? (fit.seasonal[(fit.n + h) % fit.m] as number) : 1;
          path[h] = toKind((moments.mean[h] as number) + (shift + e) * s, count);
          shift += fit.alpha * e;
        }
        return path;
      },
    };
  },
};
