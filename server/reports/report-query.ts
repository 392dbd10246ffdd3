// What every analytics view takes: a practice-local date range and the segments of issue #4 (channel,
// source, campaign, staff member, treatment, new vs existing patient), validated once here and turned
// into SQL once here, so that every view filters the same way and a number on one page matches the
// same number on another.
//
// Conventions every view follows (and the tests rely on):
// - A lead is in the range when its created_at, in the practice's time zone, falls on a day from `from`
//   to `to` inclusive. `rangeBoundsSql` turns the two local midnights into instants (following daylight
//   saving time), so queries compare the bare column and use lead_practice_created_idx.
// - Merged leads (one lead per person) are touches of another lead, never leads: every lead query has
//   `merged_into_lead_id IS NULL`, which `leadSegmentSql` always adds.
// - "Staff member" of a lead is who handled it: the first responder, else the assigned staff member.

import { z } from 'zod';
import { daysBetween } from '../common/local-date.js';
import { CHANNELS, PATIENT_SEGMENTS } from '../domain/domain.contract.js';
import type { Sample, SegmentView } from './report.contract.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** A real calendar date (2026-02-30 is refused), practice-local. */
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine(
    (text) => {
      const date = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text && text >= '2000-01-01';
    },
    { message: 'must be a real date YYYY-MM-DD from 2000 on' },
  );

/** A calendar month YYYY-MM. */
export const localMonth = z
  .string()
  .regex(/^(\d{4})-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  .refine((text) => text >= '2000-01', {
    message: 'must be 2000-01 or later',
  });

/** Longest range a report covers: about five years. */
export const MAX_REPORT_DAYS = 5 * 366;

/** The segment parameters, shared by every view (spread into each view's query schema). */
export const segmentShape = {
  channel: z.enum(CHANNELS).optional().meta({ description: 'Only leads of this channel.' }),
  sourceId: z.uuid({ message: 'must be a marketing source id (UUID)' }).optional().meta({ description: 'Only leads of this marketing source.' }),
  campaignId: z.uuid({ message: 'must be a campaign id (UUID)' }).optional().meta({ description: 'Only leads of this campaign.' }),
  staffId: z.uuid({ message: 'must be a staff id (UUID)' }).optional().meta({
    description: 'Only leads this staff member handled (first responder, else the assigned staff member).',
  }),
  treatment: z.string().trim().min(1).max(100).optional().meta({ description: 'Only leads for this treatment (case-insensitive).' }),
  patient: z.enum(PATIENT_SEGMENTS).default('all').meta({ description: 'New patients, existing patients, or all (default).' }),
  /** Kept for the Marketing ROI report's first clients: the same as patient=new. */
  newPatientsOnly: flag.default(false).meta({ description: 'Deprecated alias of patient=new.' }),
};

export const rangeShape = {
  from: localDate.optional().meta({ description: 'First day, practice-local, inclusive. Default: 89 days before `to`.' }),
  to: localDate.optional().meta({ description: 'Last day, practice-local, inclusive. Default: today.' }),
};

/** Refuses a range that ends before it starts or spans more than MAX_REPORT_DAYS. */
export function checkRange(query: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (query.from && query.to && query.to < query.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
  } else if (query.from && query.to && daysBetween(query.from, query.to) >= MAX_REPORT_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `is more than ${MAX_REPORT_DAYS} days after from` });
  }
}

/** The query of a view that needs nothing but the range and the segments. */
export const reportQuerySchema = z.strictObject({ ...rangeShape, ...segmentShape }).superRefine(checkRange);
export type ReportQuery = z.infer<typeof reportQuerySchema>;
export type Segment = Pick<ReportQuery, 'channel' | 'sourceId' | 'campaignId' | 'staffId' | 'treatment' | 'patient' | 'newPatientsOnly'>;

export function segmentView(segment: Segment): SegmentView {
  return {
    channel: segment.channel ?? null,
    sourceId: segment.sourceId ?? null,
    campaignId: segment.campaignId ?? null,
    staffId: segment.staffId ?? null,
    treatment: segment.treatment ?? null,
    patient: segment.newPatientsOnly ? 'new' : segment.patient,
  };
}

/**
 * The WHERE conditions of a segment on the lead alias `l`, with its values appended to `params`
 * (placeholders numbered after what `params` already holds). Always excludes merged leads.
 * Example: `const params = [practiceId]; const where = leadSegmentSql(segment, params);`
 * then `... WHERE l.practice_id = $1 AND ${where}`.
 */
export function leadSegmentSql(segment: Segment, params: unknown[], alias = 'l'): string {
  const conditions = [`${alias}.merged_into_lead_id IS NULL`];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (segment.channel) add((p) => `${alias}.channel = ${p}`, segment.channel);
  if (segment.sourceId) add((p) => `${alias}.source_id = ${p}::uuid`, segment.sourceId);
  if (segment.campaignId) add((p) => `${alias}.campaign_id = ${p}::uuid`, segment.campaignId);
  if (segment.staffId) add((p) => `coalesce(${alias}.first_response_staff_id, ${alias}.assigned_staff_id) = ${p}::uuid`, segment.staffId);
  if (segment.treatment) add((p) => `lower(${alias}.treatment) = lower(${p})`, segment.treatment);
  const patient = segment.newPatientsOnly ? 'new' : segment.patient;
  if (patient === 'new') conditions.push(`${alias}.is_new_patient`);
  if (patient === 'existing') conditions.push(`NOT ${alias}.is_new_patient`);
  return conditions.join(' AND ');
}

/**
 * A CTE body giving the range's instants for the practice in $1: `start_at` (local midnight of `from`)
 * and `end_at` (local midnight after `to`), given the placeholders holding `from` and `to`.
 * Use as `WITH bounds AS (${rangeBoundsSql('$2', '$3')}) ... CROSS JOIN bounds b WHERE l.created_at >= b.start_at AND l.created_at < b.end_at`.
 */
export function rangeBoundsSql(fromPlaceholder: string, toPlaceholder: string): string {
  return `SELECT (${fromPlaceholder}::date)::timestamp AT TIME ZONE p.time_zone AS start_at,
                 (${toPlaceholder}::date + 1)::timestamp AT TIME ZONE p.time_zone AS end_at,
                 p.time_zone
            FROM practice p
           WHERE p.id = $1`;
}

/** Too few leads for a rate to mean much: flagged rather than hidden (and never shown as 0% or 100%). */
export const SMALL_SAMPLE = 10;
export const sampleOf = (n: number): Sample => (n === 0 ? 'none' : n < SMALL_SAMPLE ? 'small' : 'ok');

/** Rates to 4 decimals, money to cents: the rounding every view applies before answering. */
export const ratio = (value: number): number => Math.round(value * 10_000) / 10_000;
export const money = (value: number): number => Math.round(value * 100) / 100;
/** numerator / denominator rounded, or null when the denominator is 0. */
export const rate = (numerator: number, denominator: number): number | null => (denominator > 0 ? ratio(numerator / denominator) : null);

export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
}

/** The practice's time zone and currency, and the range with its defaults: `to` today (practice-local),
 * `from` 89 days before `to` (90 days in all). */
export async function resolveReportRange(
  db: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  practiceId: string,
  from?: string,
  to?: string,
): Promise<ReportRange> {
  const [row] = (await db.query(
    `SELECT time_zone, currency, d.to::text AS to, coalesce($3::date, d.to - 89)::text AS from
       FROM practice
       CROSS JOIN LATERAL (SELECT coalesce($2::date, (now() AT TIME ZONE time_zone)::date) AS to) d
      WHERE id = $1`,
    [practiceId, to ?? null, from ?? null],
  )) as Array<{ time_zone: string; currency: string; to: string; from: string }>;
  if (!row) throw new Error(`practice ${practiceId} not found`);
  return { from: row.from, to: row.to, timeZone: row.time_zone, currency: row.currency };
}
