// Data shaping for the "leads per hour today vs typical" chart: the scale domains and the little
// decisions (which hour is now, which labels fit) kept out of the Svelte components so they can be
// unit-tested without a browser.

import type { BoardHourV1 } from '$contracts/live/board';

/** Hours are keyed by `start`: on the day the clocks go back, the label `01:00` appears twice. */
export const hourKey = (hour: BoardHourV1): string => hour.start;

export interface YDomain {
  /** Top of the y domain: a whole multiple of `step`. */
  max: number;
  /** Gridline values from 0 to `max`, `step` apart. */
  ticks: number[];
}

/**
 * The y domain of the chart: it covers today's counts and the typical band's high edge, with
 * gridlines on whole leads (1, 2 or 5 × 10^k apart, about `tickCount` of them). The domain is at
 * least 4 leads high, so one lead on a quiet morning does not draw a bar the full chart height.
 * An empty `hours` gives `{ max: 4, ticks: [0, 1, 2, 3, 4] }`.
 */
export function hourlyYDomain(hours: readonly BoardHourV1[], tickCount = 4): YDomain {
  let top = 4;
  for (const h of hours) top = Math.max(top, h.leads ?? 0, h.typicalHigh, h.typicalMedian);
  const step = niceStep(top / tickCount);
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return { max, ticks };
}

/** Smallest of 1, 2, 5 × 10^k (k ≥ 0) that is ≥ `raw`; 1 for anything below 1 or not a number. */
export function niceStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

/** Index of the hour that contains `nowMs`, or -1 when now is outside today's hours. */
export function currentHourIndex(hours: readonly BoardHourV1[], nowMs: number): number {
  for (let i = 0; i < hours.length; i++) {
    const start = Date.parse(hours[i]!.start);
    const next = i + 1 < hours.length ? Date.parse(hours[i + 1]!.start) : start + 3_600_000;
    if (nowMs >= start && nowMs < next) return i;
  }
  return -1;
}

/**
 * Show every `stride`-th hour label so that labels at least `minLabelPx` apart fit in `widthPx`.
 * Strides are 1, 2, 3, 4, 6 or 12 so the labels shown fall on regular clock hours.
 */
export function labelStride(count: number, widthPx: number, minLabelPx: number): number {
  if (count <= 0 || widthPx <= 0) return 1;
  const perLabel = widthPx / count;
  for (const stride of [1, 2, 3, 4, 6, 12]) if (perLabel * stride >= minLabelPx) return stride;
  return 12;
}

/**
 * Whether hour `index` gets a label: every `stride`-th hour, and always the current one; a regular
 * label too close to the current hour's (which is drawn bold) is dropped so the two never overlap.
 * `current` is -1 when now is outside the day.
 */
export function showsHourLabel(index: number, stride: number, current: number): boolean {
  if (index === current) return true;
  return index % stride === 0 && (current < 0 || Math.abs(index - current) >= stride);
}

export interface Pace {
  /** Leads so far today (hours that have a count). */
  actual: number;
  /** The typical median for those same hours. */
  typical: number;
}

/** Today so far against a typical day so far: "are we on pace?". */
export function paceSoFar(hours: readonly BoardHourV1[]): Pace {
  let actual = 0;
  let typical = 0;
  for (const h of hours) {
    if (h.leads === null) continue;
    actual += h.leads;
    typical += h.typicalMedian;
  }
  return { actual, typical: Math.round(typical) };
}

/**
 * The hours worth drawing: from the first to the last hour that has a lead today or a typical count
 * above zero, always including the hour in progress (`current`, -1 when outside the day), with one
 * empty hour either side for air. Night hours with nothing in them only squeeze the bars and the
 * labels. An all-empty day keeps every hour, so the chart still shows the day.
 */
export function activeSpan<T extends BoardHourV1>(hours: readonly T[], current = -1): T[] {
  const busy = (h: BoardHourV1) => (h.leads ?? 0) > 0 || h.typicalHigh > 0 || h.typicalMedian > 0;
  let first = hours.findIndex(busy);
  if (first < 0) return [...hours];
  let last = hours.length - 1;
  while (last > first && !busy(hours[last]!)) last--;
  if (current >= 0) {
    first = Math.min(first, current);
    last = Math.max(last, current);
  }
  return hours.slice(Math.max(0, first - 1), Math.min(hours.length, last + 2));
}

/** How the hourly chart's total compares with the leads tile's headline: which leads it counts. */
export type HourlyPopulation = 'new' | 'all' | 'unknown';

/**
 * The chart's bars count every lead (new and existing patients) as the server sends them today;
 * this says which population a day's bars add up to, so the tile can say "29 so far: 23 new + 6
 * existing" instead of a bare 29 beside the headline 23.
 */
export function hourlyPopulation(total: number, leads: { newPatients: number; total: number }): HourlyPopulation {
  if (total === leads.total && total !== leads.newPatients) return 'all';
  if (total === leads.newPatients) return 'new';
  return 'unknown';
}
