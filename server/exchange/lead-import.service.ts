// Leads from a CSV: a history from another system (any column names, with a mapping), or this app's
// own export (GET /api/v1/exports/leads.csv) read back unchanged. Each row is validated by the ingest
// API's own schema, then written through the leads service (the same code as POST /api/v1/leads and its
// events: same rules, transitions and domain events), all in ONE transaction: any bad row means nothing
// is written, and every bad row is reported with its line number, field and column.
//
// Idempotent: a row whose external id (or, for leads exported without one, whose exported `id`) is
// already a lead of the practice is left as it is ("unchanged"): importing a file twice changes nothing.
// A lead exported without an external id is created with its exported id as external id, so the file
// can be imported again into another practice too.

import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { CHANNELS, CONTACT_KINDS, LEAD_STATUSES, NOT_BOOKED_REASONS, RESPONSE_VIA, type LeadStatus } from '../domain/domain.contract.js';
import { futureInstant, instant } from '../common/api-fields.js';
import { createLeadSchema, type CreateLeadInput, type LeadEventInput } from '../leads/lead.schemas.js';
import { LeadsService } from '../leads/leads.service.js';
import { allOrNothing, cellReader, FALSE_WORDS, numberCell, readCsv, rejected, takingTurns, TRUE_WORDS, type ImportRowError } from './csv-import.js';
import { staffByName } from './staff-names.js';

/** Target fields and the column names recognised without a mapping (case-insensitive). The names of
 * the leads export are among them, so an export reads back as it is. */
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
  // Read when present (the export writes them all):
  exportedId: ['id', 'lead_id'],
  status: ['status'],
  firstResponseAt: ['first_response_at'],
  firstResponseStaff: ['first_response_staff'],
  firstResponseVia: ['first_response_via'],
  bookedByStaff: ['booked_by_staff'],
  appointmentAt: ['appointment_at'],
  notBookedReason: ['not_booked_reason'],
  notBookedAt: ['not_booked_at'],
  actualValue: ['actual_value', 'actualvalue'],
  assignedStaff: ['assigned_staff'],
  mergedIntoLeadId: ['merged_into_lead_id'],
  patientName: ['patient_name'],
  patientPhone: ['patient_phone'],
  patientEmail: ['patient_email'],
} as const;
export type ImportField = keyof typeof IMPORT_FIELDS;

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  /** Leads created (on a dry run: that would be created). */
  imported: number;
  /** Rows whose lead already exists (same external id or exported id): left as they are. */
  unchanged: number;
  booked: number;
  notBooked: number;
  responded: number;
  /** Leads marked as touches of another lead (merged_into_lead_id). */
  merged: number;
  /** How each field was read: the CSV column used, or null. */
  columns: Record<string, string | null>;
  errors: ImportRowError[];
}

/** Parses `created_at=Date,channel=Source` into field -> column. Throws with a message on unknown fields. */
export function parseMapping(text: string | undefined): Partial<Record<ImportField, string>> {
  const mapping: Partial<Record<ImportField, string>> = {};
  if (!text) return mapping;
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [rawField, column] = pair.split('=').map((p) => p?.trim());
    const field = fieldOf(rawField ?? '');
    if (!field || !column) throw new Error(`map: cannot read "${pair}" (expected field=Column, fields: ${Object.keys(IMPORT_FIELDS).join(', ')})`);
    mapping[field] = column;
  }
  return mapping;
}

function fieldOf(name: string): ImportField | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(IMPORT_FIELDS) as ImportField[]).find(
    (field) => field.toLowerCase() === lower || (IMPORT_FIELDS[field] as readonly string[]).includes(lower),
  );
}

interface ParsedRow {
  line: number;
  lead: CreateLeadInput;
  /** The lead's id in the file (the export's `id`), used to find it again and to resolve merges. */
  exportedId: string | null;
  status: LeadStatus;
  firstResponse: { at: Date; via: (typeof RESPONSE_VIA)[number]; staffId?: string } | null;
  booked: { at: Date; appointmentAt?: Date; staffId?: string; value?: number } | null;
  notBooked: { at: Date | null; reason: (typeof NOT_BOOKED_REASONS)[number] } | null;
  actualValue: number | null;
  mergedInto: string | null;
}

/** numeric(12, 2), as PUT /api/v1/leads/:id/actual-value allows (estimated values keep the ingest schema's cap). */
const actualMoney = z.number().finite().min(0).max(9_999_999_999.99);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class LeadImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly leads: LeadsService,
  ) {}

  /** Validates every row; writes all of them in one transaction unless `dryRun` or any row is bad.
   * `userId`: who imports (kept on the merge log of merged leads); null for ingest keys and the CLI. */
  async importLeads(
    practiceId: string,
    csv: string,
    mapping: Partial<Record<ImportField, string>>,
    dryRun: boolean,
    userId: string | null = null,
  ): Promise<ImportReport> {
    const { header, rows } = await readCsv(csv);
    const columns = resolveColumns(header, mapping);
    const columnOf = (field: string) => columns[field] ?? null;
    const errors: ImportRowError[] = [];
    for (const [field, column] of Object.entries(mapping)) {
      if (columns[field] === null) errors.push({ line: 1, field, column, message: `column "${column}" is not in the header (${header.join(', ')})` });
    }
    for (const field of ['createdAt', 'channel'] as const) {
      if (columns[field] === null && !mapping[field])
        errors.push({ line: 1, field, column: null, message: `no column for ${field}: name one with map (e.g. ${field}=Date)` });
    }
    const report: ImportReport = {
      dryRun,
      rows: rows.length,
      imported: 0,
      unchanged: 0,
      booked: 0,
      notBooked: 0,
      responded: 0,
      merged: 0,
      columns,
      errors: [],
    };
    if (errors.length > 0) throw rejected(errors, report);

    const { result, errors: writeErrors } = await allOrNothing(this.unitOfWork, dryRun, async (tx, guarded, rowErrors) => {
      const staff = await staffByName(tx, practiceId);
      const get = cellReader(header, columns as Record<ImportField, string | null>);
      const parsed: ParsedRow[] = [];
      const seen = new Map<string, number>();
      const turn = takingTurns();
      for (const record of rows) {
        await turn();
        const row = parseRow(record.cells, get, record.line, columnOf, staff, rowErrors);
        if (!row) continue;
        const key = row.lead.externalId ?? row.exportedId;
        if (key !== undefined && key !== null) {
          const first = seen.get(key.toLowerCase());
          if (first !== undefined) {
            rowErrors.push({
              line: row.line,
              field: 'externalId',
              column: columnOf(row.lead.externalId ? 'externalId' : 'exportedId'),
              message: `"${key}" is also on line ${first}`,
            });
            continue;
          }
          seen.set(key.toLowerCase(), row.line);
        }
        parsed.push(row);
      }

      // Merges that go round in the file itself (A into B, B into C, C into A): refused before writing.
      const cycles = mergeCycles(parsed);
      for (const problem of cycles) {
        rowErrors.push({ line: problem.line, field: 'mergedIntoLeadId', column: columnOf('mergedIntoLeadId'), message: problem.message });
      }
      if (cycles.length > 0) return report;

      // The file's lead ids -> the practice's lead ids, for merged leads.
      const ids = new Map<string, string>();
      const merges: Array<{ row: ParsedRow; leadId: string }> = [];
      const known = await this.known(tx, practiceId, parsed);
      for (const row of parsed) {
        await guarded(row.line, columnOf, async () => {
          const existing = row.lead.externalId
            ? (known.byExternalId.get(row.lead.externalId) ?? null)
            : row.exportedId
              ? (known.byId.get(row.exportedId.toLowerCase()) ?? known.byExternalId.get(row.exportedId) ?? null)
              : null;
          if (existing) {
            if (row.exportedId) ids.set(row.exportedId.toLowerCase(), existing);
            report.unchanged++;
            return;
          }
          const lead = { ...row.lead, externalId: row.lead.externalId ?? row.exportedId ?? undefined };
          const result = await this.leads.create(tx, practiceId, lead);
          const leadId = result.value.id;
          if (row.exportedId) ids.set(row.exportedId.toLowerCase(), leadId);
          if (!result.created) {
            report.unchanged++;
            return;
          }
          report.imported++;
          if (row.actualValue !== null) await this.leads.setActualValues(tx, practiceId, [{ leadId, value: row.actualValue }]);
          // A merged lead is a touch of another lead: its own state is kept as it was, no events.
          if (row.mergedInto) {
            merges.push({ row, leadId });
            return;
          }
          await this.applyEvents(tx, practiceId, leadId, row, report);
        });
      }
      for (const { row, leadId } of merges) {
        await guarded(row.line, columnOf, async () => {
          const into = ids.get(row.mergedInto!.toLowerCase()) ?? (await this.leadIdOf(tx, practiceId, row.mergedInto!));
          if (!into) throw new Error(`mergedIntoLeadId: no lead ${row.mergedInto} in this file or this practice (import the lead it was merged into too)`);
          await this.leads.merge(tx, practiceId, leadId, into, userId);
          report.merged++;
        });
      }
      return report;
    });
    if (writeErrors.length > 0) {
      throw rejected(writeErrors, { ...result, imported: 0, unchanged: 0, booked: 0, notBooked: 0, responded: 0, merged: 0 });
    }
    return result;
  }

  /** The leads of the file already in the practice, in one query: by external id, and by the exported
   * id (the lead itself, or a lead imported from it earlier, whose external id is that id). */
  private async known(tx: Tx, practiceId: string, rows: ParsedRow[]): Promise<{ byExternalId: Map<string, string>; byId: Map<string, string> }> {
    const externalIds = rows.map((row) => row.lead.externalId ?? row.exportedId).filter((id): id is string => !!id);
    const exportedIds = rows.map((row) => row.exportedId?.toLowerCase()).filter((id): id is string => !!id && UUID.test(id));
    const found: Array<{ id: string; external_id: string | null }> = await tx.manager.query(
      `SELECT id, external_id FROM lead WHERE practice_id = $1 AND (external_id = ANY($2::text[]) OR id = ANY($3::uuid[]))`,
      [practiceId, externalIds, exportedIds],
    );
    return {
      byExternalId: new Map(found.filter((lead) => lead.external_id !== null).map((lead) => [lead.external_id!, lead.id])),
      byId: new Map(found.map((lead) => [lead.id, lead.id])),
    };
  }

  private async leadIdOf(tx: Tx, practiceId: string, fileId: string): Promise<string | null> {
    const [found]: Array<{ id: string }> = await tx.manager.query(
      `SELECT id FROM lead WHERE practice_id = $1 AND (id::text = lower($2) OR external_id = $2) ORDER BY (id::text = lower($2)) DESC LIMIT 1`,
      [practiceId, fileId],
    );
    return found?.id ?? null;
  }

  private async applyEvents(tx: Tx, practiceId: string, leadId: string, row: ParsedRow, report: ImportReport): Promise<void> {
    const apply = (input: LeadEventInput) => this.leads.applyEvent(tx, practiceId, leadId, input);
    if (row.firstResponse) {
      const { at, via, staffId } = row.firstResponse;
      // A lead still "open" after a first attempt: the attempt did not reach them.
      if (row.status === 'open' && (CONTACT_KINDS as readonly string[]).includes(via)) {
        await apply({ type: 'contact_attempt', at, kind: via as (typeof CONTACT_KINDS)[number], outcome: 'no_answer', staffId });
      } else {
        await apply({ type: 'responded', at, via, staffId });
      }
      report.responded++;
    }
    if (row.booked) {
      await apply({ type: 'booked', at: row.booked.at, appointmentAt: row.booked.appointmentAt, staffId: row.booked.staffId, value: row.booked.value });
      report.booked++;
    }
    if (row.notBooked) {
      const at = row.notBooked.at ?? row.firstResponse?.at ?? row.lead.createdAt;
      await apply({ type: 'not_booked', at, reason: row.notBooked.reason });
      report.notBooked++;
    }
  }
}

/** The file's merge rows that make a cycle, one problem per row on it, with the cycle spelled out. */
export function mergeCycles(
  rows: ReadonlyArray<{ line: number; lead: { externalId?: string }; exportedId: string | null; mergedInto: string | null }>,
): Array<{ line: number; message: string }> {
  const byKey = new Map<string, { line: number; key: string; into: string | null }>();
  for (const row of rows) {
    const into = row.mergedInto?.toLowerCase() ?? null;
    for (const id of [row.exportedId, row.lead.externalId]) {
      if (id) byKey.set(id.toLowerCase(), { line: row.line, key: id, into });
    }
  }
  const problems: Array<{ line: number; message: string }> = [];
  const reported = new Set<number>();
  for (const start of byKey.values()) {
    const path: Array<{ line: number; key: string; into: string | null }> = [];
    let node: typeof start | undefined = start;
    while (node && !path.includes(node) && path.length <= byKey.size) {
      path.push(node);
      node = node.into === null ? undefined : byKey.get(node.into);
    }
    if (!node || node !== start || path.length === 1) continue; // no cycle through this row (a lead merged into itself is reported by parseRow)
    const cycle = [...path.map((step) => step.key), start.key].join(' -> ');
    for (const step of path) {
      if (reported.has(step.line)) continue;
      reported.add(step.line);
      problems.push({
        line: step.line,
        message: `merging these leads would make a cycle (${cycle}): a lead must be merged into a lead that is not merged back into it`,
      });
    }
  }
  return problems;
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
  // `id` is the external id of files that have no external_id column; with one, it is the export's lead id.
  if (columns.exportedId !== null && columns.exportedId === columns.externalId) columns.exportedId = null;
  return columns;
}

type Get = (cells: string[], field: ImportField) => string | undefined;

function parseRow(
  cells: string[],
  get: Get,
  line: number,
  columnOf: (field: string) => string | null,
  staff: Map<string, string>,
  errors: ImportRowError[],
): ParsedRow | null {
  const before = errors.length;
  const fail = (field: string, message: string) => errors.push({ line, field, column: columnOf(field), message });
  const at = (field: ImportField, schema: typeof instant = instant): Date | undefined => {
    const text = get(cells, field);
    if (text === undefined) return undefined;
    const parsed = schema.safeParse(text);
    if (parsed.success) return parsed.data;
    fail(field, parsed.error.issues[0]?.message ?? 'invalid');
    return undefined;
  };
  const staffId = (field: ImportField): string | undefined => {
    const name = get(cells, field);
    if (name === undefined) return undefined;
    const id = staff.get(name.toLowerCase());
    if (!id) fail(field, `no staff member named "${name}" in this practice (add them first, or clear the cell)`);
    return id;
  };
  const oneOf = <T extends string>(field: ImportField, values: readonly T[]): T | undefined => {
    const text = get(cells, field)
      ?.toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (text === undefined) return undefined;
    if ((values as readonly string[]).includes(text)) return text as T;
    fail(field, `"${get(cells, field)}" is not one of ${values.join(', ')}`);
    return undefined;
  };

  const input: Record<string, unknown> = {};
  const channel = get(cells, 'channel')
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (channel !== undefined) input.channel = (CHANNELS as readonly string[]).includes(channel) ? channel : get(cells, 'channel');
  for (const field of ['source', 'campaign', 'treatment', 'externalId', 'createdAt'] as const) {
    const value = get(cells, field);
    if (value !== undefined) input[field] = value;
  }
  const createdAt = get(cells, 'createdAt');
  if (createdAt === undefined) fail('createdAt', 'is empty');
  const isNew = get(cells, 'isNewPatient')?.toLowerCase();
  if (isNew !== undefined) {
    if (TRUE_WORDS.has(isNew)) input.isNewPatient = true;
    else if (FALSE_WORDS.has(isNew)) input.isNewPatient = false;
    else fail('isNewPatient', `"${isNew}" is not yes/no`);
  }
  const value = get(cells, 'estimatedValue');
  if (value !== undefined) input.estimatedValue = numberCell(value) ?? value;
  const assigned = staffId('assignedStaff');
  if (assigned) input.assignedStaffId = assigned;
  const patient: Record<string, string> = {};
  for (const [field, key] of [
    ['patientName', 'name'],
    ['patientPhone', 'phone'],
    ['patientEmail', 'email'],
  ] as const) {
    const text = get(cells, field);
    if (text !== undefined) patient[key] = text;
  }
  if (Object.keys(patient).length > 0) input.patient = patient;
  const parsedLead = createLeadSchema.safeParse(input);
  if (!parsedLead.success) {
    for (const issue of parsedLead.error.issues) {
      if (issue.path[0] === 'createdAt' && createdAt === undefined) continue;
      const path = issue.path.map(String);
      const field = path[0] === 'patient' && path[1] ? `patient${path[1][0]!.toUpperCase()}${path[1].slice(1)}` : path.join('.') || '(row)';
      fail(field, issue.message);
    }
  }

  const exportedId = get(cells, 'exportedId') ?? null;
  const statusText = get(cells, 'status');
  const status = statusText === undefined ? undefined : oneOf('status', LEAD_STATUSES);
  const bookedAt = at('bookedAt');
  const firstResponseAt = at('firstResponseAt');
  const via = oneOf('firstResponseVia', RESPONSE_VIA);
  const firstResponseStaff = staffId('firstResponseStaff');
  const bookedByStaff = staffId('bookedByStaff');
  const appointmentAt = at('appointmentAt', futureInstant);
  const reason = oneOf('notBookedReason', NOT_BOOKED_REASONS);
  const notBookedAt = at('notBookedAt');
  let actualValue: number | null = null;
  const actualText = get(cells, 'actualValue');
  if (actualText !== undefined) {
    const parsed = actualMoney.safeParse(numberCell(actualText));
    if (parsed.success) actualValue = parsed.data;
    else fail('actualValue', `"${actualText}" is not an amount from 0 to 9999999999.99`);
  }
  const mergedInto = get(cells, 'mergedIntoLeadId') ?? null;
  if (mergedInto !== null && exportedId !== null && mergedInto.toLowerCase() === exportedId.toLowerCase()) fail('mergedIntoLeadId', 'is the lead itself');
  if (mergedInto !== null && !UUID.test(mergedInto) && mergedInto.length > 200) fail('mergedIntoLeadId', 'is not a lead id');

  // Without a status column (a history from elsewhere), a booking date means booked.
  const effective: LeadStatus = status ?? (bookedAt ? 'booked' : reason ? 'not_booked' : firstResponseAt ? 'contacted' : 'open');
  if (statusText !== undefined && status !== undefined) {
    if (status === 'booked' && !get(cells, 'bookedAt')) fail('bookedAt', 'is empty, but status is booked');
    if (status !== 'booked' && bookedAt) fail('bookedAt', `is set, but status is ${status}`);
    if (status === 'not_booked' && !get(cells, 'notBookedReason')) fail('notBookedReason', 'is empty, but status is not_booked');
    if (status !== 'not_booked' && reason) fail('notBookedReason', `is set, but status is ${status}`);
    if (status === 'contacted' && !get(cells, 'firstResponseAt') && mergedInto === null) fail('firstResponseAt', 'is empty, but status is contacted');
  } else if (bookedAt && reason) {
    fail('notBookedReason', 'is set, but the lead is booked');
  }
  if (get(cells, 'firstResponseStaff') && !get(cells, 'firstResponseAt')) fail('firstResponseStaff', 'is set, but first_response_at is empty');
  if (appointmentAt && !bookedAt) fail('appointmentAt', 'is set, but the lead is not booked');

  if (errors.length > before || !parsedLead.success) return null;
  const lead = parsedLead.data;
  return {
    line,
    lead,
    exportedId,
    status: effective,
    firstResponse: firstResponseAt ? { at: firstResponseAt, via: via ?? 'call', staffId: firstResponseStaff } : null,
    booked: bookedAt ? { at: bookedAt, appointmentAt, staffId: bookedByStaff, value: status === undefined ? lead.estimatedValue : undefined } : null,
    notBooked: effective === 'not_booked' && reason ? { at: notBookedAt ?? null, reason } : null,
    actualValue,
    mergedInto,
  };
}
