import { rowsThatFit } from '../../wallboard/src/lib/fit.js';

describe('rowsThatFit', () => {
  it('keeps the rows whose bottom edge is inside the container, in order', () => {
    expect(rowsThatFit([20, 40, 60, 80], 65)).toBe(3);
    expect(rowsThatFit([20, 40, 60, 80], 80)).toBe(4);
    expect(rowsThatFit([20, 40, 60, 80], 19)).toBe(0);
  });
  it('stops at the first row that does not fit, even if a later one would (a ranking never skips a place)', () => {
    expect(rowsThatFit([20, 90, 60], 65)).toBe(1);
  });
  it('absorbs sub-pixel rounding only', () => {
    expect(rowsThatFit([40.4], 40)).toBe(1);
    expect(rowsThatFit([41], 40)).toBe(0);
    expect(rowsThatFit([], 40)).toBe(0);
  });
});
