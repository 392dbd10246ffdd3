// Growth: lead volume and conversion trends (weekly, monthly, practice-local), this period against the
// same period a year earlier, a seasonality view, and the growth bridge.
//
// Definitions (the same as every other view, so numbers agree across pages):
// - leads: the segment's unmerged leads created in the period (practice-local days, rangeBoundsSql);
// - bookings: those leads that are booked (whenever the booking happened);
// - booked revenue: the sum of estimated_value of those booked leads (a booked lead without an estimate
//   adds 0), as Marketing ROI's estimatedRevenue. New-patient revenue is this with patient=new (what the
//   page asks for); the view follows the segment like every view.
//
// Growth bridge: revenue = leads x conversion x average booked value, per channel, where
// conversion = bookings / leads and average value = revenue / bookings. The change of revenue between
// the base and the current period is split into three effects by the Shapley value (the average, over
// the 3! = 6 orders in which the factors can be changed one at a time, of each factor's contribution).
// For a product of three factors it has a closed form, exact (the three effects add up to the change):
//   volume     = dL x [ (c0 v0 + c1 v1) / 3 + (c0 v1 + c1 v0) / 6 ]
//   conversion = dc x [ (L0 v0 + L1 v1) / 3 + (L0 v1 + L1 v0) / 6 ]
//   value      = dv x [ (L0 c0 + L1 c1) / 3 + (L0 c1 + L1 c0) / 6 ]
// A factor with no meaning in a period (conversion without leads, average value without bookings) takes
// its value from the other period (0 when neither has one): the period's revenue is 0 either way (a zero
// factor beside it), the identity revenue = L x c x v still holds, and that factor then gets no effect,
// which is what one expects (a channel that appears gains by volume only, at its new conversion and value;
// one that disappears loses by volume only). No NaN, no division by 0.
// Rounding: money is handled in whole cents. Each effect is rounded to the cent; the 1-2 cents the
// rounding may leave are put into the effect of largest absolute size (volume first on a tie) and shown
// as `roundingAdjustment`, so volume + conversion + value = change exactly for every channel. The total
// row is the sum of the channel rows (so it adds up both ways); an aggregate-level split would add a
// channel-mix term, which the per-channel split spreads over the channels' own effects instead.
//
// Why the SQL is shaped this way: ONE scan of the segment's leads over the span covering every period
// the view needs (the range, a year earlier, the bridge's base, the seasonality history), counted per
// local day and channel (one time-zone conversion per lead, a few thousand groups, MATERIALIZED), and
// every table summed from those daily rows in the same statement (UNION ALL; GROUPING SETS for a
// period's channels and total). The range comparison is on the bare created_at (rangeBoundsSql), so
// lead_practice_created_idx is used. Money is summed in numeric and read as text.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type {
  BridgeFactors,
  BridgeRow,
  GrowthBridge,
  GrowthReport,
  GrowthTrendPoint,
  Seasonality,
  YearOverYear,
  YearOverYearMetric,
} from './outcomes.contract.js';
import {
  daysBetween,
  leadSegmentSql,
  localDate,
  MAX_REPORT_DAYS,
  money,
  rangeBoundsSql,
  rangeShape,
  rate,
  ratio,
  resolveReportRange,
  sampleOf,
  segmentShape,
  segmentView,
  type Segment,
} from './report-query.js';

export const GROWTH_TABLES = ['bridge', 'weekly', 'monthly', 'yoy', 'seasonality-months', 'seasonality-weekdays'] as const;
export type GrowthTable = (typeof GROWTH_TABLES)[number];

export const BRIDGE_METHOD =
  'Revenue = leads x conversion x average booked value, per channel. The change is split into volume, conversion and value effects by the Shapley value ' +
  '(each factor\'s contribution averaged over every order of changing the three factors), which is exact. A factor undefined in one period ' +
  '(no leads, or no bookings) takes its value from the other period. Effects are rounded to the cent and the rounding remainder goes into the largest ' +
  'effect (roundingAdjustment), so the three add up exactly to the change; the total is the sum of the channels.';

/** Seasonality looks back at most this many years from `to`. */
export const SEASONALITY_YEARS = 5;

const growthShape = {
  ...rangeShape,
  ...segmentShape,
  compare: z.enum(['previous', 'year']).default('previous').meta({
    description: 'Bridge base period when compareFrom/compareTo are not given: the same length immediately before (default), or the same dates a year earlier.',
  }),
  compareFrom: localDate.optional().meta({ description: 'Bridge base period first day (with compareTo).' }),
  compareTo: localDate.optional().meta({ description: 'Bridge base period last day (with compareFrom).' }),
};

function checkGrowth(query: { from?: string; to?: string; compareFrom?: string; compareTo?: string }, ctx: z.RefinementCtx): void {
  if (query.from && query.to && query.to < query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
  else if (query.from && query.to && daysBetween(query.from, query.to) >= MAX_REPORT_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `is more than ${MAX_REPORT_DAYS} days after from` });
  }
  if ((query.compareFrom === undefined) !== (query.compareTo === undefined)) {
    ctx.addIssue({ code: 'custom', path: [query.compareFrom === undefined ? 'compareFrom' : 'compareTo'], message: 'compareFrom and compareTo go together' });
  } else if (query.compareFrom && query.compareTo) {
    if (query.compareTo < query.compareFrom) ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `is before compareFrom (${query.compareFrom})` });
    else if (daysBetween(query.compareFrom, query.compareTo) >= MAX_REPORT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `is more than ${MAX_REPORT_DAYS} days after compareFrom` });
    }
  }
}

export const growthQuerySchema = z.strictObject(growthShape).superRefine(checkGrowth);
export type GrowthQuery = z.infer<typeof growthQuerySchema>;
export const growthCsvQuerySchema = z
  .strictObject({ ...growthShape, table: z.enum(GROWTH_TABLES).default('bridge').meta({ description: 'Which table of the view the CSV holds (default bridge).' }) })
  .superRefine(checkGrowth);
export type GrowthCsvQuery = z.infer<typeof growthCsvQuerySchema>;

// ---- calendar helpers on 'YYYY-MM-DD' (plain dates, no time zone) ----
const dayMs = 86_400_000;
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
/** The same date a year earlier (29 February becomes 28 February). */
export function yearEarlier(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
/** ISO weekday 1 (Monday) .. 7 (Sunday). */
const isoWeekday = (day: string): number => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const lastOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** One row of the view's single query (see GrowthService.load). */
interface LoadedRow {
  kind: 'week' | 'month' | 'current' | 'previous' | 'base' | 'season_month' | 'season_dow';
  /** Week's Monday, month, ISO weekday; 'total' for a period's total row; null for a period's channel row. */
  key: string | null;
  channel: string | null;
  leads: number;
  bookings: number;
  revenue: string;
}
type PeriodRow = LoadedRow;

const SUMS = `sum(leads)::int AS leads, sum(bookings)::int AS bookings, coalesce(sum(revenue), 0)::text AS revenue`;

/** One period's factors, money in cents. */
interface Period {
  leads: number;
  bookings: number;
  cents: number;
}

const toCents = (text: string | number): number => Math.round(Number(text) * 100);

/**
 * The Shapley split of one channel's revenue change into volume, conversion and value effects, in cents,
 * rounded so that they add up exactly to the change (see the file comment).
 */
export function shapleyBridge(base: Period, current: Period): { change: number; volume: number; conversion: number; value: number; adjustment: number } {
  const conv = (p: Period) => (p.leads > 0 ? p.bookings / p.leads : null);
  const val = (p: Period) => (p.bookings > 0 ? p.cents / p.bookings : null);
  const c0 = conv(base) ?? conv(current) ?? 0;
  const c1 = conv(current) ?? conv(base) ?? 0;
  const v0 = val(base) ?? val(current) ?? 0;
  const v1 = val(current) ?? val(base) ?? 0;
  const L0 = base.leads;
  const L1 = current.leads;
  const raw = {
    volume: (L1 - L0) * ((c0 * v0 + c1 * v1) / 3 + (c0 * v1 + c1 * v0) / 6),
    conversion: (c1 - c0) * ((L0 * v0 + L1 * v1) / 3 + (L0 * v1 + L1 * v0) / 6),
    value: (v1 - v0) * ((L0 * c0 + L1 * c1) / 3 + (L0 * c1 + L1 * c0) / 6),
  };
  const change = current.cents - base.cents;
  const rounded = { volume: Math.round(raw.volume), conversion: Math.round(raw.conversion), value: Math.round(raw.value) };
  const adjustment = change - rounded.volume - rounded.conversion - rounded.value;
  if (adjustment !== 0) {
    const largest = (['volume', 'conversion', 'value'] as const).reduce((best, key) => (Math.abs(raw[key]) > Math.abs(raw[best]) ? key : best), 'volume' as 'volume' | 'conversion' | 'value');
    rounded[largest] += adjustment;
  }
  // Normalise -0 (a zero effect of a negative factor change) to 0.
  return { change, volume: rounded.volume + 0, conversion: rounded.conversion + 0, value: rounded.value + 0, adjustment };
}

function factors(p: Period): BridgeFactors {
  return {
    leads: p.leads,
    bookings: p.bookings,
    conversion: rate(p.bookings, p.leads),
    averageValue: p.bookings > 0 ? money(p.cents / 100 / p.bookings) : null,
    revenue: p.cents / 100,
  };
}

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
    const rows = await this.load(practiceId, query, { current: range, previous, base, historyFrom });
    const of = (kind: LoadedRow['kind']) => rows.filter((row) => row.kind === kind);
    const trends = this.trends(range.from, range.to, of('week'), of('month'));
    const seasonality = this.seasonality(historyFrom, range.to, of('season_month'), of('season_dow'));
    const currentPeriod = of('current');
    const previousPeriod = of('previous');
    const basePeriod = of('base');

    const totalOf = (rows: PeriodRow[]): Period => {
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
      bridge: this.bridge(base, { from: range.from, to: range.to }, basePeriod, currentPeriod),
    };
  }

  /** The bridge's base period: given, or the same length just before, or a year earlier. */
  basePeriod(from: string, to: string, query: Pick<GrowthQuery, 'compare' | 'compareFrom' | 'compareTo'>): { from: string; to: string; compare: GrowthBridge['compare'] } {
    if (query.compareFrom && query.compareTo) return { from: query.compareFrom, to: query.compareTo, compare: 'custom' };
    if (query.compare === 'year') return { from: yearEarlier(from), to: yearEarlier(to), compare: 'year' };
    const days = daysBetween(from, to) + 1;
    return { from: addDays(from, -days), to: addDays(from, -1), compare: 'previous' };
  }

  private bridge(base: { from: string; to: string; compare: GrowthBridge['compare'] }, current: { from: string; to: string }, baseRows: PeriodRow[], currentRows: PeriodRow[]): GrowthBridge {
    const periodOf = (rows: PeriodRow[], channel: string): Period => {
      const row = rows.find((r) => r.key !== 'total' && r.channel === channel);
      return { leads: row?.leads ?? 0, bookings: row?.bookings ?? 0, cents: toCents(row?.revenue ?? 0) };
    };
    const channels = [...new Set([...baseRows, ...currentRows].filter((r) => r.key !== 'total' && r.channel !== null).map((r) => r.channel!))].sort();
    const rows: BridgeRow[] = channels.map((channel) => {
      const b = periodOf(baseRows, channel);
      const c = periodOf(currentRows, channel);
      const split = shapleyBridge(b, c);
      return {
        channel,
        base: factors(b),
        current: factors(c),
        change: split.change / 100,
        volumeEffect: split.volume / 100,
        conversionEffect: split.conversion / 100,
        valueEffect: split.value / 100,
        roundingAdjustment: split.adjustment / 100,
      };
    });
    // The total row: the channels summed, in cents (so it adds up exactly both ways).
    const sumCents = (pick: (row: BridgeRow) => number) => rows.reduce((sum, row) => sum + Math.round(pick(row) * 100), 0) / 100;
    const totalPeriod = (side: 'base' | 'current'): Period => ({
      leads: rows.reduce((s, r) => s + r[side].leads, 0),
      bookings: rows.reduce((s, r) => s + r[side].bookings, 0),
      cents: rows.reduce((s, r) => s + Math.round(r[side].revenue * 100), 0),
    });
    const total: BridgeRow = {
      channel: 'total',
      base: factors(totalPeriod('base')),
      current: factors(totalPeriod('current')),
      change: sumCents((r) => r.change),
      volumeEffect: sumCents((r) => r.volumeEffect),
      conversionEffect: sumCents((r) => r.conversionEffect),
      valueEffect: sumCents((r) => r.valueEffect),
      roundingAdjustment: sumCents((r) => r.roundingAdjustment),
    };
    return { method: BRIDGE_METHOD, compare: base.compare, base: { from: base.from, to: base.to }, current, channels: rows, total };
  }

  /** The practice's first (unmerged) lead, local date, no earlier than SEASONALITY_YEARS before `to`; null without leads. */
  private async historyFrom(practiceId: string, to: string): Promise<string | null> {
    const [first] = await this.dataSource.query<Array<{ day: string | null }>>(
      `SELECT to_char((SELECT min(l.created_at) FROM lead l WHERE l.practice_id = $1 AND l.merged_into_lead_id IS NULL) AT TIME ZONE p.time_zone, 'YYYY-MM-DD') AS day
         FROM practice p
        WHERE p.id = $1`,
      [practiceId],
    );
    if (!first?.day || first.day > to) return null;
    let limit = to;
    for (let i = 0; i < SEASONALITY_YEARS; i++) limit = yearEarlier(limit);
    const earliest = addDays(limit, 1); // SEASONALITY_YEARS years back, `to` included
    return first.day < earliest ? earliest : first.day;
  }

  /**
   * Everything the view shows from ONE scan of the segment's leads: counted per local day and channel
   * (one time-zone conversion per lead, a few thousand groups), over the span that covers the range, the
   * year-earlier period, the bridge's base period and the seasonality history; then summed from those
   * daily rows into weeks and months of the range, the three periods (per channel and in total:
   * GROUPING SETS) and the seasonality's months and weekdays.
   */
  private load(
    practiceId: string,
    segment: Segment,
    periods: { current: { from: string; to: string }; previous: { from: string; to: string }; base: { from: string; to: string }; historyFrom: string | null },
  ): Promise<LoadedRow[]> {
    const { current, previous, base, historyFrom } = periods;
    const starts = [current.from, previous.from, base.from, ...(historyFrom ? [historyFrom] : [])].sort();
    const ends = [current.to, previous.to, base.to].sort();
    const params: unknown[] = [practiceId, starts[0], ends[ends.length - 1]];
    const where = leadSegmentSql(segment, params);
    const at = (value: string) => {
      params.push(value);
      return `$${params.length}::date`;
    };
    const inCurrent = `day BETWEEN ${at(current.from)} AND ${at(current.to)}`;
    const totals = (kind: string, from: string, to: string) =>
      `SELECT '${kind}' AS kind, CASE WHEN GROUPING(channel) = 1 THEN 'total' END AS key, channel, ${SUMS}
         FROM daily WHERE day BETWEEN ${at(from)} AND ${at(to)} GROUP BY GROUPING SETS ((channel), ())`;
    // Seasonality over [historyFrom, to]; without history, an empty span.
    const history = `day BETWEEN ${at(historyFrom ?? addDays(current.to, 1))} AND ${at(current.to)}`;
    return this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}),
       daily AS MATERIALIZED (
         SELECT (l.created_at AT TIME ZONE b.time_zone)::date AS day, l.channel,
                count(*) AS leads,
                count(*) FILTER (WHERE l.status = 'booked') AS bookings,
                sum(l.estimated_value) FILTER (WHERE l.status = 'booked') AS revenue
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${where}
          GROUP BY 1, 2
       )
       SELECT 'week' AS kind, date_trunc('week', day)::date::text AS key, NULL AS channel, ${SUMS} FROM daily WHERE ${inCurrent} GROUP BY 2
       UNION ALL
       SELECT 'month', to_char(day, 'YYYY-MM'), NULL, ${SUMS} FROM daily WHERE ${inCurrent} GROUP BY 2
       UNION ALL
       ${totals('current', current.from, current.to)}
       UNION ALL
       ${totals('previous', previous.from, previous.to)}
       UNION ALL
       ${totals('base', base.from, base.to)}
       UNION ALL
       SELECT 'season_month', to_char(day, 'YYYY-MM'), NULL, ${SUMS} FROM daily WHERE ${history} GROUP BY 2
       UNION ALL
       SELECT 'season_dow', extract(isodow FROM day)::int::text, NULL, ${SUMS} FROM daily WHERE ${history} GROUP BY 2`,
      params,
    );
  }

  /** Weekly (ISO weeks, Monday first) and monthly points over the range, every period present (0 when empty). */
  private trends(from: string, to: string, weeks: LoadedRow[], months: LoadedRow[]): { weekly: GrowthTrendPoint[]; monthly: GrowthTrendPoint[] } {
    const point = (period: string, start: string, end: string, row: LoadedRow | undefined): GrowthTrendPoint => {
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
      weekly.push(point(monday, start, sunday > to ? to : sunday, weeks.find((r) => r.key === monday)));
    }
    const monthly: GrowthTrendPoint[] = [];
    for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = addDays(lastOfMonth(month), 1).slice(0, 7)) {
      const first = `${month}-01`;
      const last = lastOfMonth(month);
      monthly.push(point(month, first < from ? from : first, last > to ? to : last, months.find((r) => r.key === month)));
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
  private seasonality(historyFrom: string | null, to: string, months: LoadedRow[], weekdays: LoadedRow[]): Seasonality {
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
      byMonth: MONTH_NAMES.map((name, i) => ({ month: i + 1, name, years: monthTotals[i]!.years, averageLeads: monthly[i]!.average, index: monthly[i]!.index })),
      byWeekday: WEEKDAY_NAMES.map((name, i) => ({ weekday: i + 1, name, weeks: weekdayTotals[i]!.weeks, averageLeads: weekly[i]!.average, index: weekly[i]!.index })),
    };
  }
}
