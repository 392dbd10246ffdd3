// Staff performance, for praise and coaching: per staff member, the leads they handled, how many they
// reached and booked, their median first-response time, why their lost leads were lost, and their
// conversion month by month. Aggregates and display names only: no per-call or per-lead timelines, no
// patient data.
//
// Why the SQL is shaped this way:
// - "Handled by" is the segment definition (report-query.ts): the first responder, else the assigned
//   staff member; leads with neither are the "(unassigned)" row. So the rows add up to the funnel's
//   totals and a row here equals the funnel's by=staff row and the staffId segment.
// - One scan (range bounds CTE, `leadSegmentSql`) with GROUPING SETS ((), (staff), (month), (staff, month))
//   gives the totals, the staff rows and their monthly trend from the same leads. The month is the
//   practice-local month of created_at (`AT TIME ZONE practice.time_zone`).
// - Reasons are counted with one FILTER per reason from the closed list, so every row has all six.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NOT_BOOKED_REASONS } from '../domain/domain.constants.js';
import type { ReasonCounts, StaffPerformanceReport, StaffRow, StaffTrendPoint } from './operations.contract.js';
import { leadSegmentSql, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type ReportQuery } from './report-query.js';

export const UNASSIGNED = '(unassigned)';

interface Aggregate {
  grouping: number;
  staff_id: string | null;
  month: string | null;
  display_name: string | null;
  leads: number;
  contacted: number;
  booked: number;
  not_booked: number;
  median: number | null;
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
    const reasonColumns = NOT_BOOKED_REASONS.map((reason) => `count(*) FILTER (WHERE not_booked_reason = '${reason}')::int AS reason_${reason}`).join(',\n              ');
    const rows: Aggregate[] = await this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}), base AS (
         SELECT coalesce(l.first_response_staff_id, l.assigned_staff_id) AS staff_id,
                to_char(l.created_at AT TIME ZONE b.time_zone, 'YYYY-MM') AS month,
                l.status, l.not_booked_reason, l.first_response_at IS NOT NULL AS contacted,
                extract(epoch FROM l.first_response_at - l.created_at) AS secs
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${where}
       ), agg AS (
         SELECT GROUPING(staff_id, month)::int AS grouping, staff_id, month,
                count(*)::int AS leads,
                count(*) FILTER (WHERE contacted)::int AS contacted,
                count(*) FILTER (WHERE status = 'booked')::int AS booked,
                count(*) FILTER (WHERE status = 'not_booked')::int AS not_booked,
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY secs))::numeric)::int AS median,
                ${reasonColumns}
           FROM base
          GROUP BY GROUPING SETS ((), (staff_id), (month), (staff_id, month))
       )
       SELECT agg.*, s.display_name
         FROM agg
         LEFT JOIN staff s ON s.practice_id = $1 AND s.id = agg.staff_id`,
      params,
    );

    const months = monthsBetween(range.from, range.to);
    // GROUPING(staff_id, month): 3 = totals, 1 = a staff row, 2 = a month of all staff, 0 = a staff member's month.
    const trendOf = (grouping: number, staffId: string | null): StaffTrendPoint[] =>
      months.map((month) => {
        const row = rows.find((r) => r.grouping === grouping && r.month === month && (grouping === 2 || r.staff_id === staffId));
        const leads = row?.leads ?? 0;
        const booked = row?.booked ?? 0;
        return { month, leads, booked, conversion: rate(booked, leads), sample: sampleOf(leads) };
      });
    const figures = (row: Aggregate | undefined, trend: StaffTrendPoint[]) => {
      const leads = row?.leads ?? 0;
      const booked = row?.booked ?? 0;
      const reasons = Object.fromEntries(NOT_BOOKED_REASONS.map((reason) => [reason, row?.[`reason_${reason}`] ?? 0])) as ReasonCounts;
      return {
        leads,
        contacted: row?.contacted ?? 0,
        booked,
        notBooked: row?.not_booked ?? 0,
        conversion: rate(booked, leads),
        sample: sampleOf(leads),
        medianResponseSeconds: row?.median ?? null,
        reasons,
        trend,
      };
    };

    const staffRows: StaffRow[] = rows
      .filter((row) => row.grouping === 1)
      .map((row) => ({
        staffId: row.staff_id,
        displayName: row.staff_id === null ? UNASSIGNED : (row.display_name ?? UNASSIGNED),
        ...figures(row, trendOf(0, row.staff_id)),
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
      totals: { staffId: null, displayName: 'Total', ...figures(rows.find((row) => row.grouping === 3), trendOf(2, null)) },
    };
  }
}
