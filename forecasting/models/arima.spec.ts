// ARIMA pinned against R 4.x with forecast 8.20 (Rscript here). The reference numbers come from
// `Arima(..., method = "CSS")` and `forecast()` on it, `auto.arima`, `ndiffs`, urca's `ur.kpss`
// and forecast's `seas.heuristic`; they are copied here with tolerances.
//
// Tolerances: the CSS coefficients are the same least-squares problem R's optim solves, so they
// agree to ~1e-5 (both stop at a convergence tolerance). R forecasts a CSS fit through its
// Kalman filter (exact state), this model from the CSS residuals (conditional state), so the
// means of a model with seasonal MA terms differ by ~1e-4 of the level; without MA terms at the
// start of the series they agree to ~1e-6.
import { createRng } from '../prng.js';
import { arima, arimaForecast, arimaLabel, autoArima, fitArima, kpssStatistic, ndiffs, rootsOutside, seasonalStrength } from './arima.js';
import type { PreparedSeries } from './model.js';
import { airPassengers, austres, nottem, wwwUsage } from './r-datasets.fixture.js';

const z975 = 1.959963984540054;
const upper95 = (mean: Float64Array, variance: Float64Array): number[] => [...mean].map((m, i) => m + z975 * Math.sqrt(variance[i] as number));
const none = { P: 0, D: 0, Q: 0, m: 1 };
/** R: forecast(Arima(log(AirPassengers), c(0,1,1), c(0,1,1), method = "CSS"), 24)$mean. */
const logAirlineMean = [
  6.109592227, 6.053727205, 6.172890657, 6.198639283, 6.231668722, 6.368338092, 6.506147741, 6.502054228, 6.324488485, 6.208225452, 6.063208603, 6.167990605,
  6.205963713, 6.150098691, 6.269262144, 6.29501077, 6.328040208, 6.464709579, 6.602519228, 6.598425715, 6.420859971, 6.304596938, 6.159580089, 6.264362091,
];

describe('ARIMA by conditional sum of squares (R: Arima(method = "CSS"))', () => {
  it('fits ARIMA(1,1,1) on WWWusage and forecasts as R', () => {
    const fit = fitArima(Float64Array.from(wwwUsage), { p: 1, d: 1, q: 1, ...none, constant: false })!;
    expect(fit.ar[0]).toBeCloseTo(0.6478107425, 4);
    expect(fit.ma[0]).toBeCloseTo(0.5293180165, 4);
    expect(fit.sigma2 / 9.928290504).toBeCloseTo(1, 4);
    const f = arimaForecast(fit, 10);
    const mean = [218.8771862, 218.1498154, 217.6786167, 217.3733692, 217.1756265, 217.0475267, 216.9645423, 216.9107841, 216.875959, 216.8533988];
    mean.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - v)).toBeLessThan(0.002));
    // The 95% bounds test the ψ-weights: they grow with the AR(1) feeding the integrated MA.
    const hi95 = [225.0528739, 232.9455693, 241.0987593, 248.967178, 256.3618044, 263.2421253, 269.6294194, 275.568291, 281.1092645, 286.3011277];
    upper95(f.mean, f.variance).forEach((v, i) => expect(Math.abs(v - (hi95[i] as number))).toBeLessThan(0.005));
  });

  it('fits the airline model ARIMA(0,1,1)(0,1,1)[12] on log(AirPassengers) as R', () => {
    const fit = fitArima(Float64Array.from(airPassengers, Math.log), { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1, m: 12, constant: false })!;
    expect(fit.ma[0]).toBeCloseTo(-0.3771624391, 4);
    expect(fit.sma).toBeCloseTo(-0.5723790627, 4);
    expect(fit.sigma2 / 0.001410280909).toBeCloseTo(1, 3);
    const f = arimaForecast(fit, 24);
    logAirlineMean.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - v)).toBeLessThan(3e-4));
    const hi95 = [
      6.183196244, 6.140440295, 6.270976175, 6.306909211, 6.34924417, 6.494534743, 6.640413162, 6.643930272, 6.473587179, 6.364212724, 6.225792851, 6.336914394,
      6.391741365,
    ];
    upper95(f.mean, f.variance).forEach((v, i) => i < hi95.length && expect(Math.abs(v - (hi95[i] as number))).toBeLessThan(3e-4));
  });

  it('fits a drift on austres (R: Arima(austres, c(0,1,1), include.drift = TRUE))', () => {
    const fit = fitArima(Float64Array.from(austres), { p: 0, d: 1, q: 1, ...none, m: 4, constant: true })!;
    expect(fit.ma[0]).toBeCloseTo(0.470533079, 4);
    expect(fit.constant).toBeCloseTo(52.134326548, 2);
    expect(fit.sigma2 / 121.9702413).toBeCloseTo(1, 4);
    [17703.17935, 17755.31368, 17807.44801, 17859.58233].forEach((v, i) => expect(arimaForecast(fit, 4).mean[i]).toBeCloseTo(v, 1));
  });

  it('rejects fits whose roots are within 1.01 of the unit circle, as auto.arima does', () => {
    expect(rootsOutside([0.5])).toBe(true);
    expect(rootsOutside([0.995])).toBe(false);
    expect(rootsOutside([1.2, -0.5])).toBe(true); // complex roots, modulus √2
    expect(rootsOutside([0.5, 0.6])).toBe(false); // φ1 + φ2 > 1
  });
});

describe('automatic ARIMA (R: auto.arima)', () => {
  it('measures differencing as ndiffs and nsdiffs do', () => {
    expect(kpssStatistic(Float64Array.from(wwwUsage))).toBeCloseTo(0.7219743181, 8);
    expect(ndiffs(Float64Array.from(wwwUsage))).toBe(1);
    expect(seasonalStrength(Float64Array.from(airPassengers, Math.log), 12)).toBeCloseTo(0.96445397, 5);
    const noise = createRng(1);
    expect(ndiffs(Float64Array.from({ length: 200 }, () => noise.next()))).toBe(0);
  });

  it('chooses the orders R chooses on WWWusage and log(AirPassengers)', () => {
    expect(arimaLabel(autoArima(Float64Array.from(wwwUsage), 1)!.order)).toBe('arima(1,1,1)');
    expect(arimaLabel(autoArima(Float64Array.from(airPassengers, Math.log), 12)!.order)).toBe('arima(0,1,1)(0,1,1)[12]');
  });

  it('recovers a simulated AR(1) with mean and leaves seasonality out for long periods', () => {
    const rng = createRng(7);
    const x = new Float64Array(600);
    let u = 0;
    for (let t = 0; t < x.length; t++) {
      const e = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      u = 0.7 * u + e;
      x[t] = 50 + u;
    }
    const fit = autoArima(x, 365)!;
    expect(fit.order.m).toBe(1);
    expect(fit.order.d).toBe(0);
    expect(fit.order.constant).toBe(true);
    expect(fit.constant).toBeGreaterThan(49);
    expect(fit.constant).toBeLessThan(51);
    expect(fit.sigma2).toBeGreaterThan(0.8);
    expect(fit.sigma2).toBeLessThan(1.2);
  });
});

describe('arima model spec', () => {
  const series: PreparedSeries = { values: Float64Array.from(airPassengers), kind: 'count', nonNegative: true, periods: [12] };

  it('forecasts the seasonal peaks and warm-starts with the same order', () => {
    const fit = arima.fit(series, 132);
    const f = fit.forecast(12);
    // July and August (steps 7, 8 from December 1959) above November (step 11).
    expect(f.mean[6]).toBeGreaterThan((f.mean[10] as number) * 1.2);
    expect(fit.periodsUsed).toEqual([12]);
    const later = arima.fit(series, 144, fit);
    expect(later.label).toBe(fit.label);
  });

  it('models a series whose seasonal swings grow with its level on the log scale (R: Arima(AirPassengers, lambda = 0))', () => {
    const fit = arima.fit(series, 144);
    // The order auto.arima(AirPassengers, lambda = 0) chooses.
    expect(fit.label).toBe('arima(0,1,1)(0,1,1)[12]');
    // R: forecast(Arima(AirPassengers, c(0,1,1), c(0,1,1), lambda = 0, method = "CSS"))$mean is
    // exp of the log forecast (the median), 450.1551 425.6967 479.5704 ..., as here.
    const f = fit.forecast(24);
    logAirlineMean.forEach((v, i) => expect(Math.abs((f.mean[i] as number) / Math.exp(v) - 1)).toBeLessThan(3e-4));
    // The variance is the log-normal's around it: a 2-year-ahead sd of about a tenth of the level.
    const cv = Math.sqrt(f.variance[23] as number) / (f.mean[23] as number);
    expect(cv).toBeGreaterThan(0.08);
    expect(cv).toBeLessThan(0.2);
  });

  it('keeps a series with steady seasonal swings on its own scale (nottem: monthly temperatures)', () => {
    const raw = Float64Array.from(nottem);
    const fit = arima.fit({ values: raw, kind: 'continuous', nonNegative: true, periods: [12] }, raw.length);
    const same = autoArima(raw, 12)!;
    expect(fit.label).toBe(arimaLabel(same.order));
    expect(Array.from(fit.forecast(12).mean)).toEqual(Array.from(arimaForecast(same, 12).mean));
  });

  it('simulates paths whose spread matches the forecast variance', () => {
    const fit = arima.fit({ ...series, kind: 'continuous' }, 144);
    const { mean, variance } = fit.forecast(12);
    const rng = createRng(3);
    const paths = Array.from({ length: 4000 }, () => fit.simulate(12, rng));
    for (const h of [0, 11]) {
      const values = paths.map((p) => p[h] as number);
      const m = values.reduce((s, v) => s + v, 0) / values.length;
      const v = values.reduce((s, y) => s + (y - m) ** 2, 0) / (values.length - 1);
      expect(Math.abs(m - (mean[h] as number))).toBeLessThan(4 * Math.sqrt((variance[h] as number) / values.length));
      expect(v / (variance[h] as number)).toBeGreaterThan(0.9);
      expect(v / (variance[h] as number)).toBeLessThan(1.1);
    }
  });
});
