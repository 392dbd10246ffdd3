// The shapes the report charts draw, and the small calculations their containers need (domains,
// waterfall steps). Plain functions, tested in test/wallboard/reports-charts.test.ts.

/** One horizontal bar. */
export interface Bar {
  key: string;
  label: string;
  /** The bar's length; null draws no bar, only the text (e.g. "no spend entered"). */
  value: number | null;
  /** The number printed beside the bar: the table's text for the same cell. */
  text: string;
  /** A small-sample or similar note, printed after the text. */
  flag?: string | null;
  /** Bars that mean "good" or "bad" (a negative ROI) are coloured apart. */
  tone?: 'good' | 'bad' | 'neutral';
}

/** The x domain of bars: always includes 0; [0, 1] when there is nothing to draw. */
export function barDomain(bars: ReadonlyArray<Pick<Bar, 'value'>>): [number, number] {
  const values = bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  return lo === hi ? [0, 1] : [lo, hi];
}

/** A label cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** One point of a line; a null y is a gap (an empty period), `flag` marks a small sample (a hollow dot). */
export interface LinePoint {
  x: string;
  y: number | null;
  /** The text of the point, as the table shows it. */
  text: string;
  flag?: string | null;
  /** The range cuts this period short (a first or last week of 4 days): drawn hollow and joined by a
   * dashed line, so a short week is not read as a drop. */
  partial?: boolean;
}

export interface LineSeries {
  id: string;
  label: string;
  points: LinePoint[];
  /** A CSS colour (variable). */
  colour: string;
  dashed?: boolean;
}

/** The y domain of lines: from 0 to the highest point (at least `floor`). */
export function lineMax(series: ReadonlyArray<LineSeries>, floor = 1): number {
  let max = floor;
  for (const s of series) for (const p of s.points) if (p.y !== null && Number.isFinite(p.y) && p.y > max) max = p.y;
  return max;
}

/** One step of a waterfall: totals stand on zero, changes float from the running total. */
export interface WaterfallStep {
  key: string;
  label: string;
  kind: 'total' | 'change';
  /** The step's own value: the total, or the change (signed). */
  value: number;
  /** Where the step's bar starts and ends on the value axis. */
  start: number;
  end: number;
  text: string;
}

/**
 * Waterfall steps: `base`, each change stacked on the running total, then `current` (which, when the
 * changes add up, ends exactly where the last change does).
 */
export function waterfallSteps(
  base: { label: string; value: number; text: string },
  changes: ReadonlyArray<{ key: string; label: string; value: number; text: string }>,
  current: { label: string; value: number; text: string },
): WaterfallStep[] {
  const steps: WaterfallStep[] = [{ key: 'base', label: base.label, kind: 'total', value: base.value, start: 0, end: base.value, text: base.text }];
  let running = base.value;
  for (const change of changes) {
    steps.push({ key: change.key, label: change.label, kind: 'change', value: change.value, start: running, end: running + change.value, text: change.text });
    running += change.value;
  }
  steps.push({ key: 'current', label: current.label, kind: 'total', value: current.value, start: 0, end: current.value, text: current.text });
  return steps;
}

/** The value domain of a waterfall: every start and end, and 0. */
export function waterfallDomain(steps: ReadonlyArray<WaterfallStep>): [number, number] {
  const values = steps.flatMap((s) => [s.start, s.end]);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  return lo === hi ? [0, 1] : [lo, hi];
}
