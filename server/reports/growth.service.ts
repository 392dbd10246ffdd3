// Growth: lead volume and conversion trends (weekly, monthly, practice-local), this period against the
// same period a year earlier, a seasonality view, and the growth bridge. This file shapes the view from
// the rows of one query (growth.queries.ts); the bridge's maths is growth-bridge.ts, the query
// parameters growth.schema.ts.
//
// Definitions (the same as every other view, so numbers agree across pages):
// - leads: the segment's unmerged leads created in the period (practice-local days, rangeBoundsSql);
// - bookings: those leads that are booked (whenever the booking happened);
// - booked revenue: the sum of estimated_value of those booked leads (a booked lead without an estimate
//   adds 0), as Marketing ROI's estimatedRevenue. New-patient revenue is this with patient=new (what the
//   page asks for); the view follows the segment like every view.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, daysBetween, isoWeekday, lastOfMonth, yearEarlier } from '../common/local-date.js';
import { growthBridge, toCents, type Period } from './growth-bridge.js';
import { firstLeadDay, loadGrowthRows, type GrowthRow } from './growth.queries.js';
import type { GrowthQuery } from './growth.schema.js';
import type { GrowthBridge, GrowthReport, GrowthTrendPoint, Seasonality, YearOverYear, YearOverYearMetric } from './outcomes.contract.js';
import { money, rate, ratio, resolveReportRange, sampleOf, segmentView } from './report-query.js';

/** Seasonality looks back at most this many years from `to`. */
export const SEASONALITY_YEARS = 5;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function yoyMetric(current: number | null, previous: number | null, round: (x: number) => number): YearOverYearMetric {
  const change = current === null || previous === null ? null : round(current - previous);
  return { current, previous, change, changeRate: change === null || previous === null || previous === 0 ? null : ratio(change / previous) };
}

@Injectable()
export class GrowthService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: GrowthQuery): Promise<GrowthReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const previous = { from: yearEarlier(range.from), to: yearEarlier(range.to) };
    const base = this.basePeriod(range.from, range.to, query);
    const historyFrom = await this.historyFrom(practiceId, range.to);
    const rows = await loadGrowthRows(this.dataSource, practiceId, query, { current: range, previous, base, historyFrom });
    const of = (kind: GrowthRow['kind']) => rows.filter((row) => row.kind === kind);
    const trends = this.trends(range.from, range.to, of('week'), of('month'));
    const seasonality = this.seasonality(historyFrom, range.to, of('season_month'), of('season_dow'));
    const currentPeriod = of('current');
    const previousPeriod = of('previous');
    const basePeriod = of('base');

    const totalOf = (rows: GrowthRow[]): Period => {
      const row = rows.find((r) => r.key === 'total');
      return { leads: row?.leads ?? 0, bookings: row?.bookings ?? 0, cents: toCents(row?.revenue ?? 0) };
    };
    const cur = totalOf(currentPeriod);
    const prev = totalOf(previousPeriod);
    const yearOverYear: YearOverYear = {
      current: { from: range.from, to: range.to },
      previous,
      leads: yoyMetric(cur.leads, prev.leads, (x) => x),
      bookings: yoyMetric(cur.bookings, prev.bookings, (x) => x),
      conversion: yoyMetric(rate(cur.bookings, cur.leads), rate(prev.bookings, prev.leads), ratio),
      bookedRevenue: yoyMetric(cur.cents / 100, prev.cents / 100, money),
      sample: { current: sampleOf(cur.leads), previous: sampleOf(prev.leads) },
    };

    return {
      ...range,
      segment: segmentView(query),
      weekly: trends.weekly,
      monthly: trends.monthly,
      yearOverYear,
      seasonality,
      bridge: growthBridge(base, { from: range.from, to: range.to }, basePeriod, currentPeriod),
    };
  }

  /** The bridge's base period: given, or the same length just before, or a year earlier. */
  basePeriod(
    from: string,
    to: string,
    query: Pick<GrowthQuery, 'compare' | 'compareFrom' | 'compareTo'>,
  ): { from: string; to: string; compare: GrowthBridge['compare'] } {
    if (query.compareFrom && query.compareTo) return { from: query.compareFrom, to: query.compareTo, compare: 'custom' };
    if (query.compare === 'year') return { from: yearEarlier(from), to: yearEarlier(to), compare: 'year' };
    const days = daysBetween(from, to) + 1;
    return { from: addDays(from, -days), to: addDays(from, -1), compare: 'previous' };
  }

  /** The practice's first (unmerged) lead, local date, no earlier than SEASONALITY_YEARS before `to`; null without leads. */
  private async historyFrom(practiceId: string, to: string): Promise<string | null> {
    const first = await firstLeadDay(this.dataSource, practiceId);
    if (!first || first > to) return null;
    let limit = to;
    for (let i = 0; i < SEASONALITY_YEARS; i++) limit = yearEarlier(limit);
    const earliest = addDays(limit, 1); // SEASONALITY_YEARS years back, `to` included
    return first < earliest ? earliest : first;
  }

  /** Weekly (ISO weeks, Monday first) and monthly points over the range, every period present (0 when empty). */
  private trends(from: string, to: string, weeks: GrowthRow[], months: GrowthRow[]): { weekly: GrowthTrendPoint[]; monthly: GrowthTrendPoint[] } {
    const point = (period: string, start: string, end: string, row: GrowthRow | undefined): GrowthTrendPoint => {
      const leads = row?.leads ?? 0;
      const bookings = row?.bookings ?? 0;
      return {
        period,
        start,
        end,
        days: daysBetween(start, end) + 1,
        leads,
        bookings,
        conversion: rate(bookings, leads),
        sample: sampleOf(leads),
        bookedRevenue: Number(row?.revenue ?? 0),
      };
    };
    const weekly: GrowthTrendPoint[] = [];
    for (let monday = addDays(from, 1 - isoWeekday(from)); monday <= to; monday = addDays(monday, 7)) {
      const start = monday < from ? from : monday;
      const sunday = addDays(monday, 6);
      weekly.push(
        point(
          monday,
          start,
          sunday > to ? to : sunday,
          weeks.find((r) => r.key === monday),
        ),
      );
    }
    const monthly: GrowthTrendPoint[] = [];
    for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = addDays(lastOfMonth(month), 1).slice(0, 7)) {
      const first = `${month}-01`;
      const last = lastOfMonth(month);
      monthly.push(
        point(
          month,
          first < from ? from : first,
          last > to ? to : last,
          months.find((r) => r.key === month),
        ),
      );
    }
    return { weekly, monthly };
  }

  /**
   * Average leads per calendar month and per weekday over the history up to `to` (at most
   * SEASONALITY_YEARS back). History starts at the practice's first (unmerged) lead, whatever the
   * segment, so an empty month of a segment counts as a 0, not as missing. Only whole calendar months
   * inside the history count (a month begun before the first lead is left out); every day counts for
   * the weekdays.
   */
  private seasonality(historyFrom: string | null, to: string, months: GrowthRow[], weekdays: GrowthRow[]): Seasonality {
    if (historyFrom === null) {
      return {
        historyFrom: null,
        historyTo: to,
        byMonth: MONTH_NAMES.map((name, i) => ({ month: i + 1, name, years: 0, averageLeads: null, index: null })),
        byWeekday: WEEKDAY_NAMES.map((name, i) => ({ weekday: i + 1, name, weeks: 0, averageLeads: null, index: null })),
      };
    }
    // Whole months inside [historyFrom, to].
    const monthTotals = Array.from({ length: 12 }, () => ({ years: 0, leads: 0 }));
    for (let month = historyFrom.slice(0, 7); month <= to.slice(0, 7); month = addDays(lastOfMonth(month), 1).slice(0, 7)) {
      if (`${month}-01` < historyFrom || lastOfMonth(month) > to) continue;
      const entry = monthTotals[Number(month.slice(5, 7)) - 1]!;
      entry.years++;
      entry.leads += months.find((r) => r.key === month)?.leads ?? 0;
    }
    const weekdayTotals = Array.from({ length: 7 }, () => ({ weeks: 0, leads: 0 }));
    const days = daysBetween(historyFrom, to) + 1;
    for (let i = 0; i < 7 && i < days; i++) {
      const day = addDays(historyFrom, i);
      weekdayTotals[isoWeekday(day) - 1]!.weeks = Math.floor((days - 1 - i) / 7) + 1;
    }
    for (const row of weekdays) weekdayTotals[Number(row.key) - 1]!.leads = row.leads;

    const averages = (entries: Array<{ count: number; leads: number }>) => {
      const avg = entries.map((e) => (e.count > 0 ? Math.round((e.leads / e.count) * 100) / 100 : null));
      const known = avg.filter((a): a is number => a !== null);
      const mean = known.length > 0 ? known.reduce((s, a) => s + a, 0) / known.length : 0;
      return avg.map((a) => ({ average: a, index: a === null || mean === 0 ? null : ratio(a / mean) }));
    };
    const monthly = averages(monthTotals.map((m) => ({ count: m.years, leads: m.leads })));
    const weekly = averages(weekdayTotals.map((w) => ({ count: w.weeks, leads: w.leads })));
    return {
      historyFrom,
      historyTo: to,
      byMonth: MONTH_NAMES.map((name, i) => ({
        month: i + 1,
        name,
        years: monthTotals[i]!.years,
        averageLeads: monthly[i]!.average,
        index: monthly[i]!.index,
      })),
      byWeekday: WEEKDAY_NAMES.map((name, i) => ({
        weekday: i + 1,
        name,
        weeks: weekdayTotals[i]!.weeks,
        averageLeads: weekly[i]!.average,
        index: weekly[i]!.index,
      })),
    };
  }
}
