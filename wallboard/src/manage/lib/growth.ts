// Data shaping of the "Growth projection" page: monthly actuals and the forecast fan (80% and 95%
// ranges around the mean) for new-patient leads and for revenue, and the goals line. Plain
// functions, tested in test/wallboard/manage-growth.test.ts.

import type { IntervalView, LeadForecastResponse, RevenueForecastResponse } from './api-types.js';
import { addDays } from './calendar-days.js';

export interface ActualPoint {
  month: string;
  value: number;
}

export interface FanPoint extends IntervalView {
  month: string;
  /** True for the point that joins the fan to the last actual month (all bounds equal the actual). */
  anchor: boolean;
}

export interface GoalPoint {
  month: string;
  value: number;
}

export interface FanSeries {
  /** Full months of history, oldest first (the current month and a partial first month left out). */
  actuals: ActualPoint[];
  /** Forecast months; starts with an anchor at the last actual month when it directly precedes them. */
  fan: FanPoint[];
  goals: GoalPoint[];
  /** Every month on the x axis, in order. */
  months: string[];
}

/** 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Days of forecast that reach the end of the 12th month from today's month, capped at the API's 365:
 * `2026-11-27`, 12 → 339 (to 2027-10-31).
 */
export function leadHorizon(today: string, months = 12): number {
  const end = `${addMonths(today.slice(0, 7), months)}-01`;
  return Math.min(365, Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000));
}

/** The current month, from a lead forecast response (the day after the last history day). */
export function currentMonth(leads: Pick<LeadForecastResponse, 'history'>): string {
  return addDays(leads.history.lastDay, 1).slice(0, 7);
}

/** Months of history with a full month of data (days = days in the month), before `current`. */
function fullMonths(leads: Pick<LeadForecastResponse, 'history'>, current: string): Set<string> {
  return new Set(leads.history.monthly.filter((m) => m.month < current && m.days >= daysInMonth(m.month)).map((m) => m.month));
}

function withAnchor(actuals: ActualPoint[], fan: FanPoint[]): FanPoint[] {
  const last = actuals.at(-1);
  const first = fan[0];
  if (!last || !first || addMonths(last.month, 1) !== first.month) return fan;
  const v = last.value;
  return [{ month: last.month, mean: v, lo80: v, hi80: v, lo95: v, hi95: v, anchor: true }, ...fan];
}

function monthsOf(actuals: ActualPoint[], fan: FanPoint[], goals: GoalPoint[]): string[] {
  const all = [...actuals.map((a) => a.month), ...fan.map((f) => f.month), ...goals.map((g) => g.month)];
  if (all.length === 0) return [];
  const sorted = [...new Set(all)].sort();
  const months: string[] = [];
  for (let m = sorted[0]!; m <= sorted.at(-1)!; m = addMonths(m, 1)) months.push(m);
  return months;
}

function goalSeries(revenue: RevenueForecastResponse | null, metric: 'leads' | 'revenue', from: string | undefined, to: string | undefined): GoalPoint[] {
  if (!revenue) return [];
  const byMonth = new Map<string, number>();
  for (const h of revenue.history) if (h.goals[metric] !== null) byMonth.set(h.month, h.goals[metric]);
  for (const m of revenue.monthly) if (m.goals[metric] !== null) byMonth.set(m.month, m.goals[metric]);
  return [...byMonth]
    .filter(([month]) => (!from || month >= from) && (!to || month <= to))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, value]) => ({ month, value }));
}

/**
 * New-patient leads per month: full months of history, then the forecast months (the current one
 * includes the leads already counted; a last month the horizon only partly covers is left out),
 * and the leads goals (from the revenue response, which carries the practice's goals).
 */
export function leadsFan(leads: LeadForecastResponse, revenue: RevenueForecastResponse | null): FanSeries {
  const current = currentMonth(leads);
  const full = fullMonths(leads, current);
  const actuals = leads.history.monthly.filter((m) => full.has(m.month)).map((m) => ({ month: m.month, value: m.leads }));
  const forecast = (leads.total?.monthly ?? [])
    .filter((m) => m.month === current || m.forecastDays >= daysInMonth(m.month))
    .map((m) => ({ month: m.month, mean: m.mean, lo80: m.lo80, hi80: m.hi80, lo95: m.lo95, hi95: m.hi95, anchor: false }));
  const fan = withAnchor(actuals, forecast);
  const goals = goalSeries(revenue, 'leads', actuals[0]?.month ?? fan[0]?.month, fan.at(-1)?.month ?? actuals.at(-1)?.month);
  return { actuals, fan, goals, months: monthsOf(actuals, fan, goals) };
}

/**
 * Expected new-patient revenue per month: booked value of the leads of each full month of history,
 * then the projection (the current month adds what is already booked this month to every bound),
 * and the revenue goals. `leads` (optional) tells which history months are full.
 */
export function revenueFan(revenue: RevenueForecastResponse, leads: Pick<LeadForecastResponse, 'history'> | null): FanSeries {
  const current = revenue.monthly[0]?.month ?? (leads ? currentMonth(leads) : (revenue.history.at(-1)?.month ?? ''));
  const full = leads ? fullMonths(leads, current) : null;
  const actuals = revenue.history.filter((h) => h.month < current && (full === null || full.has(h.month))).map((h) => ({ month: h.month, value: h.revenue }));
  const forecast =
    revenue.status === 'ok'
      ? revenue.monthly.map((m) => {
          const done = m.actualToDate?.revenue ?? 0;
          const r = m.revenue;
          return { month: m.month, mean: r.mean + done, lo80: r.lo80 + done, hi80: r.hi80 + done, lo95: r.lo95 + done, hi95: r.hi95 + done, anchor: false };
        })
      : [];
  const fan = withAnchor(actuals, forecast);
  const goals = goalSeries(revenue, 'revenue', actuals[0]?.month ?? fan[0]?.month, fan.at(-1)?.month ?? actuals.at(-1)?.month);
  return { actuals, fan, goals, months: monthsOf(actuals, fan, goals) };
}

/** The y extent of a series: 0 to the highest of actuals, the 95% band and goals (at least `floor`). */
export function fanMax(series: FanSeries, floor = 1): number {
  return Math.max(floor, ...series.actuals.map((a) => a.value), ...series.fan.map((f) => f.hi95), ...series.goals.map((g) => g.value));
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-11` → `Nov 2026`; short: `Nov 26`. */
export function monthLabel(month: string, short = false): string {
  const [y, m] = month.split('-');
  const name = MONTH_NAMES[Number(m) - 1] ?? m;
  return short ? `${name} ${y?.slice(2)}` : `${name} ${y}`;
}

/** One row of a fan chart's table: the actual, or the forecast with its ranges, and the goal. */
export interface FanTableRow {
  month: string;
  actual: number | null;
  forecast: IntervalView | null;
  goal: number | null;
}

export function fanTable(series: FanSeries): FanTableRow[] {
  return series.months.map((month) => {
    const f = series.fan.find((p) => p.month === month && !p.anchor);
    return {
      month,
      actual: series.actuals.find((a) => a.month === month)?.value ?? null,
      forecast: f ? { mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95 } : null,
      goal: series.goals.find((g) => g.month === month)?.value ?? null,
    };
  });
}

/**
 * What to say about the history behind the forecast: null when it is enough for a forecast and at
 * least half a year; otherwise an honest sentence.
 */
export function historyNote(days: number, minimumDays: number): string | null {
  if (days === 0) return `No lead history yet: a forecast needs ${minimumDays / 7} weeks of it.`;
  if (days < minimumDays) return `Not enough history yet: needs ${minimumDays / 7} weeks; this practice has ${weeksText(days)}.`;
  if (days < 182) return `Based on only ${weeksText(days)} of history: no yearly seasonality yet, treat the ranges as rough.`;
  return null;
}

function weeksText(days: number): string {
  if (days < 14) return `${days} day${days === 1 ? '' : 's'}`;
  return `${Math.floor(days / 7)} weeks`;
}
