// CSV exports of a practice's leads, calls and marketing spend over a practice-local date range, written
// by the formula-injection-safe CSV writer (server/common/csv.ts). The column names are the
// ones the imports read, so an export imports back unchanged (into the same practice: nothing changes;
// into another: the same leads, bookings and spend).
//
// - Bounded: at most MAX_IMPORT_ROWS rows per file (a 422 asks for a narrower range), so every export
//   can be imported back in one go.
// - Patient details (name, phone, email; a call's number) only with includeContacts=true, and then the
//   export is written to phi_access_log, with the lead or call ids, before the file is answered.
// - Never the free-text not-booked note.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { logPhiAccess } from '../privacy/phi-access.js';
import { toCsv, type CsvCell } from '../common/csv.js';
import { rangeBoundsSql, resolveReportRange } from '../reports/report-query.js';
import { MAX_IMPORT_ROWS, unprocessable } from './csv-import.js';

export interface ExportQuery {
  from?: string;
  to?: string;
  includeContacts: boolean;
}

export interface CsvFile {
  /** The download's name, without `.csv`. */
  name: string;
  body: string;
  rows: number;
}

/** ISO 8601 UTC with milliseconds, whatever the driver returns for timestamptz. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const local = (column: string) => `to_char(${column} AT TIME ZONE b.time_zone, 'YYYY-MM-DD HH24:MI:SS')`;

export const LEAD_COLUMNS = [
  'id',
  'external_id',
  'created_at',
  'created_at_local',
  'channel',
  'source',
  'campaign',
  'treatment',
  'is_new_patient',
  'status',
  'first_response_at',
  'first_response_staff',
  'first_response_via',
  'booked_at',
  'booked_by_staff',
  'appointment_at',
  'not_booked_reason',
  'not_booked_at',
  'estimated_value',
  'actual_value',
  'assigned_staff',
  'merged_into_lead_id',
] as const;
export const LEAD_CONTACT_COLUMNS = ['patient_name', 'patient_phone', 'patient_email'] as const;

export const CALL_COLUMNS = [
  'id',
  'external_id',
  'direction',
  'status',
  'started_at',
  'started_at_local',
  'answered_at',
  'ended_at',
  'wait_seconds',
  'talk_seconds',
  'staff',
  'lead_id',
  'lead_external_id',
  'is_new_patient',
  'after_hours',
  'callback_at',
] as const;
export const CALL_CONTACT_COLUMNS = ['caller_phone'] as const;

export const SPEND_COLUMNS = ['month', 'source', 'campaign', 'amount'] as const;

const num = (text: string | null): number | null => (text === null ? null : Number(text));

@Injectable()
export class ExportService {
  constructor(private readonly dataSource: DataSource) {}

  async leads(practiceId: string, query: ExportQuery, userId: string | null): Promise<CsvFile> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const contacts = query.includeContacts;
    const rows: Array<Record<string, string | boolean | null>> = await this.dataSource.query(
      `WITH b AS (${rangeBoundsSql('$2', '$3')})
       SELECT l.id, l.external_id, ${iso('l.created_at')} AS created_at, ${local('l.created_at')} AS created_at_local,
              l.channel, s.name AS source, c.name AS campaign, l.treatment, l.is_new_patient, l.status,
              ${iso('l.first_response_at')} AS first_response_at, fr.display_name AS first_response_staff, l.first_response_via,
              ${iso('l.booked_at')} AS booked_at, bb.display_name AS booked_by_staff, ${iso('l.appointment_at')} AS appointment_at,
              l.not_booked_reason,
              CASE WHEN l.status = 'not_booked' THEN
                (SELECT ${iso('max(e.at)')} FROM lead_event e WHERE e.practice_id = l.practice_id AND e.lead_id = l.id AND e.type = 'not_booked')
              END AS not_booked_at,
              l.estimated_value::text AS estimated_value, l.actual_value::text AS actual_value,
              asg.display_name AS assigned_staff, l.merged_into_lead_id
              ${contacts ? ', p.name AS patient_name, p.phone AS patient_phone, p.email AS patient_email' : ''}
         FROM lead l
         CROSS JOIN b
         LEFT JOIN marketing_source s ON s.practice_id = l.practice_id AND s.id = l.source_id
         LEFT JOIN campaign c ON c.practice_id = l.practice_id AND c.id = l.campaign_id
         LEFT JOIN staff fr ON fr.practice_id = l.practice_id AND fr.id = l.first_response_staff_id
         LEFT JOIN staff bb ON bb.practice_id = l.practice_id AND bb.id = l.booked_by_staff_id
         LEFT JOIN staff asg ON asg.practice_id = l.practice_id AND asg.id = l.assigned_staff_id
         ${contacts ? 'LEFT JOIN patient p ON p.practice_id = l.practice_id AND p.lead_id = l.id' : ''}
        WHERE l.practice_id = $1 AND l.created_at >= b.start_at AND l.created_at < b.end_at
        ORDER BY l.created_at, l.id
        LIMIT ${MAX_IMPORT_ROWS + 1}`,
      [practiceId, range.from, range.to],
    );
    this.checkSize(rows.length, 'leads');
    const header: string[] = [...LEAD_COLUMNS, ...(contacts ? LEAD_CONTACT_COLUMNS : [])];
    const cells = rows.map((row) =>
      header.map((column): CsvCell => (column === 'estimated_value' || column === 'actual_value' ? num(row[column] as string | null) : (row[column] ?? null))),
    );
    if (contacts) {
      await logPhiAccess(this.dataSource.manager, {
        practiceId,
        userId,
        action: 'export.leads.csv',
        leadIds: rows.map((row) => String(row.id)),
        detail: { from: range.from, to: range.to, rows: rows.length },
      });
    }
    return { name: `leads_${range.from}_${range.to}`, body: toCsv(header, cells), rows: rows.length };
  }

  async calls(practiceId: string, query: ExportQuery, userId: string | null): Promise<CsvFile> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const contacts = query.includeContacts;
    const rows: Array<Record<string, string | number | boolean | null>> = await this.dataSource.query(
      `WITH b AS (${rangeBoundsSql('$2', '$3')})
       SELECT k.id, k.external_id, k.direction, k.status, ${iso('k.started_at')} AS started_at, ${local('k.started_at')} AS started_at_local,
              ${iso('k.answered_at')} AS answered_at, ${iso('k.ended_at')} AS ended_at, k.wait_seconds, k.talk_seconds,
              st.display_name AS staff, k.lead_id, l.external_id AS lead_external_id, k.is_new_patient, k.after_hours,
              ${iso('k.callback_at')} AS callback_at
              ${contacts ? ', p.phone AS caller_phone' : ''}
         FROM call k
         CROSS JOIN b
         LEFT JOIN staff st ON st.practice_id = k.practice_id AND st.id = k.staff_id
         LEFT JOIN lead l ON l.practice_id = k.practice_id AND l.id = k.lead_id
         ${contacts ? 'LEFT JOIN patient p ON p.practice_id = k.practice_id AND p.call_id = k.id' : ''}
        WHERE k.practice_id = $1 AND k.started_at >= b.start_at AND k.started_at < b.end_at
        ORDER BY k.started_at, k.id
        LIMIT ${MAX_IMPORT_ROWS + 1}`,
      [practiceId, range.from, range.to],
    );
    this.checkSize(rows.length, 'calls');
    const header: string[] = [...CALL_COLUMNS, ...(contacts ? CALL_CONTACT_COLUMNS : [])];
    const cells = rows.map((row) => header.map((column): CsvCell => row[column] ?? null));
    if (contacts) {
      await logPhiAccess(this.dataSource.manager, {
        practiceId,
        userId,
        action: 'export.calls.csv',
        callIds: rows.map((row) => String(row.id)),
        detail: { from: range.from, to: range.to, rows: rows.length },
      });
    }
    return { name: `calls_${range.from}_${range.to}`, body: toCsv(header, cells), rows: rows.length };
  }

  /** The months that overlap the range (the spend of a month is entered for the whole month). */
  async spend(practiceId: string, query: Omit<ExportQuery, 'includeContacts'>): Promise<CsvFile> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const rows: Array<{ month: string; source: string; campaign: string | null; amount: string }> = await this.dataSource.query(
      `SELECT to_char(ms.month, 'YYYY-MM') AS month, s.name AS source, c.name AS campaign, ms.amount::text AS amount
         FROM marketing_spend ms
         JOIN marketing_source s ON s.practice_id = ms.practice_id AND s.id = ms.source_id
         LEFT JOIN campaign c ON c.practice_id = ms.practice_id AND c.id = ms.campaign_id
        WHERE ms.practice_id = $1 AND ms.month BETWEEN date_trunc('month', $2::date)::date AND date_trunc('month', $3::date)::date
        ORDER BY ms.month, lower(s.name), c.name NULLS FIRST
        LIMIT ${MAX_IMPORT_ROWS + 1}`,
      [practiceId, range.from, range.to],
    );
    this.checkSize(rows.length, 'spend rows');
    const cells = rows.map((row): CsvCell[] => [row.month, row.source, row.campaign, Number(row.amount)]);
    return { name: `spend_${range.from.slice(0, 7)}_${range.to.slice(0, 7)}`, body: toCsv([...SPEND_COLUMNS], cells), rows: rows.length };
  }

  private checkSize(rows: number, what: string): void {
    if (rows > MAX_IMPORT_ROWS) {
      throw unprocessable(`more than ${MAX_IMPORT_ROWS} ${what} in this range (the most one file holds, so that it can be imported back): narrow from/to`);
    }
  }
}
