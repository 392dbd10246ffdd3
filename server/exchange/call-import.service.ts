// Calls from a CSV (this app's calls export, or a phone system's call log with the same column names).
// Each row is validated by the ingest API's call schema and written through the calls service (the same
// upsert as POST /api/v1/calls: statuses never go backwards, the after-hours flag is computed from the
// practice's opening hours, the board hears of changes), all in ONE transaction: any bad row means
// nothing is written. Idempotent by the call's external id: importing a file twice changes nothing.

import { Injectable } from '@nestjs/common';
import { CallsService } from '../calls/calls.service.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { callSchema, type CallInput } from '../calls/call.schema.js';
import { allOrNothing, takingTurns, cellReader, FALSE_WORDS, findColumns, readCsv, rejected, TRUE_WORDS, type ImportRowError } from './csv-import.js';
import { staffByName } from './staff-names.js';

/** Fields and the column names read for them (case-insensitive). The export's other columns (id,
 * started_at_local, after_hours, callback_at) are computed here and ignored on import. */
export const CALL_FIELDS = {
  externalId: ['external_id', 'externalid', 'call_id', 'callsid'],
  direction: ['direction'],
  status: ['status'],
  startedAt: ['started_at', 'startedat', 'start', 'date'],
  answeredAt: ['answered_at', 'answeredat'],
  endedAt: ['ended_at', 'endedat'],
  waitSeconds: ['wait_seconds', 'waitseconds'],
  talkSeconds: ['talk_seconds', 'talkseconds'],
  staff: ['staff', 'staff_name'],
  leadExternalId: ['lead_external_id'],
  leadId: ['lead_id', 'leadid'],
  isNewPatient: ['is_new_patient', 'new_patient'],
  from: ['caller_phone', 'from', 'caller'],
} as const;
type CallField = keyof typeof CALL_FIELDS;

export interface CallImportReport {
  dryRun: boolean;
  rows: number;
  /** Calls created (on a dry run: that would be). */
  imported: number;
  /** Calls already there that the file changes (a later status, times, staff...). */
  updated: number;
  /** Calls already there exactly as in the file. */
  unchanged: number;
  columns: Record<string, string | null>;
  errors: ImportRowError[];
}

interface ParsedCall {
  line: number;
  call: CallInput;
  /** The lead as the file names it: its external id, or its id in the exporting practice. */
  lead: { externalId?: string; id?: string } | null;
}

@Injectable()
export class CallImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly calls: CallsService,
  ) {}

  async importCalls(practiceId: string, csv: string, dryRun: boolean): Promise<CallImportReport> {
    const { header, rows } = await readCsv(csv);
    const columns = findColumns(header, CALL_FIELDS);
    const columnOf = (field: string) => (columns as Record<string, string | null>)[field] ?? null;
    const report: CallImportReport = { dryRun, rows: rows.length, imported: 0, updated: 0, unchanged: 0, columns, errors: [] };
    const missing = (['externalId', 'status'] as const).filter((field) => columns[field] === null);
    if (missing.length > 0) {
      throw rejected(
        missing.map((field) => ({ line: 1, field, column: null, message: `no column for ${field} (expected one of: ${CALL_FIELDS[field].join(', ')})` })),
        report,
      );
    }
    const get = cellReader(header, columns);

    const { result, errors } = await allOrNothing(this.unitOfWork, dryRun, async (tx, guarded, rowErrors) => {
      const staff = await staffByName(tx, practiceId);
      const parsed: ParsedCall[] = [];
      const seen = new Map<string, number>();
      const turn = takingTurns();
      for (const record of rows) {
        await turn();
        const row = parseCall(record.cells, get, record.line, columnOf, staff, rowErrors);
        if (!row) continue;
        const first = seen.get(row.call.externalId);
        if (first !== undefined) {
          rowErrors.push({ line: row.line, field: 'externalId', column: columnOf('externalId'), message: `"${row.call.externalId}" is also on line ${first}` });
          continue;
        }
        seen.set(row.call.externalId, row.line);
        parsed.push(row);
      }
      const before = await updatedAt(
        tx,
        practiceId,
        parsed.map((row) => row.call.externalId),
      );
      for (const row of parsed) {
        await guarded(row.line, columnOf, async () => {
          const call = { ...row.call };
          if (row.lead) {
            const leadId = await leadOf(tx, practiceId, row.lead);
            if (!leadId) {
              const field = row.lead.externalId ? 'leadExternalId' : 'leadId';
              throw new Error(`${field}: no lead "${row.lead.externalId ?? row.lead.id}" in this practice (import the leads first, or clear the cell)`);
            }
            call.leadId = leadId;
          }
          await this.calls.upsert(tx, practiceId, call);
        });
      }
      const after = await updatedAt(
        tx,
        practiceId,
        parsed.map((row) => row.call.externalId),
      );
      for (const row of parsed) {
        const was = before.get(row.call.externalId);
        if (was === undefined) report.imported++;
        else if (was === after.get(row.call.externalId)) report.unchanged++;
        else report.updated++;
      }
      return report;
    });
    if (errors.length > 0) throw rejected(errors, { ...result, imported: 0, updated: 0, unchanged: 0 });
    return result;
  }
}

async function updatedAt(tx: Tx, practiceId: string, externalIds: string[]): Promise<Map<string, string>> {
  const rows: Array<{ external_id: string; updated_at: string }> = await tx.manager.query(
    `SELECT external_id, updated_at::text AS updated_at FROM call WHERE practice_id = $1 AND external_id = ANY($2::text[])`,
    [practiceId, externalIds],
  );
  return new Map(rows.map((row) => [row.external_id, row.updated_at]));
}

/** The lead by external id; or by id: the lead itself, or the lead imported from it (whose external id
 * is the exported id, see lead-import.service.ts). */
async function leadOf(tx: Tx, practiceId: string, lead: { externalId?: string; id?: string }): Promise<string | null> {
  const [found]: Array<{ id: string }> = lead.externalId
    ? await tx.manager.query(`SELECT id FROM lead WHERE practice_id = $1 AND external_id = $2`, [practiceId, lead.externalId])
    : await tx.manager.query(
        `SELECT id FROM lead WHERE practice_id = $1 AND (id::text = lower($2) OR external_id = $2) ORDER BY (id::text = lower($2)) DESC LIMIT 1`,
        [practiceId, lead.id],
      );
  return found?.id ?? null;
}

function parseCall(
  cells: string[],
  get: (cells: string[], field: CallField) => string | undefined,
  line: number,
  columnOf: (field: string) => string | null,
  staff: Map<string, string>,
  errors: ImportRowError[],
): ParsedCall | null {
  const before = errors.length;
  const fail = (field: string, message: string) => errors.push({ line, field, column: columnOf(field), message });
  const input: Record<string, unknown> = {};
  for (const field of ['externalId', 'startedAt', 'answeredAt', 'endedAt', 'from'] as const) {
    const value = get(cells, field);
    if (value !== undefined) input[field] = value;
  }
  for (const field of ['direction', 'status'] as const) {
    const value = get(cells, field);
    if (value !== undefined) input[field] = value.toLowerCase();
  }
  for (const field of ['waitSeconds', 'talkSeconds'] as const) {
    const value = get(cells, field);
    if (value !== undefined) input[field] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const isNew = get(cells, 'isNewPatient')?.toLowerCase();
  if (isNew !== undefined) {
    if (TRUE_WORDS.has(isNew)) input.isNewPatient = true;
    else if (FALSE_WORDS.has(isNew)) input.isNewPatient = false;
    else fail('isNewPatient', `"${isNew}" is not yes/no`);
  }
  if (get(cells, 'startedAt') === undefined) fail('startedAt', 'is empty');
  const staffName = get(cells, 'staff');
  if (staffName !== undefined) {
    const id = staff.get(staffName.toLowerCase());
    if (id) input.staffId = id;
    else fail('staff', `no staff member named "${staffName}" in this practice (add them first, or clear the cell)`);
  }
  const parsed = callSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.') || '(row)';
      if (field === 'startedAt' && get(cells, 'startedAt') === undefined) continue;
      fail(field, issue.message);
    }
  }
  if (errors.length > before || !parsed.success) return null;
  const leadExternalId = get(cells, 'leadExternalId');
  const leadId = get(cells, 'leadId');
  return {
    line,
    call: parsed.data,
    lead: leadExternalId ? { externalId: leadExternalId } : leadId ? { id: leadId } : null,
  };
}
