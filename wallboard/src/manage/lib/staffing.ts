// Data shaping of the "Staffing plan" page: what-if inputs to the API query, the heatmap grid
// (weekday rows × hour columns) from the API's 168 hours, and the totals. Plain functions, tested in
// test/wallboard/manage-staffing.test.ts.

import type { StaffingHourView, StaffingResponse } from './api-types.js';

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
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
  /** Blank, one number, or 168 comma-separated numbers (Monday 00:00 first). */
  staff: string;
}

export const DEFAULT_INPUTS: StaffingInputs = {
  targetSeconds: '20',
  serviceLevelPct: '80',
  ahtSeconds: '240',
  patienceSeconds: '60',
  shrinkagePct: '30',
  staff: '',
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
    if ((parts.length !== 1 && parts.length !== 168) || parts.some((p) => !/^\d{1,4}$/.test(p))) {
      errors.staff = 'one whole number, or 168 (one per hour, Monday 00:00 first)';
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
  if (staff !== null) params.set('staff', staff);
  return { ok: true, query: params.toString() };
}

/** What a heatmap cell shows. `missedEntered` needs staff entered. */
export type StaffingMetric = 'staff' | 'calls' | 'missed' | 'missedEntered';

export const METRICS: ReadonlyArray<{ id: StaffingMetric; label: string; legend: string }> = [
  { id: 'staff', label: 'Staff needed', legend: 'staff to schedule (after shrinkage)' },
  { id: 'calls', label: 'Forecast calls', legend: 'inbound calls expected in the hour' },
  { id: 'missed', label: 'Missed at recommended', legend: 'calls expected to hang up, at the recommended staffing' },
  { id: 'missedEntered', label: 'Missed at your staffing', legend: 'calls expected to hang up, at the staff on shift you entered' },
];

export interface HeatCell {
  /** 0 = Monday. */
  row: number;
  hour: number;
  value: number;
  /** The number printed in the cell. */
  label: string;
}

export interface HeatGrid {
  rows: readonly string[];
  /** Hours shown, in order (a contiguous span). */
  hours: number[];
  cells: HeatCell[];
  /** Largest value (≥ a metric-dependent floor, so one call does not look like a rush). */
  max: number;
}

/** The value of one hour for a metric (null when the metric has no value there). */
export function metricValue(hour: StaffingHourView, metric: StaffingMetric): number | null {
  switch (metric) {
    case 'staff':
      return hour.recommendedStaff;
    case 'calls':
      return hour.calls;
    case 'missed':
      return hour.missedCalls;
    case 'missedEntered':
      return hour.staffMissedCalls;
  }
}

/** A cell's text: whole staff; calls and missed calls with one decimal below 10. */
export function cellLabel(value: number, metric: StaffingMetric): string {
  if (metric === 'staff') return String(Math.round(value));
  if (value === 0) return '0';
  if (value < 0.05) return '<0.1';
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

/**
 * The contiguous span of hours from the first to the last with forecast calls or recommended staff
 * on any weekday (all 24 when none has), so the grid stays readable on a laptop: a practice open
 * 8-18 gets 10 columns, not 24 mostly empty ones.
 */
export function activeHours(hours: readonly StaffingHourView[], minCalls = 0.05): number[] {
  let first = 24;
  let last = -1;
  for (const h of hours) {
    if (h.calls >= minCalls || h.recommendedStaff > 0) {
      first = Math.min(first, h.hour);
      last = Math.max(last, h.hour);
    }
  }
  if (last < 0) return Array.from({ length: 24 }, (_, i) => i);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The heatmap for one metric: 7 rows (Mon..Sun) × the active hours; empty when the response has no hours. */
export function heatGrid(response: Pick<StaffingResponse, 'hours'>, metric: StaffingMetric): HeatGrid {
  const hours = response.hours.length > 0 ? activeHours(response.hours) : [];
  const shown = new Set(hours);
  const cells: HeatCell[] = [];
  for (const h of response.hours) {
    const row = WEEKDAY_KEYS.indexOf(h.weekday as (typeof WEEKDAY_KEYS)[number]);
    const value = metricValue(h, metric);
    if (row < 0 || !shown.has(h.hour) || value === null) continue;
    cells.push({ row, hour: h.hour, value, label: cellLabel(value, metric) });
  }
  cells.sort((a, b) => a.row - b.row || a.hour - b.hour);
  const floor = metric === 'staff' ? 2 : metric === 'calls' ? 2 : 0.5;
  return { rows: WEEKDAY_LABELS, hours, cells, max: Math.max(floor, ...cells.map((c) => c.value)) };
}

/** `8` → `08:00`. */
export const hourLabel = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

export interface TotalItem {
  id: string;
  label: string;
  value: string;
}

/** The weekly totals, in words; entered-staffing totals only when staff was entered. */
export function staffingTotals(totals: StaffingResponse['totals']): TotalItem[] {
  if (!totals) return [];
  const items: TotalItem[] = [
    { id: 'total-calls', label: 'Forecast calls / week', value: formatNumber(totals.calls, 0) },
    { id: 'total-staff-hours', label: 'Recommended staff hours / week', value: formatNumber(totals.recommendedStaffHours, 0) },
    { id: 'total-missed-recommended', label: 'Missed calls at recommended', value: formatNumber(totals.missedAtRecommended, 1) },
  ];
  if (totals.enteredStaffHours !== null) items.push({ id: 'total-entered-hours', label: 'Your staff hours / week', value: formatNumber(totals.enteredStaffHours, 0) });
  if (totals.missedAtEntered !== null) items.push({ id: 'total-missed-entered', label: 'Missed calls at your staffing', value: formatNumber(totals.missedAtEntered, 1) });
  return items;
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
