import type { AccuracyView, MonthlyAccuracyView } from '../../wallboard/src/manage/lib/api-types.js';
import { coverageVerdict, describeAccuracy, describeMonthlyAccuracy, describePatterns, modelName } from '../../wallboard/src/manage/lib/accuracy.js';

const accuracy: AccuracyView = {
  model: 'ets-additive',
  longRangeModel: null,
  mase: 0.72,
  mae: 1.234,
  smape: 0.3,
  coverage80: 0.78,
  coverage95: 0.93,
  seasonalNaiveMase: 0.9,
};

describe('describeAccuracy', () => {
  it('says how far off the forecast typically is, against the simple baseline, and how the ranges held', () => {
    const words = describeAccuracy(accuracy, 'leads', 'day')!;
    expect(words.typical).toBe('Typically off by about 1.2 leads a day.');
    expect(words.baseline).toBe('20% smaller errors than "same weekday last week".');
    expect(words.coverage).toEqual(['The 80% range held the actual 78% of the time: about right.', 'The 95% range held it 93% of the time: about right.']);
    expect(words.model).toBe('Exponential smoothing, additive seasons');
    expect(words.longRangeModel).toBeNull();
    expect(words.figures).toBe('MASE 0.72 (errors relative to "same weekday last week"; below 1 beats it) · seasonal naive 0.90 · MAE 1.2/day');
  });
  it('names the model that takes over further ahead', () => {
    const words = describeAccuracy({ ...accuracy, model: 'combination(theta+regression)', longRangeModel: 'regression' })!;
    expect(words.model).toBe('Average of: theta method; regression on weekday, season and trend');
    expect(words.longRangeModel).toBe('Regression on weekday, season and trend');
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
    const partial = describeAccuracy(
      { model: 'regression', longRangeModel: null, mase: null, mae: null, smape: null, coverage80: null, coverage95: null, seasonalNaiveMase: null },
      'calls',
    )!;
    expect(partial.typical).toMatch(/not measured yet/);
    expect(partial.baseline).toBeNull();
    expect(partial.coverage).toEqual([]);
    expect(partial.figures).toBe('');
  });
});

const score = (tested: number, within80: number, typicalMissShare: number | null, bias: number | null = 0.01) => ({
  tested,
  within80,
  within95: tested,
  typicalMissShare,
  typicalMiss: 12.4,
  bias,
});

describe('describeMonthlyAccuracy', () => {
  const view: MonthlyAccuracyView = { nextMonth: score(6, 5, 0.0712), later: score(9, 7, 0.114), months: [] };

  it('says how often the monthly total fell inside the 80% range and the typical miss, in plain words', () => {
    const words = describeMonthlyAccuracy(view)!;
    expect(words.headline).toBe('In the last 6 months tested, the monthly total was within the 80% range 5 times; typical miss 7%.');
    expect(words.later).toBe('Forecast 2-3 months ahead: within the 80% range 7 of 9 times; typical miss 11%.');
    // 12 of 15 = 80%: about right.
    expect(words.verdict).toBe('Overall 12 of 15 monthly totals fell inside the 80% range: about right.');
    expect(words.bias).toBeNull();
  });

  it('warns when the ranges were too narrow, when forecasts ran high, and with one month or too few', () => {
    const narrow = describeMonthlyAccuracy({ nextMonth: score(6, 2, 0.3, 0.25), later: score(9, 3, 0.33), months: [] })!;
    expect(narrow.verdict).toMatch(/5 of 15 .*too narrow/);
    expect(narrow.bias).toBe('Next-month forecasts ran high by about 25% on average.');
    const one = describeMonthlyAccuracy({ nextMonth: score(1, 0, null), later: null, months: [] })!;
    expect(one.headline).toBe('In the one month tested, the monthly total was outside the 80% range; typical miss 12 leads.');
    expect(one.verdict).toMatch(/Too few months/);
    expect(describeMonthlyAccuracy(null)).toBeNull();
  });
});

describe('describePatterns', () => {
  it('names the patterns used, and why a yearly one is missing or shrunk', () => {
    expect(describePatterns({ weekly: true, yearly: 'full', historyDays: 800 })).toBe('Patterns used: weekly and yearly.');
    expect(describePatterns({ weekly: true, yearly: 'shrunk', historyDays: 460 })).toBe(
      'Patterns used: weekly, and a yearly pattern shrunk toward flat: only 15 months of history.',
    );
    expect(describePatterns({ weekly: true, yearly: 'none', historyDays: 280 })).toBe(
      'Patterns used: weekly. No yearly pattern: that needs 13 months of history; this practice has 9.',
    );
    expect(describePatterns({ weekly: true, yearly: 'none', historyDays: 500 })).toMatch(/tested best does without one/);
    expect(describePatterns(null)).toBeNull();
  });
});

describe('modelName', () => {
  it('names single models and combinations in words', () => {
    expect(modelName('regression')).toBe('Regression on weekday, season and trend');
    expect(modelName('combination(ets+theta)')).toBe('Average of: exponential smoothing; theta method');
    expect(modelName('something-new')).toBe('something-new');
  });
});
