// Leads arriving and moving through their life: created, responded to, worked, booked or not.
// Every method runs inside a caller's transaction (`Tx`) and queues its domain events there, so the
// board hears of a change only once it is durable.

import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../domain/domain.constants.js';
import type { Tx } from '../database/unit-of-work.js';
import type { CreateLeadInput, LeadEventInput } from '../ingest/ingest.schemas.js';
import type { IngestResult } from '../ingest/ingest.port.js';
import { Staff } from '../practices/staff.entity.js';
import { ContactAttempt } from './contact-attempt.entity.js';
import { LeadEvent, type LeadEventDetail } from './lead-event.entity.js';
import { Lead } from './lead.entity.js';
import { Patient } from './patient.entity.js';

/** A lead as the API returns it: no patient details, no notes. */
export interface LeadView {
  id: string;
  externalId: string | null;
  channel: Channel;
  sourceId: string | null;
  campaignId: string | null;
  treatment: string | null;
  isNewPatient: boolean;
  createdAt: string;
  status: Lead['status'];
  firstResponseAt: string | null;
  firstResponseStaffId: string | null;
  notBookedReason: Lead['notBookedReason'];
  bookedAt: string | null;
  appointmentAt: string | null;
  assignedStaffId: string | null;
  estimatedValue: number | null;
}

function toView(lead: Lead): LeadView {
  return {
    id: lead.id,
    externalId: lead.externalId,
    channel: lead.channel,
    sourceId: lead.sourceId,
    campaignId: lead.campaignId,
    treatment: lead.treatment,
    isNewPatient: lead.isNewPatient,
    createdAt: lead.createdAt.toISOString(),
    status: lead.status,
    firstResponseAt: lead.firstResponseAt?.toISOString() ?? null,
    firstResponseStaffId: lead.firstResponseStaffId,
    notBookedReason: lead.notBookedReason,
    bookedAt: lead.bookedAt?.toISOString() ?? null,
    appointmentAt: lead.appointmentAt?.toISOString() ?? null,
    assignedStaffId: lead.assignedStaffId,
    estimatedValue: lead.estimatedValue,
  };
}

/** The staff member, checked to belong to the practice; a 422 naming the field if not. */
export async function staffOfPractice(
  manager: EntityManager,
  practiceId: string,
  staffId: string | undefined,
  field: string,
): Promise<Staff | null> {
  if (staffId === undefined) return null;
  const staff = await manager.findOneBy(Staff, { id: staffId, practiceId });
  if (!staff) throw new UnprocessableEntityException(`${field}: no staff member ${staffId} in this practice`);
  return staff;
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
export class LeadsService {
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
          : await this.sourceNamed(manager, practiceId, input.source, input.channel);
    const campaign =
      input.campaign === undefined || source === null
        ? null
        : known.campaign_id
          ? { id: known.campaign_id }
          : await this.campaignNamed(manager, practiceId, source.id, input.campaign);

    // ON CONFLICT covers the race of two deliveries of one lead: the second waits for the first to
    // commit, inserts nothing, and then finds the first's row.
    const createdAt = input.createdAt ?? new Date();
    const inserted: Array<{ id: string; updated_at: Date }> = await manager.query(
      `INSERT INTO lead (practice_id, external_id, channel, source_id, campaign_id, treatment, is_new_patient,
                         created_at, status, assigned_staff_id, estimated_value)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)
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
      updatedAt: inserted[0]!.updated_at,
    });
    if (input.patient && (input.patient.name || input.patient.phone || input.patient.email)) {
      await manager.insert(Patient, {
        practiceId,
        leadId: lead.id,
        name: input.patient.name ?? null,
        phone: input.patient.phone ?? null,
        email: input.patient.email ?? null,
      });
    }
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
    return { created: true, value: toView(lead) };
  }

  async applyEvent(tx: Tx, practiceId: string, leadId: string, input: LeadEventInput): Promise<IngestResult<LeadView>> {
    const { manager } = tx;
    // The row lock makes concurrent events on one lead apply one after the other.
    const lead = await manager
      .createQueryBuilder(Lead, 'lead')
      .setLock('pessimistic_write')
      .where('lead.id = :leadId AND lead.practice_id = :practiceId', { leadId, practiceId })
      .getOne();
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (input.eventId !== undefined && (await manager.existsBy(LeadEvent, { leadId, eventId: input.eventId }))) {
      return { created: false, value: toView(lead) };
    }
    const at = input.at ?? new Date();
    if (at < lead.createdAt) {
      throw new UnprocessableEntityException(
        `at: ${at.toISOString()} is before the lead was created (${lead.createdAt.toISOString()})`,
      );
    }
    const staff = await staffOfPractice(manager, practiceId, input.staffId, 'staffId');
    const staffName = staff?.displayName ?? null;

    switch (input.type) {
      case 'responded':
        if (lead.firstResponseAt) {
          throw new ConflictException(`lead already has a first response (at ${lead.firstResponseAt.toISOString()})`);
        }
        this.recordFirstResponse(tx, lead, at, staff, input.via);
        if (lead.status === 'open') lead.status = 'contacted';
        break;
      case 'contact_attempt':
        await manager.insert(ContactAttempt, {
          practiceId,
          leadId,
          staffId: staff?.id ?? null,
          kind: input.kind,
          outcome: input.outcome,
          at,
        });
        // Speed to lead counts the first attempt to reach out, whether or not it got through.
        if (!lead.firstResponseAt) this.recordFirstResponse(tx, lead, at, staff, input.kind);
        if (input.outcome === 'reached' && lead.status === 'open') lead.status = 'contacted';
        break;
      case 'booked':
        if (lead.status === 'booked') throw new ConflictException(`lead is already booked (at ${lead.bookedAt!.toISOString()})`);
        if (input.appointmentAt && input.appointmentAt < at) {
          throw new UnprocessableEntityException('appointmentAt: is before the booking was made');
        }
        // Booked on the spot (a walk-in, an answered call) counts as the first response too.
        if (!lead.firstResponseAt) this.recordFirstResponse(tx, lead, at, staff, 'in_person');
        lead.status = 'booked';
        lead.bookedAt = at;
        lead.bookedByStaffId = staff?.id ?? null;
        lead.appointmentAt = input.appointmentAt ?? null;
        lead.notBookedReason = null;
        if (input.value !== undefined) lead.estimatedValue = input.value;
        tx.publish({
          name: 'LeadBookedV1',
          payload: {
            practiceId,
            leadId,
            leadCreatedAt: lead.createdAt,
            channel: lead.channel,
            isNewPatient: lead.isNewPatient,
            at,
            value: lead.estimatedValue ?? 0,
            staffId: staff?.id ?? lead.firstResponseStaffId,
            staffName: staffName ?? (await this.staffName(manager, lead.firstResponseStaffId)),
            firstResponseStaffId: lead.firstResponseStaffId,
          },
        });
        break;
      case 'not_booked':
        if (lead.status === 'booked') {
          throw new ConflictException('lead is booked; a booked lead cannot be marked not booked');
        }
        if (lead.status === 'not_booked') throw new ConflictException(`lead is already marked not booked (${lead.notBookedReason})`);
        lead.status = 'not_booked';
        lead.notBookedReason = input.reason;
        lead.notBookedNote = input.note ?? null;
        tx.publish({
          name: 'LeadNotBookedV1',
          payload: { practiceId, leadId, channel: lead.channel, at, reason: input.reason, staffName },
        });
        break;
    }

    lead.updatedAt = new Date();
    await manager.update(Lead, { id: lead.id }, {
      status: lead.status,
      firstResponseAt: lead.firstResponseAt,
      firstResponseStaffId: lead.firstResponseStaffId,
      firstResponseVia: lead.firstResponseVia,
      notBookedReason: lead.notBookedReason,
      notBookedNote: lead.notBookedNote,
      bookedAt: lead.bookedAt,
      bookedByStaffId: lead.bookedByStaffId,
      appointmentAt: lead.appointmentAt,
      estimatedValue: lead.estimatedValue,
      updatedAt: lead.updatedAt,
    });
    await manager.insert(LeadEvent, {
      practiceId,
      leadId,
      type: input.type,
      eventId: input.eventId ?? null,
      at,
      staffId: staff?.id ?? null,
      detail: eventDetail(input),
    });
    return { created: true, value: toView(lead) };
  }

  private recordFirstResponse(tx: Tx, lead: Lead, at: Date, staff: Staff | null, via: Lead['firstResponseVia']): void {
    lead.firstResponseAt = at;
    lead.firstResponseStaffId = staff?.id ?? null;
    lead.firstResponseVia = via;
    tx.publish({
      name: 'LeadRespondedV1',
      payload: {
        practiceId: lead.practiceId,
        leadId: lead.id,
        leadCreatedAt: lead.createdAt,
        channel: lead.channel,
        isNewPatient: lead.isNewPatient,
        at,
        staffId: staff?.id ?? null,
        staffName: staff?.displayName ?? null,
      },
    });
  }

  private async staffName(manager: EntityManager, staffId: string | null): Promise<string | null> {
    if (!staffId) return null;
    return (await manager.findOneBy(Staff, { id: staffId }))?.displayName ?? null;
  }

  /** The practice's source with this name (case-insensitive), created on first use. */
  private async sourceNamed(manager: EntityManager, practiceId: string, name: string, channel: Channel): Promise<{ id: string; name: string }> {
    const find = () =>
      manager.query(`SELECT id, name FROM marketing_source WHERE practice_id = $1 AND lower(name) = lower($2)`, [practiceId, name]);
    const [found] = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO marketing_source (practice_id, name, default_channel) VALUES ($1, $2, $3)
       ON CONFLICT (practice_id, lower(name)) DO NOTHING`,
      [practiceId, name, channel],
    );
    return (await find())[0];
  }

  private async campaignNamed(manager: EntityManager, practiceId: string, sourceId: string, name: string): Promise<{ id: string }> {
    const find = () => manager.query(`SELECT id FROM campaign WHERE source_id = $1 AND lower(name) = lower($2)`, [sourceId, name]);
    const [found] = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO campaign (practice_id, source_id, name) VALUES ($1, $2, $3) ON CONFLICT (source_id, lower(name)) DO NOTHING`,
      [practiceId, sourceId, name],
    );
    return (await find())[0];
  }
}

/** What the event log keeps of an event: its facts, never the free-text note. */
function eventDetail(input: LeadEventInput): LeadEventDetail {
  switch (input.type) {
    case 'responded':
      return { via: input.via };
    case 'contact_attempt':
      return { kind: input.kind, outcome: input.outcome };
    case 'booked':
      return { appointmentAt: input.appointmentAt?.toISOString() ?? null, value: input.value ?? null };
    case 'not_booked':
      return { reason: input.reason, hasNote: input.note !== undefined };
  }
}
