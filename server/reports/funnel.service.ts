// The conversion funnel: leads -> contacted -> booked (and lost, and still open), by one segment
// dimension and as a trend by ISO week or calendar month, over a practice-local date range.
//
// Why the SQL is shaped this way:
// - Two queries, each scoped by practice_id and by the range's instants (the `bounds` CTE turns the two
//   local midnights into instants, so the comparison is on the bare created_at and
//   lead_practice_created_idx is used), each filtered by the same `leadSegmentSql`.
// - The totals and the segment rows come from one scan with GROUPING SETS ((), (dimension)): they cannot
//   disagree. The dimension is a text expression chosen from a closed list (never user text in SQL).
// - The trend's periods are practice-local: weeks are Monday 00:00 to Monday 00:00 local, whatever the
//   daylight-saving offset (a week that crosses a change is 167 or 169 hours), months start on the 1st at
//   00:00 local, and a lead at 23:30 local is on its local day. The periods come from generate_series
//   over local dates; each period's first local midnight is turned into an instant once (the way
//   rangeBoundsSql does it), and each lead finds its period with width_bucket(created_at, those instants)
//   (a binary search on the bare column). Bucketing by `date_trunc(.., created_at AT TIME ZONE tz)`
//   gives the same periods but converts every lead's time to local time: twice the CPU on 100,000 leads
//   (bench:reports). The periods are LEFT JOINed, so a period without leads is a row with 0 leads (and
//   null rates) rather than missing.
// - "Contacted" is first_response_at set; "open" is status open or contacted (neither booked nor lost),
//   so leads = booked + not booked + open on every row.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FunnelCounts, FunnelDimension, FunnelInterval, FunnelPeriodRow, FunnelReport, FunnelSegmentRow } from './operations.contract.js';
import { leadSegmentSql, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type Segment } from './report-query.js';

export interface FunnelQuery extends Segment {
  from?: string;
  to?: string;
  by: FunnelDimension;
  interval: FunnelInterval;
}

interface CountColumns {
  leads: number;
  contacted: number;
  booked: number;
  not_booked: number;
  open: number;
}

/** The counting columns every funnel row has, over the lead alias `l`. */
export const FUNNEL_COUNT_SQL = `count(*)::int AS leads,
       count(*) FILTER (WHERE l.first_response_at IS NOT NULL)::int AS contacted,
       count(*) FILTER (WHERE l.status = 'booked')::int AS booked,
       count(*) FILTER (WHERE l.status = 'not_booked')::int AS not_booked,
       count(*) FILTER (WHERE l.status IN ('open', 'contacted'))::int AS open`;

/** Counts to the funnel's counts and rates (each rate with its sample flag). */
export function funnelCounts(row: Partial<CountColumns> | undefined): FunnelCounts {
  const leads = row?.leads ?? 0;
  const contacted = row?.contacted ?? 0;
  const booked = row?.booked ?? 0;
  return {
    leads,
    contacted,
    booked,
    notBooked: row?.not_booked ?? 0,
    open: row?.open ?? 0,
    contactRate: rate(contacted, leads),
    contactRateSample: sampleOf(leads),
    bookingRate: rate(booked, leads),
    bookingRateSample: sampleOf(leads),
    contactedBookingRate: rate(booked, contacted),
    contactedBookingRateSample: sampleOf(contacted),
  };
}

/** Per dimension: the grouping key (text), and how a key becomes a label (a join on the aggregate `agg`). */
const DIMENSIONS: Record<FunnelDimension, { key: string; label: string; join: string; none: string }> = {
  channel: { key: 'l.channel', label: 'agg.key', join: '', none: '(no channel)' },
  source: {
    key: 'l.source_id::text',
    label: 's.name',
    join: 'LEFT JOIN marketing_source s ON s.practice_id = $1 AND s.id::text = agg.key',
    none: '(no source)',
  },
  campaign: {
    key: 'l.campaign_id::text',
    label: `c.name || ' (' || s.name || ')'`,
    join: 'LEFT JOIN campaign c ON c.practice_id = $1 AND c.id::text = agg.key LEFT JOIN marketing_source s ON s.practice_id = $1 AND s.id = c.source_id',
    none: '(no campaign)',
  },
  staff: {
    key: 'coalesce(l.first_response_staff_id, l.assigned_staff_id)::text',
    label: 'st.display_name',
    join: 'LEFT JOIN staff st ON st.practice_id = $1 AND st.id::text = agg.key',
    none: '(unassigned)',
  },
  // Treatments are free text: grouped case-insensitively (as the treatment segment filters), labelled
  // with one of the spellings found.
  treatment: { key: 'lower(l.treatment)', label: 'agg.any_label', join: '', none: '(no treatment)' },
  patient: {
    key: `CASE WHEN l.is_new_patient THEN 'new' ELSE 'existing' END`,
    label: `CASE agg.key WHEN 'new' THEN 'New patients' ELSE 'Existing patients' END`,
    join: '',
    none: '(none)',
  },
};

interface SegmentAggregate extends CountColumns {
  grouping: number;
  key: string | null;
  label: string | null;
}

interface PeriodAggregate extends CountColumns {
  period: string;
  start: string;
  end: string;
  partial: boolean;
}

@Injectable()
export class FunnelService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: FunnelQuery): Promise<FunnelReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const [segmentRows, periodRows] = await Promise.all([
      this.segmentAggregates(practiceId, range.from, range.to, query),
      this.periodAggregates(practiceId, range.from, range.to, query),
    ]);
    const dimension = DIMENSIONS[query.by];
    const totals = funnelCounts(segmentRows.find((row) => row.grouping === 1));
    const rows: FunnelSegmentRow[] = segmentRows
      .filter((row) => row.grouping === 0)
      .map((row) => ({ key: row.key, label: row.key === null ? dimension.none : (row.label ?? row.key), ...funnelCounts(row) }))
      .sort((a, b) => Number(a.key === null) - Number(b.key === null) || b.leads - a.leads || a.label.localeCompare(b.label));
    const trend: FunnelPeriodRow[] = periodRows.map((row) => ({
      period: row.period,
      start: row.start,
      end: row.end,
      partial: row.partial,
      ...funnelCounts(row),
    }));
    return {
      from: range.from,
      to: range.to,
      timeZone: range.timeZone,
      segment: segmentView(query),
      by: query.by,
      interval: query.interval,
      totals,
      rows,
      trend,
    };
  }

  private segmentAggregates(practiceId: string, from: string, to: string, query: FunnelQuery): Promise<SegmentAggregate[]> {
    const params: unknown[] = [practiceId, from, to];
    const where = leadSegmentSql(query, params);
    const dimension = DIMENSIONS[query.by];
    return this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}), agg AS (
         SELECT GROUPING(${dimension.key})::int AS grouping, ${dimension.key} AS key, min(l.treatment) AS any_label,
                ${FUNNEL_COUNT_SQL}
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${where}
          GROUP BY GROUPING SETS ((), (${dimension.key}))
       )
       SELECT agg.grouping, agg.key, agg.leads, agg.contacted, agg.booked, agg.not_booked, agg.open, ${dimension.label} AS label
         FROM agg ${dimension.join}`,
      params,
    );
  }

  private periodAggregates(practiceId: string, from: string, to: string, query: FunnelQuery): Promise<PeriodAggregate[]> {
    const params: unknown[] = [practiceId, from, to, query.interval];
    const where = leadSegmentSql(query, params);
    const label = query.interval === 'week' ? `'IYYY-"W"IW'` : `'YYYY-MM'`;
    return this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}), periods AS (
         SELECT row_number() OVER (ORDER BY p)::int AS i, p::date AS start, (p + ('1 ' || $4::text)::interval)::date - 1 AS last_day,
                greatest(p::date, $2::date)::timestamp AT TIME ZONE b.time_zone AS start_at
           FROM bounds b
           CROSS JOIN generate_series(date_trunc($4::text, $2::date::timestamp), $3::date::timestamp, ('1 ' || $4::text)::interval) p
       ), thresholds AS (
         SELECT array_agg(start_at ORDER BY i) AS starts FROM periods
       ), agg AS (
         SELECT width_bucket(l.created_at, t.starts) AS i, ${FUNNEL_COUNT_SQL}
           FROM lead l
           CROSS JOIN bounds b
           CROSS JOIN thresholds t
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${where}
          GROUP BY 1
       )
       SELECT to_char(p.start, ${label}) AS period,
              greatest(p.start, $2::date)::text AS start,
              least(p.last_day, $3::date)::text AS end,
              (p.start < $2::date OR p.last_day > $3::date) AS partial,
              coalesce(agg.leads, 0) AS leads, coalesce(agg.contacted, 0) AS contacted, coalesce(agg.booked, 0) AS booked,
              coalesce(agg.not_booked, 0) AS not_booked, coalesce(agg.open, 0) AS open
         FROM periods p
         LEFT JOIN agg ON agg.i = p.i
        ORDER BY p.start`,
      params,
    );
  }
}
