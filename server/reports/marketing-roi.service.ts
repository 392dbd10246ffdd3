// The Marketing ROI report: per marketing source and per campaign, leads, bookings, conversion, revenue,
// spend, cost per lead and per booking, and ROI, over a practice-local date range.
//
// Why the SQL is shaped this way:
// - One query per concern (the leads, the spend), each scoped by practice_id, each answering every level
//   at once with GROUPING SETS ((), (source), (source, campaign)): the totals row, the source rows and the
//   campaign rows come from the same scan, so they cannot disagree with one another.
// - The range is practice-local: a lead is in when `created_at AT TIME ZONE practice.time_zone` falls on a
//   day from `from` to `to`. The query states it the other way round, turning the two local midnights
//   into instants (`(day)::timestamp AT TIME ZONE time_zone`, which follows daylight saving time), so that
//   the comparison is on the bare column and lead_practice_created_idx (practice_id, created_at) is used.
// - Spend is entered per calendar month. A range that covers only part of a month gets that month's
//   spend prorated by days: amount x (days of the month inside the range) / (days in the month). So
//   1 to 15 March carries 15/31 of March's spend. Prorating happens in numeric, summed, then rounded to
//   cents once per row.
// - Money is summed in numeric by PostgreSQL and read as text; the ratios are worked out here from the
//   rounded figures that are shown, so that the page, the JSON and the CSV carry the same numbers.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MarketingRoiReport, MarketingRoiRow } from './marketing-roi.contract.js';
import type { MarketingRoiQuery } from './reports.schemas.js';
import { leadSegmentSql, money, rangeBoundsSql, ratio, resolveReportRange, sampleOf, segmentView, type ReportQuery, type Segment } from './report-query.js';

/** The response shapes live in marketing-roi.contract.ts (shared with the reports page); re-exported for the controller. */
export type { MarketingRoiReport, MarketingRoiRow, Sample } from './marketing-roi.contract.js';

export const NO_SOURCE = '(no source)';

interface LeadAggregate {
  grouping: number;
  source_id: string | null;
  campaign_id: string | null;
  source_name: string | null;
  campaign_name: string | null;
  leads: number;
  bookings: number;
  estimated_revenue: string;
  actual_revenue: string | null;
}

interface SpendAggregate {
  grouping: number;
  source_id: string | null;
  campaign_id: string | null;
  source_name: string | null;
  campaign_name: string | null;
  spend: string | null;
}

/** The figures derived from counts, revenue and spend, with the null rules in one place. */
export function deriveMetrics(leads: number, bookings: number, estimatedRevenue: number, actualRevenue: number | null, spend: number | null) {
  const paid = spend !== null && spend > 0;
  return {
    conversion: leads > 0 ? ratio(bookings / leads) : null,
    sample: sampleOf(leads),
    costPerLead: spend !== null && leads > 0 ? money(spend / leads) : null,
    costPerBooking: spend !== null && bookings > 0 ? money(spend / bookings) : null,
    roi: paid ? ratio((estimatedRevenue - spend) / spend) : null,
    roiActual: paid && actualRevenue !== null ? ratio((actualRevenue - spend) / spend) : null,
    roiMultiple: paid ? money(estimatedRevenue / spend) : null,
    roiMultipleActual: paid && actualRevenue !== null ? money(actualRevenue / spend) : null,
  };
}

@Injectable()
export class MarketingRoiService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: MarketingRoiQuery | ReportQuery): Promise<MarketingRoiReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const [leadRows, spendRows] = await Promise.all([
      this.leadAggregates(practiceId, range.from, range.to, query),
      this.spendAggregates(practiceId, range.from, range.to),
    ]);

    interface Entry {
      level: MarketingRoiRow['level'];
      sourceId: string | null;
      campaignId: string | null;
      sourceName: string | null;
      campaignName: string | null;
      lead?: LeadAggregate;
      spend?: SpendAggregate;
    }
    const entries = new Map<string, Entry>();
    const levelOf = (grouping: number, campaignId: string | null): MarketingRoiRow['level'] | null =>
      grouping === 3 ? 'total' : grouping === 1 ? 'source' : campaignId === null ? null : 'campaign';
    const entry = (row: LeadAggregate | SpendAggregate): Entry | null => {
      const level = levelOf(row.grouping, row.campaign_id);
      if (level === null) return null; // leads or spend of a source outside any campaign: in the source row
      const key = `${level}|${row.source_id ?? ''}|${row.campaign_id ?? ''}`;
      let found = entries.get(key);
      if (!found) {
        found = {
          level,
          sourceId: level === 'total' ? null : row.source_id,
          campaignId: level === 'campaign' ? row.campaign_id : null,
          sourceName: row.source_name,
          campaignName: row.campaign_name,
        };
        entries.set(key, found);
      }
      return found;
    };
    for (const row of leadRows) {
      const found = entry(row);
      if (found) found.lead = row;
    }
    for (const row of spendRows) {
      const found = entry(row);
      if (found) found.spend = row;
    }

    const toRow = (e: Entry): MarketingRoiRow => {
      const leads = e.lead?.leads ?? 0;
      const bookings = e.lead?.bookings ?? 0;
      const estimatedRevenue = Number(e.lead?.estimated_revenue ?? 0);
      const actualRevenue = e.lead?.actual_revenue == null ? null : Number(e.lead.actual_revenue);
      const spend = e.spend?.spend == null ? null : Number(e.spend.spend);
      return {
        level: e.level,
        sourceId: e.sourceId,
        sourceName: e.level === 'total' ? 'Total' : (e.sourceName ?? NO_SOURCE),
        campaignId: e.campaignId,
        campaignName: e.level === 'campaign' ? e.campaignName : null,
        leads,
        bookings,
        estimatedRevenue,
        actualRevenue,
        spend,
        spendEntered: spend !== null,
        ...deriveMetrics(leads, bookings, estimatedRevenue, actualRevenue, spend),
      };
    };

    const all = [...entries.values()].map(toRow);
    const totals =
      all.find((row) => row.level === 'total') ?? toRow({ level: 'total', sourceId: null, campaignId: null, sourceName: null, campaignName: null });
    const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' }) || a.localeCompare(b);
    const sources = all
      .filter((row) => row.level === 'source')
      .sort((a, b) => Number(a.sourceId === null) - Number(b.sourceId === null) || byName(a.sourceName, b.sourceName));
    const rows: MarketingRoiRow[] = [];
    for (const source of sources) {
      rows.push(source);
      rows.push(
        ...all.filter((row) => row.level === 'campaign' && row.sourceId === source.sourceId).sort((a, b) => byName(a.campaignName ?? '', b.campaignName ?? '')),
      );
    }
    const segment = segmentView(query);
    return { ...range, newPatientsOnly: segment.patient === 'new', segment, rows, totals };
  }

  private leadAggregates(practiceId: string, from: string, to: string, segment: Segment): Promise<LeadAggregate[]> {
    const params: unknown[] = [practiceId, from, to];
    const where = leadSegmentSql(segment, params);
    return this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}), agg AS (
         SELECT GROUPING(l.source_id, l.campaign_id)::int AS grouping, l.source_id, l.campaign_id,
                count(*)::int AS leads,
                count(*) FILTER (WHERE l.status = 'booked')::int AS bookings,
                coalesce(sum(l.estimated_value) FILTER (WHERE l.status = 'booked'), 0)::text AS estimated_revenue,
                sum(l.actual_value)::text AS actual_revenue
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${where}
          GROUP BY GROUPING SETS ((), (l.source_id), (l.source_id, l.campaign_id))
       )
       SELECT agg.*, s.name AS source_name, c.name AS campaign_name
         FROM agg
         LEFT JOIN marketing_source s ON s.practice_id = $1 AND s.id = agg.source_id
         LEFT JOIN campaign c ON c.practice_id = $1 AND c.id = agg.campaign_id`,
      params,
    );
  }

  private spendAggregates(practiceId: string, from: string, to: string): Promise<SpendAggregate[]> {
    // month_days: the month's length; inside: its days from `from` to `to`. Only months the range touches.
    return this.dataSource.query(
      `WITH prorated AS (
         SELECT ms.source_id, ms.campaign_id,
                ms.amount * (least($3::date, m.last_day) - greatest($2::date, ms.month) + 1)::numeric
                          / (m.last_day - ms.month + 1) AS amount
           FROM marketing_spend ms
           CROSS JOIN LATERAL (SELECT (ms.month + interval '1 month')::date - 1 AS last_day) m
          WHERE ms.practice_id = $1
            AND ms.month <= $3::date
            AND m.last_day >= $2::date
       ), agg AS (
         SELECT GROUPING(source_id, campaign_id)::int AS grouping, source_id, campaign_id,
                round(sum(amount), 2)::text AS spend
           FROM prorated
          GROUP BY GROUPING SETS ((), (source_id), (source_id, campaign_id))
       )
       SELECT agg.*, s.name AS source_name, c.name AS campaign_name
         FROM agg
         LEFT JOIN marketing_source s ON s.practice_id = $1 AND s.id = agg.source_id
         LEFT JOIN campaign c ON c.practice_id = $1 AND c.id = agg.campaign_id`,
      [practiceId, from, to],
    );
  }
}
