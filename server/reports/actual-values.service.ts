// Actual values: what a new patient's treatment really brought in (lead.actual_value), entered one lead
// at a time (PUT /api/v1/leads/:id/actual-value) or as a CSV (POST /api/v1/reports/actual-values/import).
// Marketing ROI reads it (actualRevenue, roiActual). Only actual_value (and updated_at) changes.
//
// The CSV follows the history import's conventions (server/exchange/lead-import.service.ts): csv-parse,
// header on line 1, columns found by name (case-insensitive), every row checked before anything is
// written, all rows in one statement inside one transaction or none, and a row-level error list with
// line numbers (422). Columns: lead_id (or id) and/or external_id, and actual_value (or value, actual).
// A row naming both a lead id and an external id must name the same lead. An empty value, or `null`,
// clears the lead's actual value. A lead may appear once per file. A merged lead is refused: its value
// belongs on the lead it was merged into (the only one reports count).

import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { LeadsService } from '../leads/leads.service.js';
import { z } from 'zod';
import type { ActualValueImportError, ActualValueImportReport, ActualValueView } from './outcomes.contract.js';

export const MAX_ACTUAL_VALUE = 9_999_999_999.99; // numeric(12, 2)
export const MAX_ACTUAL_VALUE_ROWS = 50_000;

export const putActualValueSchema = z.strictObject({
  actualValue: z
    .number({ message: 'must be a number >= 0 with at most 2 decimals, or null to clear' })
    .finite()
    .min(0, { message: 'must be at least 0' })
    .max(MAX_ACTUAL_VALUE, { message: 'is too large' })
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, { message: 'must have at most 2 decimals' })
    .nullable(),
});
export type PutActualValueInput = z.infer<typeof putActualValueSchema>;

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
export const actualValueImportQuerySchema = z.strictObject({
  dryRun: flag.default(false).meta({ description: 'Check every row and report, write nothing.' }),
});
export type ActualValueImportQuery = z.infer<typeof actualValueImportQuerySchema>;

const COLUMNS = {
  leadId: ['lead_id', 'leadid', 'id'],
  externalId: ['external_id', 'externalid', 'lead_external_id'],
  actualValue: ['actual_value', 'actualvalue', 'value', 'actual'],
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

interface ParsedRow {
  line: number;
  leadId: string | null;
  externalId: string | null;
  /** Cents as text for numeric, or null to clear. */
  value: string | null;
}

@Injectable()
export class ActualValuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly leads: LeadsService,
  ) {}

  async put(practiceId: string, leadId: string, input: PutActualValueInput): Promise<ActualValueView> {
    const actualValue = await this.unitOfWork.run((tx) => this.leads.setActualValue(tx, practiceId, leadId, input.actualValue));
    return { leadId, actualValue };
  }

  async import(practiceId: string, csv: string, dryRun: boolean): Promise<ActualValueImportReport> {
    let records: string[][];
    try {
      records = parse(csv, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
    } catch (error) {
      throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: `CSV: ${(error as Error).message}`, errors: [] });
    }
    const [header, ...rows] = records;
    if (!header) throw new UnprocessableEntityException('CSV: the file is empty (expected a header line)');
    if (rows.length > MAX_ACTUAL_VALUE_ROWS)
      throw new UnprocessableEntityException(`CSV: ${rows.length} rows; at most ${MAX_ACTUAL_VALUE_ROWS} per import, split the file`);
    // Column names compared case-insensitively, spaces and dashes as underscores ("External ID" is external_id).
    const lower = header.map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
    );
    const indexOf = (names: readonly string[]) => names.map((name) => lower.indexOf(name)).find((i) => i >= 0) ?? -1;
    const index = { leadId: indexOf(COLUMNS.leadId), externalId: indexOf(COLUMNS.externalId), actualValue: indexOf(COLUMNS.actualValue) };
    const columns = {
      leadId: index.leadId >= 0 ? header[index.leadId]! : null,
      externalId: index.externalId >= 0 ? header[index.externalId]! : null,
      actualValue: index.actualValue >= 0 ? header[index.actualValue]! : null,
    };
    const errors: ActualValueImportError[] = [];
    if (columns.leadId === null && columns.externalId === null) {
      errors.push({ line: 1, field: 'leadId', message: `no lead column: name one lead_id or external_id (header: ${header.join(', ')})` });
    }
    if (columns.actualValue === null)
      errors.push({ line: 1, field: 'actualValue', message: `no value column: name one actual_value (header: ${header.join(', ')})` });

    const parsed: ParsedRow[] = [];
    if (errors.length === 0) {
      rows.forEach((record, i) => {
        const line = i + 2;
        const cell = (at: number) => (at >= 0 ? (record[at] ?? '') : '');
        const leadId = cell(index.leadId) || null;
        const externalId = cell(index.externalId) || null;
        const rawValue = cell(index.actualValue);
        const before = errors.length;
        if (leadId === null && externalId === null) errors.push({ line, field: 'leadId', message: 'no lead id or external id on this row' });
        if (leadId !== null && !UUID.test(leadId)) errors.push({ line, field: 'leadId', message: `"${leadId}" is not a lead id (UUID)` });
        let value: string | null = null;
        if (rawValue !== '' && rawValue.toLowerCase() !== 'null') {
          if (!AMOUNT.test(rawValue))
            errors.push({
              line,
              field: 'actualValue',
              message: `"${rawValue}" is not an amount >= 0 with at most 2 decimals (write 1234.50, no separators or symbols)`,
            });
          else if (Number(rawValue) > MAX_ACTUAL_VALUE) errors.push({ line, field: 'actualValue', message: 'is too large' });
          else value = rawValue;
        }
        if (errors.length === before) parsed.push({ line, leadId: leadId?.toLowerCase() ?? null, externalId, value });
      });
    }

    // Resolve every row to a lead of this practice in one query.
    const found: Array<{ id: string; external_id: string | null; merged_into_lead_id: string | null; actual_value: string | null }> =
      parsed.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT id, external_id, merged_into_lead_id, actual_value::text AS actual_value
               FROM lead
              WHERE practice_id = $1 AND (id = ANY($2::uuid[]) OR external_id = ANY($3::text[]))`,
            [practiceId, parsed.filter((r) => r.leadId).map((r) => r.leadId), parsed.filter((r) => r.externalId).map((r) => r.externalId)],
          );
    const byId = new Map(found.map((lead) => [lead.id, lead]));
    const byExternal = new Map(found.filter((lead) => lead.external_id !== null).map((lead) => [lead.external_id!, lead]));
    const seen = new Map<string, number>();
    const updates: Array<{ id: string; value: string | null }> = [];
    let unchanged = 0;
    for (const row of parsed) {
      const viaId = row.leadId ? byId.get(row.leadId) : undefined;
      const viaExternal = row.externalId ? byExternal.get(row.externalId) : undefined;
      if (row.leadId && !viaId) {
        errors.push({ line: row.line, field: 'leadId', message: `no lead ${row.leadId} in this practice` });
        continue;
      }
      if (row.externalId && !viaExternal) {
        errors.push({ line: row.line, field: 'externalId', message: `no lead with external id "${row.externalId}" in this practice` });
        continue;
      }
      const lead = (viaId ?? viaExternal)!;
      if (viaId && viaExternal && viaId.id !== viaExternal.id) {
        errors.push({ line: row.line, field: 'externalId', message: `external id "${row.externalId}" is another lead than ${row.leadId}` });
        continue;
      }
      if (lead.merged_into_lead_id) {
        errors.push({
          line: row.line,
          field: 'leadId',
          message: `lead ${lead.id} is merged into lead ${lead.merged_into_lead_id}: set the value on that lead`,
        });
        continue;
      }
      const earlier = seen.get(lead.id);
      if (earlier !== undefined) {
        errors.push({ line: row.line, field: 'leadId', message: `lead ${lead.id} is already on line ${earlier}` });
        continue;
      }
      seen.set(lead.id, row.line);
      const same = lead.actual_value === null || row.value === null ? lead.actual_value === row.value : Number(lead.actual_value) === Number(row.value);
      if (same) unchanged++;
      else updates.push({ id: lead.id, value: row.value });
    }
    errors.sort((a, b) => a.line - b.line);

    const report: ActualValueImportReport = { dryRun, rows: rows.length, updated: updates.length, unchanged, columns, errors };
    if (errors.length > 0) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `${errors.length} problem(s); nothing was changed. First: line ${errors[0]!.line} ${errors[0]!.field}: ${errors[0]!.message}`,
        ...report,
        updated: 0,
        unchanged: 0,
      });
    }
    if (dryRun || updates.length === 0) return report;
    // One statement in one transaction: all rows or none.
    await this.unitOfWork.run((tx) =>
      this.leads.setActualValues(
        tx,
        practiceId,
        updates.map((u) => ({ leadId: u.id, value: u.value })),
      ),
    );
    return report;
  }
}
