// Leads arriving and moving through their life: created, responded to, worked, booked or not.
// Every method runs inside a caller's transaction (`Tx`) and queues its domain events there, so the
// board hears of a change only once it is durable.

import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { PHONE_KEY_SQL, recordCallback } from '../calls/callbacks.js';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../domain/domain.constants.js';
import type { Tx } from '../database/unit-of-work.js';
import type { CreateLeadInput, LeadEventInput, PatientDetailsInput } from '../ingest/ingest.schemas.js';
import type { IngestResult } from '../ingest/ingest.port.js';
import { countsForResponseTime } from '../metrics/metrics.definitions.js';
import { practiceCalendar } from '../practices/practice-calendar.js';
import { Practice } from '../practices/practice.entity.js';
import { Staff } from '../practices/staff.entity.js';
import { ContactAttempt } from './contact-attempt.entity.js';
import { LeadEvent, type LeadEventDetail } from './lead-event.entity.js';
import { Lead, LeadMerge } from './lead.entity.js';
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
  /** Set when this lead is the same person as an earlier lead and counts as a touch of it. */
  mergedIntoLeadId: string | null;
  /** Present only when a timestamp sent was changed before it was stored (clock skew): what and why. */
  adjusted?: ClockAdjustment[];
}

/** A timestamp a little ahead of the server's clock, stored as the server's now. */
export interface ClockAdjustment {
  field: string;
  sent: string;
  stored: string;
  reason: string;
}

/**
 * Times up to MAX_CLOCK_SKEW_MS ahead of the server's clock (the schemas refuse anything further) are a
 * sender's clock running fast, not the future: they are stored as the server's now. Otherwise a lead
 * stamped 3 minutes ahead would refuse every event (a first contact, a booking) until then, as an event
 * may not come before its lead. Returns the time to store and, when changed, the note the response carries.
 */
export function notAfterNow(field: string, sent: Date, now = new Date()): { value: Date; adjusted: ClockAdjustment | null } {
  if (sent.getTime() <= now.getTime()) return { value: sent, adjusted: null };
  return {
    value: now,
    adjusted: {
      field,
      sent: sent.toISOString(),
      stored: now.toISOString(),
      reason: `was ${Math.ceil((sent.getTime() - now.getTime()) / 1000)} s ahead of the server's clock (within the 5 minutes of clock skew tolerated): stored as the server's now`,
    },
  };
}

function withAdjustments<T extends { adjusted?: ClockAdjustment[] }>(view: T, adjusted: Array<ClockAdjustment | null>): T {
  const notes = adjusted.filter((note): note is ClockAdjustment => note !== null);
  return notes.length === 0 ? view : { ...view, adjusted: notes };
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
    mergedIntoLeadId: lead.mergedIntoLeadId,
  };
}

/** The earlier lead of the same person, found by phone or email (see findSamePerson). */
interface SamePerson {
  intoLeadId: string;
  matchedOn: 'phone' | 'email';
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
    if (input.patient && (input.patient.name || input.patient.phone || input.patient.email)) {
      await manager.insert(Patient, {
        practiceId,
        leadId: lead.id,
        name: input.patient.name ?? null,
        phone: input.patient.phone ?? null,
        email: input.patient.email ?? null,
      });
    }
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

  /**
   * `followed`: the lead this event was sent to, when it was merged into this one. An event follows a
   * merge once and never further: merges are one level deep, so a merged lead whose person's lead is
   * itself merged (a chain, or a cycle from bad data) is refused instead of looping forever.
   */
  async applyEvent(tx: Tx, practiceId: string, leadId: string, input: LeadEventInput, followed: string | null = null): Promise<IngestResult<LeadView>> {
    const { manager } = tx;
    // The row lock makes concurrent events on one lead apply one after the other.
    const lead = await manager
      .createQueryBuilder(Lead, 'lead')
      .setLock('pessimistic_write')
      .where('lead.id = :leadId AND lead.practice_id = :practiceId', { leadId, practiceId })
      .getOne();
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (lead.mergedIntoLeadId) {
      if (followed !== null) {
        throw new UnprocessableEntityException(
          `lead ${followed} is merged into ${leadId}, which is itself merged into ${lead.mergedIntoLeadId}: unmerge one of them (POST /api/v1/leads/:id/unmerge)`,
        );
      }
      return this.applyToPersonsLead(tx, practiceId, leadId, lead.mergedIntoLeadId, input);
    }
    if (input.eventId !== undefined && (await manager.existsBy(LeadEvent, { leadId, eventId: input.eventId }))) {
      return { created: false, value: toView(lead) };
    }
    const clock = notAfterNow('at', input.at ?? new Date());
    const at = clock.value;
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
        if (input.via === 'call') await recordCallback(tx, { practiceId, at, callId: null, leadId, phone: null });
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
        if (input.kind === 'call') await recordCallback(tx, { practiceId, at, callId: null, leadId, phone: null });
        tx.publish({ name: 'ContactAttemptedV1', payload: { practiceId, leadId, at } });
        break;
      case 'booked':
        if (lead.status === 'booked') throw new ConflictException(`lead is already booked (at ${lead.bookedAt!.toISOString()})`);
        if (input.appointmentAt && input.appointmentAt < at) {
          throw new UnprocessableEntityException('appointmentAt: is before the booking was made');
        }
        if (input.appointmentAt) await this.checkAppointmentTime(manager, practiceId, input.appointmentAt);
        // A booking is not a response (README glossary, "Response time"): booking a web-form lead nobody
        // replied to must not give it a response time of seconds. On the live channels (phone, walk-in:
        // not in response time) a booking made on the spot is the conversation itself, so it still
        // records the first contact there.
        if (!lead.firstResponseAt && !countsForResponseTime(lead)) this.recordFirstResponse(tx, lead, at, staff, 'in_person');
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
    return { created: true, value: withAdjustments(toView(lead), [clock.adjusted]) };
  }

  /**
   * An appointment must fall inside the practice's opening hours (practice-local wall clock), and not
   * on a public holiday it closes for (the practice calendar, as a call's after-hours flag). An
   * appointment at 03:00 is nearly always a time sent in UTC or the wrong zone, and it would show up in
   * schedules and reminders as a real slot; refusing it (422, nothing written) lets the sender fix it.
   * A practice with no opening hours set accepts any time.
   */
  private async checkAppointmentTime(manager: EntityManager, practiceId: string, appointmentAt: Date): Promise<void> {
    const practice = await manager.findOneByOrFail(Practice, { id: practiceId });
    const calendar = practiceCalendar(practice);
    if (!calendar.hasOpeningHours()) return;
    if (calendar.isOpenAt(appointmentAt)) return;
    const { local, hours } = calendar.describe(appointmentAt);
    throw new UnprocessableEntityException(
      `appointmentAt: ${local} (${practice.timeZone}) is outside the practice's opening hours (${hours}); ` +
        'send the appointment with its UTC offset, e.g. 2026-03-02T10:30:00-05:00',
    );
  }

  /**
   * An event sent for a merged lead belongs to the person's lead. A step that lead already took (a
   * second first response, a second booking) is a repeat touch: it changes nothing (200), where the
   * same event on the lead itself would be a 409.
   */
  private async applyToPersonsLead(tx: Tx, practiceId: string, leadId: string, intoLeadId: string, input: LeadEventInput): Promise<IngestResult<LeadView>> {
    try {
      return await this.applyEvent(tx, practiceId, intoLeadId, input, leadId);
    } catch (error) {
      // Conflicts are raised before anything is written, so the transaction is still clean.
      if (!(error instanceof ConflictException)) throw error;
      return { created: false, value: toView(await tx.manager.findOneByOrFail(Lead, { id: intoLeadId, practiceId })) };
    }
  }

  /** Undoes a merge: the lead counts as a lead of its own again (from its own creation time). Events
   * applied to the person's lead while it was merged stay there. Logged in lead_merge. */
  async unmerge(tx: Tx, practiceId: string, leadId: string, userId: string | null): Promise<LeadView> {
    const { manager } = tx;
    const lead = await manager
      .createQueryBuilder(Lead, 'lead')
      .setLock('pessimistic_write')
      .where('lead.id = :leadId AND lead.practice_id = :practiceId', { leadId, practiceId })
      .getOne();
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (!lead.mergedIntoLeadId) throw new ConflictException('lead is not merged into another lead');
    await manager.update(Lead, { id: lead.id }, { mergedIntoLeadId: null, updatedAt: new Date() });
    await manager.query(
      `UPDATE lead_merge SET undone_at = now(), undone_by_user_id = $3
        WHERE practice_id = $1 AND lead_id = $2 AND undone_at IS NULL`,
      [practiceId, lead.id, userId],
    );
    lead.mergedIntoLeadId = null;
    const [source]: Array<{ name: string }> = lead.sourceId
      ? await manager.query(`SELECT name FROM marketing_source WHERE id = $1`, [lead.sourceId])
      : [];
    tx.publish({
      name: 'LeadUnmergedV1',
      payload: { practiceId, leadId: lead.id, createdAt: lead.createdAt, channel: lead.channel, source: source?.name ?? null, isNewPatient: lead.isNewPatient },
    });
    return toView(lead);
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
    const find = (): Promise<Array<{ id: string; name: string }>> =>
      manager.query(`SELECT id, name FROM marketing_source WHERE practice_id = $1 AND lower(name) = lower($2)`, [practiceId, name]);
    const [found] = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO marketing_source (practice_id, name, default_channel) VALUES ($1, $2, $3)
       ON CONFLICT (practice_id, lower(name)) DO NOTHING`,
      [practiceId, name, channel],
    );
    return (await find())[0]!;
  }

  private async campaignNamed(manager: EntityManager, practiceId: string, sourceId: string, name: string): Promise<{ id: string }> {
    const find = (): Promise<Array<{ id: string }>> => manager.query(`SELECT id FROM campaign WHERE source_id = $1 AND lower(name) = lower($2)`, [sourceId, name]);
    const [found] = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO campaign (practice_id, source_id, name) VALUES ($1, $2, $3) ON CONFLICT (source_id, lower(name)) DO NOTHING`,
      [practiceId, sourceId, name],
    );
    return (await find())[0]!;
  }
}

/** How far personsLeadChain follows merges: one step is the rule, the rest only finds bad data. */
const MAX_MERGE_CHAIN = 8;

/** The chain of merges from a lead to its person's lead: `chain` is [lead, ..., person's lead], and
 * `ends` is false when it goes round or runs past MAX_MERGE_CHAIN (bad data: no person's lead).
 * Bounded, so a cycle in the data can never make it loop. */
export async function personsLeadChain(tx: Tx, practiceId: string, leadId: string): Promise<{ chain: string[]; ends: boolean }> {
  const chain = [leadId];
  for (let step = 0; step < MAX_MERGE_CHAIN; step++) {
    const [row]: Array<{ merged_into_lead_id: string | null }> = await tx.manager.query(
      `SELECT merged_into_lead_id FROM lead WHERE practice_id = $1 AND id = $2`,
      [practiceId, chain[chain.length - 1]],
    );
    const next = row?.merged_into_lead_id ?? null;
    if (next === null) return { chain, ends: true };
    chain.push(next);
    if (chain.indexOf(next) !== chain.length - 1) return { chain, ends: false };
  }
  return { chain, ends: false };
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
