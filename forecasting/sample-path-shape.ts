// How the sample paths behind weekly and monthly totals are shaped, so that the totals' ranges
// hold what they say: errors that persist over many days (a level the forecast missed) do not
// cancel out in a month's total the way independent daily noise does, and some stretches are
// calmer than others. Both are measured on the rolling-origin backtest of the chosen forecast.

import { errorFunction } from 'simple-statistics';
import type { BacktestForecasts } from './backtest.js';
import type { FittedModel, PreparedSeries } from './models/model.js';
import { createRng } from './prng.js';

/**
 * Prior share of the forecast error variance that persists over a backtest window (see
 * persistentErrorShare), and its weight in pseudo-windows. 0.2 was chosen on `npm run
 * bench:monthly`'s series (monthly totals inside their 80%/95% ranges: 0.70/0.87 with 0.1,
 * 0.77/0.93 with 0.2, 0.82/0.96 with 0.3) and checked on daily series it was not chosen on
 * (Chicago train rides at two stations, MERS cases: 0.78/0.92, 0.84/0.95, 0.88/0.97), both
 * before the paths were rescaled to keep their means (since then 0.77/0.94 and 0.79/0.96 with 0.2).
 */
export const PERSISTENCE_PRIOR = 0.2;
const PERSISTENCE_PRIOR_WEIGHT = 2;

/**
 * The share of the calibrated error variance that persists over a whole backtest window (a level
 * the forecast missed for all its steps at once, as after a marketing change), from each origin's
 * mean standardised error (each step's variance times `multiplier80`, the 80% range's calibration):
 * for unit-variance errors sharing a part ρ, E[mean²] = ρ + (1 − ρ)/steps.
 * Pooled over origins and shrunk towards {@link PERSISTENCE_PRIOR} with
 * {@link PERSISTENCE_PRIOR_WEIGHT} pseudo-windows (three windows say little on their own); in [0, 0.9].
 * Cost: O(origins × horizon).
 */
export function persistentErrorShare(series: PreparedSeries, forecasts: BacktestForecasts, multiplier80: (step: number) => number): number {
  const { horizon } = forecasts.plan;
  let pooled = 0;
  let windows = 0;
  for (let o = 0; o < forecasts.origins.length; o++) {
    let sum = 0;
    let steps = 0;
    for (let h = 0; h < horizon; h++) {
      const i = o * horizon + h;
      const y = forecasts.actual[i] as number;
      if (Number.isNaN(y)) continue;
      const m = forecasts.mean[i] as number;
      const v = series.kind === 'count' ? Math.max(forecasts.variance[i] as number, m, 0.25) : (forecasts.variance[i] as number);
      const sd = Math.sqrt(v * multiplier80(h));
      if (!(sd > 0)) continue;
      sum += (y - m) / sd;
      steps++;
    }
    if (steps < 2) continue;
    const meanError = sum / steps;
    pooled += (meanError * meanError - 1 / steps) / (1 - 1 / steps);
    windows++;
  }
  const share = (pooled + PERSISTENCE_PRIOR_WEIGHT * PERSISTENCE_PRIOR) / (windows + PERSISTENCE_PRIOR_WEIGHT);
  return Math.min(0.9, Math.max(0, share));
}

/**
 * The share of each step's variance to give a level shock shared by all the steps of a sample path,
 * so that the paths' mean over the first `window` open steps varies as much as the backtest errors'
 * did (`persistentShare`, see {@link persistentErrorShare}): 0 when the model's own paths already
 * persist that much (an ETS level wanders), more for models whose days are independent given their
 * parameters (a regression). `deviations` are the model's standardised path deviations (unit
 * variance per step); the per-step variance is unchanged whatever the share. Cost: O(paths × window).
 */
export function levelShockShare(deviations: readonly Float64Array[], closedAhead: readonly boolean[], window: number, persistentShare: number): number {
  const open: number[] = [];
  for (let h = 0; h < window; h++) if (!closedAhead[h]) open.push(h);
  if (open.length < 2 || deviations.length < 2) return 0;
  let sum = 0;
  let sumSq = 0;
  for (const path of deviations) {
    let m = 0;
    for (const h of open) m += path[h] as number;
    m /= open.length;
    sum += m;
    sumSq += m * m;
  }
  const own = Math.max(0, sumSq / deviations.length - (sum / deviations.length) ** 2);
  const target = persistentShare + (1 - persistentShare) / open.length;
  // (1 − s)·own + s·1 = target
  return own >= target ? 0 : Math.min(0.95, (target - own) / (1 - own));
}

/** Paths simulated to measure how much a model's own paths persist (see forecastLevelShockShare). */
const PERSISTENCE_PATHS = 100;

/**
 * {@link levelShockShare} for a fitted model: simulates {@link PERSISTENCE_PATHS} paths of
 * `window` steps (a fixed seed, so the same forecast gets the same share) and measures how much
 * their mean over the window varies against the model's own per-step spread (for counts at
 * least the mean's, as the ranges take it). Cost: O(PERSISTENCE_PATHS × window) simulated steps.
 */
export function forecastLevelShockShare(fit: FittedModel, count: boolean, closedAhead: readonly boolean[], window: number, persistentShare: number): number {
  const own = fit.forecast(window);
  const spread = Array.from({ length: window }, (_, h) =>
    Math.sqrt(count ? Math.max(own.variance[h] as number, own.mean[h] as number) : (own.variance[h] as number)),
  );
  const rng = createRng('level-shock');
  const deviations = Array.from({ length: PERSISTENCE_PATHS }, () => {
    const path = fit.simulate(window, rng);
    for (let h = 0; h < window; h++) {
      const sd = spread[h] as number;
      path[h] = sd > 0 && !closedAhead[h] ? ((path[h] as number) - (own.mean[h] as number)) / sd : 0;
    }
    return path;
  });
  return levelShockShare(deviations, closedAhead, window, persistentShare);
}

/**
 * How much a step's variance grows beyond the backtest window (`window` steps) when a level shock
 * of share `shockShare` keeps wandering: a random walk that adds the share once per window, drawn
 * at each window's end and straight in between, so f of the way into the m-th window past the
 * backtest one (f in (0, 1]) the shared level's variance is 1 + (m − 1) + f² shares:
 * 1 within the window, 1 + shockShare·(m − 1 + f²) beyond it. Cost: O(1).
 *
 * @example
 * levelDriftGrowth(55, 28, 0.2); // 1.2: one full window past the backtest one
 */
export function levelDriftGrowth(step: number, window: number, shockShare: number): number {
  if (step < window || window <= 0) return 1;
  const windows = Math.floor((step - window) / window);
  const into = ((step - window) % window) + 1;
  return 1 + shockShare * (windows + (into / window) ** 2);
}

/** Share of sample paths in the wilder regime of {@link tailMixture}. */
const WILD_SHARE = 0.1;
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** P(|X| ≤ x) for X a N(0, 1) scaled by `calm` with probability 1 − WILD_SHARE, by `wild` otherwise. */
function mixtureCoverage(x: number, calm: number, wild: number): number {
  return (1 - WILD_SHARE) * errorFunction(x / calm / Math.SQRT2) + WILD_SHARE * errorFunction(x / wild / Math.SQRT2);
}

/** The two-sided `level` (0-1) quantile of {@link mixtureCoverage}, by bisection. */
function mixtureQuantile(level: number, calm: number, wild: number): number {
  let lo = 0;
  let hi = 40 * wild;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mixtureCoverage(mid, calm, wild) < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Per-path scales of a path's deviations (a scale mixture of normals: most paths calm, a tenth
 * `wild` times as wide) whose 80% range stays the calibrated one while the 95% range is `tail`
 * times a normal's (the calibration's tail factor, see forecastSeries): heavy-tailed errors come
 * in stretches (a regime, a campaign), so a path is wild as a whole and a month's total is too.
 * `tail` ≤ 1 gives { calm: 1, wild: 1 }. Cost: O(1) (bisections of fixed length).
 */
export function tailMixture(tail: number): { calm: number; wild: number; wildShare: number } {
  if (!(tail > 1)) return { calm: 1, wild: 1, wildShare: WILD_SHARE };
  const target = Math.min(tail, 3) * (Z95 / Z80);
  const ratio = (k: number) => mixtureQuantile(0.95, 1, k) / mixtureQuantile(0.8, 1, k);
  let lo = 1;
  let hi = 20;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (ratio(mid) < target) lo = mid;
    else hi = mid;
  }
  const k = (lo + hi) / 2;
  const calm = Z80 / mixtureQuantile(0.8, 1, k);
  return { calm, wild: calm * k, wildShare: WILD_SHARE };
}
