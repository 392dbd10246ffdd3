import { normalQuantile } from './normal-quantile.js';
import { negativeBinomialSize, predictiveIntervals, predictiveQuantiles } from './predictive-quantiles.js';

describe('normalQuantile', () => {
  it('matches tabulated values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});

describe('predictiveQuantiles', () => {
  it('gives Poisson quantiles for small counts (hand-checked against the Poisson(2) CDF)', () => {
    // P(X<=0)=0.135, P(X<=1)=0.406, P(X<=3)=0.857, P(X<=4)=0.947, P(X<=5)=0.983
    expect(predictiveQuantiles(2, 2, [0.1, 0.5, 0.9, 0.975], 'count')).toEqual([0, 2, 4, 5]);
    // variance below the mean is still Poisson: a count cannot be under-dispersed here
    expect(predictiveQuantiles(2, 0.5, [0.1, 0.9], 'count')).toEqual([0, 4]);
  });

  it('widens for overdispersed counts and never goes below zero', () => {
    const [lo, hi] = predictiveQuantiles(3, 12, [0.025, 0.975], 'count');
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(8);
    expect(negativeBinomialSize(3, 12)).toBe(1);
  });

  it('keeps the mean inside the 80% range of a count more dispersed than a geometric', () => {
    // Mean 34, variance 34 + 10·34²: as a negative binomial (size 0.1) the 80% range is [0, 5].
    // The log-normal with these moments: σ² = ln(1 + (34 + 11560)/34²) = ln(11.03), median
    // 34/√11.03 = 10.24, 80% range 10.24·exp(∓1.2816·1.549) = [1.41, 74.57], rounded.
    const [lo, hi] = predictiveQuantiles(34, 34 + 10 * 34 * 34, [0.1, 0.9], 'count');
    expect(lo).toBe(1);
    expect(hi).toBe(75);
    // A geometric (size 1) itself is still the negative binomial: P(X <= 0) = 1/4 at mean 3.
    expect(predictiveQuantiles(3, 12, [0.2], 'count')).toEqual([0]);
  });

  it('handles zero, NaN and huge means', () => {
    expect(predictiveQuantiles(0, 0, [0.1, 0.9], 'count')).toEqual([0, 0]);
    expect(predictiveQuantiles(Number.NaN, 1, [0.1], 'count')[0]).toBeNaN();
    const [lo, hi] = predictiveQuantiles(1000, 1000, [0.025, 0.975], 'count');
    expect(lo).toBeGreaterThanOrEqual(936);
    expect(hi).toBeLessThanOrEqual(1064);
    const [a, b] = predictiveQuantiles(1e7, 1e7, [0.025, 0.975], 'count');
    expect(a).toBeGreaterThan(1e7 - 7000);
    expect(b).toBeLessThan(1e7 + 7000);
  });

  it('uses a normal for continuous values, floored at zero only when asked', () => {
    const [lo, hi] = predictiveQuantiles(10, 4, [0.025, 0.975], 'continuous', false);
    expect(lo).toBeCloseTo(10 - 2 * 1.959964, 5);
    expect(hi).toBeCloseTo(10 + 2 * 1.959964, 5);
    expect(predictiveQuantiles(1, 4, [0.025], 'continuous', true)[0]).toBe(0);
  });

  it('builds central intervals per level', () => {
    expect(predictiveIntervals(2, 2, [80, 95], 'count')).toEqual([
      { level: 80, lower: 0, upper: 4 },
      { level: 95, lower: 0, upper: 5 },
    ]);
  });

  it('gives each of two levels, in the order asked, the bounds that level gets alone', () => {
    // Bounds of one level from its two quantiles, computed without predictiveIntervals.
    const alone = (mean: number, variance: number, level: number, kind: 'count' | 'continuous') => {
      const [lower, upper] = predictiveQuantiles(mean, variance, [(1 - level / 100) / 2, (1 + level / 100) / 2], kind);
      return { level, lower, upper };
    };
    for (const [mean, variance, kind] of [
      [12, 30, 'count'],
      [250, 400, 'count'],
      [10, 4, 'continuous'],
    ] as const) {
      expect(predictiveIntervals(mean, variance, [80, 95], kind)).toEqual([alone(mean, variance, 80, kind), alone(mean, variance, 95, kind)]);
      expect(predictiveIntervals(mean, variance, [95, 50], kind)).toEqual([alone(mean, variance, 95, kind), alone(mean, variance, 50, kind)]);
    }
    // A level outside (0, 100) beside a valid one: NaN bounds for it, the valid one unaffected.
    const [bad, good] = predictiveIntervals(12, 30, [100, 80], 'count');
    expect(bad).toEqual({ level: 100, lower: Number.NaN, upper: Number.NaN });
    expect(good).toEqual(alone(12, 30, 80, 'count'));
  });
});
