import { intervalCoverage, maseScale, meanAbsoluteError, smape } from './metrics.js';

describe('metrics', () => {
  it('computes MASE scale, MAE, sMAPE and coverage on a hand-worked case', () => {
    // Training 1, 2, 3, 5 with m = 1: |1| + |1| + |2| over 3 pairs.
    expect(maseScale([1, 2, 3, 5], 1)).toBeCloseTo(4 / 3, 12);
    // Actual 6, 4, 0 vs forecast 5, 5, 0: errors 1, 1, 0.
    expect(meanAbsoluteError([6, 4, 0], [5, 5, 0])).toBeCloseTo(2 / 3, 12);
    // sMAPE: 200·1/11, 200·1/9, and 0 for the 0/0 pair.
    expect(smape([6, 4, 0], [5, 5, 0])).toBeCloseTo((200 / 11 + 200 / 9 + 0) / 3, 10);
    expect(intervalCoverage([1, 5, 3], [0, 0, 3], [2, 4, 3])).toBeCloseTo(2 / 3, 12);
  });

  it('skips NaN pairs and returns null when nothing is left', () => {
    expect(maseScale([], 7)).toBeNull();
    expect(maseScale([1, 2, 3], 7)).toBeNull();
    expect(maseScale([4, 4, 4, 4], 1)).toBe(0);
    expect(meanAbsoluteError([Number.NaN, 2], [1, 5])).toBe(3);
    expect(smape([Number.NaN], [1])).toBeNull();
    expect(intervalCoverage([], [], [])).toBeNull();
  });
});
