import type { Rng } from '../prng.js';
import { type EtsModel, fitEtsModel, refitEts, selectEts } from './ets-family.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, thinCycleShare, toKind } from './series-statistics.js';
import { interpolateMissing } from './theta.js';

/**
 * Loess smoothing of y[0, n) at integer positions (Cleveland et al. 1990, the STL Fortran's
 * `est`): q nearest points, tricube weights, local constant (degree 0) or linear (degree 1) fit.
 * Evaluated every `jump` points and at the last one, linearly interpolated between.
 * `out[k]` is the smooth at position `from + k` for k < count (positions may lie outside [0, n)
 * for the one-step extrapolation STL needs). Cost: O(count/jump · q).
 */
function loess(y: Float64Array, n: number, q: number, degree: 0 | 1, jump: number, from: number, count: number, out: Float64Array, outOffset: number): void {
  const step = Math.max(1, jump);
  const interior = q < n ? interiorWindow(q, degree) : null;
  let previous = -1;
  for (let k = 0; k < count; k += step) {
    out[outOffset + k] = smoothAt(y, n, q, degree, from + k, interior);
    if (previous >= 0) interpolate(out, outOffset, previous, k);
    previous = k;
  }
  if (previous !== count - 1 && count > 0) {
    out[outOffset + count - 1] = smoothAt(y, n, q, degree, from + count - 1, interior);
    if (previous >= 0) interpolate(out, outOffset, previous, count - 1);
  }
}

/**
 * {@link loessAt}, through the interior window when x's q nearest points are centred on it (its
 * window inside [0, n)): the same weights and weight sums, computed once per smooth.
 */
function smoothAt(y: Float64Array, n: number, q: number, degree: 0 | 1, x: number, interior: InteriorWindow | null): number {
  const left = x - Math.floor((q - 1) / 2);
  return interior && left >= 0 && left <= n - q ? interiorSmooth(y, n, degree, x, interior) : loessAt(y, n, q, degree, x);
}

/** Tricube weight of a point at distance r (r <= 0.999h); points within 0.001h weigh 1, as R's loess. */
function tricube(r: number, h1: number, inverseH: number): number {
  if (r <= h1) return 1;
  const u = r * inverseH;
  const c = 1 - u * u * u;
  return c * c * c;
}

/**
 * Tricube weights for a loess half-width h at the integer distances r = 0..⌊0.999h⌋ (points
 * beyond weigh nothing), as w and, at signed offsets d = r and -r, w·d and w·d²: positions and
 * windows are whole steps, so a few tables serve every smooth. Index r for w, reach + d for the rest.
 */
interface TricubeTable {
  /** Largest distance with a weight (⌊0.999h⌋ or less). */
  reach: number;
  w: Float64Array;
  wd: Float64Array;
  wdd: Float64Array;
}

/** Tables by half-width, up to {@link TABLED_WIDTHS} (an array: short subseries alternate widths call by call). */
const TABLED_WIDTHS = 4096;
const tricubeTables: (TricubeTable | undefined)[] = new Array<TricubeTable | undefined>(TABLED_WIDTHS);

function tricubeTable(h: number): TricubeTable {
  const cached = h < TABLED_WIDTHS ? tricubeTables[h] : undefined;
  if (cached) return cached;
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  const inverseH = 1 / h;
  let reach = -1;
  while (reach + 1 <= h9) reach++;
  const w = new Float64Array(reach + 1);
  const wd = new Float64Array(2 * reach + 1);
  const wdd = new Float64Array(2 * reach + 1);
  for (let r = 0; r <= reach; r++) {
    const weight = tricube(r, h1, inverseH);
    w[r] = weight;
    for (const d of r === 0 ? [0] : [-r, r]) {
      const product = weight * d;
      wd[reach + d] = product;
      wdd[reach + d] = product * d;
    }
  }
  const table = { reach, w, wd, wdd };
  if (h < TABLED_WIDTHS) tricubeTables[h] = table;
  return table;
}

/**
 * The loess smooth of y[0, n) at position x (see {@link loess}). One pass over the window: the
 * local linear fit Σ wᵢ(1 + slope·(jᵢ - a))yᵢ / Σw is expanded into weighted sums. The weights
 * come from {@link tricubeTable} (the same numbers as computing them point by point). Cost O(q).
 */
function loessAt(y: Float64Array, n: number, q: number, degree: 0 | 1, x: number): number {
  let left: number;
  let right: number;
  if (q >= n) {
    left = 0;
    right = n - 1;
  } else {
    left = Math.max(0, Math.min(n - q, Math.round(x) - Math.floor((q - 1) / 2)));
    right = left + q - 1;
  }
  let h = Math.max(x - left, right - x);
  if (q > n) h += Math.floor((q - n) / 2);
  // Positions are whole steps, so distances |j - x| are too: a table lookup per point.
  const { reach, w, wd, wdd } = tricubeTable(h);
  const from = Math.max(left, x - reach);
  const to = Math.min(right, x + reach);
  // Positions relative to x keep the sums small (no cancellation from j² at long series).
  let sumW = 0;
  let sumWd = 0;
  let sumWdd = 0;
  let sumWy = 0;
  let sumWdy = 0;
  if (degree === 0) {
    for (let j = from; j <= to; j++) {
      const weight = w[j < x ? x - j : j - x] as number;
      sumW += weight;
      sumWy += weight * (y[j] as number);
    }
  } else {
    for (let j = from, index = from - x + reach; j <= to; j++, index++) {
      const weight = w[j < x ? x - j : j - x] as number;
      const weightD = wd[index] as number;
      const yj = y[j] as number;
      sumW += weight;
      sumWy += weight * yj;
      sumWd += weightD;
      sumWdd += wdd[index] as number;
      sumWdy += weightD * yj;
    }
  }
  return finishLoess(y, n, degree, x, h, sumW, sumWd, sumWdd, sumWy, sumWdy);
}

/** The local fit at x from the window's weighted sums (see {@link loessAt}). */
function finishLoess(
  y: Float64Array,
  n: number,
  degree: 0 | 1,
  x: number,
  h: number,
  sumW: number,
  sumWd: number,
  sumWdd: number,
  sumWy: number,
  sumWdy: number,
): number {
  if (sumW <= 0) return y[Math.max(0, Math.min(n - 1, Math.round(x)))] as number;
  if (degree === 1 && h > 0) {
    // With d = j - x: a - x = Σwd/Σw, b = Σw(j - a)²/Σw, fit = Σwy/Σw + slope·(Σwdy/Σw - (a - x)·Σwy/Σw), slope = (x - a)/b.
    const meanD = sumWd / sumW;
    const b = sumWdd / sumW - meanD * meanD;
    if (Math.sqrt(Math.max(0, b)) > 0.001 * (n - 1)) {
      const slope = -meanD / b;
      const meanY = sumWy / sumW;
      return meanY + slope * (sumWdy / sumW - meanD * meanY);
    }
  }
  return sumWy / sumW;
}

/** The window of an interior position x: offsets [first, last] from x with weight, and the weight sums (they do not depend on y). */
interface InteriorWindow {
  h: number;
  first: number;
  last: number;
  table: TricubeTable;
  sumW: number;
  sumWd: number;
  sumWdd: number;
}

/**
 * The window {@link loessAt} uses at a position x with x - ⌊(q - 1)/2⌋ in [0, n - q]: the same
 * points relative to x, hence the same weights and weight sums (summed in the same order).
 */
function interiorWindow(q: number, degree: 0 | 1): InteriorWindow {
  const half = Math.floor((q - 1) / 2);
  const h = Math.max(half, q - 1 - half);
  const table = tricubeTable(h);
  const first = Math.max(-half, -table.reach);
  const last = Math.min(q - 1 - half, table.reach);
  let sumW = 0;
  let sumWd = 0;
  let sumWdd = 0;
  for (let d = first; d <= last; d++) {
    sumW += table.w[d < 0 ? -d : d] as number;
    if (degree === 1) {
      sumWd += table.wd[table.reach + d] as number;
      sumWdd += table.wdd[table.reach + d] as number;
    }
  }
  return { h, first, last, table, sumW, sumWd, sumWdd };
}

/** {@link loessAt} at an interior position x (see {@link interiorWindow}): only the sums over y remain. */
function interiorSmooth(y: Float64Array, n: number, degree: 0 | 1, x: number, window: InteriorWindow): number {
  const { first, last, table } = window;
  const { w, wd, reach } = table;
  let sumWy = 0;
  let sumWdy = 0;
  if (degree === 0) {
    for (let d = first; d <= last; d++) sumWy += (w[d < 0 ? -d : d] as number) * (y[x + d] as number);
  } else {
    for (let d = first; d <= last; d++) {
      const yj = y[x + d] as number;
      sumWy += (w[d < 0 ? -d : d] as number) * yj;
      sumWdy += (wd[reach + d] as number) * yj;
    }
  }
  return finishLoess(y, n, degree, x, window.h, window.sumW, window.sumWd, window.sumWdd, sumWy, sumWdy);
}

function interpolate(out: Float64Array, offset: number, a: number, b: number): void {
  const va = out[offset + a] as number;
  const vb = out[offset + b] as number;
  for (let k = a + 1; k < b; k++) out[offset + k] = va + ((vb - va) * (k - a)) / (b - a);
}

/** Moving average of length `length` over x[0, n): n - length + 1 values, into `out`. */
function movingAverage(x: Float64Array, n: number, length: number, out: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += x[i] as number;
  out[0] = sum / length;
  for (let i = length; i < n; i++) {
    sum += (x[i] as number) - (x[i - length] as number);
    out[i - length + 1] = sum / length;
  }
  return out;
}

const nextOdd = (x: number): number => {
  const r = Math.round(x);
  return r % 2 === 0 ? r + 1 : r;
};

/** STL decomposition of one seasonal period. */
export interface StlResult {
  seasonal: Float64Array;
  trend: Float64Array;
}

/**
 * STL (Cleveland, Cleveland, McRae & Terpenning 1990) with R's `stl()` defaults for a numeric
 * s.window: seasonal degree 0, trend degree 1, t.window = nextodd(1.5·period / (1 - 1.5/s.window)),
 * l.window = nextodd(period), jumps of a tenth of each window, 2 inner passes, no robustness
 * iterations. `x` must hold no NaN and at least two periods. Cost: O(n·(s.window + passes)).
 * An empty `x` gives empty seasonal and trend arrays.
 *
 * @example
 * stl(Float64Array.from(values), 12, 11).seasonal;
 */
export function stl(x: Float64Array, period: number, seasonalWindow: number): StlResult {
  const n = x.length;
  const np = period;
  const ns = Math.max(3, nextOdd(seasonalWindow));
  const nt = Math.max(3, nextOdd(Math.ceil((1.5 * np) / (1 - 1.5 / ns))));
  const nl = Math.max(3, nextOdd(np));
  const sJump = Math.ceil(ns / 10);
  const tJump = Math.ceil(nt / 10);
  const lJump = Math.ceil(nl / 10);
  const trend = new Float64Array(n);
  const seasonal = new Float64Array(n);
  const cycle = new Float64Array(n + 2 * np);
  const work = new Float64Array(n);
  const sub = new Float64Array(Math.ceil(n / np) + 2);
  const subOut = new Float64Array(Math.ceil(n / np) + 2);
  const ma1 = new Float64Array(n + np + 1);
  const ma2 = new Float64Array(n + 2);
  const ma3 = new Float64Array(n);
  const low = new Float64Array(n);
  for (let pass = 0; pass < 2; pass++) {
    for (let t = 0; t < n; t++) work[t] = (x[t] as number) - (trend[t] as number);
    // Cycle-subseries smoothing, one step extrapolated at each end.
    for (let phase = 0; phase < np; phase++) {
      let k = 0;
      for (let t = phase; t < n; t += np) sub[k++] = work[t] as number;
      loess(sub, k, ns, 0, sJump, 0, k, subOut, 1);
      subOut[0] = loessAt(sub, k, ns, 0, -1);
      subOut[k + 1] = loessAt(sub, k, ns, 0, k);
      for (let i = 0; i < k + 2; i++) cycle[phase + i * np] = subOut[i] as number;
    }
    // Low-pass filter of the cycle series: MA(np), MA(np), MA(3), loess(nl).
    movingAverage(cycle, n + 2 * np, np, ma1);
    movingAverage(ma1, n + np + 1, np, ma2);
    movingAverage(ma2, n + 2, 3, ma3);
    loess(ma3, n, nl, 1, lJump, 0, n, low, 0);
    for (let t = 0; t < n; t++) seasonal[t] = (cycle[t + np] as number) - (low[t] as number);
    for (let t = 0; t < n; t++) work[t] = (x[t] as number) - (seasonal[t] as number);
    loess(work, n, nt, 1, tJump, 0, n, trend, 0);
  }
  return { seasonal, trend };
}

/** MSTL decomposition: a seasonal component per period plus the seasonally adjusted rest. */
export interface MstlResult {
  periods: number[];
  seasonals: Float64Array[];
  adjusted: Float64Array;
}

/**
 * MSTL (Bandara, Hyndman & Bergmeir 2021), as R's `mstl()`: STL for each period in turn,
 * shortest first (periods rounded to whole steps), s.window = 7 + 4·k for the k-th, two
 * iterations when there are several periods. Periods without two full cycles are left out
 * (an empty input gives no period and an empty adjusted series). Cost: O(iterations · Σ STL).
 *
 * @example
 * mstl(Float64Array.from(halfHourly), [48, 336]).seasonals.length; // 2 with three weeks of data
 */
export function mstl(x: Float64Array, periods: readonly number[]): MstlResult {
  const n = x.length;
  const usable = [...new Set(periods.map((p) => Math.round(p)))].filter((p) => p > 1 && n >= 2 * p).sort((a, b) => a - b);
  const seasonals = usable.map(() => new Float64Array(n));
  const adjusted = Float64Array.from(x);
  const iterations = usable.length > 1 ? 2 : 1;
  for (let it = 0; it < iterations; it++) {
    usable.forEach((period, k) => {
      const season = seasonals[k] as Float64Array;
      for (let t = 0; t < n; t++) adjusted[t] = (adjusted[t] as number) + (season[t] as number);
      const fit = stl(adjusted, period, 7 + 4 * (k + 1));
      season.set(fit.seasonal);
      for (let t = 0; t < n; t++) adjusted[t] = (adjusted[t] as number) - (season[t] as number);
    });
  }
  return { periods: usable, seasonals, adjusted };
}

/** Fourier harmonics for a long cycle observed between one and two times. */
const THIN_HARMONICS = 4;

/**
 * A long cycle (e.g. yearly on daily data) seen between one and two times cannot go through STL.
 * Fits K = 4 Fourier harmonics plus a straight line to the adjusted series by least squares and
 * shrinks the seasonal part towards flat by {@link thinCycleShare} (as the seasonal regression
 * does): 13 months of daily data keep ~29% of the fitted yearly shape, 23 months ~95%.
 * Returns the seasonal part over [0, n + horizon) via `at(t)`, or null when it cannot be fitted.
 */
function thinCycle(adjusted: Float64Array, period: number): { at(t: number): number; weight: number } | null {
  const n = adjusted.length;
  const weight = thinCycleShare(period, n);
  if (weight <= 0) return null;
  const p = 2 + 2 * THIN_HARMONICS;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  const fill = (t: number): void => {
    row[0] = 1;
    row[1] = t / n;
    for (let k = 1; k <= THIN_HARMONICS; k++) {
      const angle = (2 * Math.PI * k * t) / period;
      row[2 * k] = Math.sin(angle);
      row[2 * k + 1] = Math.cos(angle);
    }
  };
  for (let t = 0; t < n; t++) {
    fill(t);
    const y = adjusted[t] as number;
    for (let i = 0; i < p; i++) {
      b[i] = (b[i] as number) + (row[i] as number) * y;
      for (let j = 0; j < p; j++) a[i * p + j] = (a[i * p + j] as number) + (row[i] as number) * (row[j] as number);
    }
  }
  for (let i = 2; i < p; i++) a[i * p + i] = (a[i * p + i] as number) + 1e-6 * n;
  const coefficients = solve(a, b, p);
  if (!coefficients) return null;
  return {
    weight,
    at(t: number): number {
      fill(t);
      let s = 0;
      for (let i = 2; i < p; i++) s += (row[i] as number) * (coefficients[i] as number);
      return weight * s;
    },
  };
}

/** Gaussian elimination with partial pivoting; null when singular. Cost O(p³). */
function solve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r * p + c] as number) > Math.abs(m[pivot * p + c] as number)) pivot = r;
    if (Math.abs(m[pivot * p + c] as number) < 1e-12) return null;
    if (pivot !== c) {
      for (let k = 0; k < p; k++) {
        const tmp = m[c * p + k] as number;
        m[c * p + k] = m[pivot * p + k] as number;
        m[pivot * p + k] = tmp;
      }
      const tmp = x[c] as number;
      x[c] = x[pivot] as number;
      x[pivot] = tmp;
    }
    for (let r = c + 1; r < p; r++) {
      const f = (m[r * p + c] as number) / (m[c * p + c] as number);
      if (f === 0) continue;
      for (let k = c; k < p; k++) m[r * p + k] = (m[r * p + k] as number) - f * (m[c * p + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let r = p - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let k = r + 1; k < p; k++) s -= (m[r * p + k] as number) * (x[k] as number);
    x[r] = s / (m[r * p + r] as number);
  }
  return x;
}

/**
 * Guerrero-style choice between no transform and the log: the log when the series is positive
 * and the within-cycle spread grows with the cycle mean (slope of log sd on log mean > 0.5).
 * Cost O(n).
 * An empty (or non-positive) series gives false.
 *
 * @example
 * preferLog(Float64Array.from(airPassengers), 12); // true: the swings grow with the level
 */
export function preferLog(x: Float64Array, m: number): boolean {
  if (!x.every((v) => v > 0)) return false;
  const block = Math.max(2, m > 1 ? m : 8);
  const logMeans: number[] = [];
  const logSds: number[] = [];
  for (let start = 0; start + block <= x.length; start += block) {
    let sum = 0;
    let sumSquares = 0;
    for (let t = start; t < start + block; t++) {
      sum += x[t] as number;
      sumSquares += (x[t] as number) ** 2;
    }
    const mean = sum / block;
    const sd = Math.sqrt(Math.max(0, sumSquares / block - mean * mean));
    if (sd > 0) {
      logMeans.push(Math.log(mean));
      logSds.push(Math.log(sd));
    }
  }
  if (logMeans.length < 4) return false;
  const k = logMeans.length;
  const mx = logMeans.reduce((s, v) => s + v, 0) / k;
  const my = logSds.reduce((s, v) => s + v, 0) / k;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += ((logMeans[i] as number) - mx) ** 2;
    sxy += ((logMeans[i] as number) - mx) * ((logSds[i] as number) - my);
  }
  // A level range under 10% tells nothing about how spread scales with level.
  if (sxx / k < 0.0025) return false;
  return sxy / sxx > 0.5;
}

interface StlFit extends FittedModel {
  readonly ets: EtsModel;
  readonly log: boolean;
}

/**
 * STL/MSTL forecasting, as R's `stlf`: the series (log-transformed when its seasonal swings grow
 * with the level, see {@link preferLog}) is decomposed by {@link mstl} into one seasonal part per
 * period with two full cycles, the seasonally adjusted rest is forecast by automatic
 * non-seasonal ETS (ANN, AAdN by AICc), and each seasonal part continues as its last cycle
 * (seasonal naive). A long cycle seen between one and two times (13-23 months of daily data)
 * gets a Fourier shape shrunk towards flat instead (see thinCycle). Missing values are
 * interpolated first. With `previous` (backtest warm start) the ETS type and parameters are
 * reused. Back-transformed forecasts of the log are medians.
 *
 * Cost: O(n·(s.window + t.window/jump)) per STL pass, plus the ETS fits: ~1-4 ms for three years
 * of daily data.
 * Not applicable to an empty series (fewer than 6 observed values): the automatic choice skips it.
 *
 * @example
 * stlModel.fit(prepareSeries(counts, [7, 365.25]), counts.length).forecast(28).mean;
 */
export const stlModel: ModelSpec = {
  name: 'stl',
  applicable: (series, length) => countObserved(series.values, length) >= 6,
  fit: (series: PreparedSeries, length: number, previous?: FittedModel): FittedModel => fitStl(series, length, previous as StlFit | undefined),
};

function fitStl(series: PreparedSeries, length: number, previous?: StlFit): StlFit {
  const raw = interpolateMissing(series.values, length);
  const m = Math.round(series.periods[0] ?? 1);
  // A warm start keeps the earlier choice, unless a value <= 0 has since appeared.
  const log = previous ? previous.log && raw.every((v) => v > 0) : preferLog(raw, m);
  const x = log ? raw.map(Math.log) : raw;
  const decomposition = mstl(x, series.periods);
  const adjusted = decomposition.adjusted;
  // Long cycles with one to two cycles of history: shrunk Fourier shape.
  const thin = series.periods
    .filter((p) => p > 2 && length >= p + 1 && length < 2 * p && Math.round(p) >= 2 * Math.round(series.periods[0] ?? 1) && p > 30)
    .map((period) => ({ period, fit: thinCycle(adjusted, period) }))
    .filter((c): c is { period: number; fit: { at(t: number): number; weight: number } } => c.fit !== null);
  for (const { fit } of thin) for (let t = 0; t < length; t++) adjusted[t] = (adjusted[t] as number) - fit.at(t);

  const ets =
    (previous && previous.log === log && refitEts(adjusted, length, previous.ets)) ||
    selectEts(adjusted, length, 1, { multiplicative: false, types: NON_SEASONAL }) ||
    fitEtsModel(adjusted, length, NON_SEASONAL[0], 1, { parameters: { alpha: 0.3, beta: 0, gamma: 0, phi: 1, level0: adjusted[0] ?? 0, trend0: 0 } });
  if (!ets) throw new RangeError('STL: the seasonally adjusted series has no finite value');
  const count = series.kind === 'count';
  const seasonAt = (h: number): number => {
    let s = 0;
    decomposition.periods.forEach((period, k) => {
      const season = decomposition.seasonals[k] as Float64Array;
      const cyclesBack = Math.ceil(h / period);
      s += season[length + h - 1 - cyclesBack * period] as number;
    });
    for (const { fit } of thin) s += fit.at(length + h - 1);
    return s;
  };
  const back = (v: number): number => (log ? Math.exp(v) : v);
  const periodsUsed = [...series.periods.filter((p) => decomposition.periods.includes(Math.round(p))), ...thin.map((c) => c.period)];
  return {
    ets,
    log,
    periodsUsed,
    forecast(horizon: number): ForecastMoments {
      const base = ets.forecast(horizon);
      const mean = new Float64Array(horizon);
      const variance = new Float64Array(horizon);
      for (let h = 1; h <= horizon; h++) {
        const centre = (base.mean[h - 1] as number) + seasonAt(h);
        const v = base.variance[h - 1] as number;
        if (log) {
          // Median exp(μ); variance of the log-normal around it.
          mean[h - 1] = Math.exp(centre);
          variance[h - 1] = Math.exp(2 * centre) * Math.expm1(v) * Math.exp(v);
        } else {
          mean[h - 1] = centre;
          variance[h - 1] = v;
        }
      }
      return { mean, variance };
    },
    simulate(horizon: number, rng: Rng): Float64Array {
      const path = ets.simulate(horizon, rng);
      for (let h = 1; h <= horizon; h++) path[h - 1] = toKind(back((path[h - 1] as number) + seasonAt(h)), count);
      return path;
    },
  };
}

const NON_SEASONAL = [
  { error: 'A', trend: 'N', season: 'N' },
  { error: 'A', trend: 'Ad', season: 'N' },
] as const;
