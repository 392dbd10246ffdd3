import type { AccuracyView } from '../../wallboard/src/manage/lib/api-types.js';
import { coverageVerdict, describeAccuracy } from '../../wallboard/src/manage/lib/accuracy.js';

const accuracy: AccuracyView = { model: 'ets-additive', mase: 0.72, mae: 1.234, smape: 0.3, coverage80: 0.78, coverage95: 0.93, seasonalNaiveMase: 0.9 };

describe('describeAccuracy', () => {
  it('says how far off the forecast typically is, against the simple baseline, and how the ranges held', () => {
    const words = describeAccuracy(accuracy, 'leads', 'day')!;
    expect(words.typical).toBe('Typically off by about 1.2 leads a day.');
    expect(words.baseline).toBe('20% smaller errors than "same weekday last week".');
    expect(words.coverage).toEqual([
      'The 80% range held the actual 78% of the time: about right.',
      'The 95% range held it 93% of the time: about right.',
    ]);
    expect(words.model).toBe('Exponential smoothing, additive seasons');
    expect(words.figures).toBe('MASE 0.72 · seasonal naive 0.90 · MAE 1.2/day');
  });
  it('is honest when the model loses to the baseline or is the baseline', () => {
    expect(describeAccuracy({ ...accuracy, mase: 1.2, seasonalNaiveMase: 1 })!.baseline).toBe('20% larger errors than "same weekday last week".');
    expect(describeAccuracy({ ...accuracy, model: 'seasonal-naive' })!.baseline).toMatch(/baseline itself/);
  });
  it('warns about ranges that are too narrow', () => {
    expect(coverageVerdict(0.6, 0.8)).toMatch(/too narrow/);
    expect(coverageVerdict(0.97, 0.8)).toMatch(/cautious/);
  });
  it('gives nothing to show without a backtest, and words without figures when some are missing', () => {
    expect(describeAccuracy(null)).toBeNull();
    const partial = describeAccuracy({ model: 'regression', mase: null, mae: null, smape: null, coverage80: null, coverage95: null, seasonalNaiveMase: null }, 'calls')!;
    expect(partial.typical).toMatch(/not measured yet/);
    expect(partial.baseline).toBeNull();
    expect(partial.coverage).toEqual([]);
    expect(partial.figures).toBe('');
  });
});
