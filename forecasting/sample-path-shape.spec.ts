// The sample paths behind weekly and monthly totals: persistent misses widen a month's range,
// heavy tails widen its 95% range, and a never-seen weekday cannot blow a month's total up.
import { monthBucket, sumPathsByBucket } from './aggregate-paths.js';
import type { BacktestForecasts } from './backtest.js';
import { forecastSeries } from './forecast-series.js';
import type { FittedModel } from './models/model.js';
import { prepareSeries } from './prepare-series.js';
import { createRng } from './prng.js';
import { levelShockShare, persistentErrorShare, tailMixture } from './sample-path-shape.js';
import { samplePoisson, sampleNormal } from './sampling.js';

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** A backtest of `origins` windows of `horizon` steps with unit variance and the given errors (actual − mean). */
function backtestWithErrors(errors: number[][]): BacktestForecasts {
  const horizon = errors[0]!.length;
  const flat = errors.flat();
  return {
    plan: { origins: errors.map((_, o) => 100 + o * horizon), horizon },
    origins: errors.map((_, o) => 100 + o * horizon),
    actual: Float64Array.from(flat, (e) => 50 + e),
    mean: new Float64Array(flat.length).fill(50),
    variance: new Float64Array(flat.length).fill(1),
    scales: errors.map(() => 1),
    last: null as unknown as FittedModel,
  };
}

const gaussian = prepareSeries(
  Array.from({ length: 50 }, (_, t) => 50.5 + (t % 2)),
  [],
);
const unitCalibration = (): number => 1;

describe('persistentErrorShare', () => {
  it('is near its ceiling when every step of every window missed by the same amount', () => {
    const errors = [1, -1, 1.2].map((shift) => Array.from({ length: 28 }, () => shift * 1.5));
    expect(persistentErrorShare(gaussian, backtestWithErrors(errors), unitCalibration)).toBeGreaterThan(0.7);
  });

  it('stays below its prior share (0.2) when the misses were independent day to day', () => {
    const rng = createRng(3);
    const errors = Array.from({ length: 3 }, () => Array.from({ length: 28 }, () => sampleNormal(rng)));
    const share = persistentErrorShare(gaussian, backtestWithErrors(errors), unitCalibration);
    expect(share).toBeLessThan(0.1);
    expect(share).toBeGreaterThanOrEqual(0);
  });
});

describe('levelShockShare', () => {
  const rng = createRng(5);
  const independent = Array.from({ length: 2000 }, () => Float64Array.from({ length: 28 }, () => sampleNormal(rng)));
  const closedNone = new Array<boolean>(28).fill(false);

  it('adds a shared level to independent paths until their window mean varies as the backtest errors did', () => {
    const share = levelShockShare(independent, closedNone, 28, 0.5);
    // Window-mean variance (1 − s)/28 + s must equal 0.5 + 0.5/28: s ≈ 0.48.
    expect(share).toBeGreaterThan(0.44);
    expect(share).toBeLessThan(0.52);
  });

  it('adds nothing to paths that already persist that much', () => {
    const persistent = independent.map((path) => {
      const level = path[0]!;
      return path.map(() => level);
    });
    expect(levelShockShare(persistent, closedNone, 28, 0.5)).toBe(0);
  });
});

describe('tailMixture', () => {
  it('keeps the 80% range and widens the 95% range by the tail factor', () => {
    const rng = createRng(11);
    for (const tail of [1.18, 1.4]) {
      const { calm, wild, wildShare } = tailMixture(tail);
      const draws = Array.from({ length: 200_000 }, () => Math.abs(sampleNormal(rng)) * (rng.next() < wildShare ? wild : calm)).sort((a, b) => a - b);
      expect(draws[Math.floor(0.8 * draws.length)]!).toBeCloseTo(Z80, 1);
      expect(draws[Math.floor(0.95 * draws.length)]! / (tail * Z95)).toBeGreaterThan(0.97);
      expect(draws[Math.floor(0.95 * draws.length)]! / (tail * Z95)).toBeLessThan(1.03);
    }
  });

  it('is a plain normal without a heavy tail', () => {
    expect(tailMixture(1)).toEqual({ calm: 1, wild: 1, wildShare: 0.1 });
  });
});

describe('monthly totals from sample paths', () => {
  it('widens a month when the recent misses were a level the forecast kept missing', () => {
    // Same weekday shape and volume; in one, the level jumps between 0.7x and 1.35x every four
    // weeks (campaigns starting and stopping). A regression's days are independent given its
    // coefficients, so its own paths would let those misses cancel out over a month.
    const rng = createRng(21);
    const days = 480;
    const steady = Array.from({ length: days }, (_, t) => samplePoisson(rng, 20 * (t % 7 === 6 ? 0.3 : 1)));
    const shifting = Array.from({ length: days }, (_, t) => samplePoisson(rng, 20 * (t % 7 === 6 ? 0.3 : 1) * (Math.floor(t / 28) % 2 === 0 ? 0.7 : 1.35)));
    /** The second month's total: its variance over the paths, against the sum of its days' variances (from their 80% ranges). */
    const persistence = (values: number[]): number => {
      const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values }, { horizon: 56, candidates: ['regression'] })!;
      const sums = sumPathsByBucket(f.points, f.samplePaths(2000, 'm'), monthBucket);
      const totals = sums.totals[1]!;
      const mean = totals.reduce((sum, x) => sum + x, 0) / totals.length;
      const monthVariance = totals.reduce((sum, x) => sum + (x - mean) ** 2, 0) / totals.length;
      const dailyVariance = f.points
        .filter((point) => monthBucket(point.date) === sums.labels[1])
        .reduce((sum, point) => sum + ((point.hi80! - point.lo80!) / 2 / Z80) ** 2, 0);
      return monthVariance / dailyVariance;
    };
    expect(persistence(shifting)).toBeGreaterThan(4);
    expect(persistence(steady)).toBeLessThan(persistence(shifting) / 2);
  });

  it('widens the daily ranges beyond the backtest window as the paths widen, and the paths agree with them', () => {
    const rng = createRng(21);
    const shifting = Array.from({ length: 480 }, (_, t) => samplePoisson(rng, 20 * (t % 7 === 6 ? 0.3 : 1) * (Math.floor(t / 28) % 2 === 0 ? 0.7 : 1.35)));
    const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values: shifting }, { horizon: 120, candidates: ['regression'] })!;
    const width = (h: number) => f.points[h]!.hi80! - f.points[h]!.lo80!;
    // Step 14 is inside the 28-day backtest window, step 112 three windows beyond it; same weekday.
    expect(width(112)).toBeGreaterThan(1.15 * width(14));
    const paths = f.samplePaths(4000, 'far');
    for (const h of [14, 112]) {
      const inside = paths.filter((p) => p[h]! >= f.points[h]!.lo80! && p[h]! <= f.points[h]!.hi80!).length / paths.length;
      expect(inside).toBeGreaterThan(0.72);
      expect(inside).toBeLessThan(0.9);
    }
  });

  it("keeps a quiet channel's month total on its forecast", () => {
    // About 0.3 leads a day: flooring the paths' deviations at 0 used to lift a month's simulated
    // total by half above the sum of its days' forecasts.
    const rng = createRng(7);
    const values = Array.from({ length: 500 }, (_, t) => samplePoisson(rng, t % 7 === 6 ? 0.06 : 0.3));
    const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values }, { horizon: 90 })!;
    const sums = sumPathsByBucket(f.points, f.samplePaths(2000, 'quiet'), monthBucket);
    for (const b of [1, 2]) {
      const pathMean = sums.totals[b]!.reduce((sum, x) => sum + x, 0) / 2000;
      expect(Math.abs(pathMean / sums.means[b]! - 1)).toBeLessThan(0.05);
    }
    expect(sums.totals[1]!.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it('keeps a month total near its forecast when one weekday has never had a lead (not declared closed)', () => {
    const rng = createRng(2);
    const values = Array.from({ length: 420 }, (_, t) => (t % 7 === 6 ? 0 : samplePoisson(rng, 12)));
    const f = forecastSeries({ start: '2025-01-06', frequency: 'daily', values }, { horizon: 62, candidates: ['regression'] })!;
    const sums = sumPathsByBucket(f.points, f.samplePaths(2000, 'sunday'), monthBucket);
    const totals = [...sums.totals[1]!].sort((a, b) => a - b);
    // About 26 open days × 12 leads: the highest of 2,000 simulated months stays within 1.5× of it.
    expect(totals[totals.length - 1]!).toBeLessThan(1.5 * sums.means[1]!);
  });
});
