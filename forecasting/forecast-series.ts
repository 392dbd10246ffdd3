import { type Accuracy, type BacktestForecasts, backtestForecasts, canWarmStart, planBacktest, scoreBacktest } from './backtest.js';
import { addSteps, type Frequency, formatTimestamp, hasTimeOfDay, parseTimestamp, SEASONAL_PERIODS } from './calendar.js';
import { arima } from './models/arima.js';
import { etsAdditive, etsMultiplicative } from './models/ets.js';
import { etsAuto } from './models/ets-auto.js';
import type { PreparedSeries } from './models/model.js';
import { stlModel } from './models/stl.js';
import { theta } from './models/theta.js';
import type { FittedModel, ModelName, ModelSpec } from './models/model.js';
import { seasonalNaive } from './models/seasonal-naive.js';
import { seasonalRegression } from './models/seasonal-regression.js';
import { normalQuantile } from './normal-quantile.js';
import { prepareSeries } from './prepare-series.js';
import { predictiveIntervals, type ValueKind } from './predictive-quantiles.js';
import { createRng } from './prng.js';
import { forecastLevelShockShare, levelDriftGrowth, PERSISTENCE_PRIOR, persistentErrorShare, tailMixture } from './sample-path-shape.js';
import { sampleNormal } from './sampling.js';

/** A regular series: `values[i]` belongs to `start` + i steps. NaN (or null-ish) = missing. */
export interface TimeSeries {
  /** Label of the first value: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm` for hourly data. */
  start: string;
  frequency: Frequency;
  values: readonly number[];
}

/** Days (or hours...) that are zero by design: a set of date labels or a predicate over them. */
export type ClosedSteps = ReadonlySet<string> | ((date: string) => boolean);

export interface ForecastOptions {
  /** Steps ahead to forecast (>= 1). */
  horizon: number;
  /** Interval levels in percent; default [80, 95]. */
  levels?: readonly number[];
  /** Closed days/holidays, past and future: ignored when fitting, forecast as exactly 0. */
  closed?: ClosedSteps;
  /** Candidate models; default {@link DEFAULT_CANDIDATES}. */
  candidates?: readonly ModelName[];
  /** Rolling-origin backtest origins; default 3. */
  origins?: number;
  /** Seasonal cycles in steps (any positive numbers, e.g. [48, 336]); default by frequency (see SEASONAL_PERIODS). */
  seasonalPeriods?: readonly number[];
}

/** One step ahead: the label, the predictive mean and `lo<level>`/`hi<level>` bounds. */
export interface ForecastPoint {
  date: string;
  mean: number;
  [bound: `lo${number}` | `hi${number}`]: number;
}

/** Backtest accuracy of the chosen model, with the seasonal naive baseline's MASE beside it. */
export interface ChosenAccuracy extends Accuracy {
  seasonalNaiveMase: number | null;
}

/** A seasonal pattern by name: a day's shape, a week's, a year's, or an unnamed cycle of N steps. */
export type SeasonalPattern = 'daily' | 'weekly' | 'monthly' | 'yearly' | `${number}-step`;

/** What the chosen forecast is: one model, or the mean of several (a combination). */
export interface SeriesForecast {
  /** The chosen model's name, or `combination(a+b[+c])` for the mean of the best candidates. */
  model: string;
  /** The candidates averaged (one entry when a single model won). */
  members: ModelName[];
  /**
   * The forecast beyond the backtest horizon when it is not `model`: the members (or the best
   * candidate) that follow every seasonal cycle the data has (see longRangeMembers). It takes
   * over from `model` across one backtest horizon and alone from twice it on. Null: `model` all along.
   */
  longRangeModel: string | null;
  longRangeMembers: ModelName[] | null;
  kind: ValueKind;
  /**
   * Backtest accuracy of the chosen forecast (calibrated ranges; coverage is scored with each
   * origin's calibration estimated from the other origins, so it is an honest estimate). Null
   * when the history is too short to hold anything out.
   */
  accuracy: ChosenAccuracy | null;
  /** Every candidate's backtest accuracy with its own, uncalibrated ranges (null: not applicable). */
  candidates: { model: ModelName; accuracy: Accuracy | null }[];
  /** Seasonal periods (in steps) the chosen model used, e.g. [7, 365.25]. */
  seasonalPeriodsUsed: number[];
  /** The same as names, e.g. ['weekly', 'yearly']; [] for a forecast without seasonality. */
  patterns: SeasonalPattern[];
  /** Steps ahead of every rolling-origin forecast in the backtest (fixed by frequency). */
  backtestHorizon: number;
  /**
   * Variance multipliers applied to the model's predictive variance at each step ahead so that
   * the backtest's 80% ranges (`range80`) and 95% ranges (`range95`: the 80% one times a tail
   * factor, for errors heavier-tailed than a normal) hold what they say (1 = the model's own).
   */
  calibration: { range80: number[]; range95: number[] };
  points: ForecastPoint[];
  /**
   * `count` joint sample paths of the horizon (seeded; closed steps are 0), shaped so that sums
   * over weeks and months are as uncertain as the backtest says: the chosen model's simulated
   * deviations from its mean, rescaled to each step's calibrated 80% spread, plus a level shock
   * shared by the whole path (for the part of the backtest errors that persisted over a window
   * and the model's own paths do not carry; it keeps wandering beyond the backtest horizon), and
   * a per-path scale (most paths calm, a tenth wild) that gives the 95% range its tail factor.
   * Non-negative paths are floored at 0 and each step rescaled so the paths average the forecast
   * mean; count paths are then rounded up with probability the fraction.
   * Within the backtest horizon each step's spread stays the calibrated one; beyond it the
   * wandering level widens the paths and the daily `points`' ranges alike. Cost: O(count·horizon).
   */
  samplePaths(count: number, seed: number | string): Float64Array[];
}

export const MODELS: Readonly<Record<ModelName, ModelSpec>> = {
  'seasonal-naive': seasonalNaive,
  'ets-additive': etsAdditive,
  'ets-multiplicative': etsMultiplicative,
  regression: seasonalRegression,
  ets: etsAuto,
  theta,
  stl: stlModel,
  arima,
};

/** Candidates tried by default, simplest first (ties go to the earlier one). */
export const DEFAULT_CANDIDATES: readonly ModelName[] = ['seasonal-naive', 'theta', 'ets', 'stl', 'regression', 'arima'];

/**
 * Steps ahead scored at each backtest origin, by frequency: fixed, so that the model choice and
 * the ranges never depend on the horizon asked for.
 */
export const BACKTEST_HORIZON: Readonly<Record<Frequency, number>> = {
  'quarter-hourly': 192,
  'half-hourly': 96,
  hourly: 48,
  daily: 28,
  weekly: 13,
  monthly: 12,
  quarterly: 8,
  yearly: 6,
};

/** Most candidates averaged in a combination. */
const MAX_MEMBERS = 4;
/** Candidates within this factor of the best backtest MASE join the combination. */
const TRIM = 1.25;
/** Pseudo-observations pulling the variance calibration towards its prior. */
const CALIBRATION_PRIOR_WEIGHT = 12;
/** Variance margin for selection optimism (see varianceMultiplier). */
const SELECTION_MARGIN = 1.2;
/**
 * Prior tail factor (see tailFactor): forecast errors are heavier-tailed than a normal (level
 * shifts, regime changes the few backtest origins cannot show). 1.18 is a Student t with 4
 * degrees of freedom: t4(0.975) / t4(0.9) = 1.81 against the normal's 1.53.
 */
const TAIL_PRIOR = 1.18;

/**
 * Forecasts a regular series with automatic model choice by rolling-origin backtest.
 *
 * Candidates (default {@link DEFAULT_CANDIDATES}): seasonal naive, Theta, automatic ETS by
 * likelihood (AAdA/MAdM family), STL/MSTL + ETS, the seasonal regression and automatic ARIMA. Each is fitted
 * before each of 3 origins and scored on the next {@link BACKTEST_HORIZON} steps (28 for daily
 * data, 12 for monthly ...; at most a quarter of the history). The forecast is the mean of every
 * candidate within 1.25× of the best backtest MASE, up to 4, seasonal naive only when it is the
 * best (the M4 lesson: combinations beat single picks); MAE decides when MASE is undefined (e.g.
 * a constant history).
 *
 * **The choice does not depend on `horizon`.** The backtest horizon is fixed by frequency and
 * every model's forecast of step h does not depend on how many steps are asked for, so a shorter
 * request is exactly a prefix of a longer one: one forecast per series and day, whatever the
 * window. **Months ahead follow every seasonal cycle:** with several periods (7 and 365.25 for
 * daily data), members that leave out the longest one hand over, across one backtest horizon
 * after it, to the members that follow it (`longRangeModel`, see longRangeMembers), since a
 * member that follows only the current season's level is fine for weeks and wrong by months.
 * Ranges are calibrated from the backtest errors: the model's predictive variance is
 * scaled so that the backtest's 80% ranges hold the conformal 80% quantile of the standardised
 * errors (pulled towards 1, or towards a wider 1.5 for histories under two cycles, when there are
 * few errors), and the 95% ranges further by the errors' tail (their conformal 95% quantile over
 * their 80% one, against a normal's; pulled towards a Student t's), then turned into quantiles of a negative binomial for counts (never below 0) or a normal
 * otherwise (floored at 0 if the history never goes negative). Without any backtest the ranges
 * are widened by a factor 1.5 in variance. Beyond the backtest horizon they widen further where
 * the backtest errors persisted more than the model's own paths do: that missed level keeps
 * wandering (see `samplePaths`).
 *
 * Missing values (NaN, ±Infinity) are skipped; closed steps are skipped when fitting and
 * forecast as exactly 0. Returns null when no value is observed (empty or all missing), which
 * leaves nothing to forecast from. A constant history forecasts that constant (a Poisson band
 * around it for counts, zero width otherwise); an all-zero count history forecasts zeros.
 * Throws RangeError for a `start` that does not parse or a horizon < 1.
 *
 * Cost: about (#candidates × origins + #members) fits; ~10-20 ms for three years of daily data.
 *
 * @example
 * const f = forecastSeries({ start: '2026-01-05', frequency: 'daily', values: counts }, { horizon: 28 });
 * f?.model; // e.g. 'combination(stl+regression)'
 * f?.patterns; // ['weekly', 'yearly']
 * f?.points[0]; // { date: '2026-...', mean: 4.2, lo80: 2, hi80: 7, lo95: 1, hi95: 9 }
 */
export function forecastSeries(series: TimeSeries, options: ForecastOptions): SeriesForecast | null {
  const { horizon } = options;
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`horizon must be an integer >= 1, got ${horizon}`);
  const start = parseTimestamp(series.start);
  if (!start) throw new RangeError(`cannot parse start date "${series.start}"`);
  const levels = options.levels ?? [80, 95];
  const periods = [...(options.seasonalPeriods ?? SEASONAL_PERIODS[series.frequency])].filter((p) => p > 1).sort((a, b) => a - b);
  const withTime = hasTimeOfDay(series.frequency) || start.hasTime;
  const n = series.values.length;
  const dates = Array.from({ length: n + horizon }, (_, i) => formatTimestamp(addSteps(start.ms, series.frequency, i), withTime));
  const isClosed = closedPredicate(options.closed);
  const closed = dates.map(isClosed);
  const prepared = prepareSeries(series.values, periods, closed);
  if (!prepared.values.some((v) => !Number.isNaN(v))) return null;

  const names = options.candidates ?? DEFAULT_CANDIDATES;
  const backtestHorizon = Math.max(BACKTEST_HORIZON[series.frequency], Math.round(periods[0] ?? 1) > 48 ? Math.round(periods[0] ?? 1) : 0);
  const plan = planBacktest(n, backtestHorizon, periods, options.origins);
  const runs = names.map((model) => ({
    model,
    forecasts: plan && MODELS[model].applicable(prepared, plan.origins[0] ?? n) ? safely(() => backtestForecasts(prepared, MODELS[model], plan)) : null,
  }));
  const candidates = runs.map((r) => ({ model: r.model, accuracy: r.forecasts ? scoreBacktest(prepared, r.forecasts) : null }));
  const choice = chooseCombination(prepared, runs, candidates, n);
  const fallback =
    (['ets', 'ets-additive', 'theta', 'seasonal-naive'] as const).find((m) => names.includes(m) && MODELS[m].applicable(prepared, n)) ?? 'seasonal-naive';
  const members = choice?.members ?? [fallback];

  // Calibration: one variance multiplier per step ahead from the combined backtest errors.
  const shortHistory = periods.length > 0 && n < 2 * Math.round(periods[0] as number);
  const prior = shortHistory || !choice ? 1.5 : 1;
  const calibrationAt = choice ? calibrate(prepared, choice.forecasts, prior) : withTail(() => prior, TAIL_PRIOR);
  const accuracy = choice ? honestAccuracy(prepared, choice.forecasts, prior) : null;
  const persistentShare = choice ? persistentErrorShare(prepared, choice.forecasts, (h) => calibrationAt(h, 80)) : PERSISTENCE_PRIOR;

  const fitFinal = (model: ModelName): FittedModel => {
    const backtest = runs.find((r) => r.model === model)?.forecasts;
    // Warm start from the last backtest origin (the same type and parameters, refiltered) when it saw nearly as much.
    const lastOrigin = backtest?.origins[backtest.origins.length - 1] ?? 0;
    return MODELS[model].fit(prepared, n, backtest && canWarmStart(lastOrigin, n) ? backtest.last : undefined);
  };
  const fits = members.map(fitFinal);
  const window = plan?.horizon ?? 0;
  const long = longRangeMembers(prepared, members, fits, candidates, runs, fitFinal);
  const fitted = [...members, ...long.members.filter((m) => !members.includes(m))];
  fits.push(...long.extraFits);
  const moments = fits.map((fit) => fit.forecast(horizon));
  /** A fitted model's share of step h: the members', handing over to the long-range ones beyond the backtest horizon. */
  const shareAt = (model: ModelName, h: number): number => {
    const w = long.members === members ? 0 : longRangeWeight(h, window);
    return (members.includes(model) ? (1 - w) / members.length : 0) + (long.members.includes(model) ? w / long.members.length : 0);
  };
  const lead = 0; // the best member drives the sample paths
  const leadFit = fits[lead] as FittedModel;
  // The level shock the paths share (see samplePaths), measured over the backtest window; beyond
  // that window it keeps wandering, and the daily ranges widen with it as the paths do.
  const closedAhead = Array.from({ length: window }, (_, h) =>
    h < horizon ? (closed[n + h] as boolean) : isClosed(formatTimestamp(addSteps(start.ms, series.frequency, n + h), withTime)),
  );
  const shockShare = window >= 2 ? forecastLevelShockShare(leadFit, prepared.kind === 'count', closedAhead, window, persistentShare) : 0;
  const points: ForecastPoint[] = [];
  const mean = new Float64Array(horizon);
  const variance = new Float64Array(horizon);
  /** The calibrated 80% variance before the level's drift beyond the backtest window. */
  const baseVariance = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const isOpen = !closed[n + h];
    let m = 0;
    let v = 0;
    moments.forEach((moment, i) => {
      const share = shareAt(fitted[i] as ModelName, h);
      m += share * (moment.mean[h] as number);
      v += share * (moment.variance[h] as number);
    });
    if (prepared.nonNegative && m < 0) m = 0;
    mean[h] = isOpen ? m : 0;
    const growth = levelDriftGrowth(h, window, shockShare);
    baseVariance[h] = isOpen ? v * calibrationAt(h, 80) : 0;
    variance[h] = (baseVariance[h] as number) * growth;
    const point: ForecastPoint = { date: dates[n + h] as string, mean: mean[h] as number };
    for (const level of levels) {
      const [interval] = predictiveIntervals(
        mean[h] as number,
        isOpen ? v * calibrationAt(h, level) * growth : 0,
        [level],
        prepared.kind,
        prepared.nonNegative,
      );
      point[`lo${level}`] = interval!.lower;
      point[`hi${level}`] = interval!.upper;
    }
    points.push(point);
  }
  const baseline = candidates.find((c) => c.model === 'seasonal-naive')?.accuracy;
  const seasonalPeriodsUsed = [...new Set(fits.flatMap((f) => [...(f.periodsUsed ?? [])]))].sort((a, b) => a - b);
  const leadMoments = moments[lead]!;
  const count = prepared.kind === 'count';
  const label = (names: readonly ModelName[]) => (names.length === 1 ? (names[0] as string) : `combination(${names.join('+')})`);
  return {
    model: label(members),
    members,
    longRangeModel: long.members === members ? null : label(long.members),
    longRangeMembers: long.members === members ? null : [...long.members],
    kind: prepared.kind,
    accuracy: accuracy ? { ...accuracy, seasonalNaiveMase: baseline?.mase ?? null } : null,
    candidates,
    seasonalPeriodsUsed,
    patterns: seasonalPeriodsUsed.map((p) => patternName(p, series.frequency)),
    backtestHorizon: plan?.horizon ?? 0,
    calibration: {
      range80: Array.from({ length: horizon }, (_, h) => calibrationAt(h, 80)),
      range95: Array.from({ length: horizon }, (_, h) => calibrationAt(h, 95)),
    },
    points,
    samplePaths(pathCount: number, seed: number | string): Float64Array[] {
      const rng = createRng(seed);
      // Each step's calibrated spread, and the lead model's own (deviations are rescaled from one to the other).
      const spread = Array.from({ length: horizon }, (_, h) =>
        Math.sqrt(count ? Math.max(baseVariance[h] as number, mean[h] as number) : (baseVariance[h] as number)),
      );
      const ownSpread = Array.from({ length: horizon }, (_, h) => {
        const own = leadMoments.variance[h] as number;
        return Math.sqrt(count ? Math.max(own, leadMoments.mean[h] as number) : own);
      });
      const deviations = Array.from({ length: pathCount }, () => {
        const path = leadFit.simulate(horizon, rng);
        for (let h = 0; h < horizon; h++) {
          const own = ownSpread[h] as number;
          path[h] = own > 0 && !closed[n + h] ? ((path[h] as number) - (leadMoments.mean[h] as number)) / own : 0;
        }
        return path;
      });
      const own = Math.sqrt(1 - shockShare);
      const shock = Math.sqrt(shockShare);
      const scales = tailMixture(Math.sqrt(calibrationAt(0, 95) / calibrationAt(0, 80)));
      const paths = deviations.map((path) => {
        const scale = rng.next() < scales.wildShare ? scales.wild : scales.calm;
        let level = shock > 0 ? sampleNormal(rng) : 0;
        let from = level;
        let to = level;
        for (let h = 0; h < horizon; h++) {
          // Beyond the window the backtest saw, the missed level keeps wandering as a local level
          // does: a random walk with a step of the shared share per window, drawn at the end of
          // each window and straight in between (see levelDriftGrowth).
          if (h >= window && shock > 0) {
            const into = (h - window) % window;
            if (into === 0) {
              from = to;
              to = from + sampleNormal(rng);
            }
            level = from + ((to - from) * (into + 1)) / window;
          }
          // A count forecast of 0 is exactly 0, as its range says (the negative binomial of mean 0).
          if (closed[n + h] || (count && (mean[h] as number) <= 0)) {
            path[h] = 0;
            continue;
          }
          const value = (mean[h] as number) + scale * (spread[h] as number) * (own * (path[h] as number) + shock * level);
          path[h] = prepared.nonNegative ? Math.max(0, value) : value;
        }
        return path;
      });
      if (prepared.nonNegative) keepMeans(paths, mean);
      // Counts: rounded up with probability the fraction (plain rounding would turn a small
      // count's 0.3s into 0s and bias a month's total down).
      if (count) for (const path of paths) for (let h = 0; h < horizon; h++) path[h] = Math.floor((path[h] as number) + rng.next());
      return paths;
    },
  };
}

/**
 * Rescales each step of non-negative paths so that their average is the forecast mean again:
 * flooring deviations at 0 lifts the average of a small series' paths (a quiet channel's month
 * total drifted up by half with level shocks), and a total must sit on its forecast. Scaling
 * keeps every value non-negative. Cost: O(paths × steps).
 */
function keepMeans(paths: Float64Array[], mean: Float64Array): void {
  if (paths.length === 0) return;
  for (let h = 0; h < mean.length; h++) {
    let sum = 0;
    for (const path of paths) sum += path[h] as number;
    const factor = sum > 0 ? ((mean[h] as number) * paths.length) / sum : 0;
    for (const path of paths) path[h] = (path[h] as number) * factor;
  }
}

/**
 * The models for the forecast beyond the backtest horizon. A member that leaves out the longest
 * seasonal cycle the data has (the yearly one of daily data, the weekly one of hourly data) is
 * fine for the weeks the backtest scored, since it follows the current season's level, but
 * months out it carries that level on while the season turns, and in a combination it dilutes
 * the cycle the other members follow (a quarter of the yearly swing with one yearly member in
 * four). The backtest horizon is too short to show this, so it is decided by construction:
 * beyond it the forecast is the members that follow the longest cycle their fits found usable,
 * or, when none does, the best-scored candidate whose last backtest fit did (fitted here), unless
 * it scored worse than seasonal naive. With a single seasonal period, or no model following the
 * longest, the members stay. Cost: at most one extra fit.
 */
function longRangeMembers(
  series: PreparedSeries,
  members: readonly ModelName[],
  fits: readonly FittedModel[],
  candidates: readonly { model: ModelName; accuracy: Accuracy | null }[],
  runs: readonly Run[],
  fit: (model: ModelName) => FittedModel,
): { members: readonly ModelName[]; extraFits: FittedModel[] } {
  const longest = series.periods[series.periods.length - 1];
  const unchanged = { members, extraFits: [] };
  if (series.periods.length < 2 || longest === undefined) return unchanged;
  const follows = (f: FittedModel | undefined) => (f?.periodsUsed ?? []).includes(longest);
  const following = members.filter((_, i) => follows(fits[i]));
  if (following.length === members.length) return unchanged;
  if (following.length > 0) return { members: following, extraFits: [] };
  const key = candidates.some((c) => typeof c.accuracy?.mase === 'number') ? 'mase' : 'mae';
  const best = candidates
    .filter((c) => typeof c.accuracy?.[key] === 'number' && follows(runs.find((r) => r.model === c.model)?.forecasts?.last))
    .sort((a, b) => (a.accuracy![key] as number) - (b.accuracy![key] as number))[0];
  // Not one that lost to seasonal naive over the weeks it was scored on.
  const baseline = candidates.find((c) => c.model === 'seasonal-naive')?.accuracy?.[key];
  if (!best || (typeof baseline === 'number' && (best.accuracy![key] as number) > baseline)) return unchanged;
  const extra = safely(() => fit(best.model));
  return extra && follows(extra) ? { members: [best.model], extraFits: [extra] } : unchanged;
}

/**
 * The long-range models' share of step h (0-based) for a backtest horizon of `window` steps:
 * 0 within it, rising linearly to 1 at twice it, so the two forecasts meet without a jump.
 * Cost: O(1).
 */
function longRangeWeight(h: number, window: number): number {
  if (window <= 0) return 0;
  return Math.min(1, Math.max(0, (h - window + 1) / window));
}

interface Run {
  model: ModelName;
  forecasts: BacktestForecasts | null;
}

/** The mean of members' backtest forecasts, on the origins all of them share. */
function combineForecasts(runs: readonly BacktestForecasts[]): BacktestForecasts | null {
  const first = runs[0];
  if (!first) return null;
  if (runs.length === 1) return first;
  if (!runs.every((r) => r.origins.length === first.origins.length)) return null;
  const size = first.mean.length;
  const mean = new Float64Array(size);
  const variance = new Float64Array(size);
  for (const r of runs) {
    for (let i = 0; i < size; i++) {
      mean[i] = (mean[i] as number) + (r.mean[i] as number) / runs.length;
      variance[i] = (variance[i] as number) + (r.variance[i] as number) / runs.length;
    }
  }
  return { ...first, mean, variance };
}

/** The mean of every candidate within {@link TRIM} of the best backtest MASE (up to {@link MAX_MEMBERS}). */
function chooseCombination(
  series: PreparedSeries,
  runs: readonly Run[],
  candidates: readonly { model: ModelName; accuracy: Accuracy | null }[],
  n: number,
): { members: ModelName[]; forecasts: BacktestForecasts } | null {
  const scored = runs
    .map((r, i) => ({ ...r, accuracy: candidates[i]!.accuracy }))
    .filter((r) => r.forecasts !== null && r.accuracy !== null && MODELS[r.model].applicable(series, n));
  if (scored.length === 0) return null;
  const key = scored.some((c) => c.accuracy?.mase !== null) ? 'mase' : 'mae';
  const ranked = scored
    .filter((c) => c.accuracy?.[key] !== null && Number.isFinite(c.accuracy?.[key] as number))
    .sort((a, b) => (a.accuracy![key] as number) - (b.accuracy![key] as number));
  if (ranked.length === 0) return null;
  // Every candidate within TRIM of the best backtest MASE, seasonal naive only if it is the best.
  const limit = (ranked[0]!.accuracy![key] as number) * TRIM;
  const members = ranked.filter((c, i) => i === 0 || (c.model !== 'seasonal-naive' && (c.accuracy![key] as number) <= limit)).slice(0, MAX_MEMBERS);
  const forecasts = combineForecasts(members.map((m) => m.forecasts!)) ?? ranked[0]!.forecasts!;
  return { members: forecasts === ranked[0]!.forecasts && members.length > 1 ? [ranked[0]!.model] : members.map((m) => m.model), forecasts };
}

/** Standardised backtest errors |y - mean| / sd, with the sd a count's spread at least (NaN skipped). */
function standardisedErrors(series: PreparedSeries, forecasts: BacktestForecasts, skipOrigin = -1): number[] {
  const errors: number[] = [];
  const { horizon } = forecasts.plan;
  for (let i = 0; i < forecasts.actual.length; i++) {
    if (Math.floor(i / horizon) === skipOrigin) continue;
    const y = forecasts.actual[i] as number;
    if (Number.isNaN(y)) continue;
    const m = forecasts.mean[i] as number;
    const v = series.kind === 'count' ? Math.max(forecasts.variance[i] as number, m, 0.25) : (forecasts.variance[i] as number);
    errors.push(v > 0 ? Math.abs(y - m) / Math.sqrt(v) : Math.abs(y - m) > 0 ? Infinity : 0);
  }
  return errors;
}

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/**
 * The conformal quantile of `sorted` (ascending) at `level`: the ⌈(n+1)·level⌉-th smallest, which
 * a new error exceeds with probability at most 1 - level when the errors are exchangeable (the
 * plain empirical quantile is biased low with few errors). Infinity when n is too small for it.
 */
function conformalQuantile(sorted: readonly number[], level: number): number {
  const rank = Math.ceil((sorted.length + 1) * level - 1e-9);
  return rank <= sorted.length ? (sorted[Math.max(0, rank - 1)] as number) : Infinity;
}

/**
 * The variance multiplier k² whose 80% range holds the conformal 80% quantile of the standardised
 * errors, shrunk towards `prior` with {@link CALIBRATION_PRIOR_WEIGHT} pseudo-errors in log scale.
 * Cost: O(e log e).
 */
function varianceMultiplier(errors: readonly number[], prior: number): number {
  const sorted = [...errors].sort((a, b) => a - b);
  const q = conformalQuantile(sorted, 0.8);
  if (!Number.isFinite(q) || q <= 0) return prior * SELECTION_MARGIN;
  const weight = sorted.length / (sorted.length + CALIBRATION_PRIOR_WEIGHT);
  // Never narrower than the model's own ranges, and a margin for the optimism of scoring the
  // chosen forecast on the very errors it was chosen by.
  return Math.max(1, Math.exp(weight * 2 * Math.log(q / Z80) + (1 - weight) * Math.log(prior))) * SELECTION_MARGIN;
}

/**
 * How much wider than a normal's the 95% range is relative to the 80% one: the conformal 95%
 * quantile of the standardised errors over their 80% quantile, divided by Z95/Z80, shrunk towards
 * {@link TAIL_PRIOR} with {@link CALIBRATION_PRIOR_WEIGHT} pseudo-errors; never below 1.
 */
function tailFactor(errors: readonly number[]): number {
  const sorted = [...errors].sort((a, b) => a - b);
  const q80 = conformalQuantile(sorted, 0.8);
  const q95 = conformalQuantile(sorted, 0.95);
  if (!(Number.isFinite(q95) && q80 > 0)) return TAIL_PRIOR;
  const weight = sorted.length / (sorted.length + CALIBRATION_PRIOR_WEIGHT);
  const observed = Math.max(1, q95 / q80 / (Z95 / Z80));
  return Math.max(1, Math.exp(weight * Math.log(observed) + (1 - weight) * Math.log(TAIL_PRIOR)));
}

/** Variance multipliers by step ahead and range level (percent). */
type Calibration = (step: number, level: number) => number;

/** A calibration with one multiplier for the 80% range and a tail factor beyond it (see {@link calibrate}). */
function withTail(at80: (step: number) => number, tail: number): Calibration {
  return (step, level) => {
    const z = normalQuantile((1 + level / 100) / 2);
    const widen = 1 + (tail - 1) * Math.max(0, (z - Z80) / (Z95 - Z80));
    return at80(step) * widen * widen;
  };
}

/**
 * Variance multipliers per step ahead and level. The 80% range: one multiplier for the first half
 * of the backtest horizon, one for the second half, each from its errors' conformal 80% quantile
 * (steps beyond the backtest horizon keep the last). Wider ranges (95%): the 80% multiplier times
 * the squared {@link tailFactor} of all the errors pooled (the tail needs every error it can get),
 * growing linearly in the normal quantile from 80% (99% ranges widen further). Levels under 80%
 * use the 80% multiplier.
 */
function calibrate(series: PreparedSeries, forecasts: BacktestForecasts, prior: number, skipOrigin = -1): Calibration {
  const { horizon } = forecasts.plan;
  const errors = standardisedErrors(series, forecasts, skipOrigin);
  const pooled = varianceMultiplier(errors, prior);
  const tail = tailFactor(errors);
  if (horizon < 4) return withTail(() => pooled, tail);
  const half = Math.ceil(horizon / 2);
  const early: number[] = [];
  const late: number[] = [];
  let k = 0;
  for (let i = 0; i < forecasts.actual.length; i++) {
    const origin = Math.floor(i / horizon);
    if (origin === skipOrigin || Number.isNaN(forecasts.actual[i])) continue;
    (i % horizon < half ? early : late).push(errors[k++] as number);
  }
  const first = early.length > 0 ? varianceMultiplier(early, pooled) : pooled;
  const second = Math.max(first, late.length > 0 ? varianceMultiplier(late, pooled) : pooled);
  return withTail((step) => (step < half ? first : second), tail);
}

/**
 * Backtest accuracy of the chosen forecast with calibrated ranges, where each origin's coverage
 * uses the calibration estimated from the other origins (leave one origin out), so the stated
 * coverage is not flattered by calibrating on the errors it scores.
 */
function honestAccuracy(series: PreparedSeries, forecasts: BacktestForecasts, prior: number): Accuracy {
  const origins = forecasts.origins.length;
  if (origins < 2) {
    const all = calibrate(series, forecasts, prior);
    return scoreBacktest(series, forecasts, (step, _origin, level) => all(step, level));
  }
  const perOrigin = Array.from({ length: origins }, (_, o) => calibrate(series, forecasts, prior, o));
  return scoreBacktest(series, forecasts, (step, origin, level) => perOrigin[origin]!(step, level));
}

/**
 * The everyday name of a seasonal cycle of `period` steps at this frequency ('weekly' for 7 at
 * daily, 'daily' for 48 at half-hourly, 'yearly' for 12 at monthly), else `<period>-step`.
 * Cost: O(1).
 * A period matching no everyday cycle gives its steps ('0-step' for 0); it never throws.
 *
 * @example
 * patternName(365.25, 'daily'); // 'yearly'
 */
export function patternName(period: number, frequency: Frequency): SeasonalPattern {
  const stepsPerDay: Partial<Record<Frequency, number>> = { 'quarter-hourly': 96, 'half-hourly': 48, hourly: 24, daily: 1 };
  const perDay = stepsPerDay[frequency];
  if (perDay !== undefined) {
    const days = period / perDay;
    if (Math.abs(days - 1) < 1e-9) return 'daily';
    if (Math.abs(days - 7) < 1e-9) return 'weekly';
    if (days >= 28 && days <= 31) return 'monthly';
    if (days >= 364 && days <= 366) return 'yearly';
  }
  if (frequency === 'weekly' && period >= 52 && period <= 53) return 'yearly';
  if (frequency === 'monthly' && period === 12) return 'yearly';
  if (frequency === 'quarterly' && period === 4) return 'yearly';
  return `${Math.round(period * 100) / 100}-step`;
}

/** A candidate that fails on a degenerate history drops out instead of failing the forecast. */
function safely<T>(run: () => T | null): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

function closedPredicate(closed: ClosedSteps | undefined): (date: string) => boolean {
  if (closed === undefined) return () => false;
  if (typeof closed === 'function') return closed;
  return (date) => closed.has(date);
}
