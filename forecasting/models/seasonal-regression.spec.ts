import { forecastSeries } from '../forecast-series.js';
import { prepareSeries } from '../prepare-series.js';
import { createRng } from '../prng.js';
import { samplePoisson } from '../sampling.js';
import { seasonalRegression } from './seasonal-regression.js';

const YEAR = 365.25;
/** Mean multiplier per weekday (day 0 first). */
const WEEKDAY = [1.25, 1.15, 1.05, 1.0, 0.85, 0.45, 0.9];
/** Log amplitude of the yearly wave: the busiest month is e^0.8 ≈ 2.2 times the quietest. */
const YEARLY_LOG_AMPLITUDE = 0.4;

/** Expected leads on day t: weekday shape times a yearly wave peaking on day `peak`. */
const truth = (t: number, peak: number): number =>
  12 * (WEEKDAY[t % 7] as number) * Math.exp(YEARLY_LOG_AMPLITUDE * Math.cos((2 * Math.PI * (t - peak)) / YEAR));

/** Poisson daily counts of `days` days around {@link truth}. */
function dailyLeads(seed: number, days: number, peak: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: days }, (_, t) => samplePoisson(rng, truth(t, peak)));
}

/** Sum of `means` over steps [from, from + 30). */
const monthTotal = (means: ArrayLike<number>, from: number): number =>
  Array.from(means)
    .slice(from, from + 30)
    .reduce((s, x) => s + x, 0);

/**
 * Log ratio of the busiest to the quietest forecast month (30 days from 90 and from 270 steps
 * ahead when the yearly peak is 105 days ahead), against the truth's: 1 = full yearly swing, 0 = flat.
 */
function keptShareOfYearlySwing(means: ArrayLike<number>, n: number, peak: number): number {
  const expected = Array.from({ length: 300 }, (_, h) => truth(n + h, peak));
  return Math.log(monthTotal(means, 90) / monthTotal(means, 270)) / Math.log(monthTotal(expected, 90) / monthTotal(expected, 270));
}

describe('seasonal regression: yearly pattern from 13-23 months of daily history', () => {
  it('with 15 months forecasts the busy season as busier than the months around it, with a swing shrunk towards flat', () => {
    const n = 456; // 15 months: a quarter of the second year seen, so about half the swing is kept (√0.25, as STL)
    const peak = n + 105;
    const fit = seasonalRegression.fit(prepareSeries(dailyLeads(1, n, peak), [7, YEAR]), n);
    expect(fit.periodsUsed).toEqual([7, YEAR]);
    const mean = fit.forecast(300).mean;
    // The peak month beats the months before and after it (a trend alone cannot do both).
    expect(monthTotal(mean, 90)).toBeGreaterThan(1.05 * monthTotal(mean, 0));
    expect(monthTotal(mean, 90)).toBeGreaterThan(1.05 * monthTotal(mean, 180));
    const kept = keptShareOfYearlySwing(mean, n, peak);
    expect(kept).toBeGreaterThan(0.3);
    expect(kept).toBeLessThan(0.75);
  });

  it('keeps more of the swing as the history grows, and all of it at two years (no jump at 730 days)', () => {
    const kept = [548, 640, 729, 731].map((n) => {
      const peak = n + 105;
      const fit = seasonalRegression.fit(prepareSeries(dailyLeads(2, n, peak), [7, YEAR]), n);
      return keptShareOfYearlySwing(fit.forecast(300).mean, n, peak);
    });
    const [eighteenMonths, twentyOneMonths, justUnderTwoYears, twoYears] = kept as [number, number, number, number];
    expect(eighteenMonths).toBeGreaterThan(0.5);
    expect(eighteenMonths).toBeLessThan(0.9);
    expect(twentyOneMonths).toBeGreaterThan(eighteenMonths);
    expect(twoYears).toBeGreaterThan(0.8);
    expect(Math.abs(justUnderTwoYears - twoYears)).toBeLessThan(0.05);
  });

  it('with 25+ months forecasts exactly as before shrinkage existed', () => {
    const n = 800;
    const values = dailyLeads(42, n, 900);
    const fit = seasonalRegression.fit(prepareSeries(values, [7, YEAR]), n);
    expect(fit.periodsUsed).toEqual([7, YEAR]);
    const f = fit.forecast(200);
    // Computed with the regression as it was before thin yearly cycles (yearly terms from two years only).
    const before = [
      [0, 12.539333529375337, 12.917171129990555],
      [30, 11.56279623381415, 11.943770053048302],
      [99, 18.548387996783298, 19.31529750391896],
      [199, 5.45942941545597, 5.561742140463059],
    ] as const;
    for (const [h, mean, variance] of before) {
      expect(Math.abs((f.mean[h] as number) / mean - 1)).toBeLessThan(1e-6);
      expect(Math.abs((f.variance[h] as number) / variance - 1)).toBeLessThan(1e-6);
    }
  });

  it('with 10 months uses no yearly term: the same forecast as without the yearly cycle', () => {
    const n = 300;
    const values = dailyLeads(3, n, n + 105);
    const fit = seasonalRegression.fit(prepareSeries(values, [7, YEAR]), n);
    expect(fit.periodsUsed).toEqual([7]);
    const weeklyOnly = seasonalRegression.fit(prepareSeries(values, [7]), n);
    expect(Array.from(fit.forecast(60).mean)).toEqual(Array.from(weeklyOnly.forecast(60).mean));
  });

  it('with 70 weeks of weekly data forecasts the busy season above the weeks around it', () => {
    const weeks = 70;
    const peakWeek = weeks + 15;
    const rng = createRng(4);
    const values = Array.from({ length: weeks }, (_, w) =>
      samplePoisson(rng, 80 * Math.exp(YEARLY_LOG_AMPLITUDE * Math.cos((2 * Math.PI * (w - peakWeek)) / (YEAR / 7)))),
    );
    const fit = seasonalRegression.fit(prepareSeries(values, [YEAR / 7]), weeks);
    expect(fit.periodsUsed).toEqual([YEAR / 7]);
    const mean = fit.forecast(40).mean;
    const around = (from: number): number =>
      Array.from(mean)
        .slice(from, from + 4)
        .reduce((s, x) => s + x, 0);
    expect(around(13)).toBeGreaterThan(1.05 * around(0));
    expect(around(13)).toBeGreaterThan(1.05 * around(30));
  });
});

describe('forecastSeries with 15 months of daily history', () => {
  it("names the yearly pattern when the regression forecasts a practice's leads", () => {
    const n = 456;
    const values = dailyLeads(5, n, n + 105);
    const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values }, { horizon: 200, candidates: ['regression'] })!;
    expect(f.model).toBe('regression');
    expect(f.patterns).toEqual(['weekly', 'yearly']);
    expect(f.seasonalPeriodsUsed).toEqual([7, YEAR]);
    const means = f.points.map((p) => p.mean);
    expect(monthTotal(means, 90)).toBeGreaterThan(1.05 * monthTotal(means, 0));
    expect(monthTotal(means, 90)).toBeGreaterThan(1.05 * monthTotal(means, 170));
  });
});
