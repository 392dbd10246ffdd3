// Monthly totals and ranges come from summed daily sample paths: checked against an independent
// summation of the same forecast's paths; the monthly-totals backtest's cut-offs and scoring by hand.
import { describe, expect, it } from '@jest/globals';
import { forecastSeries } from './forecast-series.js';
import { backtestMonthlyTotals, scoreMonths } from './monthly-backtest.js';
import { forecastPractice, seasonalPatterns, summarizeDailySeries } from './practice-forecast.js';
import { createRng } from './prng.js';
import { samplePoisson } from './sampling.js';

const start = '2024-01-01';
const rng = createRng('spec');
// 14 months of Poisson counts with a weekly shape and closed Sundays (2024-01-07 is a Sunday).
const days = 426;
const isSunday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() === 0;
const dateOf = (i: number) => new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
const values = Array.from({ length: days }, (_, i) => (isSunday(dateOf(i)) ? 0 : samplePoisson(rng, [6, 5, 5, 5, 4, 2, 0][i % 7]!)));
const closedDates = Array.from({ length: days + 120 }, (_, i) => dateOf(i)).filter(isSunday);

describe('summarizeDailySeries', () => {
  const horizon = 100;
  const result = summarizeDailySeries('total', start, values, { horizon, closedDates, seed: 's', paths: 400 })!;

  it('gives monthly totals equal to the sum of the daily paths, computed independently', () => {
    const forecast = forecastSeries({ start, frequency: 'daily', values }, { horizon, closed: new Set(closedDates) })!;
    const paths = forecast.samplePaths(400, 's:total');
    const byMonth = new Map<string, number[]>();
    forecast.points.forEach((point, h) => {
      const month = point.date.slice(0, 7);
      const totals = byMonth.get(month) ?? new Array<number>(paths.length).fill(0);
      paths.forEach((path, p) => (totals[p] = totals[p]! + path[h]!));
      byMonth.set(month, totals);
    });
    expect(result.summary.monthly.map((m) => m.bucket)).toEqual([...byMonth.keys()]);
    for (const month of result.summary.monthly) {
      const totals = [...byMonth.get(month.bucket)!].sort((a, b) => a - b);
      // Quantile: the smallest total with at least p of the paths at or below it (400 paths: p = 0.1 is the 40th).
      expect(month.lo80).toBe(totals[39]);
      expect(month.hi80).toBe(totals[359]);
      expect(month.lo95).toBe(totals[9]);
      expect(month.hi95).toBe(totals[389]);
      // The total is the mean of the summed paths; it agrees with the sum of the daily means within sampling error.
      expect(month.mean).toBeCloseTo(totals.reduce((s, x) => s + x, 0) / totals.length, 9);
      const dailyMeans = forecast.points.filter((p) => p.date.startsWith(month.bucket)).reduce((s, p) => s + p.mean, 0);
      expect(Math.abs(dailyMeans - month.mean)).toBeLessThan(4 * Math.sqrt(month.variance / totals.length) + 1e-9);
    }
    expect(result.monthPaths.map((totals) => totals.length)).toEqual(result.summary.monthly.map(() => 400));
  });

  it('gives weekly totals from the same paths, the first week partial', () => {
    const weekDays = result.summary.weekly.map((w) => w.steps);
    expect(weekDays.reduce((s, d) => s + d, 0)).toBe(horizon);
    expect(new Date(`${result.summary.weekly[1]!.bucket}T00:00:00Z`).getUTCDay()).toBe(1);
    for (const week of result.summary.weekly) expect(week.lo80).toBeLessThanOrEqual(week.hi80);
  });

  it('says which patterns it used: weekly; from 14 months of history a yearly pattern is at most a shrunk one', () => {
    expect(result.summary.patterns.weekly).toBe(true);
    expect(result.summary.patterns.historyDays).toBe(days);
    expect(result.summary.patterns.yearly).not.toBe('full');
  });

  it('is the same whatever the thread: same input and seed, same output', () => {
    const short = values.slice(0, 150);
    const input = {
      start,
      total: short,
      channels: [{ name: 'phone', values: short }],
      calls: null,
      horizon: 40,
      closedDates,
      seed: 'x',
      paths: 100,
      revenue: null,
    };
    expect(JSON.stringify(forecastPractice(input))).toBe(JSON.stringify(forecastPractice(input)));
  });
});

describe('seasonalPatterns', () => {
  it('reads the patterns a forecast names (a yearly one from under two years is the shrunk one), else derives them', () => {
    expect(seasonalPatterns({ model: 'x', patterns: ['weekly', 'yearly'] }, 460)).toEqual({ weekly: true, yearly: 'shrunk', historyDays: 460 });
    expect(seasonalPatterns({ model: 'x', patterns: ['weekly', 'yearly'] }, 800)).toEqual({ weekly: true, yearly: 'full', historyDays: 800 });
    expect(seasonalPatterns({ model: 'x', patterns: [] }, 800)).toEqual({ weekly: false, yearly: 'none', historyDays: 800 });
    expect(seasonalPatterns({ model: 'regression' }, 800)).toEqual({ weekly: true, yearly: 'full', historyDays: 800 });
    expect(seasonalPatterns({ model: 'ets-additive' }, 800)).toEqual({ weekly: true, yearly: 'none', historyDays: 800 });
  });
});

describe('backtestMonthlyTotals', () => {
  it('cuts at the last 6 month starts and scores up to 3 complete months after each', () => {
    const year = values.slice(0, 366); // 2024-01-01 .. 2024-12-31: every month complete
    const backtest = backtestMonthlyTotals(start, year, { closed: new Set(closedDates), paths: 200, seed: 1 })!;
    expect([...new Set(backtest.rows.map((r) => r.trainedTo))]).toEqual(['2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11']);
    expect(backtest.rows.filter((r) => r.trainedTo === '2024-06').map((r) => r.month)).toEqual(['2024-07', '2024-08', '2024-09']);
    expect(backtest.rows.filter((r) => r.trainedTo === '2024-11').map((r) => r.month)).toEqual(['2024-12']);
    expect(backtest.rows).toHaveLength(3 + 3 + 3 + 3 + 2 + 1);
    expect(backtest.nextMonth.tested).toBe(6);
    expect(backtest.later?.tested).toBe(9);
    // Actual totals summed by hand from the history.
    const july = year.slice(182, 213).reduce((s, v) => s + v, 0);
    expect(backtest.rows.find((r) => r.month === '2024-07' && r.ahead === 1)!.actual).toBe(july);
  });

  it('needs a complete month after 8 weeks of history', () => {
    expect(backtestMonthlyTotals(start, values.slice(0, 80))).toBeNull();
  });

  it('scores by hand: inside the ranges, median miss share and bias', () => {
    const row = (actual: number, mean: number, lo80: number, hi80: number) => ({
      trainedTo: '2024-01',
      month: '2024-02',
      ahead: 1,
      actual,
      mean,
      lo80,
      hi80,
      lo95: lo80 - 10,
      hi95: hi80 + 10,
    });
    const score = scoreMonths([row(100, 110, 90, 120), row(100, 80, 70, 95), row(200, 190, 170, 210), row(0, 5, 0, 10)]);
    expect(score).toEqual({ tested: 4, within80: 3, within95: 4, typicalMissShare: 0.1, typicalMiss: 10, bias: (0.1 - 0.2 - 0.05) / 3 });
  });
});

describe('empiricalQuantile', () => {
  it('takes the smallest value with at least p of them at or below it, also where p·n is whole', async () => {
    const { empiricalQuantile } = await import('./aggregate-paths.js');
    const sorted = Array.from({ length: 400 }, (_, i) => i + 1);
    // (1 - 0.95) / 2 is 0.025000000000000022 in floating point: 10 of 400, not 11.
    expect(empiricalQuantile(sorted, (1 - 95 / 100) / 2)).toBe(10);
    expect(empiricalQuantile(sorted, 0.1)).toBe(40);
    expect(empiricalQuantile(sorted, 0.9)).toBe(360);
    expect(empiricalQuantile([5], 0.5)).toBe(5);
  });
});
