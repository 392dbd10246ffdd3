// Marketing spend from a CSV: one row per month and source (campaign empty: the source as a whole) or
// per month and campaign of a source, as the spend export writes it. The same rule as PUT
// /api/v1/marketing-spend: one amount per (month, source, campaign), and entering it again REPLACES the
// amount (an upsert), so importing a file twice changes nothing. All rows in ONE transaction.
//
// Unlike the spend API (which takes ids and refuses unknown ones), the CSV names sources and campaigns:
// a name the practice does not have yet is created (source with default channel "other"), as leads do
// on ingest. A typo therefore creates a source: the report lists every source and campaign created,
// and a dry run shows them before anything is written.

import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { MarketingSourcesService } from '../practices/marketing-sources.service.js';
import { allOrNothing, cellReader, findColumns, numberCell, readCsv, rejected, type ImportRowError } from './csv-import.js';

export const SPEND_FIELDS = {
  month: ['month'],
  source: ['source', 'source_name'],
  campaign: ['campaign', 'campaign_name'],
  amount: ['amount', 'spend'],
} as const;

export interface SpendImportReport {
  dryRun: boolean;
  rows: number;
  /** Amounts entered for a (month, source, campaign) that had none. */
  created: number;
  /** Amounts replaced by a different one. */
  updated: number;
  /** Amounts already as in the file. */
  unchanged: number;
  /** Names the practice did not have, created by this import. */
  sourcesCreated: string[];
  campaignsCreated: string[];
  columns: Record<string, string | null>;
  errors: ImportRowError[];
}

const month = z
  .string()
  .regex(/^(\d{4})-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  .refine((text) => text >= '2000-01', {
    message: 'must be 2000-01 or later',
  });
const name = z.string().trim().min(1).max(200);
const amount = z.number().finite().min(0).max(10_000_000);

interface ParsedSpend {
  line: number;
  month: string;
  source: string;
  campaign: string | null;
  amount: number;
}

@Injectable()
export class SpendImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sources: MarketingSourcesService,
  ) {}

  async importSpend(practiceId: string, csv: string, dryRun: boolean): Promise<SpendImportReport> {
    const { header, rows } = await readCsv(csv);
    const columns = findColumns(header, SPEND_FIELDS);
    const columnOf = (field: string) => (columns as Record<string, string | null>)[field] ?? null;
    const report: SpendImportReport = {
      dryRun,
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      sourcesCreated: [],
      campaignsCreated: [],
      columns,
      errors: [],
    };
    const missing = (['month', 'source', 'amount'] as const).filter((field) => columns[field] === null);
    if (missing.length > 0) {
      throw rejected(
        missing.map((field) => ({ line: 1, field, column: null, message: `no column for ${field} (expected one of: ${SPEND_FIELDS[field].join(', ')})` })),
        report,
      );
    }
    const get = cellReader(header, columns);

    const { result, errors } = await allOrNothing(this.unitOfWork, dryRun, async (tx, guarded, rowErrors) => {
      const parsed: ParsedSpend[] = [];
      const seen = new Map<string, number>();
      for (const { line, cells } of rows) {
        const before = rowErrors.length;
        const fail = (field: string, message: string) => rowErrors.push({ line, field, column: columnOf(field), message });
        const m = month.safeParse(get(cells, 'month') ?? '');
        if (!m.success) fail('month', get(cells, 'month') === undefined ? 'is empty' : (m.error.issues[0]?.message ?? 'invalid'));
        const s = name.safeParse(get(cells, 'source') ?? '');
        if (!s.success) fail('source', get(cells, 'source') === undefined ? 'is empty' : 'must be 1 to 200 characters');
        const campaignText = get(cells, 'campaign');
        const c = campaignText === undefined ? null : name.safeParse(campaignText);
        if (c && !c.success) fail('campaign', 'must be 1 to 200 characters');
        const amountText = get(cells, 'amount');
        const a = amount.safeParse(amountText === undefined ? undefined : numberCell(amountText));
        if (!a.success) fail('amount', amountText === undefined ? 'is empty' : `"${amountText}" is not an amount from 0 to 10000000`);
        if (rowErrors.length > before || !m.success || !s.success || !a.success || (c && !c.success)) continue;
        const row: ParsedSpend = { line, month: m.data, source: s.data, campaign: c?.data ?? null, amount: Math.round(a.data * 100) / 100 };
        const key = [row.month, row.source.toLowerCase(), row.campaign?.toLowerCase() ?? ''].join('\u0000');
        const first = seen.get(key);
        if (first !== undefined) {
          fail('(row)', `${row.month} ${row.source}${row.campaign ? ` / ${row.campaign}` : ''} is also on line ${first}`);
          continue;
        }
        seen.set(key, line);
        parsed.push(row);
      }
      for (const row of parsed) {
        await guarded(row.line, columnOf, async () => {
          const sourceId = await this.sourceNamed(tx, practiceId, row.source, report);
          const campaignId = row.campaign === null ? null : await this.campaignNamed(tx, practiceId, sourceId, row.source, row.campaign, report);
          const [previous]: Array<{ amount: string }> = await tx.manager.query(
            `SELECT amount::text AS amount FROM marketing_spend
              WHERE practice_id = $1 AND source_id = $2 AND campaign_id IS NOT DISTINCT FROM $3::uuid AND month = ($4 || '-01')::date`,
            [practiceId, sourceId, campaignId, row.month],
          );
          if (previous && Number(previous.amount) === row.amount) {
            report.unchanged++;
            return;
          }
          await tx.manager.query(
            `INSERT INTO marketing_spend (practice_id, source_id, campaign_id, month, amount)
             VALUES ($1, $2, $3, ($4 || '-01')::date, $5)
             ON CONFLICT (practice_id, source_id, campaign_id, month) DO UPDATE SET amount = EXCLUDED.amount`,
            [practiceId, sourceId, campaignId, row.month, row.amount],
          );
          if (previous) report.updated++;
          else report.created++;
        });
      }
      return report;
    });
    if (errors.length > 0) throw rejected(errors, { ...result, created: 0, updated: 0, unchanged: 0, sourcesCreated: [], campaignsCreated: [] });
    return result;
  }

  /** The source's id, created (by the practices module) with an `other` default channel on first use. */
  private async sourceNamed(tx: Tx, practiceId: string, sourceName: string, report: SpendImportReport): Promise<string> {
    const source = await this.sources.sourceNamed(tx.manager, practiceId, sourceName, 'other');
    if (source.created) report.sourcesCreated.push(sourceName);
    return source.id;
  }

  private async campaignNamed(
    tx: Tx,
    practiceId: string,
    sourceId: string,
    sourceName: string,
    campaignName: string,
    report: SpendImportReport,
  ): Promise<string> {
    const campaign = await this.sources.campaignNamed(tx.manager, practiceId, sourceId, campaignName);
    if (campaign.created) report.campaignsCreated.push(`${sourceName} / ${campaignName}`);
    return campaign.id;
  }
}
