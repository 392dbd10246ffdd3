import { cholesky, choleskySolve } from '../linear-algebra.js';
import type { Rng } from '../prng.js';
import { sampleNormal } from '../sampling.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, toKind, usablePeriod } from './series-statistics.js';
import { preferLog, stl } from './stl.js';
import { interpolateMissing } from './theta.js';

/** An ARIMA(p,d,q)(P,D,Q)[m] order, with or without a constant. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Seasonal period in steps (1 = no seasonal part). */
  m: number;
  /** A mean (d + D = 0) or a drift (d + D = 1); never with d + D >= 2. */
  constant: boolean;
}

/** A fitted ARIMA: the coefficients and what a forecast needs (see {@link fitArima}). */
export interface ArimaFit {
  order: ArimaOrder;
  /** φ1..φp, θ1..θq (R's sign: 1 + θB), Φ, Θ (0 when P or Q is 0). */
  ar: number[];
  ma: number[];
  sar: number;
  sma: number;
  /** Mean of the differenced series (the drift × 1 or m when d + D = 1; the mean when d + D = 0). */
  constant: number;
  /** Residual variance: conditional sum of squares / (differenced length - parameters), as forecast::Arima. */
  sigma2: number;
  /** AICc on the CSS likelihood, R's auto.arima approximation (comparable at the same d, D). */
  aicc: number;
  /** The series the model was fitted on (no NaN). */
  x: Float64Array;
  /** The differenced series and its one-step residuals (0 before the conditioning steps). */
  w: Float64Array;
  residuals: Float64Array;
}

/** Coefficients of a polynomial in B (index = power), product of a and b. */
function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] as number) + (a[i] as number) * (b[j] as number);
  return out;
}

/** (1 - B)^d (1 - B^m)^D as coefficients in B, starting with 1. */
function differencing(d: number, D: number, m: number): number[] {
  let poly = [1];
  for (let i = 0; i < d; i++) poly = multiply(poly, [1, -1]);
  const seasonal = new Array<number>(m + 1).fill(0);
  seasonal[0] = 1;
  seasonal[m] = -1;
  for (let i = 0; i < D; i++) poly = multiply(poly, seasonal);
  return poly;
}

/** Applies a differencing polynomial: w[t] = Σ δ_i x[t + L - i], length n - L. */
function applyDifferencing(x: Float64Array, delta: readonly number[]): Float64Array {
  const lag = delta.length - 1;
  const w = new Float64Array(Math.max(0, x.length - lag));
  for (let t = 0; t < w.length; t++) {
    let s = 0;
    for (let i = 0; i <= lag; i++) s += (delta[i] as number) * (x[t + lag - i] as number);
    w[t] = s;
  }
  return w;
}

/** The AR polynomial φ(B)Φ(B^m) (as 1 - Σ a_i B^i, coefficients returned with their sign in the polynomial). */
function arPolynomial(ar: readonly number[], sar: number, m: number, P: number): number[] {
  const nonSeasonal = [1, ...ar.map((v) => -v)];
  if (P === 0) return nonSeasonal;
  const seasonal = new Array<number>(m + 1).fill(0);
  seasonal[0] = 1;
  seasonal[m] = -sar;
  return multiply(nonSeasonal, seasonal);
}

/** The MA polynomial θ(B)Θ(B^m) (1 + Σ b_j B^j). */
function maPolynomial(ma: readonly number[], sma: number, m: number, Q: number): number[] {
  const nonSeasonal = [1, ...ma];
  if (Q === 0) return nonSeasonal;
  const seasonal = new Array<number>(m + 1).fill(0);
  seasonal[0] = 1;
  seasonal[m] = sma;
  return multiply(nonSeasonal, seasonal);
}

/** The non-zero lags and coefficients of a polynomial beyond power 0, with `sign` applied. */
function sparse(poly: readonly number[], sign: number): { lags: number[]; coefficients: number[] } {
  const lags: number[] = [];
  const coefficients: number[] = [];
  for (let i = 1; i < poly.length; i++) {
    if (poly[i] !== 0) {
      lags.push(i);
      coefficients.push(sign * (poly[i] as number));
    }
  }
  // Plain arrays: this runs once per residual pass, and typed arrays cost more to create.
  return { lags, coefficients };
}

/**
 * Whether every root of 1 - Σ c_i z^i lies outside the circle of radius 1.01 (R's auto.arima
 * margin), by the Schur-Cohn step-down (partial autocorrelations all inside (-1, 1)). Cost O(k²).
 * No coefficients (an empty polynomial) give true.
 *
 * @example
 * rootsOutside([0.5]); // true (root at z = 2); rootsOutside([1]) is false (unit root)
 */
export function rootsOutside(c: readonly number[], margin = 1.01): boolean {
  let a = c.map((v, i) => v * margin ** (i + 1));
  for (let k = a.length; k >= 1; k--) {
    const r = a[k - 1] as number;
    if (!(Math.abs(r) < 1)) return false;
    const next: number[] = [];
    for (let i = 0; i < k - 1; i++) next.push(((a[i] as number) + r * (a[k - 2 - i] as number)) / (1 - r * r));
    a = next;
  }
  return true;
}

interface Layout {
  order: ArimaOrder;
  /** Parameter count (coefficients and the constant). */
  k: number;
}

/** Splits a parameter vector [φ, θ, Φ, Θ, c] into its parts. */
function unpack(order: ArimaOrder, params: readonly number[]): { ar: number[]; ma: number[]; sar: number; sma: number; constant: number } {
  const { p, q, P, Q } = order;
  return {
    ar: params.slice(0, p),
    ma: params.slice(p, p + q),
    sar: P ? (params[p + q] as number) : 0,
    sma: Q ? (params[p + q + P] as number) : 0,
    constant: order.constant ? (params[p + q + P + Q] as number) : 0,
  };
}

/**
 * CSS residuals of the differenced series w for parameters `params` into `e` (R's ARIMA_CSS:
 * residuals before `start` = p + P·m are 0); returns the sum of squares from `start` on.
 */
function cssResiduals(w: Float64Array, order: ArimaOrder, params: readonly number[], e: Float64Array): number {
  const parts = unpack(order, params);
  const arPoly = arPolynomial(parts.ar, parts.sar, order.m, order.P);
  const ar = sparse(arPoly, -1);
  const ma = sparse(maPolynomial(parts.ma, parts.sma, order.m, order.Q), 1);
  const start = arPoly.length - 1;
  const c = parts.constant;
  const n = w.length;
  e.fill(0, 0, Math.min(start, n));
  let sse = 0;
  const arLags = ar.lags;
  const arCoefficients = ar.coefficients;
  const maLags = ma.lags;
  const maCoefficients = ma.coefficients;
  const arCount = arLags.length;
  const maCount = maLags.length;
  // From the longest MA lag on every lag is in range: no bounds test in the hot loop.
  const maLongest = maCount ? (maLags[maCount - 1] as number) : 0;
  const checked = Math.min(n, Math.max(start, maLongest));
  for (let t = start; t < n; t++) {
    let v = (w[t] as number) - c;
    for (let i = 0; i < arCount; i++) v -= (arCoefficients[i] as number) * ((w[t - (arLags[i] as number)] as number) - c);
    if (t < checked) {
      for (let j = 0; j < maCount; j++) {
        const lag = maLags[j] as number;
        if (lag <= t) v -= (maCoefficients[j] as number) * (e[t - lag] as number);
      }
    } else {
      for (let j = 0; j < maCount; j++) v -= (maCoefficients[j] as number) * (e[t - (maLags[j] as number)] as number);
    }
    e[t] = v;
    sse += v * v;
  }
  return sse;
}

/**
 * The Jacobian of the CSS residuals, columns[j][t] = ∂e_t/∂params[j], given the residuals `e` at
 * `params` (exact, by differentiating the recursion: each column is its own direct term filtered
 * by the MA polynomial). Costs about one residual pass per parameter with only the MA lags in it,
 * where forward differences needed a full pass per parameter plus rounding error.
 */
function cssJacobian(w: Float64Array, order: ArimaOrder, params: readonly number[], e: Float64Array, columns: Float64Array[]): void {
  const { p, q, P, Q, m } = order;
  const parts = unpack(order, params);
  const arPoly = arPolynomial(parts.ar, parts.sar, m, P);
  const ma = sparse(maPolynomial(parts.ma, parts.sma, m, Q), 1);
  const start = arPoly.length - 1;
  const c = parts.constant;
  const n = w.length;
  let arAtOne = 0;
  for (let i = 0; i < arPoly.length; i++) arAtOne += arPoly[i] as number;
  const maLags = ma.lags;
  const maCoefficients = ma.coefficients;
  const maCount = maLags.length;
  const checked = Math.min(n, Math.max(start, maCount ? (maLags[maCount - 1] as number) : 0));
  // Each column: its direct term g_t, then filtered in place, D_t = g_t - Σ b_j D_{t-j} (0 before start).
  const sar = parts.sar;
  const sma = parts.sma;
  let index = 0;
  for (let i = 1; i <= p; i++) {
    const column = columns[index++] as Float64Array;
    for (let t = start; t < n; t++) column[t] = -((w[t - i] as number) - c) + (P ? sar * ((w[t - i - m] as number) - c) : 0);
  }
  for (let j = 1; j <= q; j++) {
    const column = columns[index++] as Float64Array;
    for (let t = start; t < n; t++) column[t] = -((t >= j ? (e[t - j] as number) : 0) + (Q && t >= j + m ? sma * (e[t - j - m] as number) : 0));
  }
  if (P) {
    const column = columns[index++] as Float64Array;
    for (let t = start; t < n; t++) {
      let v = -((w[t - m] as number) - c);
      for (let i = 0; i < p; i++) v += (parts.ar[i] as number) * ((w[t - m - i - 1] as number) - c);
      column[t] = v;
    }
  }
  if (Q) {
    const column = columns[index++] as Float64Array;
    for (let t = start; t < n; t++) {
      let v = t >= m ? -(e[t - m] as number) : 0;
      for (let j = 0; j < q; j++) if (t >= m + j + 1) v -= (parts.ma[j] as number) * (e[t - m - j - 1] as number);
      column[t] = v;
    }
  }
  if (order.constant) {
    const column = columns[index] as Float64Array;
    column.fill(-arAtOne, start, n);
  }
  // The filter is a recursion (each step waits for the previous ones): two columns at a time
  // give the processor two independent chains to overlap.
  const count = p + q + (P ? 1 : 0) + (Q ? 1 : 0) + (order.constant ? 1 : 0);
  let column = 0;
  for (; column + 1 < count; column += 2)
    filterColumns(columns[column] as Float64Array, columns[column + 1] as Float64Array, start, checked, n, maLags, maCoefficients);
  if (column < count) filterColumns(columns[column] as Float64Array, null, start, checked, n, maLags, maCoefficients);
}

/**
 * Filters Jacobian columns in place by the MA polynomial, D_t = g_t - Σ b_j D_{t-lag_j} from
 * `start` on (0 before it), `b` (when given) alongside `a`: the same steps as one at a time.
 * Lags beyond t are left out up to `checked` (the longest lag).
 */
function filterColumns(
  a: Float64Array,
  b: Float64Array | null,
  start: number,
  checked: number,
  n: number,
  maLags: readonly number[],
  maCoefficients: readonly number[],
): void {
  const maCount = maLags.length;
  a.fill(0, 0, Math.min(start, n));
  b?.fill(0, 0, Math.min(start, n));
  for (let t = start; t < checked; t++) {
    let va = a[t] as number;
    for (let j = 0; j < maCount; j++) {
      const lag = maLags[j] as number;
      if (lag <= t) va -= (maCoefficients[j] as number) * (a[t - lag] as number);
    }
    a[t] = va;
    if (b) {
      let vb = b[t] as number;
      for (let j = 0; j < maCount; j++) {
        const lag = maLags[j] as number;
        if (lag <= t) vb -= (maCoefficients[j] as number) * (b[t - lag] as number);
      }
      b[t] = vb;
    }
  }
  if (maCount === 0) return;
  if (!b) {
    for (let t = checked; t < n; t++) {
      let v = a[t] as number;
      for (let j = 0; j < maCount; j++) v -= (maCoefficients[j] as number) * (a[t - (maLags[j] as number)] as number);
      a[t] = v;
    }
    return;
  }
  for (let t = checked; t < n; t++) {
    let va = a[t] as number;
    let vb = b[t] as number;
    for (let j = 0; j < maCount; j++) {
      const coefficient = maCoefficients[j] as number;
      const back = t - (maLags[j] as number);
      va -= coefficient * (a[back] as number);
      vb -= coefficient * (b[back] as number);
    }
    a[t] = va;
    b[t] = vb;
  }
}

/** Reused work arrays (a search runs ~30 fits of the same length; fresh arrays cost GC time). */
let scratchArrays: Float64Array[] = [];

/** `count` work arrays of length `n` (contents undefined; valid until the next call). */
function scratch(n: number, count: number): Float64Array[] {
  if (scratchArrays.length < count || (scratchArrays[0] as Float64Array).length < n) {
    const size = Math.max(n, scratchArrays[0]?.length ?? 0);
    scratchArrays = Array.from({ length: Math.max(count, scratchArrays.length) }, () => new Float64Array(size));
  }
  return scratchArrays.slice(0, count).map((a) => a.subarray(0, n));
}

/**
 * Least squares of the CSS residuals by Levenberg-Marquardt with a forward-difference Jacobian
 * (k + 1 residual passes per iteration). Returns the parameters and the sum of squares.
 * Cost: O(iterations · k · n · nonzero lags), ~5-15 iterations.
 */
function leastSquares(
  w: Float64Array,
  layout: Layout,
  init: readonly number[],
  maxIterations: number,
  tolerance: number,
  hopelessAbove = Infinity,
): { params: number[]; sse: number; residuals: Float64Array } {
  const { order, k } = layout;
  const n = w.length;
  const [residual, trial, ...columns] = scratch(n, k + 2) as [Float64Array, Float64Array, ...Float64Array[]];
  let params = [...init];
  let sse = cssResiduals(w, order, params, residual);
  if (k === 0 || !Number.isFinite(sse)) return { params, sse, residuals: residual };
  let lambda = 1e-3;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    cssJacobian(w, order, params, residual, columns);
    const jtj = new Float64Array(k * k);
    const jtr = new Float64Array(k);
    // Residuals and their derivatives are 0 before the conditioning steps.
    const first = Math.min(n, order.p + order.P * order.m);
    for (let a = 0; a < k; a++) {
      const ca = columns[a] as Float64Array;
      let s = 0;
      for (let t = first; t < n; t++) s += (ca[t] as number) * (residual[t] as number);
      jtr[a] = s;
      // Two dot products per pass over the rows (each summed in the same order as alone).
      let b = 0;
      for (; b + 1 <= a; b += 2) {
        const c0 = columns[b] as Float64Array;
        const c1 = columns[b + 1] as Float64Array;
        let s0 = 0;
        let s1 = 0;
        for (let t = first; t < n; t++) {
          const value = ca[t] as number;
          s0 += value * (c0[t] as number);
          s1 += value * (c1[t] as number);
        }
        jtj[a * k + b] = s0;
        jtj[b * k + a] = s0;
        jtj[a * k + b + 1] = s1;
        jtj[(b + 1) * k + a] = s1;
      }
      for (; b <= a; b++) {
        const cb = columns[b] as Float64Array;
        let s2 = 0;
        for (let t = first; t < n; t++) s2 += (ca[t] as number) * (cb[t] as number);
        jtj[a * k + b] = s2;
        jtj[b * k + a] = s2;
      }
    }
    let improved = false;
    while (lambda < 1e10) {
      const damped = Float64Array.from(jtj);
      for (let a = 0; a < k; a++) damped[a * k + a] = (jtj[a * k + a] as number) * (1 + lambda) + 1e-12;
      const l = cholesky(damped, k);
      if (!l) {
        lambda *= 10;
        continue;
      }
      const delta = choleskySolve(l, jtr, k);
      const candidate = params.map((v, i) => v - (delta[i] as number));
      const candidateSse = cssResiduals(w, order, candidate, trial);
      if (Number.isFinite(candidateSse) && candidateSse < sse) {
        const gain = sse - candidateSse;
        params = candidate;
        sse = candidateSse;
        residual.set(trial);
        lambda = Math.max(1e-12, lambda / 10);
        improved = gain > tolerance * sse;
        // A search candidate still 5% above the sum of squares it needs to win, and gaining less
        // than 0.2% a step, would need dozens more steps: it cannot win within the step limit.
        if (sse > hopelessAbove * 1.05 && gain < 0.002 * sse) improved = false;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { params, sse, residuals: residual };
}

/**
 * Fits ARIMA(p,d,q)(P,D,Q)[m] by conditional sum of squares (R's `arima(method = "CSS")`):
 * the series is differenced, the first p + P·m differenced values condition the recursion, and
 * the residual sum of squares is minimised by Levenberg-Marquardt from `start` (default zeros
 * and the mean of the differenced series). With `constant`, the differenced series has a mean:
 * the level for d + D = 0, the drift (per step × 1, or per season × m) for d + D = 1. Returns
 * null when too few values remain or the fit is not stationary and invertible with R's 1.01
 * margin on the roots (as auto.arima rejects such fits).
 *
 * Cost: O(iterations · k · n · nonzero lags); ~0.1-1 ms for a few hundred values.
 * An empty series gives null.
 *
 * @example
 * fitArima(Float64Array.from(wwwUsage), { p: 1, d: 1, q: 1, P: 0, D: 0, Q: 0, m: 1, constant: false })?.ar; // ≈ [0.648]
 */
export function fitArima(
  x: Float64Array,
  order: ArimaOrder,
  start?: readonly number[],
  maxIterations = 50,
  tolerance = 1e-9,
  beatAicc = Infinity,
): ArimaFit | null {
  const { p, q, P, Q, m } = order;
  const w = applyDifferencing(x, differencing(order.d, order.D, m));
  const k = p + q + P + Q + (order.constant ? 1 : 0);
  const conditioning = p + P * m;
  const used = w.length - conditioning;
  if (used < k + 3) return null;
  let mean = 0;
  for (let t = 0; t < w.length; t++) mean += w[t] as number;
  mean /= w.length;
  const init = start && start.length === k ? start : [...new Array<number>(k - (order.constant ? 1 : 0)).fill(0), ...(order.constant ? [mean] : [])];
  const nStar = w.length;
  const npar = k + 1;
  const correction = nStar - npar - 1 > 0 ? (2 * npar * (npar + 1)) / (nStar - npar - 1) : Infinity;
  // The sum of squares at which this order's AICc would equal `beatAicc` (a search's best so far).
  const hopelessAbove = Number.isFinite(beatAicc) ? used * Math.exp((beatAicc - 2 * npar - correction) / nStar) : Infinity;
  const fitted = leastSquares(w, { order, k }, init, maxIterations, tolerance, hopelessAbove);
  const { params, sse } = fitted;
  if (!Number.isFinite(sse)) return null;
  const parts = unpack(order, params);
  const seasonalMargin = 1.01 ** m;
  if (!rootsOutside(parts.ar) || !rootsOutside(parts.ma.map((v) => -v))) return null;
  if (Math.abs(parts.sar) * seasonalMargin >= 1 || Math.abs(parts.sma) * seasonalMargin >= 1) return null;
  // The residuals at `params` (a copy: leastSquares' array is reused by the next fit).
  const residuals = fitted.residuals.slice();
  // forecast::Arima's residual variance (sum of squares over the differenced length minus the
  // parameters). The AIC is auto.arima's approximation n*·log σ² + 2(k + 1), but with σ² the mean
  // square of the residuals actually summed: R's σ² here divides the sum over n* - p - P·m
  // residuals by n* - k, which favours seasonal AR terms (they sum m fewer squares).
  const sigma2 = sse / Math.max(1, nStar - k);
  const aic = nStar * Math.log(Math.max(sse / used, 1e-300)) + 2 * npar;
  const aicc = aic + correction;
  return { order, ...parts, sigma2, aicc, x, w, residuals };
}

/**
 * Runs the model forward `horizon` steps: future shocks `shocks` (null = their mean 0, i.e. the
 * point forecast), differenced forecasts by the ARMA recursion, then undifferenced.
 */
function project(fit: ArimaFit, horizon: number, shocks: Float64Array | null): Float64Array {
  const { order, w, residuals, x } = fit;
  const arPoly = arPolynomial(fit.ar, fit.sar, order.m, order.P);
  const maPoly = maPolynomial(fit.ma, fit.sma, order.m, order.Q);
  const delta = differencing(order.d, order.D, order.m);
  const nw = w.length;
  const n = x.length;
  const wExt = new Float64Array(nw + horizon);
  wExt.set(w);
  const eExt = new Float64Array(nw + horizon);
  eExt.set(residuals);
  const xExt = new Float64Array(n + horizon);
  xExt.set(x);
  const c = fit.constant;
  for (let h = 0; h < horizon; h++) {
    const t = nw + h;
    const shock = shocks ? (shocks[h] as number) : 0;
    let v = c + shock;
    for (let i = 1; i < arPoly.length; i++) if (t - i >= 0) v -= (arPoly[i] as number) * ((wExt[t - i] as number) - c);
    for (let j = 1; j < maPoly.length; j++) if (t - j >= 0) v += (maPoly[j] as number) * (eExt[t - j] as number);
    wExt[t] = v;
    eExt[t] = shock;
    const s = n + h;
    let xv = v;
    for (let i = 1; i < delta.length; i++) xv -= (delta[i] as number) * (xExt[s - i] as number);
    xExt[s] = xv;
  }
  return xExt.slice(n);
}

/**
 * ARIMA forecast means (recursion with future shocks 0) and variances σ²·Σ_{j<h} ψ_j² from the
 * ψ-weights of the full model φ(B)Φ(B^m)(1-B)^d(1-B^m)^D x = θ(B)Θ(B^m) e (parameter
 * uncertainty ignored, as R's forecast.Arima). Cost: O(h · (p + P·m + d + D·m)).
 * Horizon 0 gives empty means and variances.
 *
 * @example
 * arimaForecast(fitArima(x, order)!, 12).mean; // the next 12 steps
 */
export function arimaForecast(fit: ArimaFit, horizon: number): ForecastMoments {
  const { order } = fit;
  const fullAr = multiply(arPolynomial(fit.ar, fit.sar, order.m, order.P), differencing(order.d, order.D, order.m));
  const maPoly = maPolynomial(fit.ma, fit.sma, order.m, order.Q);
  const psi = new Float64Array(horizon);
  const variance = new Float64Array(horizon);
  let sum = 0;
  for (let j = 0; j < horizon; j++) {
    let v = j === 0 ? 1 : j < maPoly.length ? (maPoly[j] as number) : 0;
    for (let i = 1; i <= j && i < fullAr.length; i++) v -= (fullAr[i] as number) * (psi[j - i] as number);
    psi[j] = v;
    sum += v * v;
    variance[j] = fit.sigma2 * sum;
  }
  return { mean: project(fit, horizon, null), variance };
}

/** True when every value equals the first. */
function isConstant(x: Float64Array): boolean {
  for (let t = 1; t < x.length; t++) if (x[t] !== x[0]) return false;
  return true;
}

/**
 * The KPSS level-stationarity statistic (urca's `ur.kpss(type = "mu")` with forecast's lag
 * truncation trunc(3√n / 13), Bartlett weights). Cost O(n · lags).
 * An empty series gives 0.
 *
 * @example
 * kpssStatistic(Float64Array.from(randomWalk)); // large (> 0.463: not level-stationary at 5%)
 */
export function kpssStatistic(x: Float64Array): number {
  const n = x.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t] as number;
  mean /= n;
  const e = x.map((v) => v - mean);
  let partial = 0;
  let eta = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    partial += e[t] as number;
    eta += partial * partial;
    s2 += (e[t] as number) ** 2;
  }
  eta /= n * n;
  const lags = Math.trunc((3 * Math.sqrt(n)) / 13);
  for (let i = 1; i <= lags; i++) {
    let s = 0;
    for (let t = i; t < n; t++) s += (e[t] as number) * (e[t - i] as number);
    s2 += 2 * (1 - i / (lags + 1)) * s;
  }
  s2 /= n;
  return s2 > 0 ? eta / s2 : 0;
}

/** KPSS 5% critical value for level stationarity (Kwiatkowski et al. 1992, as urca). */
const KPSS_CRITICAL_5 = 0.463;

/**
 * First differences needed, as R's `ndiffs` (KPSS at 5%, at most `maxD`). Cost O(n · √n).
 * An empty series gives 0.
 *
 * @example
 * ndiffs(Float64Array.from(randomWalk)); // 1
 */
export function ndiffs(x: Float64Array, maxD = 2): number {
  let series = x;
  let d = 0;
  if (series.length < 3 || isConstant(series)) return 0;
  while (d < maxD && kpssStatistic(series) > KPSS_CRITICAL_5) {
    series = applyDifferencing(series, [1, -1]);
    d++;
    if (series.length < 3 || isConstant(series)) break;
  }
  return d;
}

/**
 * Seasonal strength max(0, 1 - var(remainder) / var(remainder + seasonal)) from an STL
 * decomposition with s.window 11, as R's `nsdiffs(test = "seas")` measures it (one seasonal
 * difference when above 0.64). Cost: one STL, O(n · 11).
 * An empty (or shorter than two cycles) series gives 0.
 *
 * @example
 * seasonalStrength(Float64Array.from(logAirPassengers), 12); // > 0.64: one seasonal difference
 */
export function seasonalStrength(x: Float64Array, m: number): number {
  if (x.length < 2 * m || isConstant(x)) return 0;
  const { seasonal, trend } = stl(x, m, 11);
  const n = x.length;
  const variance = (f: (t: number) => number): number => {
    let s = 0;
    let ss = 0;
    for (let t = 0; t < n; t++) {
      const v = f(t);
      s += v;
      ss += v * v;
    }
    return (ss - (s * s) / n) / (n - 1);
  };
  const remainder = (t: number): number => (x[t] as number) - (seasonal[t] as number) - (trend[t] as number);
  const denominator = variance((t) => remainder(t) + (seasonal[t] as number));
  if (!(denominator > 0)) return 0;
  return Math.max(0, Math.min(1, 1 - variance(remainder) / denominator));
}

/** Limits of {@link autoArima}'s search. */
export interface AutoArimaOptions {
  maxP?: number;
  maxQ?: number;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  /** Most p + q + P + Q (R: 5). */
  maxOrder?: number;
  /** Most models fitted in the stepwise search (R: 94). */
  maxModels?: number;
  /** The search sees only the last this many values (at least 8 seasons); default {@link SEARCH_WINDOW}. */
  searchWindow?: number;
}

/**
 * Values the order search sees: the CSS fits cost O(n) each and the search runs ~30 of them, so
 * a long series (three years of daily data) is searched on its recent part and only the chosen
 * order is fitted on all of it.
 */
export const SEARCH_WINDOW = 200;

/** Levenberg-Marquardt limits for the models tried in the search (the winner is refitted fully). */
const SEARCH_ITERATIONS = 20;
const SEARCH_TOLERANCE = 1e-5;
/** The winner's refit on the whole series, and a backtest's warm refit, start close: fewer, finer steps. */
const REFIT_ITERATIONS = 15;
const REFIT_TOLERANCE = 1e-7;
/** A backtest origin a few steps later than the previous one barely moves the estimates. */
const WARM_ITERATIONS = 5;

/**
 * A fit's parameter vector [φ, θ, Φ, Θ, c] (the layout {@link fitArima} takes as a start).
 * Cost: O(p + q + P + Q). A model without terms gives [] (or [c] with a constant).
 *
 * @example
 * parameterVector(fitArima(x, { p: 1, d: 1, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: true })!); // [φ₁, c]
 */
export function parameterVector(fit: ArimaFit): number[] {
  const { order } = fit;
  return [...fit.ar, ...fit.ma, ...(order.P ? [fit.sar] : []), ...(order.Q ? [fit.sma] : []), ...(order.constant ? [fit.constant] : [])];
}

/** Starting values for `order` from a fit of a neighbouring order: shared terms kept, new ones 0. */
function startFrom(fit: ArimaFit, order: ArimaOrder): number[] {
  const take = (values: readonly number[], count: number): number[] => Array.from({ length: count }, (_, i) => values[i] ?? 0);
  let mean = 0;
  for (let t = 0; t < fit.w.length; t++) mean += fit.w[t] as number;
  mean /= Math.max(1, fit.w.length);
  return [
    ...take(fit.ar, order.p),
    ...take(fit.ma, order.q),
    ...(order.P ? [fit.sar] : []),
    ...(order.Q ? [fit.sma] : []),
    ...(order.constant ? [fit.order.constant ? fit.constant : mean] : []),
  ];
}

/** Longest seasonal period modelled by the seasonal ARIMA terms (weekly data's 52). */
export const MAX_SEASONAL_PERIOD = 52;

/**
 * Automatic ARIMA, Hyndman & Khandakar's (2008) stepwise search as R's `auto.arima(stepwise =
 * TRUE, approximation = TRUE)`, kept small: D = 1 when the STL seasonal strength exceeds 0.64
 * (R's nsdiffs "seas"), d by KPSS tests on the seasonally differenced series (R's ndiffs), then
 * from (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1) (and the first without its
 * constant) the neighbours of the best model (p, q, P, Q ± 1, pairs, the constant toggled) are
 * tried until none lowers the CSS AICc. p, q <= 3, P, Q <= 1 and p + q + P + Q <= 5 by default
 * (R's stepwise search has no total cap and allows 5, 5, 2, 2); a mean when d + D = 0, a drift
 * when d + D = 1. Seasonal terms only for 2 <= m <= 52 with two full cycles (a daily series' 365
 * or an hourly 168 is left to the other candidates). For speed, differencing and the search see
 * only the last {@link SEARCH_WINDOW} values (at least 8 seasons) and models in the search stop
 * early; the winner is then refitted on the whole series.
 *
 * Cost: ~20-35 CSS fits on at most ~200 values plus one on all of them: 1-5 ms for monthly
 * data, ~3 ms for three years of daily data (2-core shared machine).
 * Returns null only when no model can be fitted (fewer than ~5 values).
 * An empty series gives null.
 *
 * @example
 * autoArima(Float64Array.from(logAirPassengers), 12)?.order; // (0,1,1)(0,1,1)[12]
 */
export function autoArima(series: Float64Array, m: number, options: AutoArimaOptions = {}): ArimaFit | null {
  // The search runs on the recent window; the winner is refitted on the whole series below.
  const window = Math.max(options.searchWindow ?? SEARCH_WINDOW, m <= MAX_SEASONAL_PERIOD ? 8 * m : 0);
  const x = series.length > window ? series.subarray(series.length - window) : series;
  const maxP = options.maxP ?? 3;
  const maxQ = options.maxQ ?? 3;
  const maxOrder = options.maxOrder ?? 5;
  const maxModels = options.maxModels ?? 40;
  const seasonal = m >= 2 && m <= MAX_SEASONAL_PERIOD && x.length >= 2 * m;
  const period = seasonal ? m : 1;
  const maxSP = seasonal ? (options.maxSeasonalP ?? 1) : 0;
  const maxSQ = seasonal ? (options.maxSeasonalQ ?? 1) : 0;
  const D = seasonal && seasonalStrength(x, m) > 0.64 ? 1 : 0;
  const d = ndiffs(D ? applyDifferencing(x, differencing(0, 1, m)) : x);
  const allowConstant = d + D <= 1;

  const tried = new Set<string>();
  let best: ArimaFit | null = null;
  let count = 0;
  const attempt = (p: number, q: number, P: number, Q: number, constant: boolean): boolean => {
    if (p < 0 || q < 0 || P < 0 || Q < 0 || p > maxP || q > maxQ || P > maxSP || Q > maxSQ || p + q + P + Q > maxOrder) return false;
    if (constant && !allowConstant) return false;
    const key = `${p},${q},${P},${Q},${constant}`;
    if (tried.has(key) || count >= maxModels) return false;
    tried.add(key);
    count++;
    const order = { p, d, q, P, D, Q, m: period, constant };
    // Neighbours start from the best model's coefficients (new terms at 0) and stop early: the
    // search needs the AICc to ~1e-5 of the sum of squares, the winner is refined below.
    const fit = fitArima(x, order, best ? startFrom(best, order) : undefined, SEARCH_ITERATIONS, SEARCH_TOLERANCE, best?.aicc);
    if (fit && (best === null || fit.aicc < best.aicc)) {
      best = fit;
      return true;
    }
    return false;
  };
  attempt(Math.min(2, maxP), Math.min(2, maxQ), maxSP, maxSQ, allowConstant);
  attempt(0, 0, 0, 0, allowConstant);
  attempt(maxP > 0 ? 1 : 0, 0, maxSP > 0 ? 1 : 0, 0, allowConstant);
  attempt(0, maxQ > 0 ? 1 : 0, 0, maxSQ > 0 ? 1 : 0, allowConstant);
  if (allowConstant) attempt(0, 0, 0, 0, false);
  let improved = true;
  while (improved && best !== null && count < maxModels) {
    const { p, q, P, Q, constant } = (best as ArimaFit).order;
    const neighbours: [number, number, number, number, boolean][] = [
      [p, q, P - 1, Q, constant],
      [p, q, P, Q - 1, constant],
      [p, q, P + 1, Q, constant],
      [p, q, P, Q + 1, constant],
      [p, q, P - 1, Q - 1, constant],
      [p, q, P - 1, Q + 1, constant],
      [p, q, P + 1, Q - 1, constant],
      [p, q, P + 1, Q + 1, constant],
      [p - 1, q, P, Q, constant],
      [p, q - 1, P, Q, constant],
      [p + 1, q, P, Q, constant],
      [p, q + 1, P, Q, constant],
      [p - 1, q - 1, P, Q, constant],
      [p - 1, q + 1, P, Q, constant],
      [p + 1, q - 1, P, Q, constant],
      [p + 1, q + 1, P, Q, constant],
      [p, q, P, Q, !constant],
    ];
    improved = false;
    // As R: move to the first neighbour that improves, then search around it.
    for (const [np, nq, nP, nQ, nc] of neighbours) {
      if (attempt(np, nq, nP, nQ, nc)) {
        improved = true;
        break;
      }
    }
  }
  if (best) {
    const winner: ArimaFit = best;
    const refined = fitArima(series, winner.order, parameterVector(winner), REFIT_ITERATIONS, REFIT_TOLERANCE);
    if (refined) return x === series && refined.aicc > winner.aicc ? winner : refined;
    // The window's fit forecasts from the same last values.
    return winner;
  }
  // Nothing fitted (very short or degenerate): a random walk, or the mean.
  return (
    fitArima(series, { p: 0, d: Math.min(d, 1), q: 0, P: 0, D: 0, Q: 0, m: 1, constant: false }) ??
    fitArima(series, { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: true })
  );
}

/**
 * A label as R prints it, e.g. `arima(0,1,1)(0,1,1)[12]` or `arima(1,1,0) with drift`.
 * Cost: O(1).
 *
 * @example
 * arimaLabel({ p: 1, d: 1, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: true }); // 'arima(1,1,0) with drift'
 */
export function arimaLabel(order: ArimaOrder): string {
  const seasonalPart = order.P || order.D || order.Q ? `(${order.P},${order.D},${order.Q})[${order.m}]` : '';
  const constant = order.constant ? (order.d + order.D === 0 ? ' with mean' : ' with drift') : '';
  return `arima(${order.p},${order.d},${order.q})${seasonalPart}${constant}`;
}

interface ArimaModelFit extends FittedModel {
  readonly fit: ArimaFit;
  readonly log: boolean;
}

/**
 * Automatic ARIMA spec for {@link forecastSeries} (see {@link autoArima}): missing values are
 * interpolated linearly first; the season is the shortest period when two full cycles are
 * present and it is at most 52 steps. A positive seasonal series whose swings grow with its level
 * is modelled on the log scale (the test STL uses, {@link preferLog}); its forecasts are then
 * medians, exp of the log forecast, with the log-normal's variance. With `previous` (a backtest
 * warm start) fitted with the same usable season, the order and transform found there are kept and
 * only the coefficients are re-estimated, starting from the previous ones; otherwise the search runs again.
 * Needs 8 observed values. Sample paths run the recursion with normal shocks.
 * Not applicable to an empty series (fewer than 8 observed values): the automatic choice skips it.
 * Cost: as autoArima (a warm start: one fit of the kept order).
 *
 * @example
 * arima.fit(prepareSeries(monthly, [12]), monthly.length).forecast(12).mean;
 */
export const arima: ModelSpec = {
  name: 'arima',
  applicable: (series, length) => countObserved(series.values, length) >= 8,
  fit: (series: PreparedSeries, length: number, previous?: FittedModel): FittedModel => {
    const m = usablePeriod(series.periods, length);
    const raw = interpolateMissing(series.values, length);
    // A warm start keeps the earlier order and transform only while the same season is usable: an
    // origin with under two cycles chose without it, and keeping that choice would lose the season for good.
    const warmModel = previous as ArimaModelFit | undefined;
    const warm = warmModel?.fit.order.m === m ? warmModel : undefined;
    // The log (as STL's): for a positive series whose seasonal swings grow with its level.
    const log = warm ? warm.log && raw.every((v) => v > 0) : m > 1 && preferLog(raw, m);
    const x = log ? raw.map(Math.log) : raw;
    let fit: ArimaFit | null = null;
    if (warm && warm.log === log) {
      fit = fitArima(x, warm.fit.order, parameterVector(warm.fit), WARM_ITERATIONS, REFIT_TOLERANCE);
    }
    fit ??= autoArima(x, m);
    if (!fit) throw new Error('arima: no model could be fitted');
    const chosen = fit;
    const count = series.kind === 'count';
    const seasonalUsed = chosen.order.P + chosen.order.D + chosen.order.Q > 0;
    const model: ArimaModelFit = {
      fit: chosen,
      log,
      label: arimaLabel(chosen.order),
      periodsUsed: seasonalUsed ? [series.periods[0] as number] : [],
      forecast: (horizon) => {
        const f = arimaForecast(chosen, horizon);
        if (!log) return f;
        for (let h = 0; h < horizon; h++) {
          const c = f.mean[h] as number;
          const v = f.variance[h] as number;
          f.mean[h] = Math.exp(c);
          f.variance[h] = Math.exp(2 * c) * Math.expm1(v) * Math.exp(v);
        }
        return f;
      },
      simulate(horizon: number, rng: Rng): Float64Array {
        const sigma = Math.sqrt(chosen.sigma2);
        const shocks = Float64Array.from({ length: horizon }, () => sigma * sampleNormal(rng));
        const path = project(chosen, horizon, shocks);
        for (let h = 0; h < horizon; h++) path[h] = toKind(log ? Math.exp(path[h] as number) : (path[h] as number), count);
        return path;
      },
    };
    return model;
  },
};
