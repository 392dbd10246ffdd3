// Data shaping of the "Staffing plan" page: what-if inputs to the API query, the heatmap grid
// (weekday rows × interval columns, practice-local) from the API's intervals, and the totals in
// plain words. Plain functions, tested in test/wallboard/manage-staffing.test.ts.

import { WEEKDAYS, type Weekday } from '$contracts/domain/domain';
import type { StaffingIntervalView, StaffingResponse } from './api-types.js';

export const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** The what-if form, as typed (strings straight from the inputs; blank means "not set"). */
export interface StaffingInputs {
  targetSeconds: string;
  /** Percent, e.g. "80". */
  serviceLevelPct: string;
  ahtSeconds: string;
  /** Blank: Erlang C (nobody hangs up). */
  patienceSeconds: string;
  /** Percent, e.g. "30". */
  shrinkagePct: string;
  /** Blank, one number, or one per interval (168 hourly, 336 half-hourly, 672 quarter-hourly; Monday 00:00 first). */
  staff: string;
  /** Minutes per interval, or 'auto' (the finest the call history supports). */
  interval: 'auto' | '15' | '30' | '60';
}

export const DEFAULT_INPUTS: StaffingInputs = {
  targetSeconds: '20',
  serviceLevelPct: '80',
  ahtSeconds: '240',
  patienceSeconds: '60',
  shrinkagePct: '30',
  staff: '',
  interval: 'auto',
};

export type QueryResult = { ok: true; query: string } | { ok: false; errors: Partial<Record<keyof StaffingInputs, string>> };

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * The query string of GET /api/v1/staffing for these inputs, or the inputs that are wrong with a
 * message each (checked with the server's own limits, so a 400 is rare).
 */
export function staffingQuery(inputs: StaffingInputs): QueryResult {
  const errors: Partial<Record<keyof StaffingInputs, string>> = {};
  const params = new URLSearchParams();
  const num = (field: keyof StaffingInputs, min: number, max: number, below = false): number | null => {
    const text = inputs[field].trim();
    if (!NUMBER.test(text)) {
      errors[field] = 'enter a number';
      return null;
    }
    const value = Number(text);
    if (value < min || (below ? value >= max : value > max)) {
      errors[field] = below ? `between ${min} and below ${max}` : `between ${min} and ${max}`;
      return null;
    }
    return value;
  };
  const target = num('targetSeconds', 0, 3600);
  const level = num('serviceLevelPct', 1, 100, true);
  const aht = num('ahtSeconds', 1, 7200);
  const patience = inputs.patienceSeconds.trim() === '' ? null : num('patienceSeconds', 1, 3600);
  const shrinkage = num('shrinkagePct', 0, 100, true);
  const staffText = inputs.staff.trim();
  let staff: string | null = null;
  if (staffText !== '') {
    const parts = staffText.split(/[\s,]+/).filter(Boolean);
    if (![1, 168, 336, 672].includes(parts.length) || parts.some((p) => !/^\d{1,4}$/.test(p))) {
      errors.staff = 'one whole number, or one per interval: 168 hourly, 336 half-hourly, 672 quarter-hourly (Monday 00:00 first)';
    } else {
      staff = parts.join(',');
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  params.set('targetSeconds', String(target));
  params.set('serviceLevel', String(round(level! / 100, 4)));
  params.set('ahtSeconds', String(aht));
  if (patience !== null) params.set('patienceSeconds', String(patience));
  params.set('shrinkage', String(round(shrinkage! / 100, 4)));
  if (inputs.interval !== 'auto') params.set('interval', inputs.interval);
  if (staff !== null) params.set('staff', staff);
  return { ok: true, query: params.toString() };
}

/** What a heatmap cell shows. `missedEntered` needs staff entered. */
export type StaffingMetric = 'staff' | 'calls' | 'missed' | 'missedEntered';

export const METRICS: ReadonlyArray<{ id: StaffingMetric; label: string; legend: string }> = [
  { id: 'staff', label: 'Staff needed', legend: 'people to schedule, counting the time they spend off the phones' },
  { id: 'calls', label: 'Forecast calls', legend: 'calls expected in the interval while the practice is open' },
  { id: 'missed', label: 'Missed at recommended', legend: 'callers expected to hang up before anyone answers, with the staff recommended' },
  { id: 'missedEntered', label: 'Missed at your staffing', legend: 'callers expected to hang up before anyone answers, with the staff you entered' },
];

export interface HeatCell {
  /** 0 = Monday. */
  row: number;
  /** Column: the interval's start in hours (8.5 = 08:30). */
  hour: number;
  value: number;
  /** The number printed in the cell. */
  label: string;
}

export interface HeatGrid {
  rows: readonly string[];
  /** Columns shown, in order (a contiguous span): interval starts in hours (8, 8.5, 9 ...). */
  hours: number[];
  cells: HeatCell[];
  /** Largest value (≥ a metric-dependent floor, so one call does not look like a rush). */
  max: number;
}

/** The value of one interval for a metric (null when the metric has no value there). */
export function metricValue(interval: StaffingIntervalView, metric: StaffingMetric): number | null {
  switch (metric) {
    case 'staff':
      return interval.recommendedStaff;
    case 'calls':
      return interval.calls;
    case 'missed':
      return interval.missedCalls;
    case 'missedEntered':
      return interval.staffMissedCalls;
  }
}

/** Label of an interval outside opening hours (the legend says so). */
export const CLOSED_LABEL = '–';

/** A cell's text: whole staff; calls and missed calls with one decimal below 10; a dash outside opening hours. */
export function cellLabel(value: number, metric: StaffingMetric, open = true): string {
  if (!open) return CLOSED_LABEL;
  if (metric === 'staff') return String(Math.round(value));
  if (value === 0) return '0';
  if (value < 0.05) return '<0.1';
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

/** An interval's column: its start in hours. */
const columnOf = (interval: Pick<StaffingIntervalView, 'hour' | 'minute'>): number => interval.hour + (interval.minute ?? 0) / 60;

/**
 * The contiguous span of columns from the first to the last open interval on any weekday (all
 * columns of the day when none is open), so the grid stays readable on a laptop: a practice open
 * 8-18 gets 10 hourly columns, not 24 mostly closed ones.
 */
export function activeHours(intervals: readonly StaffingIntervalView[]): number[] {
  const columns = [...new Set(intervals.map(columnOf))].sort((a, b) => a - b);
  let first = Infinity;
  let last = -Infinity;
  for (const h of intervals) {
    if (h.open) {
      first = Math.min(first, columnOf(h));
      last = Math.max(last, columnOf(h));
    }
  }
  if (last < first) return columns;
  return columns.filter((column) => column >= first && column <= last);
}

/** The heatmap for one metric: 7 rows (Mon..Sun) × the open span; empty when the response has no intervals. */
export function heatGrid(response: Pick<StaffingResponse, 'intervals'>, metric: StaffingMetric): HeatGrid {
  const hours = response.intervals.length > 0 ? activeHours(response.intervals) : [];
  const shown = new Set(hours);
  const cells: HeatCell[] = [];
  for (const h of response.intervals) {
    const row = WEEKDAYS.indexOf(h.weekday as Weekday);
    const column = columnOf(h);
    const raw = metricValue(h, metric);
    if (row < 0 || !shown.has(column) || raw === null) continue;
    const value = h.open ? raw : 0;
    cells.push({ row, hour: column, value, label: cellLabel(value, metric, h.open) });
  }
  cells.sort((a, b) => a.row - b.row || a.hour - b.hour);
  const floor = metric === 'staff' ? 2 : metric === 'calls' ? 2 : 0.5;
  return { rows: WEEKDAY_LABELS, hours, cells, max: Math.max(floor, ...cells.map((c) => c.value)) };
}

/** `8` → `08:00`, `8.5` → `08:30` (practice-local). */
export const hourLabel = (hour: number): string => {
  const minutes = Math.round(hour * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

export interface TotalItem {
  id: string;
  label: string;
  value: string;
}

/** The weekly totals, in words and whole numbers; entered-staffing totals only when staff was entered. */
export function staffingTotals(totals: StaffingResponse['totals']): TotalItem[] {
  if (!totals) return [];
  const items: TotalItem[] = [
    { id: 'total-calls', label: 'Calls expected while open, per week', value: formatNumber(totals.calls, 0) },
    { id: 'total-staff-hours', label: 'Staff hours recommended, per week', value: formatNumber(totals.recommendedStaffHours, 0) },
    { id: 'total-missed-recommended', label: 'Callers expected to hang up, with that staffing', value: about(totals.missedAtRecommended) },
  ];
  if (totals.enteredStaffHours !== null)
    items.push({ id: 'total-entered-hours', label: 'Your staff hours, per week', value: formatNumber(totals.enteredStaffHours, 0) });
  if (totals.missedAtEntered !== null)
    items.push({ id: 'total-missed-entered', label: 'Callers expected to hang up, with your staffing', value: about(totals.missedAtEntered) });
  items.push({ id: 'total-after-hours', label: 'Calls expected after hours, per week (not staffed)', value: about(totals.afterHoursCalls) });
  return items;
}

/** A forecast count in whole numbers: "about 3", "under 1", "0". */
export function about(value: number): string {
  if (value === 0) return '0';
  if (value < 0.5) return 'under 1';
  return `about ${formatNumber(Math.round(value), 0)}`;
}

/** Plain sentence on the calls outside opening hours. */
export function afterHoursSentence(afterHours: StaffingResponse['afterHours']): string | null {
  if (!afterHours) return null;
  const { history } = afterHours;
  const calls = (n: number) => `${formatNumber(n, 0)} call${n === 1 ? '' : 's'}`;
  return (
    `Nobody is planned outside opening hours: those calls reach voicemail or an answering service. ` +
    `In the last ${history.weeks} weeks ${calls(history.calls)} came in after hours (${formatNumber(history.newPatientCalls, 0)} from new patients, ` +
    `${formatNumber(history.voicemails, 0)} left a voicemail); ${about(afterHours.forecastCallsPerWeek)} a week are expected. ` +
    `Call the new patients back first thing: they are the bookings at stake.`
  );
}

/** Plain sentence on how the numbers are worked out. */
export function modelSentence(target: StaffingResponse['target']): string {
  const time = `${Math.round(target.shrinkage * 100)}% of paid time off the phones (breaks, meetings, patients at the desk)`;
  return target.model === 'erlang-a'
    ? `Worked out with Erlang A, the standard call-centre formula for callers who hang up: here after about ${formatNumber(target.patienceSeconds ?? 0, 0)} seconds of ringing on average. Staff needed allows ${time}.`
    : `Worked out with Erlang C, the standard call-centre formula for callers who wait as long as it takes, so it only counts as missed the calls beyond what the people on the phones can take. Staff needed allows ${time}.`;
}

const formats = new Map<number, Intl.NumberFormat>();
/** A number with thousands separators and at most `digits` decimals. */
export function formatNumber(value: number, digits: number): string {
  let format = formats.get(digits);
  if (!format) formats.set(digits, (format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })));
  return format.format(value);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
