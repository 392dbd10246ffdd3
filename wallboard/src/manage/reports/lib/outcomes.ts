// Data shaping of the outcome views: lost opportunities (and the price-objection list), growth (trends,
// year over year, seasonality, the growth bridge as a waterfall) and goals (server/reports/outcomes.contract.ts).
// Plain functions, tested in test/wallboard/reports-outcomes.test.ts.

import type { Bar, LineSeries, WaterfallStep } from './charts.js';
import { waterfallSteps } from './charts.js';
import type {
  BridgeRow,
  GoalMetric,
  GoalProgressRow,
  GrowthTrendPoint,
  LostGroupRow,
  LostLeadRow,
  LostOpportunitiesReport,
  LostReasonRow,
  SeasonalityMonth,
  SeasonalityWeekday,
  YearOverYear,
  YearOverYearMetric,
} from './contracts.js';
import {
  formatCount,
  formatDay,
  formatDecimal,
  formatMoney,
  formatMonth,
  formatPercent,
  formatSignedMoney,
  formatSignedPercent,
  MINUS,
  MISSING,
  rateText,
} from './format.js';
import { REASON_LABELS, reasonMix } from './operations.js';
import { channelLabel } from './state.js';
import { rateColumn, type Column } from './table.js';

// ---- lost opportunities ---------------------------------------------------------------------------------

/** Revenue lost per reason, biggest first (reasons without lost leads say "none"). */
export function lostReasonBars(report: Pick<LostOpportunitiesReport, 'reasons' | 'currency'>): Bar[] {
  return [...report.reasons]
    .sort((a, b) => b.estimatedRevenueLost - a.estimatedRevenueLost || b.leads - a.leads)
    .map((r) => ({
      key: r.reason,
      label: REASON_LABELS[r.reason],
      value: r.leads === 0 ? null : r.estimatedRevenueLost,
      text: r.leads === 0 ? 'none lost' : `${formatMoney(r.estimatedRevenueLost, report.currency)} · ${formatCount(r.leads)} lead${r.leads === 1 ? '' : 's'}`,
      tone: 'bad' as const,
    }));
}

export function lostReasonColumns(currency: string): Array<Column<LostReasonRow>> {
  return [
    { id: 'reason', label: 'Reason not booked', numeric: false, value: (r) => REASON_LABELS[r.reason], text: (r) => REASON_LABELS[r.reason] },
    { id: 'leads', label: 'Lost leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'share', label: 'Share of lost', numeric: true, value: (r) => r.share, text: (r) => (r.share === null ? 'nothing lost' : formatPercent(r.share)) },
    {
      id: 'estimatedRevenueLost',
      label: 'Est. revenue lost',
      numeric: true,
      value: (r) => r.estimatedRevenueLost,
      text: (r) => formatMoney(r.estimatedRevenueLost, currency),
    },
  ];
}

export function lostGroupColumns(nameLabel: string, currency: string): Array<Column<LostGroupRow>> {
  return [
    { id: 'name', label: nameLabel, numeric: false, value: (r) => r.name, text: (r) => r.name },
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'lostLeads', label: 'Lost', numeric: true, value: (r) => r.lostLeads, text: (r) => formatCount(r.lostLeads) },
    rateColumn(
      { id: 'lostRate', label: 'Lost rate' },
      (r) => r.lostRate,
      (r) => rateText(r.lostRate, r.sample, r.leads),
    ),
    {
      id: 'estimatedRevenueLost',
      label: 'Est. revenue lost',
      numeric: true,
      value: (r) => r.estimatedRevenueLost,
      text: (r) => formatMoney(r.estimatedRevenueLost, currency),
    },
    { id: 'reasons', label: 'Reasons', numeric: false, value: (r) => reasonMix(r.reasons), text: (r) => reasonMix(r.reasons) },
  ];
}

/** The price-objection list's columns; the contact columns only when they were asked for. */
export function lostLeadColumns(currency: string, includeContacts: boolean): Array<Column<LostLeadRow>> {
  const columns: Array<Column<LostLeadRow>> = [
    { id: 'createdDate', label: 'Enquired', numeric: false, value: (r) => r.createdDate, text: (r) => formatDay(r.createdDate) },
    { id: 'channel', label: 'Channel', numeric: false, value: (r) => channelLabel(r.channel), text: (r) => channelLabel(r.channel) },
    {
      id: 'source',
      label: 'Source',
      numeric: false,
      value: (r) => r.sourceName,
      text: (r) => [r.sourceName ?? '(no source)', r.campaignName].filter(Boolean).join(' › '),
    },
    { id: 'treatment', label: 'Treatment', numeric: false, value: (r) => r.treatment, text: (r) => r.treatment ?? '—' },
    { id: 'estimatedValue', label: 'Est. value', numeric: true, value: (r) => r.estimatedValue, text: (r) => formatMoney(r.estimatedValue, currency) },
    { id: 'staffName', label: 'Handled by', numeric: false, value: (r) => r.staffName, text: (r) => r.staffName ?? '—' },
    {
      id: 'doNotContact',
      label: 'Do not contact',
      numeric: false,
      value: (r) => (r.doNotContact ? 1 : 0),
      text: (r) => (r.doNotContact ? 'do not contact' : ''),
    },
  ];
  if (includeContacts) {
    columns.push(
      { id: 'name', label: 'Patient', numeric: false, value: (r) => r.contact?.name ?? null, text: (r) => r.contact?.name ?? MISSING },
      { id: 'phone', label: 'Phone', numeric: false, value: (r) => r.contact?.phone ?? null, text: (r) => r.contact?.phone ?? MISSING },
      { id: 'email', label: 'Email', numeric: false, value: (r) => r.contact?.email ?? null, text: (r) => r.contact?.email ?? MISSING },
    );
  }
  return columns;
}

// ---- growth ----------------------------------------------------------------------------------------

/** A trend period's x-axis label: `Mar 2` for a week (its Monday), `Mar` (`Jan 26` in January) for a month. */
export function trendTick(point: Pick<GrowthTrendPoint, 'period'>): string {
  if (/^\d{4}-\d{2}$/.test(point.period)) {
    const label = formatMonth(point.period).slice(0, 3);
    return point.period.endsWith('-01') ? `${label} ${point.period.slice(2, 4)}` : label;
  }
  return new Date(`${point.period}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Whether the range cuts a period short: a week of fewer than 7 days, a month that does not run from its 1st to its end. */
export function isPartialPeriod(point: Pick<GrowthTrendPoint, 'period' | 'start' | 'end' | 'days'>): boolean {
  const monthly = /^\d{4}-\d{2}$/.test(point.period);
  if (!monthly) return point.days < 7;
  const [y, m] = point.period.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return !(point.start === `${point.period}-01` && point.days >= daysInMonth);
}

/** A period as a table says it: `Week of Mar 2, 2026`, `Mar 2026`, with "(part)" when the range cuts it. */
export function trendPeriodLabel(point: Pick<GrowthTrendPoint, 'period' | 'start' | 'end' | 'days'>): string {
  const monthly = /^\d{4}-\d{2}$/.test(point.period);
  const base = monthly ? formatMonth(point.period) : `Week of ${formatDay(point.period)}`;
  return isPartialPeriod(point) ? `${base} (part: ${point.days} day${point.days === 1 ? '' : 's'})` : base;
}

/** A chart's x label: the tick, and "(part)" under a period the range cuts short. */
export function trendTickOf(points: readonly GrowthTrendPoint[]): (period: string) => string {
  const partial = new Set(points.filter(isPartialPeriod).map((p) => p.period));
  return (period) => (partial.has(period) ? `${trendTick({ period })} (part)` : trendTick({ period }));
}

/** Leads and bookings per period (counts); a period the range cuts short is marked partial, not drawn as a drop. */
export function volumeSeries(points: readonly GrowthTrendPoint[]): LineSeries[] {
  const point = (p: GrowthTrendPoint, y: number) => ({ x: p.period, y, text: formatCount(y), partial: isPartialPeriod(p) });
  return [
    { id: 'leads', label: 'Leads', colour: 'var(--accent)', points: points.map((p) => point(p, p.leads)) },
    { id: 'bookings', label: 'Bookings', colour: 'var(--good)', points: points.map((p) => point(p, p.bookings)) },
  ];
}

/** Conversion per period: gaps for periods without leads, hollow dots for small samples. */
export function conversionSeries(points: readonly GrowthTrendPoint[]): LineSeries[] {
  return [
    {
      id: 'conversion',
      label: 'Conversion',
      colour: 'var(--good)',
      points: points.map((p) => {
        const r = rateText(p.conversion, p.sample, p.leads);
        return { x: p.period, y: p.conversion, text: r.text, flag: r.flag, partial: isPartialPeriod(p) };
      }),
    },
  ];
}

export function trendColumns(currency: string): Array<Column<GrowthTrendPoint>> {
  return [
    { id: 'period', label: 'Period', numeric: false, value: (r) => r.start, text: trendPeriodLabel },
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'bookings', label: 'Bookings', numeric: true, value: (r) => r.bookings, text: (r) => formatCount(r.bookings) },
    rateColumn(
      { id: 'conversion', label: 'Conversion' },
      (r) => r.conversion,
      (r) => rateText(r.conversion, r.sample, r.leads),
    ),
    { id: 'bookedRevenue', label: 'Booked revenue', numeric: true, value: (r) => r.bookedRevenue, text: (r) => formatMoney(r.bookedRevenue, currency) },
  ];
}

export interface YoyRow {
  id: 'leads' | 'bookings' | 'conversion' | 'bookedRevenue';
  label: string;
  current: string;
  previous: string;
  change: string;
  changeRate: string;
}

/** Year over year, one row per metric, every cell as text (conversion changes in percentage points). */
export function yoyRows(yoy: YearOverYear, currency: string): YoyRow[] {
  const metric = (id: YoyRow['id'], label: string, value: (v: number | null) => string, change: (v: number | null) => string): YoyRow => {
    const m: YearOverYearMetric = yoy[id];
    return {
      id,
      label,
      current: value(m.current),
      previous: value(m.previous),
      change: change(m.change),
      changeRate: m.changeRate === null ? MISSING : formatSignedPercent(m.changeRate),
    };
  };
  const conversionText = (v: number | null, sample: 'none' | 'small' | 'ok', n: number | null) => (v === null ? 'no leads' : rateText(v, sample, n ?? 0).text);
  const points = (v: number | null) => {
    if (v === null) return MISSING;
    const pts = Math.round(v * 1000) / 10;
    return pts === 0 ? '±0 pts' : `${pts > 0 ? '+' : MINUS}${Math.abs(pts)} pts`;
  };
  const signedCount = (v: number | null) => (v === null ? MISSING : v === 0 ? '±0' : v > 0 ? `+${formatCount(v)}` : `${MINUS}${formatCount(-v)}`);
  return [
    metric('leads', 'Leads', formatCount, signedCount),
    metric('bookings', 'Bookings', formatCount, signedCount),
    {
      ...metric('conversion', 'Conversion', (v) => formatPercent(v), points),
      current: conversionText(yoy.conversion.current, yoy.sample.current, yoy.leads.current),
      previous: conversionText(yoy.conversion.previous, yoy.sample.previous, yoy.leads.previous),
    },
    metric(
      'bookedRevenue',
      'Booked revenue',
      (v) => formatMoney(v, currency),
      (v) => formatSignedMoney(v, currency),
    ),
  ];
}

/** `1.12` → `12% above a typical month`; `0.9` → `10% below`; null → `no history`. */
export function seasonalityText(index: number | null, unit: 'month' | 'weekday'): string {
  if (index === null) return 'no history';
  const diff = Math.round((index - 1) * 100);
  if (diff === 0) return `a typical ${unit}`;
  return `${Math.abs(diff)}% ${diff > 0 ? 'above' : 'below'} a typical ${unit}`;
}

/** Seasonality bars: average leads per month (or weekday), with how it compares to a typical one. */
export function seasonalityBars(rows: ReadonlyArray<SeasonalityMonth | SeasonalityWeekday>, unit: 'month' | 'weekday'): Bar[] {
  return rows.map((r) => ({
    key: 'month' in r ? `m${r.month}` : `w${r.weekday}`,
    label: r.name,
    value: r.averageLeads,
    text: r.averageLeads === null ? 'no history' : `${formatDecimal(r.averageLeads)} leads`,
    flag: r.averageLeads === null ? null : seasonalityText(r.index, unit),
    tone: r.index !== null && r.index >= 1 ? ('good' as const) : ('neutral' as const),
  }));
}

/** The growth bridge of one row as waterfall steps: base revenue → volume → conversion → value → current. */
export function bridgeSteps(row: BridgeRow, currency: string): WaterfallStep[] {
  return waterfallSteps(
    { label: 'Base revenue', value: row.base.revenue, text: formatMoney(row.base.revenue, currency) },
    [
      { key: 'volume', label: 'Volume (leads)', value: row.volumeEffect, text: formatSignedMoney(row.volumeEffect, currency) },
      { key: 'conversion', label: 'Conversion', value: row.conversionEffect, text: formatSignedMoney(row.conversionEffect, currency) },
      { key: 'value', label: 'Value per booking', value: row.valueEffect, text: formatSignedMoney(row.valueEffect, currency) },
    ],
    { label: 'Current revenue', value: row.current.revenue, text: formatMoney(row.current.revenue, currency) },
  );
}

export function bridgeColumns(currency: string): Array<Column<BridgeRow>> {
  const money = (v: number) => formatMoney(v, currency);
  const signed = (v: number) => formatSignedMoney(v, currency);
  return [
    { id: 'channel', label: 'Channel', numeric: false, value: (r) => channelLabel(r.channel), text: (r) => channelLabel(r.channel) },
    { id: 'base', label: 'Base revenue', numeric: true, value: (r) => r.base.revenue, text: (r) => money(r.base.revenue) },
    { id: 'volumeEffect', label: 'Volume', numeric: true, value: (r) => r.volumeEffect, text: (r) => signed(r.volumeEffect) },
    { id: 'conversionEffect', label: 'Conversion', numeric: true, value: (r) => r.conversionEffect, text: (r) => signed(r.conversionEffect) },
    { id: 'valueEffect', label: 'Value', numeric: true, value: (r) => r.valueEffect, text: (r) => signed(r.valueEffect) },
    { id: 'current', label: 'Current revenue', numeric: true, value: (r) => r.current.revenue, text: (r) => money(r.current.revenue) },
    { id: 'change', label: 'Change', numeric: true, value: (r) => r.change, text: (r) => signed(r.change) },
    {
      id: 'leads',
      label: 'Leads (base → current)',
      numeric: true,
      value: (r) => r.current.leads - r.base.leads,
      text: (r) => `${formatCount(r.base.leads)} → ${formatCount(r.current.leads)}`,
    },
    {
      id: 'conversionRates',
      label: 'Conversion (base → current)',
      numeric: true,
      value: (r) => (r.current.conversion ?? 0) - (r.base.conversion ?? 0),
      text: (r) =>
        `${r.base.conversion === null ? 'no leads' : formatPercent(r.base.conversion)} → ${r.current.conversion === null ? 'no leads' : formatPercent(r.current.conversion)}`,
    },
    {
      id: 'averageValue',
      label: 'Avg. value (base → current)',
      numeric: true,
      value: (r) => (r.current.averageValue ?? 0) - (r.base.averageValue ?? 0),
      text: (r) =>
        `${r.base.averageValue === null ? 'no bookings' : money(r.base.averageValue)} → ${r.current.averageValue === null ? 'no bookings' : money(r.current.averageValue)}`,
    },
  ];
}

/** True when the three effects add up to the change to the cent (the API promises it; the page shows it). */
export function bridgeAddsUp(row: Pick<BridgeRow, 'change' | 'volumeEffect' | 'conversionEffect' | 'valueEffect'>): boolean {
  return Math.round((row.volumeEffect + row.conversionEffect + row.valueEffect) * 100) === Math.round(row.change * 100);
}

// ---- goals ----------------------------------------------------------------------------------------

export const GOAL_METRICS: ReadonlyArray<{ id: GoalMetric; label: string }> = [
  { id: 'leads', label: 'New-patient leads' },
  { id: 'bookings', label: 'Bookings' },
  { id: 'revenue', label: 'Revenue' },
];

/** A goal metric's value as text: counts for leads and bookings, money for revenue. */
export function goalValue(metric: GoalMetric, value: number | null, currency: string): string {
  if (value === null) return MISSING;
  return metric === 'revenue' ? formatMoney(value, currency) : formatCount(value);
}

/**
 * A forecast amount of money to the precision a forecast has: three significant figures, whole units
 * at least (`50210.5` → `50200`, `1234.56` → `1230`, `187.5` → `188`). A forecast to the cent claims a
 * precision no forecast has, and makes the 80% range look arbitrary beside it.
 */
export function roundForecastMoney(value: number): number {
  const abs = Math.abs(value);
  if (abs < 1000) return Math.round(value);
  const step = 10 ** (Math.floor(Math.log10(abs)) - 2);
  return Math.round(value / step) * step;
}

/** The forecast finish as text: `118 (80%: 104 – 131)`, or the engine's note (`no forecast (see above)` when
 * it is the note the page already shows once for every row). */
export function forecastText(
  row: Pick<GoalProgressRow, 'metric' | 'forecast' | 'forecastNote' | 'status'>,
  currency: string,
  sharedNote: string | null = null,
): string {
  if (row.status === 'past') return 'month over';
  if (!row.forecast) return row.forecastNote && row.forecastNote !== sharedNote ? row.forecastNote : sharedNote ? 'no forecast (see above)' : 'no forecast';
  const f = row.forecast;
  const v = (x: number) => goalValue(row.metric, row.metric === 'revenue' ? roundForecastMoney(x) : Math.round(x), currency);
  const range = f.lo80 !== null && f.hi80 !== null ? ` (80%: ${v(f.lo80)} – ${v(f.hi80)})` : '';
  return `${v(f.expected)}${range}`;
}

/** Progress as a bar's fill, 0..1 (over the target stays full), and its text: `64% of target`, `no target`. */
export function progress(row: Pick<GoalProgressRow, 'percentOfTarget' | 'target'>): { fill: number; text: string } {
  if (row.target === null) return { fill: 0, text: 'no target' };
  if (row.percentOfTarget === null) return { fill: 0, text: row.target === 0 ? 'target is 0' : MISSING };
  return { fill: Math.max(0, Math.min(1, row.percentOfTarget)), text: `${formatPercent(row.percentOfTarget)} of target` };
}

/** The goals rows grouped by month, metrics in the order leads, bookings, revenue. */
export function goalsByMonth(rows: readonly GoalProgressRow[]): Array<{ month: string; rows: GoalProgressRow[] }> {
  const months = new Map<string, GoalProgressRow[]>();
  for (const row of rows) {
    const list = months.get(row.month) ?? [];
    list.push(row);
    months.set(row.month, list);
  }
  const order = (m: GoalMetric) => GOAL_METRICS.findIndex((g) => g.id === m);
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, list]) => ({ month, rows: list.sort((a, b) => order(a.metric) - order(b.metric)) }));
}

/** A target as typed → the number PUT /api/v1/goals takes (whole for leads and bookings), null to remove, or why not. */
export function parseTarget(metric: GoalMetric, text: string): { ok: true; target: number | null } | { ok: false; error: string } {
  const cleaned = text
    .trim()
    .replace(/[,\s]/g, '')
    .replace(/^[^\d.-]+/, '');
  if (cleaned === '') return { ok: true, target: null };
  const pattern = metric === 'revenue' ? /^\d+(\.\d{1,2})?$/ : /^\d+$/;
  if (!pattern.test(cleaned)) return { ok: false, error: metric === 'revenue' ? 'Enter an amount, at most 2 decimals.' : 'Enter a whole number.' };
  return { ok: true, target: Number(cleaned) };
}

/** The goals API's months for the page's range: from the range's first month to 3 months after its last
 * (targets are set ahead), at most 36 months. */
export function goalMonths(from: string, to: string): { from: string; to: string } {
  const first = from.slice(0, 7);
  const [y, m] = to.slice(0, 7).split('-').map(Number) as [number, number];
  const [fy, fm] = first.split('-').map(Number) as [number, number];
  let lastIndex = y * 12 + m - 1 + 3;
  const firstIndex = fy * 12 + fm - 1;
  if (lastIndex - firstIndex >= 36) lastIndex = firstIndex + 35;
  const last = `${Math.floor(lastIndex / 12)}-${String((lastIndex % 12) + 1).padStart(2, '0')}`;
  return { from: first, to: last };
}
