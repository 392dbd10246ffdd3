import { cholesky, choleskySolve, inverseQuadraticForm, solveTransposed } from '../linear-algebra.js';
import type { Rng } from '../prng.js';
import { sampleNegativeBinomial, sampleNormal } from '../sampling.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, meanOf, thinCycleShare } from './series-statistics.js';

/** Per-step damping of the trend beyond the data, as in damped exponential smoothing. */
const TREND_DAMPING = 0.98;
/** Harmonics per long cycle (yearly, hour-of-week): smooth enough not to chase noise. */
const FOURIER_HARMONICS = 6;
/** Cycles up to this length get one dummy per phase; longer ones Fourier terms. */
const MAX_DUMMY_PERIOD = 24;
/** Long cycles (Fourier terms) above this many steps enter, shrunk, from one cycle of history (as in STL). */
const MIN_THIN_PERIOD = 30;
/** Pearson residuals beyond this get Huber weights, so outliers pull less. */
const HUBER = 3;
/** Prior precision on every coefficient but the intercept: keeps never-observed phases finite. */
const RIDGE = 0.01;
/** IRLS stops when no coefficient moves by more than this. */
const CONVERGED = 1e-3;
/**
 * Largest standard deviation of a count forecast's log mean from coefficient uncertainty. A phase
 * never seen above zero (a weekday the practice is always closed on, undeclared) has a coefficient
 * the ridge keeps finite but barely determined: unbounded, its draws put thousands of leads on a
 * Sunday in a few sample paths, and a month's simulated total with them.
 */
const MAX_LOG_MEAN_SD = 0.5;

/** The regressors: which seasonal terms the training window can support. */
interface Design {
  /** Seasonal dummies: one period per entry, m - 1 columns each (phase 0 is the reference). */
  dummies: number[];
  /** Fourier cycles: one period per entry, 2·harmonics columns each. */
  fourier: { period: number; harmonics: number }[];
  trend: boolean;
  columns: number;
  /** Identifies the columns (not the shrinkage): fits with the same key share design rows and warm starts. */
  key: string;
  /**
   * Per column, the prior precision on its coefficient relative to the data's information on it
   * ((1 - w)/w for a cycle seen between one and two times, keeping a share w of its shape; see
   * thinCycleWeight), or null when no column is shrunk.
   */
  relativePenalty: Float64Array | null;
}

interface RegressionFit extends FittedModel {
  readonly design: Design;
  readonly coefficients: Float64Array;
  readonly length: number;
}

/**
 * Seasonal regression: log-mean (counts) or mean (continuous values) = intercept + damped
 * linear trend + a dummy per phase of short cycles (day of week, month of year, hour of day) +
 * Fourier terms for long ones (yearly on daily or weekly data, hour of week on hourly data).
 *
 * Counts use a negative binomial likelihood (variance μ + αμ², α by moments each iteration),
 * fitted by IRLS with Huber weights on Pearson residuals; continuous series the same with a
 * Gaussian likelihood on standardised values. A term enters once the window holds two of its
 * cycles, except a long cycle (over 30 steps: yearly on daily or weekly data, hour of week on
 * hourly data), which enters from just over one cycle (13 months of daily data) with its Fourier
 * coefficients shrunk towards flat by STL's rule (a share w = √(length/period − 1) of the fitted
 * shape is kept, see thinCycleWeight; periodsUsed then includes it); the trend after 2·m steps. Beyond the data
 * the trend is damped by 0.98 per step. Predictive variance adds coefficient uncertainty to the
 * noise by the delta method: count μ + αμ² + μ²·xᵀΣx, continuous σ²(1 + xᵀΣx).
 *
 * Cost: O(n·k²) per IRLS iteration (k <= p ~ 30 non-zero regressors a row; 4-10 iterations, ~2 when warm-started from
 * `previous`), O(h·p²) to forecast. Needs 3 observed values.
 * Not applicable to an empty series (fewer than 3 observed values): the automatic choice skips it.
 *
 * @example
 * seasonalRegression.fit(prepareSeries(counts, [7, 365.25]), counts.length).forecast(28).mean;
 */
export const seasonalRegression: ModelSpec = {
  name: 'regression',
  applicable: (series, length) => countObserved(series.values, length) >= 3,
  fit: (series, length, previous) => fitRegression(series, length, previous as RegressionFit | undefined),
};

/**
 * The share of a cycle's fitted shape kept: 1 from two cycles on; for a long cycle (over 30 steps)
 * seen between one and two times, STL's share ({@link thinCycleShare}), so the two models agree;
 * 0 otherwise. Cost: O(1).
 */
function thinCycleWeight(period: number, length: number): number {
  if (length >= 2 * period) return 1;
  if (period <= MIN_THIN_PERIOD) return 0;
  return thinCycleShare(period, length);
}

function chooseDesign(periods: readonly number[], length: number): Design {
  const dummies: number[] = [];
  const fourier: { period: number; harmonics: number }[] = [];
  const weights: number[] = [];
  for (const period of periods) {
    if (period <= MAX_DUMMY_PERIOD && Number.isInteger(period)) {
      if (length >= 2 * period) dummies.push(period);
      continue;
    }
    const weight = thinCycleWeight(period, length);
    if (weight <= 0) continue;
    fourier.push({ period, harmonics: Math.min(FOURIER_HARMONICS, Math.floor(period / 2)) });
    weights.push(weight);
  }
  const trend = length >= Math.max(10, 2 * Math.round(periods[0] ?? 1));
  const columns = 1 + (trend ? 1 : 0) + dummies.reduce((s, m) => s + m - 1, 0) + fourier.reduce((s, f) => s + 2 * f.harmonics, 0);
  const key = JSON.stringify([dummies, fourier, trend]);
  // A cycle seen between one and two times gets a ridge prior on its Fourier coefficients whose
  // precision is (1 - w)/w times the data's information on each (re-evaluated at each IRLS step):
  // for terms orthogonal to the rest, as Fourier terms over a full cycle nearly are, the posterior
  // mean is then w times the unpenalised fit, the shrinkage STL applies to its thin cycles, while
  // the level, trend and weekday terms are fitted given the shrunk shape (scaling the fitted shape
  // afterwards would leave them fitted to the full one). w = 1 (two cycles or more) adds nothing.
  let relativePenalty: Float64Array | null = null;
  if (weights.some((w) => w < 1)) {
    relativePenalty = new Float64Array(columns);
    let c = columns - fourier.reduce((s, f) => s + 2 * f.harmonics, 0);
    fourier.forEach(({ harmonics }, i) => {
      const w = weights[i] as number;
      relativePenalty!.fill((1 - w) / w, c, c + 2 * harmonics);
      c += 2 * harmonics;
    });
  }
  return { dummies, fourier, trend, columns, key, relativePenalty };
}

/** Fills `row` with the regressors of step t; `trendValue` is the (possibly damped) trend. */
function fillRow(design: Design, t: number, trendValue: number, row: Float64Array): void {
  row.fill(0);
  let c = 0;
  row[c++] = 1;
  if (design.trend) row[c++] = trendValue;
  for (const m of design.dummies) {
    const phase = t % m;
    if (phase > 0) row[c + phase - 1] = 1;
    c += m - 1;
  }
  for (const { period, harmonics } of design.fourier) {
    for (let k = 1; k <= harmonics; k++) {
      const angle = (2 * Math.PI * k * t) / period;
      row[c++] = Math.sin(angle);
      row[c++] = Math.cos(angle);
    }
  }
}

function fitRegression(series: PreparedSeries, length: number, previous?: RegressionFit): RegressionFit {
  const { values } = series;
  const design = chooseDesign(series.periods, length);
  const p = design.columns;
  const logLink = series.kind === 'count';
  // Continuous values are standardised so that the ridge prior means the same on any scale.
  const centre = logLink ? 0 : meanOf(values, 0, length);
  const spread = logLink
    ? 1
    : Math.sqrt(
        meanOf(
          values.map((v) => (v - centre) ** 2),
          0,
          length,
        ),
      ) || 1;

  const { rows: x, times } = designRows(series, design);
  let observed = 0;
  while (observed < times.length && (times[observed] as number) < length) observed++;
  // The trend regressor is t / length: rescale the shared rows for this fit (entry 1 after the
  // intercept; t = 0 has no trend entry since its value is 0).
  if (design.trend) {
    for (let i = 0; i < observed; i++) if ((times[i] as number) > 0) x.values[i * p + 1] = (times[i] as number) / length;
  }
  const y = new Float64Array(observed);
  for (let i = 0; i < observed; i++) {
    const v = values[times[i] as number] as number;
    y[i] = logLink ? v : (v - centre) / spread;
  }

  const start = new Float64Array(p);
  const warm = previous !== undefined && previous.design.key === design.key;
  if (warm) {
    start.set(previous.coefficients);
    if (design.trend) start[1] = (start[1] as number) * (length / previous.length);
  } else if (logLink) {
    start[0] = Math.log(meanOf(values, 0, length) + 0.1);
  }
  const { beta: coefficients, alpha, sigma2, factor } = irls(x, y, p, logLink, start, warm, design.relativePenalty);
  const precisionFactor = factor;
  const count = logLink;

  /** Regressors of steps 1..horizon ahead (row h - 1), the trend continuing damped; kept for the sample paths. */
  let future = new Float64Array(0);
  const futureRows = (horizon: number): Float64Array => {
    if (future.length < horizon * p) {
      future = new Float64Array(horizon * p);
      for (let h = 1; h <= horizon; h++) {
        const damped = (TREND_DAMPING * (1 - TREND_DAMPING ** h)) / (1 - TREND_DAMPING);
        fillRow(design, length - 1 + h, (length - 1 + damped) / length, future.subarray((h - 1) * p, h * p));
      }
    }
    return future;
  };
  /** Coefficient variance xᵀΣx of steps 1..horizon ahead (Σ in units of σ² for the Gaussian likelihood). */
  let futureQuadratic = new Float64Array(0);
  const quadraticAhead = (horizon: number): Float64Array => {
    if (futureQuadratic.length < horizon) {
      const rows = futureRows(horizon);
      futureQuadratic = Float64Array.from({ length: horizon }, (_, h) =>
        precisionFactor ? inverseQuadraticForm(precisionFactor, rows.subarray(h * p, (h + 1) * p), p) : 0,
      );
    }
    return futureQuadratic;
  };
  /**
   * Per step ahead, for the sample paths: the estimate's linear predictor, and the factor on a
   * coefficient draw's shift of it (1, or less where a count's log-mean spread is capped, see
   * MAX_LOG_MEAN_SD). Computed once: every path of the forecast reuses them.
   */
  let pathTerms = { eta: new Float64Array(0), shiftScale: new Float64Array(0) };
  const pathTermsAhead = (horizon: number): typeof pathTerms => {
    if (pathTerms.eta.length < horizon) {
      const rows = futureRows(horizon);
      const quadratics = quadraticAhead(horizon);
      const eta = new Float64Array(horizon);
      const shiftScale = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) {
        eta[h] = linear(rows.subarray(h * p, (h + 1) * p), coefficients);
        const quadratic = quadratics[h] as number;
        shiftScale[h] = count && quadratic > MAX_LOG_MEAN_SD * MAX_LOG_MEAN_SD ? MAX_LOG_MEAN_SD / Math.sqrt(quadratic) : 1;
      }
      pathTerms = { eta, shiftScale };
    }
    return pathTerms;
  };
  const linear = (row: Float64Array, coefficients: ArrayLike<number>): number => {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += (row[j] as number) * (coefficients[j] as number);
    return eta;
  };

  return {
    design,
    periodsUsed: series.periods.filter((period) => design.dummies.includes(period) || design.fourier.some((f) => f.period === period)),
    coefficients,
    length,
    forecast(horizon: number): ForecastMoments {
      const mean = new Float64Array(horizon);
      const variance = new Float64Array(horizon);
      const rows = futureRows(horizon);
      const quadratics = quadraticAhead(horizon);
      for (let h = 1; h <= horizon; h++) {
        const row = rows.subarray((h - 1) * p, h * p);
        const quadratic = quadratics[h - 1] as number;
        const q = count ? Math.min(quadratic, MAX_LOG_MEAN_SD * MAX_LOG_MEAN_SD) : quadratic * sigma2;
        const eta = linear(row, coefficients);
        if (count) {
          const m = Math.exp(Math.min(30, eta));
          mean[h - 1] = m;
          variance[h - 1] = m + alpha * m * m + m * m * q;
        } else {
          mean[h - 1] = centre + spread * eta;
          variance[h - 1] = spread * spread * (sigma2 + q);
        }
      }
      return { mean, variance };
    },
    simulate(horizon: number, rng: Rng): Float64Array {
      const path = new Float64Array(horizon);
      // One coefficient draw per path: its deviation from the estimate, applied step by step.
      const delta = new Float64Array(p);
      if (precisionFactor) {
        const z = Float64Array.from({ length: p }, () => sampleNormal(rng));
        delta.set(solveTransposed(precisionFactor, z, p));
        if (!count) for (let j = 0; j < p; j++) delta[j] = (delta[j] as number) * Math.sqrt(sigma2);
      }
      const rows = futureRows(horizon);
      const { eta: etaAhead, shiftScale } = pathTermsAhead(horizon);
      for (let h = 0; h < horizon; h++) {
        let shift = 0;
        for (let j = 0, offset = h * p; j < p; j++) shift += (rows[offset + j] as number) * (delta[j] as number);
        const eta = (etaAhead[h] as number) + shift * (shiftScale[h] as number);
        path[h] = count
          ? sampleNegativeBinomial(rng, Math.exp(Math.min(30, eta)), alpha > 0 ? 1 / alpha : Infinity)
          : centre + spread * (eta + Math.sqrt(sigma2) * sampleNormal(rng));
      }
      return path;
    },
  };
}

/** Σ u_i·v_i over the rows `list` (ascending), in their order: a sparse column's dot product. */
function dotOnRows(list: Int32Array, u: Float64Array, v: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < list.length; r++) {
    const i = list[r] as number;
    sum += (u[i] as number) * (v[i] as number);
  }
  return sum;
}

interface IrlsResult {
  beta: Float64Array;
  /** NB overdispersion (0 = Poisson); 0 for the Gaussian likelihood. */
  alpha: number;
  /** Gaussian noise variance (standardised units); 1 for counts. */
  sigma2: number;
  /** Cholesky factor of the penalised information XᵀWX + ridge, or null if singular. */
  factor: Float64Array | null;
}

/** Rows of a series' observed steps for one design, and the step of each row. */
interface DesignRows {
  rows: SparseRows;
  times: Int32Array;
}

/**
 * Sparse design rows of every observed step of `series`, built once per series and design and
 * shared by the fits on its prefixes (each backtest origin and the final fit): the seasonal
 * regressors of step t do not depend on where the history ends, only the trend's scale does
 * (rescaled by each fit). Cost: O(n·p) once.
 */
function designRows(series: PreparedSeries, design: Design): DesignRows {
  let byDesign = designCache.get(series);
  if (!byDesign) designCache.set(series, (byDesign = new Map<string, DesignRows>()));
  const cached = byDesign.get(design.key);
  if (cached) return cached;
  const { values } = series;
  const p = design.columns;
  const observed = countObserved(values, values.length);
  // Column indices ascending within a row; a row has one dummy per short cycle, so most are 0.
  const rows: SparseRows = { columns: new Uint8Array(observed * p), values: new Float64Array(observed * p), counts: new Uint8Array(observed), stride: p };
  const times = new Int32Array(observed);
  const dense = new Float64Array(p);
  let i = 0;
  for (let t = 0; t < values.length; t++) {
    if (Number.isNaN(values[t])) continue;
    fillRow(design, t, t, dense);
    let count = 0;
    for (let j = 0; j < p; j++) {
      const value = dense[j] as number;
      if (value === 0) continue;
      rows.columns[i * p + count] = j;
      rows.values[i * p + count] = value;
      count++;
    }
    rows.counts[i] = count;
    times[i++] = t;
  }
  const built = { rows, times };
  byDesign.set(design.key, built);
  return built;
}
const designCache = new WeakMap<PreparedSeries, Map<string, DesignRows>>();

/** Design rows in sparse form: row i has `counts[i]` entries at [i·stride, i·stride + counts[i]), columns ascending. */
interface SparseRows {
  columns: Uint8Array;
  values: Float64Array;
  counts: Uint8Array;
  stride: number;
}

/** Reused work arrays of {@link irls} (a forecast runs ~12 IRLS fits of the same size; fresh arrays cost GC time). */
let irlsScratch = new Float64Array(0);

/**
 * The design's columns, column-major (zeros included), with the rows where each sparse column
 * (a seasonal dummy) is non-zero: what {@link irls} forms XᵀWX from. Cost: O(n·p).
 */
interface DesignColumns {
  /** x[j·n + i] = row i's value in column j. */
  x: Float64Array;
  /** Per column, the rows where it is non-zero, or null for a dense column (looped over every row). */
  rows: (Int32Array | null)[];
}

/**
 * {@link DesignColumns} of the first `n` sparse rows, written into `storage` (reused between fits):
 * one pass counts each column's non-zeros (and fills the dense copy), a second lists the rows of
 * the sparse ones. Cost: O(n·p).
 */
function designColumns(x: SparseRows, n: number, p: number, storage: Float64Array): DesignColumns {
  const { columns, values, counts, stride } = x;
  const dense = storage.subarray(0, n * p);
  dense.fill(0);
  const nonZero = new Int32Array(p);
  for (let i = 0; i < n; i++) {
    const offset = i * stride;
    const end = offset + (counts[i] as number);
    for (let e = offset; e < end; e++) {
      const j = columns[e] as number;
      dense[j * n + i] = values[e] as number;
      nonZero[j] = (nonZero[j] as number) + 1;
    }
  }
  // A column non-zero in under half the rows is looped over its rows only.
  const rows = Array.from({ length: p }, (_, j) => ((nonZero[j] as number) * 2 < n ? new Int32Array(nonZero[j] as number) : null));
  const filled = new Int32Array(p);
  for (let i = 0; i < n; i++) {
    const offset = i * stride;
    const end = offset + (counts[i] as number);
    for (let e = offset; e < end; e++) {
      const j = columns[e] as number;
      const list = rows[j];
      if (list) list[(filled[j] as number)++] = i;
    }
  }
  return { x: dense, rows };
}

/**
 * Iteratively reweighted least squares for the NB log-link (logLink) or Gaussian identity-link
 * model, with Huber weights on Pearson residuals and the dispersion re-estimated by moments each
 * iteration. `x` is the observed rows' design (n rows of p columns, sparse). `relativePenalty`
 * (per column, or null) adds a prior precision of that multiple of the column's current
 * information (see chooseDesign), on top of the small fixed ridge.
 *
 * XᵀWX is formed column pair by column pair (a dot product over the rows, in row order, so each
 * entry is the same sum as row by row): the running sum stays in a register instead of a
 * load and store of the matrix per term, and a dummy column is visited only on its own rows.
 */
function irls(
  x: SparseRows,
  y: Float64Array,
  p: number,
  logLink: boolean,
  start: Float64Array,
  warm: boolean,
  relativePenalty: Float64Array | null,
): IrlsResult {
  const n = y.length;
  if (irlsScratch.length < 2 * n * p + 3 * n) irlsScratch = new Float64Array(2 * n * p + 3 * n);
  const { x: xc, rows } = designColumns(x, n, p, irlsScratch.subarray(0, n * p));
  const wx = irlsScratch.subarray(n * p, 2 * n * p);
  const etas = irlsScratch.subarray(2 * n * p, 2 * n * p + n);
  const weights = irlsScratch.subarray(2 * n * p + n, 2 * n * p + 2 * n);
  const workings = irlsScratch.subarray(2 * n * p + 2 * n, 2 * n * p + 3 * n);
  const xs = Array.from({ length: p }, (_, j) => xc.subarray(j * n, (j + 1) * n));
  const wxs = Array.from({ length: p }, (_, j) => wx.subarray(j * n, (j + 1) * n));
  const denseColumns = new Int32Array(p);
  let beta = start;
  let alpha = 0;
  let sigma2 = 1;
  let factor: Float64Array | null = null;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let iteration = 0; iteration < 30; iteration++) {
    let alphaNumerator = 0;
    let alphaDenominator = 0;
    let squares = 0;
    let weightSum = 0;
    // Linear predictors, columns in ascending order within each row (the sum row by row).
    etas.fill(0);
    for (let j = 0; j < p; j++) {
      const coefficient = beta[j] as number;
      const xj = xs[j] as Float64Array;
      const list = rows[j];
      if (list) {
        for (let r = 0; r < list.length; r++) {
          const i = list[r] as number;
          etas[i] = (etas[i] as number) + (xj[i] as number) * coefficient;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const value = xj[i] as number;
          if (value !== 0) etas[i] = (etas[i] as number) + value * coefficient;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      let eta = etas[i] as number;
      const yi = y[i] as number;
      let weight = 1;
      let working = yi;
      let mean = eta;
      let sd = Math.sqrt(sigma2);
      if (logLink) {
        eta = Math.max(-30, Math.min(30, eta));
        mean = Math.exp(eta);
        const variance = mean + alpha * mean * mean;
        sd = Math.sqrt(variance);
        weight = (mean * mean) / variance;
        working = eta + (yi - mean) / mean;
      }
      const residual = yi - mean;
      const pearson = Math.abs(residual) / sd;
      const huber = pearson <= HUBER ? 1 : HUBER / pearson;
      if (logLink) {
        alphaNumerator += huber * (residual * residual - mean);
        alphaDenominator += huber * mean * mean;
      } else {
        squares += huber * residual * residual;
        weightSum += huber;
      }
      weights[i] = weight * huber;
      workings[i] = working;
    }
    // b = XᵀWz and the lower triangle of XᵀWX, term (w·x_ij)·x_ik for k <= j, rows in order.
    // A zero x_ij or x_ik makes a zero term, which leaves a sum started at +0 unchanged.
    for (let j = 0; j < p; j++) {
      const xj = xs[j] as Float64Array;
      const wj = wxs[j] as Float64Array;
      const listJ = rows[j];
      let sum = 0;
      if (listJ) {
        for (let r = 0; r < listJ.length; r++) {
          const i = listJ[r] as number;
          const product = (weights[i] as number) * (xj[i] as number);
          wj[i] = product;
          sum += product * (workings[i] as number);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const product = (weights[i] as number) * (xj[i] as number);
          wj[i] = product;
          sum += product * (workings[i] as number);
        }
      }
      b[j] = sum;
      const rowStart = j * p;
      if (listJ) {
        // A sparse column: only its own rows add anything (w·x_ij is filled only there).
        for (let k = 0; k <= j; k++) a[rowStart + k] = dotOnRows(listJ, wj, xs[k] as Float64Array);
        continue;
      }
      // A dense column against the sparse ones on their rows, against dense ones four (then two)
      // at a time (one load of w·x_ij serves several sums).
      let denseCount = 0;
      for (let k = 0; k <= j; k++) {
        const listK = rows[k];
        if (!listK) {
          denseColumns[denseCount++] = k;
          continue;
        }
        a[rowStart + k] = dotOnRows(listK, wj, xs[k] as Float64Array);
      }
      let d = 0;
      for (; d + 4 <= denseCount; d += 4) {
        const k0 = denseColumns[d] as number;
        const k1 = denseColumns[d + 1] as number;
        const k2 = denseColumns[d + 2] as number;
        const k3 = denseColumns[d + 3] as number;
        const x0 = xs[k0] as Float64Array;
        const x1 = xs[k1] as Float64Array;
        const x2 = xs[k2] as Float64Array;
        const x3 = xs[k3] as Float64Array;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < n; i++) {
          const w = wj[i] as number;
          s0 += w * (x0[i] as number);
          s1 += w * (x1[i] as number);
          s2 += w * (x2[i] as number);
          s3 += w * (x3[i] as number);
        }
        a[rowStart + k0] = s0;
        a[rowStart + k1] = s1;
        a[rowStart + k2] = s2;
        a[rowStart + k3] = s3;
      }
      if (d + 2 <= denseCount) {
        const k0 = denseColumns[d] as number;
        const k1 = denseColumns[d + 1] as number;
        const x0 = xs[k0] as Float64Array;
        const x1 = xs[k1] as Float64Array;
        let s0 = 0;
        let s1 = 0;
        for (let i = 0; i < n; i++) {
          const w = wj[i] as number;
          s0 += w * (x0[i] as number);
          s1 += w * (x1[i] as number);
        }
        a[rowStart + k0] = s0;
        a[rowStart + k1] = s1;
        d += 2;
      }
      for (; d < denseCount; d++) {
        const k = denseColumns[d] as number;
        const xk = xs[k] as Float64Array;
        let s = 0;
        for (let i = 0; i < n; i++) s += (wj[i] as number) * (xk[i] as number);
        a[rowStart + k] = s;
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k] as number;
      if (relativePenalty) a[j * p + j] = (a[j * p + j] as number) * (1 + (relativePenalty[j] as number));
      if (j > 0) a[j * p + j] = (a[j * p + j] as number) + RIDGE;
    }
    if (logLink) alpha = alphaDenominator > 0 ? Math.min(10, Math.max(0, alphaNumerator / alphaDenominator)) : 0;
    else sigma2 = weightSum > 0 ? Math.max(squares / weightSum, 1e-12) : 1;
    factor = cholesky(a, p);
    if (!factor) break;
    const next = choleskySolve(factor, b, p);
    let change = 0;
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs((next[j] as number) - (beta[j] as number)));
    beta = next;
    // Converged when no coefficient moves by 1e-3 (0.1% of the mean on the log link); a warm
    // start (the fit at an earlier backtest origin) may already be there after one step.
    if (change < CONVERGED && (warm || iteration > 0)) break;
  }
  return { beta, alpha, sigma2, factor };
}
