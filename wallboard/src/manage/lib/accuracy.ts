// The backtest accuracy of a forecast in plain words, for the panel beside each chart. Tested in
// test/wallboard/manage-accuracy.test.ts.

import type { AccuracyView } from './api-types.js';

export interface AccuracyWords {
  /** The model, as a person would call it. */
  model: string;
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
};

export function modelName(model: string): string {
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

  const figures = [
    mase !== null ? `MASE ${mase.toFixed(2)}` : null,
    naive !== null ? `seasonal naive ${naive.toFixed(2)}` : null,
    mae !== null ? `MAE ${oneDecimal(mae)}/${per}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return { model: modelName(accuracy.model), typical, baseline, coverage, figures };
}
