// Staff performance, for praise and coaching: per staff member, the leads they handled, how many they
// reached and booked, their median first-response time, why their lost leads were lost, and their
// conversion month by month. Aggregates and display names only: no per-call or per-lead timelines, no
// patient data.
//
// Why the SQL is shaped this way:
// - "Handled by" is the segment definition (report-query.ts): the first responder, else the assigned
//   staff member; leads with neither are the "(unassigned)" row. So the rows add up to the funnel's
//   totals and a row here equals the funnel's by=staff row and the staffId segment.
// - Two queries over the same leads (range bounds CTE on the bare created_at, `leadSegmentSql`), run side
//   by side:
//   1. counts per (staff member, practice-local month): a plain GROUP BY that PostgreSQL answers with a
//      hash aggregate (a few hundred groups). The month is found with width_bucket(created_at, the
//      instants of the local month starts), not by converting each lead's time to local time (twice
//      the CPU; see funnel.service.ts), with one FILTER per reason from the closed list so every
//      row has all six. The staff rows, the monthly trend and the totals are sums of these cells (exact
//      integers), so they cannot disagree.
//   2. the median first-response time per staff member and overall, GROUPING SETS ((), (staff)), by the
//      one definition of response time (server/metrics/metrics.definitions.ts, README glossary): leads on
//      the channels where a lead waits, credited to the person who made the first response. So the
//      total is the speed-to-lead report's median and a person's day is the TV leaderboard's. (It used to
//      take every channel: phone leads answered live at 0 s made a person's median 4 min where the
//      speed-to-lead report said 1 h.) The (unassigned) row's median is of responses recorded with no
//      staff member.
//   The first version answered everything from one GROUPING SETS ((), (staff), (month), (staff, month))
//   scan with the median in every set: an ordered-set aggregate forces sorted grouping, so 100,000 leads
//   were sorted (spilling to disk) twice, plus a to_char per lead: 550 ms at p95 on the bench
//   (bench:reports, 100,000 leads over two years) against the 300 ms target. Split, no sort is needed
//   for the counts and the median sorts only once per set.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NOT_BOOKED_REASONS } from '../domain/domain.contract.js';
import { countsForResponseTimeSql, RESPONSE_STAFF_COLUMN, RESPONSE_TIME_CHANNELS, responsePercentileSql } from '../metrics/metrics.definitions.js';
import type { ReasonCounts, StaffPerformanceReport, StaffRow, StaffTrendPoint } from './operations.contract.js';
import { leadSegmentSql, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type ReportQuery } from './report-query.js';

export const UNASSIGNED = '(unassigned)';

/** Counts of one (staff member, month). */
interface Cell {
  staff_id: string | null;
  month_index: number;
  /** YYYY-MM, from month_index. */
  month: string;
  leads: number;
  contacted: number;
  booked: number;
  not_booked: number;
  [reason: `reason_${string}`]: number;
}

/** The months YYYY-MM from the month of `from` to the month of `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const text = `${year}-${String(month).padStart(2, '0')}`;
    if (text > last) break;
    months.push(text);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

@Injectable()
export class StaffPerformanceService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: ReportQuery): Promise<StaffPerformanceReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const params: unknown[] = [practiceId, range.from, range.to];
    const where = leadSegmentSql(query, params);
    const medianParams = [...params, RESPONSE_TIME_CHANNELS];
    const channels = `$${medianParams.length}`;
    const reasonColumns = NOT_BOOKED_REASONS.map((reason) => `count(*) FILTER (WHERE l.not_booked_reason = '${reason}')::int AS reason_${reason}`).join(
      ',\n                ',
    );
    const bounds = `WITH bounds AS (${rangeBoundsSql('$2', '$3')})`;
    const inRange = `l.practice_id = $1 AND l.created_at >= b.start_at AND l.created_at < b.end_at AND ${where}`;
    const [cells, medians] = (await Promise.all([
      this.dataSource.query(
        `${bounds}
         , months AS (
           SELECT array_agg(greatest(m::date, $2::date)::timestamp AT TIME ZONE b.time_zone ORDER BY m) AS starts
             FROM bounds b CROSS JOIN generate_series(date_trunc('month', $2::date::timestamp), $3::date::timestamp, interval '1 month') m
         )
         SELECT coalesce(l.first_response_staff_id, l.assigned_staff_id) AS staff_id,
                width_bucket(l.created_at, m.starts) AS month_index,
                count(*)::int AS leads,
                count(*) FILTER (WHERE l.first_response_at IS NOT NULL)::int AS contacted,
                count(*) FILTER (WHERE l.status = 'booked')::int AS booked,
                count(*) FILTER (WHERE l.status = 'not_booked')::int AS not_booked,
                ${reasonColumns}
           FROM lead l
           CROSS JOIN bounds b
           CROSS JOIN months m
          WHERE ${inRange}
          GROUP BY 1, 2`,
        params,
      ),
      this.dataSource.query(
        `${bounds}
         SELECT GROUPING(l.${RESPONSE_STAFF_COLUMN})::int AS grouping,
                l.${RESPONSE_STAFF_COLUMN} AS staff_id,
                ${responsePercentileSql(0.5)} AS median
           FROM lead l
           CROSS JOIN bounds b
          WHERE ${inRange} AND l.first_response_at IS NOT NULL AND ${countsForResponseTimeSql(channels)}
          GROUP BY GROUPING SETS ((), (l.${RESPONSE_STAFF_COLUMN}))`,
        medianParams,
      ),
    ])) as [Cell[], Array<{ grouping: number; staff_id: string | null; median: number | null }>];
    // month_index is 1 for the range's first month (width_bucket's buckets count from 1).
    const months = monthsBetween(range.from, range.to);
    for (const cell of cells) cell.month = months[cell.month_index - 1]!;
    const staffIds = [...new Set(cells.map((cell) => cell.staff_id))];
    const names: Array<{ id: string; display_name: string }> = staffIds.some((id) => id !== null)
      ? await this.dataSource.query(`SELECT id, display_name FROM staff WHERE practice_id = $1 AND id = ANY($2::uuid[])`, [
          practiceId,
          staffIds.filter((id) => id !== null),
        ])
      : [];

    const sum = (list: Cell[]): Omit<Cell, 'staff_id' | 'month' | 'month_index'> => {
      const total: Record<string, number> = { leads: 0, contacted: 0, booked: 0, not_booked: 0 };
      for (const reason of NOT_BOOKED_REASONS) total[`reason_${reason}`] = 0;
      for (const cell of list) for (const key of Object.keys(total)) total[key]! += (cell as unknown as Record<string, number>)[key] ?? 0;
      return total as unknown as Omit<Cell, 'staff_id' | 'month' | 'month_index'>;
    };
    const trendOf = (list: Cell[]): StaffTrendPoint[] =>
      months.map((month) => {
        const { leads, booked } = sum(list.filter((cell) => cell.month === month));
        return { month, leads, booked, conversion: rate(booked, leads), sample: sampleOf(leads) };
      });
    const figures = (list: Cell[], median: number | null | undefined) => {
      const row = sum(list);
      const reasons = Object.fromEntries(NOT_BOOKED_REASONS.map((reason) => [reason, row[`reason_${reason}`] ?? 0])) as ReasonCounts;
      return {
        leads: row.leads,
        contacted: row.contacted,
        booked: row.booked,
        notBooked: row.not_booked,
        conversion: rate(row.booked, row.leads),
        sample: sampleOf(row.leads),
        medianResponseSeconds: median ?? null,
        reasons,
        trend: trendOf(list),
      };
    };

    const staffRows: StaffRow[] = staffIds
      .map((staffId) => ({
        staffId,
        displayName: staffId === null ? UNASSIGNED : (names.find((n) => n.id === staffId)?.display_name ?? UNASSIGNED),
        ...figures(
          cells.filter((cell) => cell.staff_id === staffId),
          medians.find((m) => m.grouping === 0 && m.staff_id === staffId)?.median,
        ),
      }))
      .sort(
        (a, b) =>
          Number(a.staffId === null) - Number(b.staffId === null) ||
          a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' }) ||
          (a.staffId ?? '').localeCompare(b.staffId ?? ''),
      );
    return {
      from: range.from,
      to: range.to,
      timeZone: range.timeZone,
      segment: segmentView(query),
      months,
      rows: staffRows,
      totals: { staffId: null, displayName: 'Total', ...figures(cells, medians.find((m) => m.grouping === 1)?.median) },
    };
  }
}
