import { aggregateForecast, monthBucket, weekBucket } from './aggregate-paths.js';
import { backtest, canWarmStart, planBacktest } from './backtest.js';
import { syntheticDailyLeads } from './bench/synthetic-practice.js';
import { forecastSeries, MODELS } from './forecast-series.js';
import { airPassengers } from './models/r-datasets.fixture.js';
import { seasonalNaive } from './models/seasonal-naive.js';
import { prepareSeries } from './prepare-series.js';
import { createRng } from './prng.js';
import { sampleGamma, sampleNormal } from './sampling.js';

const isSunday = (date: string): boolean => new Date(`${date}T00:00Z`).getUTCDay() === 0;

describe('forecastSeries', () => {
  it('returns null with nothing observed', () => {
    expect(forecastSeries({ start: '2026-01-01', frequency: 'daily', values: [] }, { horizon: 3 })).toBeNull();
    expect(forecastSeries({ start: '2026-01-01', frequency: 'daily', values: [Number.NaN, Number.NaN] }, { horizon: 3 })).toBeNull();
  });

  it('rejects a bad horizon or start', () => {
    expect(() => forecastSeries({ start: '2026-01-01', frequency: 'daily', values: [1] }, { horizon: 0 })).toThrow(RangeError);
    expect(() => forecastSeries({ start: 'soon', frequency: 'daily', values: [1] }, { horizon: 1 })).toThrow(RangeError);
  });

  it('forecasts zeros from an all-zero history and the constant from a constant one', () => {
    const zeros = forecastSeries({ start: '2026-01-01', frequency: 'daily', values: new Array(60).fill(0) }, { horizon: 5 })!;
    expect(zeros.points.every((p) => p.mean === 0 && p.lo95! === 0 && p.hi95! === 0)).toBe(true);
    const constant = forecastSeries({ start: '2026-01', frequency: 'monthly', values: new Array(30).fill(12.5) }, { horizon: 3 })!;
    for (const p of constant.points) {
      expect(p.mean).toBeCloseTo(12.5, 6);
      expect(p.hi95! - p.lo95!).toBeLessThan(1e-4); // rounding noise of the likelihood fits only
    }
    expect(constant.points.map((p) => p.date)).toEqual(['2028-07-01', '2028-08-01', '2028-09-01']);
  });

  it('handles very short series without a backtest', () => {
    const f = forecastSeries({ start: '2026-01-01', frequency: 'daily', values: [3, 4, 2] }, { horizon: 2 })!;
    expect(f.accuracy).toBeNull();
    expect(f.points).toHaveLength(2);
    expect(f.points.every((p) => Number.isFinite(p.mean) && p.lo80! >= 0)).toBe(true);
  });

  it('beats seasonal naive on seasonal small counts, keeps closed days at zero and intervals sane', () => {
    const values = syntheticDailyLeads(createRng(3), 3 * 365, 4);
    // missing days and an outlier must not break anything
    values[500] = Number.NaN;
    values[800] = 60;
    const f = forecastSeries({ start: '2023-01-02', frequency: 'daily', values }, { horizon: 28, closed: isSunday })!;
    expect(f.kind).toBe('count');
    expect(f.accuracy!.mase!).toBeLessThan(f.accuracy!.seasonalNaiveMase!);
    expect(f.accuracy!.coverage80!).toBeGreaterThan(0.6);
    expect(f.accuracy!.coverage95!).toBeGreaterThan(0.85);
    for (const p of f.points) {
      if (isSunday(p.date)) {
        expect([p.mean, p.lo95, p.hi95]).toEqual([0, 0, 0]);
        continue;
      }
      expect(Number.isInteger(p.lo80!) && Number.isInteger(p.hi95!)).toBe(true);
      expect(p.lo95!).toBeGreaterThanOrEqual(0);
      expect(p.lo95!).toBeLessThanOrEqual(p.lo80!);
      expect(p.lo80!).toBeLessThanOrEqual(p.mean);
      expect(p.hi80!).toBeGreaterThanOrEqual(p.mean);
      expect(p.hi95!).toBeLessThan(4 * 1.25 * 1.4 + 12); // not absurdly wide for ~5 a day
    }
  });

  it('is deterministic for a seed and totals come from sample paths', () => {
    const values = syntheticDailyLeads(createRng(5), 2 * 365, 6);
    const f = forecastSeries({ start: '2023-01-02', frequency: 'daily', values }, { horizon: 60, closed: isSunday })!;
    const a = aggregateForecast(f, monthBucket, { seed: 'x', paths: 500 });
    const b = aggregateForecast(f, monthBucket, { seed: 'x', paths: 500 });
    expect(a).toEqual(b);
    const weeks = aggregateForecast(f, weekBucket, { seed: 1, paths: 1000 });
    const week = weeks[1]!; // a full week
    expect(week.steps).toBe(7);
    expect(week.lo80!).toBeLessThanOrEqual(week.mean);
    expect(week.hi80!).toBeGreaterThanOrEqual(week.mean);
    // Summing daily bounds would give a far wider band than the simulated total.
    const days = f.points.filter((p) => weekBucket(p.date) === week.bucket);
    expect(week.hi95! - week.lo95!).toBeLessThan(days.reduce((s, p) => s + p.hi95! - p.lo95!, 0));
    expect(week.mean).toBeCloseTo(
      days.reduce((s, p) => s + p.mean, 0),
      9,
    );
  });
});

describe('forecastSeries, second generation', () => {
  it('makes the same forecast whatever the horizon asked for (a shorter one is a prefix)', () => {
    const values = syntheticDailyLeads(createRng(11), 500, 5);
    const long = forecastSeries({ start: '2024-01-01', frequency: 'daily', values }, { horizon: 90 })!;
    const short = forecastSeries({ start: '2024-01-01', frequency: 'daily', values }, { horizon: 7 })!;
    expect(short.model).toBe(long.model);
    expect(short.points).toEqual(long.points.slice(0, 7));
    expect(short.accuracy).toEqual(long.accuracy);
    expect(long.backtestHorizon).toBe(28);
  });

  it('forecasts half-hourly data with two cycles and names the patterns used', () => {
    const n = 48 * 7 * 3;
    const rng = createRng(2);
    const values = Array.from({ length: n }, (_, t) => 1000 + 300 * Math.sin((2 * Math.PI * t) / 48) + (t % 336 < 96 ? 150 : 0) + 30 * (rng.next() - 0.5));
    const f = forecastSeries({ start: '2026-01-05T00:00', frequency: 'half-hourly', values }, { horizon: 4 })!;
    expect(f.points.map((p) => p.date)).toEqual(['2026-01-26T00:00', '2026-01-26T00:30', '2026-01-26T01:00', '2026-01-26T01:30']);
    expect(f.patterns).toContain('daily');
    expect(f.accuracy!.mase!).toBeLessThan(f.accuracy!.seasonalNaiveMase!);
  });

  it('follows the yearly pattern months ahead, when models that leave it out are best over the next weeks', () => {
    // Three years and a quarter of daily counts with a yearly swing of ±40% and a weekly shape,
    // ending where the season turns: theta and ETS (weekly cycle only) join the combination on
    // the 28-day backtest. Before the long-range hand-over, months 4-6 ahead came out 52% high.
    const rng = createRng(21);
    const expected = (t: number) => 30 * (1 + 0.4 * Math.sin((2 * Math.PI * (t - 228)) / 365.25 - Math.PI / 2)) * (t % 7 === 6 ? 0.4 : 1.1);
    const n = 3 * 365 + 91;
    const values = Array.from({ length: n }, (_, t) => Math.round(expected(t) * Math.exp(0.15 * sampleNormal(rng))));
    const f = forecastSeries({ start: '2023-01-01', frequency: 'daily', values }, { horizon: 180 })!;
    expect(f.members).toContain('theta');
    expect(f.longRangeMembers).not.toContain('theta');
    expect(f.patterns).toContain('yearly');
    const mean = (at: (h: number) => number) => {
      let sum = 0;
      for (let h = 120; h < 180; h++) sum += at(h);
      return sum / 60;
    };
    expect(Math.abs(mean((h) => f.points[h]!.mean) / mean((h) => expected(n + h)) - 1)).toBeLessThan(0.1);
    // Within the backtest horizon the forecast is the members' alone: a shorter request is still a prefix.
    const short = forecastSeries({ start: '2023-01-01', frequency: 'daily', values }, { horizon: 28 })!;
    expect(short.points).toEqual(f.points.slice(0, 28));
  });

  it('keeps a shrunk yearly pattern with 13 months of daily history', () => {
    const n = 400;
    const values = Array.from({ length: n }, (_, t) => 100 + 40 * Math.sin((2 * Math.PI * (t + 100)) / 365.25) + ((t * 37) % 11) - 5);
    const series = prepareSeries(values, [7, 365.25]);
    const fit = MODELS.stl.fit(series, n);
    expect(fit.periodsUsed).toContain(365.25);
    const mean = fit.forecast(200).mean;
    // The truth swings by ±40; a shrunk pattern swings less, but clearly.
    const swing = Math.max(...mean) - Math.min(...mean);
    expect(swing).toBeGreaterThan(2);
    expect(swing).toBeLessThan(80);
  });

  it('gives calibrated, wider ranges to a short history and sample paths that agree with them', () => {
    const values = syntheticDailyLeads(createRng(8), 70, 6);
    const f = forecastSeries({ start: '2026-01-05', frequency: 'daily', values }, { horizon: 14 })!;
    expect(f.calibration.range80.every((k) => k > 0)).toBe(true);
    const paths = f.samplePaths(4000, 'seed');
    // Monday, Friday, Saturday; then the Sundays, never a lead in the history: a range of [0, 0]
    // that nearly every path keeps.
    for (const h of [0, 4, 12]) {
      const draws = paths.map((p) => p[h] as number).sort((a, b) => a - b);
      const point = f.points[h]!;
      const inside80 = draws.filter((x) => x >= point.lo80! && x <= point.hi80!).length / draws.length;
      expect(inside80).toBeGreaterThan(0.7);
      expect(inside80).toBeLessThan(0.95);
    }
    for (const h of [6, 13]) {
      expect(f.points[h]).toMatchObject({ lo80: 0, hi80: 0 });
      expect(paths.filter((p) => p[h] === 0).length / paths.length).toBeGreaterThan(0.95);
    }
  });

  it('covers what happens next about as often as it says on a noisy seasonal series', () => {
    let inside80 = 0;
    let total = 0;
    for (let seed = 0; seed < 6; seed++) {
      const all = syntheticDailyLeads(createRng(100 + seed), 400 + 28, 8);
      const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values: all.slice(0, 400) }, { horizon: 28 })!;
      f.points.forEach((p, h) => {
        const y = all[400 + h] as number;
        if (y >= p.lo80! && y <= p.hi80!) inside80++;
        total++;
      });
    }
    expect(inside80 / total).toBeGreaterThan(0.7);
    expect(inside80 / total).toBeLessThan(0.92);
  });
});

describe('forecastSeries ranges with heavy-tailed errors', () => {
  // Daily values with a weekly shape and noise that is either normal or Student t with 3 degrees
  // of freedom (most days close to the pattern, a few far off, as in real series).
  const series = (seed: number, heavy: boolean): number[] => {
    const rng = createRng(seed);
    return Array.from({ length: 400 }, (_, t) => {
      const noise = heavy ? sampleNormal(rng) / Math.sqrt(sampleGamma(rng, 1.5, 2) / 3) : sampleNormal(rng);
      return 100 + 15 * Math.sin((2 * Math.PI * t) / 7) + 5 * noise;
    });
  };
  /** Mean over five series of (hi95 - mean) / (hi80 - mean) four days ahead: 1.53 for a normal range. */
  const tailRatio = (heavy: boolean): number => {
    let sum = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values: series(seed, heavy) }, { horizon: 28 })!;
      const p = f.points[3]!;
      expect(f.calibration.range95[3]!).toBeGreaterThanOrEqual(f.calibration.range80[3]!);
      sum += (p.hi95! - p.mean) / (p.hi80! - p.mean);
    }
    return sum / 5;
  };

  it("widens the 95% range beyond a normal's when the backtest misses are heavy-tailed, and only then", () => {
    expect(tailRatio(true)).toBeGreaterThan(1.85);
    expect(tailRatio(false)).toBeLessThan(1.72);
  });
});

describe('backtest', () => {
  it('plans origins that tile the recent history', () => {
    expect(planBacktest(1095, 28, [7, 365.25])).toEqual({ origins: [1011, 1039, 1067], horizon: 28 });
    expect(planBacktest(3, 5, [7])).toBeNull();
  });

  it('scores seasonal naive exactly on a hand-computed case', () => {
    // m = 2; origins 6 and 8 with horizon 2 (cap n/4 = 2).
    const series = prepareSeries([1, 3, 2, 4, 3, 5, 4, 6, 6, 6], [2]);
    const plan = planBacktest(10, 2, [2], 2)!;
    expect(plan).toEqual({ origins: [6, 8], horizon: 2 });
    const accuracy = backtest(series, seasonalNaive, plan)!;
    // origin 6: forecasts 3, 5 vs 4, 6 -> MAE 1; scale over [1,3,2,4,3,5] lag 2 = 1 -> 1
    // origin 8: forecasts 4, 6 vs 6, 6 -> MAE 1; scale over 8 values lag 2 = 1 -> 1
    expect(accuracy.mase).toBeCloseTo(1, 12);
    expect(accuracy.mae).toBeCloseTo(1, 12);
    expect(accuracy.smape).toBeCloseTo((200 / 7 + 200 / 11 + 400 / 10 + 0) / 4, 9);
  });
});

describe('forecastSeries on a short seasonal history', () => {
  // 4.5 years of monthly data: the first backtest origin has 1.5 cycles, too few for a season.
  // The choice made there must not be carried to the later origins and to the forecast itself.
  const values = airPassengers.slice(0, 54);
  const swing = (mean: number[]) => Math.max(...mean) - Math.min(...mean);

  it.each(['ets', 'arima'] as const)('keeps the yearly shape with %s alone', (model) => {
    const f = forecastSeries({ start: '1949-01-01', frequency: 'monthly', values }, { horizon: 12, candidates: [model] })!;
    const mean = f.points.map((p) => p.mean);
    // The last year swings by 81 passengers (high in July and August, low in November); a flat
    // forecast swings by ~0. The forecast starts in July 1953: November is step 4.
    const lastYear = swing(values.slice(-12));
    expect(swing(mean)).toBeGreaterThan(0.4 * lastYear);
    expect(mean[4]!).toBeLessThan(Math.min(mean[0]!, mean[1]!) - 0.3 * lastYear);
  });

  it('warm-starts only from a fit that saw nearly as much', () => {
    expect(canWarmStart(1067, 1095)).toBe(true);
    expect(canWarmStart(42, 54)).toBe(false);
  });
});
