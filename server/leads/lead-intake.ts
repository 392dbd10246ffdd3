// A lead arriving: checked, stored with its patient details, and recognised as a touch of an earlier
// lead of the same person (one lead per person) when its phone or email matches within the practice's
// merge window. Runs inside the caller's transaction; idempotent by the lead's external id.

import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../database/unit-of-work.js';
import type { CreateLeadInput } from './lead.schemas.js';
import type { PatientDetailsInput } from '../patients/patient-details.schema.js';
import type { IngestResult } from '../common/ingest-result.js';
import { PHONE_KEY_SQL } from '../patients/phone-key.js';
import { PatientsService } from '../patients/patients.service.js';
import { MarketingSourcesService } from '../practices/marketing-sources.service.js';
import { Lead, LeadMerge } from './lead.entity.js';
import { notAfterNow, toView, withAdjustments, type LeadView } from './lead-view.js';

/** The earlier lead of the same person, found by phone or email (see findSamePerson). */
interface SamePerson {
  intoLeadId: string;
  matchedOn: 'phone' | 'email';
}

/** What a new lead's insert depends on, found in one query. */
interface KnownForLead {
  existing_id: string | null;
  source_id: string | null;
  source_name: string | null;
  campaign_id: string | null;
  staff_ok: boolean;
}

@Injectable()
export class LeadIntake {
  constructor(
    private readonly sources: MarketingSourcesService,
    private readonly patients: PatientsService,
  ) {}

  async create(tx: Tx, practiceId: string, input: CreateLeadInput): Promise<IngestResult<LeadView>> {
    const { manager } = tx;
    // One round trip answers everything the insert depends on; the common case (known source, new
    // lead) then needs only the insert itself.
    const [known]: [KnownForLead] = await manager.query(
      `SELECT (SELECT id FROM lead WHERE practice_id = $1 AND external_id = $2::text) AS existing_id,
              s.id AS source_id, s.name AS source_name,
              (SELECT c.id FROM campaign c WHERE c.source_id = s.id AND lower(c.name) = lower($4::text)) AS campaign_id,
              EXISTS (SELECT 1 FROM staff WHERE practice_id = $1 AND id = $5::uuid) AS staff_ok
         FROM (SELECT 1) AS one
         LEFT JOIN marketing_source s ON s.practice_id = $1 AND lower(s.name) = lower($3::text)`,
      [practiceId, input.externalId ?? null, input.source ?? null, input.campaign ?? null, input.assignedStaffId ?? null],
    );
    if (known.existing_id) {
      return { created: false, value: toView(await manager.findOneByOrFail(Lead, { id: known.existing_id })) };
    }
    if (input.assignedStaffId !== undefined && !known.staff_ok) {
      throw new UnprocessableEntityException(`assignedStaffId: no staff member ${input.assignedStaffId} in this practice`);
    }
    const source =
      input.source === undefined
        ? null
        : known.source_id
          ? { id: known.source_id, name: known.source_name! }
          : await this.sources.sourceNamed(manager, practiceId, input.source, input.channel);
    const campaign =
      input.campaign === undefined || source === null
        ? null
        : known.campaign_id
          ? { id: known.campaign_id }
          : await this.sources.campaignNamed(manager, practiceId, source.id, input.campaign);

    // ON CONFLICT covers the race of two deliveries of one lead: the second waits for the first to
    // commit, inserts nothing, and then finds the first's row.
    const clock = notAfterNow('createdAt', input.createdAt ?? new Date());
    const createdAt = clock.value;
    const samePerson = await this.findSamePerson(manager, practiceId, input.patient, createdAt);
    const inserted: Array<{ id: string; updated_at: Date }> = await manager.query(
      `INSERT INTO lead (practice_id, external_id, channel, source_id, campaign_id, treatment, is_new_patient,
                         created_at, status, assigned_staff_id, estimated_value, merged_into_lead_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11)
       ON CONFLICT (practice_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id, updated_at`,
      [
        practiceId,
        input.externalId ?? null,
        input.channel,
        source?.id ?? null,
        campaign?.id ?? null,
        input.treatment ?? null,
        input.isNewPatient,
        createdAt,
        input.assignedStaffId ?? null,
        input.estimatedValue ?? null,
        samePerson?.intoLeadId ?? null,
      ],
    );
    if (inserted.length === 0) {
      const existing = await manager.findOneByOrFail(Lead, { practiceId, externalId: input.externalId! });
      return { created: false, value: toView(existing) };
    }
    const lead = manager.create(Lead, {
      id: inserted[0]!.id,
      practiceId,
      externalId: input.externalId ?? null,
      channel: input.channel,
      sourceId: source?.id ?? null,
      campaignId: campaign?.id ?? null,
      treatment: input.treatment ?? null,
      isNewPatient: input.isNewPatient,
      createdAt,
      firstResponseAt: null,
      firstResponseStaffId: null,
      firstResponseVia: null,
      status: 'open',
      notBookedReason: null,
      notBookedNote: null,
      bookedAt: null,
      bookedByStaffId: null,
      appointmentAt: null,
      assignedStaffId: input.assignedStaffId ?? null,
      estimatedValue: input.estimatedValue ?? null,
      actualValue: null,
      mergedIntoLeadId: samePerson?.intoLeadId ?? null,
      doNotContactAt: null,
      updatedAt: inserted[0]!.updated_at,
    });
    await this.patients.addForLead(manager, practiceId, lead.id, input.patient);
    if (samePerson) {
      await manager.insert(LeadMerge, { practiceId, leadId: lead.id, intoLeadId: samePerson.intoLeadId, matchedOn: samePerson.matchedOn });
      tx.publish({ name: 'LeadMergedV1', payload: { practiceId, leadId: lead.id, intoLeadId: samePerson.intoLeadId, at: createdAt } });
    } else {
      tx.publish({
        name: 'LeadCreatedV1',
        payload: {
          practiceId,
          leadId: lead.id,
          createdAt: lead.createdAt,
          channel: lead.channel,
          source: source?.name ?? null,
          isNewPatient: lead.isNewPatient,
        },
      });
    }
    return { created: true, value: withAdjustments(toView(lead), [clock.adjusted]) };
  }

  /**
   * One lead per person: the practice's earliest lead, created within its merge window before this
   * one, whose patient (or the patient of any lead merged into it) has the same phone (last 9 digits)
   * or email (case-insensitive). Null when merging is off or nobody matches. Merges are one level
   * deep: always into a lead that is not itself merged.
   */
  private async findSamePerson(
    manager: EntityManager,
    practiceId: string,
    patient: PatientDetailsInput | undefined,
    createdAt: Date,
  ): Promise<SamePerson | null> {
    if (!patient?.phone && !patient?.email) return null;
    const [match]: Array<{ id: string; by_phone: boolean }> = await manager.query(
      `SELECT t.id, coalesce(p.phone_key = k.phone_key, false) AS by_phone
         FROM practice pr
        CROSS JOIN (SELECT ${PHONE_KEY_SQL('$2')} AS phone_key) k
         JOIN patient p ON p.practice_id = pr.id AND p.lead_id IS NOT NULL
                       AND (p.phone_key = k.phone_key OR lower(p.email) = lower($3::text))
         JOIN lead l ON l.id = p.lead_id
         JOIN lead t ON t.id = coalesce(l.merged_into_lead_id, l.id)
        WHERE pr.id = $1
          AND pr.lead_merge_window_hours > 0
          AND t.created_at <= $4
          AND t.created_at > $4::timestamptz - make_interval(hours => pr.lead_merge_window_hours)
        ORDER BY t.created_at, t.id
        LIMIT 1`,
      [practiceId, patient.phone ?? null, patient.email ?? null, createdAt],
    );
    return match ? { intoLeadId: match.id, matchedOn: match.by_phone ? 'phone' : 'email' } : null;
  }
}
