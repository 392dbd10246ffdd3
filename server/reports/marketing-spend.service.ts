// Marketing spend, entered per calendar month per source (or per campaign of a source), for the ROI report.
// One row per (practice, source, campaign, month): entering a month again replaces its amount (upsert on
// the table's UNIQUE NULLS NOT DISTINCT constraint, so "the source as a whole" is one row too).

import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MarketingSourceView, MarketingSpendEntry } from './marketing-roi.contract.js';
import type { PutSpendInput } from './reports.schemas.js';

export type SpendView = MarketingSpendEntry;

interface SpendRow {
  id: string;
  source_id: string;
  source_name: string;
  campaign_id: string | null;
  campaign_name: string | null;
  month: string;
  amount: string;
}

const toView = (row: SpendRow): SpendView => ({
  id: row.id,
  sourceId: row.source_id,
  sourceName: row.source_name,
  campaignId: row.campaign_id,
  campaignName: row.campaign_name,
  month: row.month,
  amount: Number(row.amount),
});

@Injectable()
export class MarketingSpendService {
  constructor(private readonly dataSource: DataSource) {}

  async put(practiceId: string, input: PutSpendInput): Promise<SpendView> {
    const campaignId = input.campaignId ?? null;
    const [known]: Array<{ source_name: string; campaign_name: string | null; campaign_ok: boolean }> = await this.dataSource.query(
      `SELECT s.name AS source_name, c.name AS campaign_name, ($3::uuid IS NULL OR c.id IS NOT NULL) AS campaign_ok
         FROM marketing_source s
         LEFT JOIN campaign c ON c.practice_id = $1 AND c.id = $3::uuid AND c.source_id = s.id
        WHERE s.practice_id = $1 AND s.id = $2`,
      [practiceId, input.sourceId, campaignId],
    );
    if (!known) throw new UnprocessableEntityException(`sourceId: no marketing source ${input.sourceId} in this practice`);
    if (!known.campaign_ok) throw new UnprocessableEntityException(`campaignId: no campaign ${campaignId} of this source in this practice`);
    const [row]: Array<{ id: string; month: string; amount: string }> = await this.dataSource.query(
      `INSERT INTO marketing_spend (practice_id, source_id, campaign_id, month, amount)
       VALUES ($1, $2, $3, ($4 || '-01')::date, $5)
       ON CONFLICT (practice_id, source_id, campaign_id, month) DO UPDATE SET amount = EXCLUDED.amount
       RETURNING id, to_char(month, 'YYYY-MM') AS month, amount::text AS amount`,
      [practiceId, input.sourceId, campaignId, input.month, input.amount],
    );
    return toView({ ...row!, source_id: input.sourceId, source_name: known.source_name, campaign_id: campaignId, campaign_name: known.campaign_name });
  }

  /** Spend of the months from..to (YYYY-MM, inclusive); default the last 12 months, practice-local. */
  async list(practiceId: string, from?: string, to?: string): Promise<{ from: string; to: string; spend: SpendView[] }> {
    const [range]: Array<{ from: string; to: string }> = await this.dataSource.query(
      `SELECT to_char(coalesce(($3 || '-01')::date, d.to - interval '11 months'), 'YYYY-MM') AS from, to_char(d.to, 'YYYY-MM') AS to
         FROM practice
         CROSS JOIN LATERAL (SELECT coalesce(($2 || '-01')::date, date_trunc('month', now() AT TIME ZONE time_zone)::date) AS to) d
        WHERE id = $1`,
      [practiceId, to ?? null, from ?? null],
    );
    const rows: SpendRow[] = await this.dataSource.query(
      `SELECT ms.id, ms.source_id, s.name AS source_name, ms.campaign_id, c.name AS campaign_name,
              to_char(ms.month, 'YYYY-MM') AS month, ms.amount::text AS amount
         FROM marketing_spend ms
         JOIN marketing_source s ON s.practice_id = ms.practice_id AND s.id = ms.source_id
         LEFT JOIN campaign c ON c.practice_id = ms.practice_id AND c.id = ms.campaign_id
        WHERE ms.practice_id = $1 AND ms.month BETWEEN ($2 || '-01')::date AND ($3 || '-01')::date
        ORDER BY ms.month, lower(s.name), c.name NULLS FIRST`,
      [practiceId, range!.from, range!.to],
    );
    return { from: range!.from, to: range!.to, spend: rows.map(toView) };
  }

  /** Every source with its campaigns, by name (case-insensitive). */
  async sources(practiceId: string): Promise<MarketingSourceView[]> {
    const rows: Array<{ id: string; name: string; default_channel: string; campaigns: Array<{ id: string; name: string }> }> = await this.dataSource.query(
      `SELECT s.id, s.name, s.default_channel,
              coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY lower(c.name)) FILTER (WHERE c.id IS NOT NULL), '[]') AS campaigns
         FROM marketing_source s
         LEFT JOIN campaign c ON c.practice_id = s.practice_id AND c.source_id = s.id
        WHERE s.practice_id = $1
        GROUP BY s.id
        ORDER BY lower(s.name)`,
      [practiceId],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, defaultChannel: row.default_channel, campaigns: row.campaigns }));
  }
}
