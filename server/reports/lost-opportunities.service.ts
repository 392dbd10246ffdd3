// Lost opportunities: why leads were not booked, what that cost, by reason, by staff member and by
// treatment; and the list of leads lost to one reason (price by default) for a promotion campaign.
//
// Value of a lost lead (the basis is stated in every response, in `valueBasis`):
//   1. its own estimated_value, when the lead has one;
//   2. else the average estimated_value of the leads of the SAME treatment (case-insensitive) created in
//      the range and booked, rounded to cents;
//   3. else the practice's average estimated_value of all leads created in the range and booked, rounded
//      to cents;
//   4. else 0 (nothing booked with a value in the range: counted in basis.none).
// The averages are taken over all the practice's (unmerged) leads in the range, NOT over the segment:
// a lead's lost value then does not depend on which segment it is looked at through, so the rows of a
// channel and of the other channels add up to the whole. Booked leads without an estimate are left out
// of the averages (they say nothing about value).
//
// Why the SQL is shaped this way:
// - ONE scan of the practice's leads in the range, grouped first into small groups (reason x staff x
//   treatment x status x has-an-estimate x in-the-segment: a few hundred rows, two aggregates per lead).
//   The averages come from the booked groups (all of them: the practice's, not the segment's); the
//   segment's groups are valued (a lead without an estimate takes its treatment's or the practice's
//   average: count x average) and rolled up into the total, the reasons, the staff rows and the treatment
//   rows at once with GROUPING SETS over those groups, so the four cannot disagree and the many FILTER
//   columns run over hundreds of rows, not over every lead (two years of a 100,000-lead practice: about
//   twice as fast as grouping sets over the leads plus a second scan for the averages).
// - The range is practice-local (rangeBoundsSql): the comparison is on the bare created_at, so
//   lead_practice_created_idx is used. Merged leads are excluded by leadSegmentSql.
// - Money is summed in numeric and read as text, rounded to cents once per row; rates are worked out
//   here from the counts shown.
//
// The lead list carries patient details (name, phone, email: PHI) only when asked
// (includeContacts=true) and only for roles allowed to see them (CONTACT_ROLES: admin and manager, the
// roles of the route; front desk sees details in the follow-up queue, not in reports). Each such
// answer is written to phi_access_log in the same transaction that reads the details, before the
// answer leaves. A lead whose person asked not to be contacted (do_not_contact_at) is listed, flagged,
// and never gets its details in this list: a promotion must not reach them.

import { ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../common/principal.decorators.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { z } from 'zod';
import { NOT_BOOKED_REASONS } from '../domain/domain.contract.js';
import { REVENUE_LOST_ADDITIVITY } from '../metrics/metrics.definitions.js';
import { logPhiAccess } from '../privacy/phi-access.js';
import type {
  LostGroupRow,
  LostLeadListReport,
  LostLeadRow,
  LostOpportunitiesReport,
  LostReasonRow,
  LostValueBasisCounts,
  NotBookedReason,
} from './outcomes.contract.js';
import {
  checkRange,
  leadSegmentSql,
  rangeBoundsSql,
  rangeShape,
  rate,
  reportQuerySchema,
  resolveReportRange,
  sampleOf,
  segmentShape,
  segmentView,
  type ReportQuery,
} from './report-query.js';

export const VALUE_BASIS =
  "A lost lead's value is its estimated value; without one, the average estimated value of the leads of the same treatment created in the range and booked; " +
  "without that, the practice's average estimated value of the leads created in the range and booked; without any, 0.";

/** Roles that may see patient details in a report (and only with includeContacts=true, logged). */
export const CONTACT_ROLES: readonly string[] = ['admin', 'manager'];
export const MAX_LIST = 5000;

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const lostOpportunitiesQuerySchema = reportQuerySchema;
export type LostOpportunitiesQuery = ReportQuery;

export const lostLeadListQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    reason: z.enum(NOT_BOOKED_REASONS).default('price').meta({ description: 'Reason not booked (default price).' }),
    includeContacts: flag.default(false).meta({ description: 'Add patient name, phone and email (admin and manager; each such answer is logged).' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_LIST)
      .default(1000)
      .meta({ description: `Newest leads first, at most this many (1-${MAX_LIST}, default 1000).` }),
  })
  .superRefine(checkRange);
export type LostLeadListQuery = z.infer<typeof lostLeadListQuerySchema>;

interface AggregateRow {
  grouping: number;
  reason: NotBookedReason | null;
  staff_id: string | null;
  treatment_key: string | null;
  treatment_name: string | null;
  staff_name: string | null;
  practice_avg: string | null;
  leads: number;
  lost: number;
  revenue_lost: string;
  basis_estimated: number;
  basis_treatment: number;
  basis_practice: number;
  basis_none: number;
  r_price: number;
  r_scheduling: number;
  r_insurance_out_of_network: number;
  r_treatment_not_offered: number;
  r_no_response: number;
  r_other: number;
}

const emptyBasis = (): LostValueBasisCounts => ({ estimated: 0, treatmentAverage: 0, practiceAverage: 0, none: 0 });
const basisOf = (row: AggregateRow | undefined): LostValueBasisCounts =>
  row ? { estimated: row.basis_estimated, treatmentAverage: row.basis_treatment, practiceAverage: row.basis_practice, none: row.basis_none } : emptyBasis();

@Injectable()
export class LostOpportunitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async report(practiceId: string, query: LostOpportunitiesQuery): Promise<LostOpportunitiesReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const params: unknown[] = [practiceId, range.from, range.to];
    const where = leadSegmentSql(query, params);
    const reasonColumns = NOT_BOOKED_REASONS.map((reason) => `coalesce(sum(v.n) FILTER (WHERE v.reason = '${reason}'), 0)::int AS r_${reason}`).join(
      ',\n                ',
    );
    const basisColumn = (basis: string) => `coalesce(sum(v.n) FILTER (WHERE v.basis = '${basis}'), 0)::int AS basis_${basis}`;
    const rows: AggregateRow[] = await this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')}),
       fine AS (
         -- All the practice's unmerged leads in the range in small groups (one pass, few aggregates), marked
         -- in or out of the segment: the averages need the practice's booked leads, the rows the segment's.
         SELECT l.not_booked_reason AS reason, coalesce(l.first_response_staff_id, l.assigned_staff_id) AS staff_id,
                lower(l.treatment) AS treatment_key, min(l.treatment) AS treatment_name,
                l.status, l.estimated_value IS NOT NULL AS has_estimate, (${where}) AS in_segment,
                count(*) AS n, sum(l.estimated_value) AS estimated
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND l.merged_into_lead_id IS NULL
          GROUP BY 1, 2, 3, 5, 6, 7
       ),
       booked AS (
         SELECT treatment_key, sum(estimated) AS total, sum(n) AS n FROM fine WHERE status = 'booked' AND has_estimate GROUP BY 1
       ),
       practice_avg AS (SELECT round(sum(total) / nullif(sum(n), 0), 2) AS value FROM booked),
       treatment_avg AS (SELECT treatment_key, round(total / n, 2) AS value FROM booked WHERE treatment_key IS NOT NULL),
       valued AS (
         -- The segment's groups, valued: a lead without an estimate takes its treatment's or the practice's average.
         SELECT f.*, f.status = 'not_booked' AS lost,
                CASE WHEN f.status <> 'not_booked' THEN NULL WHEN f.has_estimate THEN f.estimated ELSE f.n * coalesce(ta.value, pa.value, 0) END AS lost_value,
                CASE WHEN f.status <> 'not_booked' THEN NULL
                     WHEN f.has_estimate THEN 'estimated'
                     WHEN ta.value IS NOT NULL THEN 'treatment'
                     WHEN pa.value IS NOT NULL THEN 'practice'
                     ELSE 'none' END AS basis
           FROM fine f
           CROSS JOIN practice_avg pa
           LEFT JOIN treatment_avg ta ON ta.treatment_key = f.treatment_key
          WHERE f.in_segment
       ),
       agg AS (
         -- Then the total, the reasons, the staff and the treatment rows from those groups, at once.
         SELECT GROUPING(v.reason, v.staff_id, v.treatment_key)::int AS grouping,
                v.reason, v.staff_id, v.treatment_key, min(v.treatment_name) AS treatment_name,
                sum(v.n)::int AS leads,
                coalesce(sum(v.n) FILTER (WHERE v.lost), 0)::int AS lost,
                coalesce(round(sum(v.lost_value), 2), 0)::text AS revenue_lost,
                ${['estimated', 'treatment', 'practice', 'none'].map(basisColumn).join(', ')},
                ${reasonColumns}
           FROM valued v
          GROUP BY GROUPING SETS ((), (v.reason), (v.staff_id), (v.treatment_key))
       )
       SELECT agg.*, s.display_name AS staff_name, (SELECT value FROM practice_avg)::text AS practice_avg
         FROM agg
         LEFT JOIN staff s ON s.practice_id = $1 AND s.id = agg.staff_id`,
      params,
    );
    const avg = { value: rows[0]?.practice_avg ?? null };

    // GROUPING bits: reason 4, staff 2, treatment 1; a bit is set when the column is NOT grouped.
    const total = rows.find((row) => row.grouping === 7);
    const lostLeads = total?.lost ?? 0;
    const reasons: LostReasonRow[] = NOT_BOOKED_REASONS.map((reason) => {
      const row = rows.find((r) => r.grouping === 3 && r.reason === reason);
      return {
        reason,
        leads: row?.lost ?? 0,
        share: rate(row?.lost ?? 0, lostLeads),
        estimatedRevenueLost: Number(row?.revenue_lost ?? 0),
        basis: basisOf(row),
      };
    });
    const group = (row: AggregateRow, key: string | null, name: string): LostGroupRow => ({
      key,
      name,
      leads: row.leads,
      lostLeads: row.lost,
      lostRate: rate(row.lost, row.leads),
      sample: sampleOf(row.leads),
      estimatedRevenueLost: Number(row.revenue_lost),
      reasons: Object.fromEntries(NOT_BOOKED_REASONS.map((reason) => [reason, row[`r_${reason}`]])) as Record<NotBookedReason, number>,
    });
    const order = (a: LostGroupRow, b: LostGroupRow) =>
      b.estimatedRevenueLost - a.estimatedRevenueLost ||
      b.lostLeads - a.lostLeads ||
      Number(a.key === null) - Number(b.key === null) ||
      a.name.localeCompare(b.name);
    const byStaff = rows
      .filter((row) => row.grouping === 5)
      .map((row) => group(row, row.staff_id, row.staff_id === null ? '(nobody)' : (row.staff_name ?? '(unknown)')))
      .sort(order);
    const byTreatment = rows
      .filter((row) => row.grouping === 6)
      .map((row) => group(row, row.treatment_key, row.treatment_key === null ? '(no treatment)' : (row.treatment_name ?? row.treatment_key)))
      .sort(order);
    const leads = total?.leads ?? 0;
    return {
      ...range,
      segment: segmentView(query),
      valueBasis: VALUE_BASIS,
      additivity: REVENUE_LOST_ADDITIVITY,
      leads,
      lostLeads,
      lostRate: rate(lostLeads, leads),
      sample: sampleOf(leads),
      estimatedRevenueLost: Number(total?.revenue_lost ?? 0),
      practiceAverageBookedValue: avg.value === null ? null : Number(avg.value),
      basis: basisOf(total),
      reasons,
      byStaff,
      byTreatment,
    };
  }

  /** The leads lost to one reason, newest first; patient details only when asked and allowed, and then logged. */
  async lostLeads(practiceId: string, query: LostLeadListQuery, caller: Caller, action: 'view' | 'export'): Promise<LostLeadListReport> {
    if (query.includeContacts && !CONTACT_ROLES.includes(caller.role)) {
      throw new ForbiddenException(`includeContacts: patient details are for ${CONTACT_ROLES.join(' and ')} only`);
    }
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const read = async (manager: EntityManager): Promise<LostLeadListReport> => {
      const params: unknown[] = [practiceId, range.from, range.to, query.reason, query.limit + 1];
      const where = leadSegmentSql(query, params);
      const contacts = query.includeContacts
        ? `, CASE WHEN l.do_not_contact_at IS NULL THEN pt.name END AS patient_name,
             CASE WHEN l.do_not_contact_at IS NULL THEN pt.phone END AS patient_phone,
             CASE WHEN l.do_not_contact_at IS NULL THEN pt.email END AS patient_email,
             pt.id IS NOT NULL AND l.do_not_contact_at IS NULL AS has_contact`
        : '';
      const patientJoin = query.includeContacts ? 'LEFT JOIN patient pt ON pt.practice_id = $1 AND pt.lead_id = l.id' : '';
      const rows: Array<{
        id: string;
        external_id: string | null;
        created_date: string;
        channel: string;
        source_name: string | null;
        campaign_name: string | null;
        treatment: string | null;
        estimated_value: string | null;
        reason: NotBookedReason;
        staff_name: string | null;
        do_not_contact: boolean;
        patient_name?: string | null;
        patient_phone?: string | null;
        patient_email?: string | null;
        has_contact?: boolean;
      }> = await manager.query(
        `WITH bounds AS (${rangeBoundsSql('$2', '$3')})
         SELECT l.id, l.external_id, to_char(l.created_at AT TIME ZONE b.time_zone, 'YYYY-MM-DD') AS created_date,
                l.channel, s.name AS source_name, c.name AS campaign_name, l.treatment, l.estimated_value::text AS estimated_value,
                l.not_booked_reason AS reason, st.display_name AS staff_name, l.do_not_contact_at IS NOT NULL AS do_not_contact
                ${contacts}
           FROM lead l
           CROSS JOIN bounds b
           LEFT JOIN marketing_source s ON s.practice_id = $1 AND s.id = l.source_id
           LEFT JOIN campaign c ON c.practice_id = $1 AND c.id = l.campaign_id
           LEFT JOIN staff st ON st.practice_id = $1 AND st.id = coalesce(l.first_response_staff_id, l.assigned_staff_id)
           ${patientJoin}
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND l.status = 'not_booked'
            AND l.not_booked_reason = $4
            AND ${where}
          ORDER BY l.created_at DESC, l.id
          LIMIT $5`,
        params,
      );
      const truncated = rows.length > query.limit;
      const listed = rows.slice(0, query.limit);
      const leads: LostLeadRow[] = listed.map((row) => ({
        leadId: row.id,
        externalId: row.external_id,
        createdDate: row.created_date,
        channel: row.channel,
        sourceName: row.source_name,
        campaignName: row.campaign_name,
        treatment: row.treatment,
        estimatedValue: row.estimated_value === null ? null : Number(row.estimated_value),
        reason: row.reason,
        staffName: row.staff_name,
        doNotContact: row.do_not_contact,
        contact: row.has_contact ? { name: row.patient_name ?? null, phone: row.patient_phone ?? null, email: row.patient_email ?? null } : null,
      }));
      if (query.includeContacts) {
        await logPhiAccess(manager, {
          practiceId,
          userId: caller.userId,
          action: `reports.lost_leads.${action}`,
          leadIds: leads.filter((lead) => lead.contact !== null).map((lead) => lead.leadId),
          detail: { from: range.from, to: range.to, reason: query.reason, segment: segmentView(query), limit: query.limit, rows: leads.length },
        });
      }
      return {
        ...range,
        segment: segmentView(query),
        reason: query.reason,
        includeContacts: query.includeContacts,
        accessLogged: query.includeContacts,
        count: leads.length,
        truncated,
        leads,
      };
    };
    // With details: read and log in one transaction, so no details leave without their log row.
    return query.includeContacts ? this.unitOfWork.run(({ manager }) => read(manager)) : read(this.dataSource.manager);
  }
}
