// The backtest accuracy of a forecast in plain words, for the panel beside each chart. Tested in
// test/wallboard/manage-accuracy.test.ts.

import type { AccuracyView, MonthlyAccuracyView, MonthlyScoreView, SeasonalPatternsView } from './api-types.js';

export interface AccuracyWords {
  /** The model, as a person would call it. */
  model: string;
  /** The model further ahead when another one takes over there (it follows the yearly pattern), else null. */
  longRangeModel: string | null;
  /** "Typically off by about 1.2 leads a day." */
  typical: string;
  /** Against the seasonal-naive baseline ("same weekday last week"), or null when unknown. */
  baseline: string | null;
  /** How often the 80% and 95% ranges held the actual, with a verdict; empty when unknown. */
  coverage: string[];
  /** The raw figures, for those who want them. */
  figures: string;
}

const MODEL_NAMES: Record<string, string> = {
  'seasonal-naive': 'Same weekday last week (seasonal naive)',
  'ets-additive': 'Exponential smoothing, additive seasons',
  'ets-multiplicative': 'Exponential smoothing, multiplicative seasons',
  regression: 'Regression on weekday, season and trend',
  ets: 'Exponential smoothing',
  theta: 'Theta method',
  stl: 'Seasonal decomposition + exponential smoothing',
};

/** A model as a person would call it; a combination `combination(a+b)` as "Average of ...". */
export function modelName(model: string): string {
  const members = /^combination\((.+)\)$/.exec(model)?.[1];
  if (members)
    return `Average of: ${members
      .split('+')
      .map((m) => (MODEL_NAMES[m] ?? m).toLowerCase())
      .join('; ')}`;
  return MODEL_NAMES[model] ?? model;
}

const oneDecimal = (x: number) => (x >= 10 ? String(Math.round(x)) : x.toFixed(1));
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** How well one nominal range held up: "about right" within ±7 points, else too narrow / cautious. */
export function coverageVerdict(observed: number, nominal: number): string {
  const gap = observed - nominal;
  if (gap < -0.07) return 'too narrow: expect more surprises than the band suggests';
  if (gap > 0.07 && nominal < 0.95) return 'on the cautious (wide) side';
  return 'about right';
}

/**
 * The accuracy in words. `unit` is what the forecast counts per `per` ("leads", "day").
 * Null accuracy (no backtest was possible) says so instead of inventing numbers.
 */
export function describeAccuracy(accuracy: AccuracyView | null, unit = 'leads', per = 'day'): AccuracyWords | null {
  if (!accuracy) return null;
  const { mae, smape, mase, seasonalNaiveMase: naive, coverage80, coverage95 } = accuracy;
  let typical: string;
  if (mae !== null) typical = `Typically off by about ${oneDecimal(mae)} ${unit} a ${per}.`;
  else if (smape !== null) typical = `Typically off by about ${pct(smape / 2)} a ${per}.`;
  else typical = 'How far off it typically is: not measured yet.';

  let baseline: string | null = null;
  if (accuracy.model === 'seasonal-naive') baseline = 'This is the simple baseline itself: no model beat "same weekday last week" yet.';
  else if (mase !== null && naive !== null && naive > 0) {
    const ratio = mase / naive;
    if (ratio < 0.95) baseline = `${pct(1 - ratio)} smaller errors than "same weekday last week".`;
    else if (ratio > 1.05) baseline = `${pct(ratio - 1)} larger errors than "same weekday last week".`;
    else baseline = 'About as accurate as "same weekday last week".';
  }

  const coverage: string[] = [];
  if (coverage80 !== null) coverage.push(`The 80% range held the actual ${pct(coverage80)} of the time: ${coverageVerdict(coverage80, 0.8)}.`);
  if (coverage95 !== null) coverage.push(`The 95% range held it ${pct(coverage95)} of the time: ${coverageVerdict(coverage95, 0.95)}.`);

  // MASE never stands alone: it is the error relative to "same weekday last week" measured in-sample.
  const figures = [
    mase !== null ? `MASE ${mase.toFixed(2)} (errors relative to "same weekday last week"; below 1 beats it)` : null,
    naive !== null ? `seasonal naive ${naive.toFixed(2)}` : null,
    mae !== null ? `MAE ${oneDecimal(mae)}/${per}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    model: modelName(accuracy.model),
    longRangeModel: accuracy.longRangeModel ? modelName(accuracy.longRangeModel) : null,
    typical,
    baseline,
    coverage,
    figures,
  };
}

/** The monthly-totals backtest in words, for the panel beside a monthly chart. */
export interface MonthlyAccuracyWords {
  /** "In the last 6 months tested, the monthly total was within the 80% range 5 times; typical miss 7%." */
  headline: string;
  /** The same for totals forecast 2-3 months ahead, or null. */
  later: string | null;
  /** Whether the ranges look right, too narrow or cautious (or too few months to tell). */
  verdict: string;
  /** Forecasts running high or low on average, when by 5% or more; else null. */
  bias: string | null;
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

function missText(score: MonthlyScoreView, unit: string): string {
  return score.typicalMissShare !== null ? `typical miss ${pct(score.typicalMissShare)}` : `typical miss ${oneDecimal(score.typicalMiss)} ${unit}`;
}

/**
 * The monthly-totals backtest (GET /api/v1/forecasts/leads: total.monthlyAccuracy) in words a
 * manager reads: how often the month's total fell inside the 80% range, and the typical miss.
 * Null when there was nothing to test.
 */
export function describeMonthlyAccuracy(view: MonthlyAccuracyView | null, unit = 'leads'): MonthlyAccuracyWords | null {
  if (!view || view.nextMonth.tested === 0) return null;
  const next = view.nextMonth;
  const headline =
    next.tested === 1
      ? `In the one month tested, the monthly total was ${next.within80 === 1 ? 'within' : 'outside'} the 80% range; ${missText(next, unit)}.`
      : `In the last ${next.tested} months tested, the monthly total was within the 80% range ${times(next.within80)}; ${missText(next, unit)}.`;
  const later = view.later
    ? `Forecast 2-3 months ahead: within the 80% range ${view.later.within80} of ${view.later.tested} times; ${missText(view.later, unit)}.`
    : null;
  const all = [next, ...(view.later ? [view.later] : [])];
  const tested = all.reduce((s, x) => s + x.tested, 0);
  const within = all.reduce((s, x) => s + x.within80, 0);
  const verdict =
    tested < 5
      ? 'Too few months tested to judge the ranges yet.'
      : `Overall ${within} of ${tested} monthly totals fell inside the 80% range: ${coverageVerdict(within / tested, 0.8)}.`;
  const bias =
    next.bias !== null && Math.abs(next.bias) >= 0.05
      ? `Next-month forecasts ran ${next.bias > 0 ? 'high' : 'low'} by about ${pct(Math.abs(next.bias))} on average.`
      : null;
  return { headline, later, verdict, bias };
}

/** About 13 months: the history from which a yearly pattern can be estimated at all. */
const YEARLY_DAYS = 396;

/** Which seasonal patterns the forecast used, in one sentence. */
export function describePatterns(patterns: SeasonalPatternsView | null): string | null {
  if (!patterns) return null;
  const months = Math.floor(patterns.historyDays / 30.44);
  const weekly = patterns.weekly ? 'weekly' : null;
  if (patterns.yearly === 'full') return `Patterns used: ${weekly ? 'weekly and yearly' : 'yearly'}.`;
  if (patterns.yearly === 'shrunk') {
    return `Patterns used: ${weekly ? 'weekly, and a' : 'a'} yearly pattern shrunk toward flat: only ${months} months of history.`;
  }
  const used = weekly ? 'Patterns used: weekly.' : 'No seasonal pattern used yet.';
  if (patterns.historyDays < YEARLY_DAYS) return `${used} No yearly pattern: that needs 13 months of history; this practice has ${months}.`;
  return `${used} No yearly pattern: the model that tested best does without one.`;
}
