// History import: a CSV of past leads, each row validated by the ingest API's own schema, then all
// written in ONE transaction through IngestService.batch (same rules, same events). Any bad row
// means nothing is written and every bad row is reported with its line number and field.

import { HttpException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { CHANNELS } from '../domain/domain.constants.js';
import { IngestService } from '../ingest/ingest.service.js';
import { createLeadSchema, instant, type CreateLeadInput } from '../ingest/ingest.schemas.js';

/** Bigger files should be split: one transaction must stay reasonable. */
export const MAX_IMPORT_ROWS = 50_000;

/** Target fields and the column names recognised without a mapping (case-insensitive). */
export const IMPORT_FIELDS = {
  createdAt: ['created_at', 'createdat', 'date', 'created'],
  channel: ['channel'],
  source: ['source'],
  campaign: ['campaign'],
  treatment: ['treatment'],
  isNewPatient: ['is_new_patient', 'isnewpatient', 'new_patient'],
  externalId: ['external_id', 'externalid', 'id'],
  estimatedValue: ['estimated_value', 'estimatedvalue', 'value'],
  bookedAt: ['booked_at', 'bookedat'],
} as const;
export type ImportField = keyof typeof IMPORT_FIELDS;

export interface ImportRowError {
  /** Line number in the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  imported: number;
  booked: number;
  /** How each field was read: the CSV column used, or null. */
  columns: Record<string, string | null>;
  errors: ImportRowError[];
}

interface ParsedRow {
  line: number;
  lead: CreateLeadInput;
  bookedAt: Date | null;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'new']);
const FALSE = new Set(['false', 'no', 'n', '0', 'existing']);

/** Parses `created_at=Date,channel=Source` into field -> column. Throws with a message on unknown fields. */
export function parseMapping(text: string | undefined): Partial<Record<ImportField, string>> {
  const mapping: Partial<Record<ImportField, string>> = {};
  if (!text) return mapping;
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [rawField, column] = pair.split('=').map((p) => p?.trim());
    const field = fieldOf(rawField ?? '');
    if (!field || !column) throw new Error(`map: cannot read "${pair}" (expected field=Column, fields: ${Object.keys(IMPORT_FIELDS).join(', ')})`);
    mapping[field] = column;
  }
  return mapping;
}

function fieldOf(name: string): ImportField | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(IMPORT_FIELDS) as ImportField[]).find((field) => field.toLowerCase() === lower || (IMPORT_FIELDS[field] as readonly string[]).includes(lower));
}

@Injectable()
export class LeadImportService {
  constructor(private readonly ingest: IngestService) {}

  /** Validates every row; writes all of them in one transaction unless `dryRun` or any row is bad. */
  async importLeads(practiceId: string, csv: string, mapping: Partial<Record<ImportField, string>>, dryRun: boolean): Promise<ImportReport> {
    let records: string[][];
    try {
      records = parse(csv, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
    } catch (error) {
      throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: `CSV: ${(error as Error).message}`, errors: [] });
    }
    const [header, ...rows] = records;
    if (!header) throw new UnprocessableEntityException('CSV: the file is empty (expected a header line)');
    if (rows.length > MAX_IMPORT_ROWS) throw new UnprocessableEntityException(`CSV: ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import, split the file`);
    const columns = resolveColumns(header, mapping);
    const errors: ImportRowError[] = [];
    for (const [field, column] of Object.entries(mapping)) {
      if (columns[field] === null) errors.push({ line: 1, field, message: `column "${column}" is not in the header (${header.join(', ')})` });
    }
    for (const field of ['createdAt', 'channel'] as const) {
      if (columns[field] === null && !mapping[field]) errors.push({ line: 1, field, message: `no column for ${field}: name one with map (e.g. ${field}=Date)` });
    }
    const parsed: ParsedRow[] = [];
    if (errors.length === 0) {
      const index = Object.fromEntries(Object.entries(columns).map(([field, column]) => [field, column === null ? -1 : header.indexOf(column)]));
      rows.forEach((record, i) => {
        const line = i + 2;
        const row = parseRow(record, index, line, errors);
        if (row) parsed.push(row);
      });
    }
    const report = { dryRun, rows: rows.length, imported: 0, booked: 0, columns, errors };
    if (errors.length > 0) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `${errors.length} problem(s); nothing was imported. First: line ${errors[0]!.line} ${errors[0]!.field}: ${errors[0]!.message}`,
        ...report,
      });
    }
    if (dryRun) return { ...report, imported: parsed.length, booked: parsed.filter((r) => r.bookedAt).length };

    let current = 0;
    try {
      await this.ingest.batch(async (port) => {
        for (const row of parsed) {
          current = row.line;
          const result = await port.createLead(practiceId, row.lead);
          if (!result.created) throw new UnprocessableEntityException(`externalId "${row.lead.externalId}" already exists`);
          report.imported++;
          if (row.bookedAt) {
            await port.applyLeadEvent(practiceId, result.value.id, { type: 'booked', at: row.bookedAt, value: row.lead.estimatedValue });
            report.booked++;
          }
        }
      });
    } catch (error) {
      const message = error instanceof HttpException ? String((error.getResponse() as { message?: unknown }).message ?? error.message) : (error as Error).message;
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `line ${current}: ${message}; nothing was imported`,
        ...report,
        imported: 0,
        booked: 0,
        errors: [{ line: current, field: '(row)', message }],
      });
    }
    return report;
  }
}

function resolveColumns(header: string[], mapping: Partial<Record<ImportField, string>>): Record<string, string | null> {
  const lower = header.map((h) => h.toLowerCase());
  const columns: Record<string, string | null> = {};
  for (const field of Object.keys(IMPORT_FIELDS) as ImportField[]) {
    const mapped = mapping[field];
    if (mapped !== undefined) {
      columns[field] = header.includes(mapped) ? mapped : (header[lower.indexOf(mapped.toLowerCase())] ?? null);
      continue;
    }
    const found = [field.toLowerCase(), ...IMPORT_FIELDS[field]].map((name) => lower.indexOf(name)).find((i) => i >= 0);
    columns[field] = found === undefined ? null : header[found]!;
  }
  return columns;
}

function parseRow(record: string[], index: Record<string, number>, line: number, errors: ImportRowError[]): ParsedRow | null {
  const get = (field: ImportField) => {
    const i = index[field] ?? -1;
    const value = i >= 0 ? record[i] : undefined;
    return value === undefined || value === '' ? undefined : value;
  };
  const before = errors.length;
  const input: Record<string, unknown> = {};
  const channel = get('channel')?.toLowerCase().replace(/[\s-]+/g, '_');
  if (channel !== undefined) input.channel = (CHANNELS as readonly string[]).includes(channel) ? channel : get('channel');
  for (const field of ['source', 'campaign', 'treatment', 'externalId', 'createdAt'] as const) {
    const value = get(field);
    if (value !== undefined) input[field] = value;
  }
  const createdAt = get('createdAt');
  if (createdAt === undefined) errors.push({ line, field: 'createdAt', message: 'is empty' });
  const isNew = get('isNewPatient')?.toLowerCase();
  if (isNew !== undefined) {
    if (TRUE.has(isNew)) input.isNewPatient = true;
    else if (FALSE.has(isNew)) input.isNewPatient = false;
    else errors.push({ line, field: 'isNewPatient', message: `"${isNew}" is not yes/no` });
  }
  const value = get('estimatedValue');
  if (value !== undefined) input.estimatedValue = Number(value.replace(/[^0-9.-]/g, ''));
  const parsedLead = createLeadSchema.safeParse(input);
  if (!parsedLead.success) {
    for (const issue of parsedLead.error.issues) {
      if (issue.path[0] === 'createdAt' && createdAt === undefined) continue;
      errors.push({ line, field: issue.path.map(String).join('.') || '(row)', message: issue.message });
    }
  }
  let bookedAt: Date | null = null;
  const booked = get('bookedAt');
  if (booked !== undefined) {
    const parsedBooked = instant.safeParse(booked);
    if (parsedBooked.success) bookedAt = parsedBooked.data;
    else errors.push({ line, field: 'bookedAt', message: parsedBooked.error.issues[0]?.message ?? 'invalid' });
  }
  if (errors.length > before || !parsedLead.success) return null;
  return { line, lead: parsedLead.data, bookedAt };
}
