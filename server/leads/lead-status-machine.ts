// The lead's status machine: what an event (responded, contact_attempt, booked, not_booked) may do to
// a lead in its current state, the first response it records (speed to lead), and the domain events
// the board hears once the caller's transaction commits. An event sent to a merged lead applies to its
// person's lead. Idempotent by the event's id.

import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CallsService } from '../calls/calls.service.js';
import type { Tx } from '../database/unit-of-work.js';
import type { LeadEventInput } from './lead.schemas.js';
import type { IngestResult } from '../common/ingest-result.js';
import { countsForResponseTime } from '../metrics/metrics.definitions.js';
import { practiceCalendar } from '../practices/practice-calendar.js';
import type { StaffRecord } from '../practices/practice-records.js';
import { staffDisplayName, staffOfPractice } from '../practices/practice-staff.js';
import { PracticesService } from '../practices/practices.service.js';
import { ContactAttempt } from './contact-attempt.entity.js';
import { LeadEvent, type LeadEventDetail } from './lead-event.entity.js';
import { Lead } from './lead.entity.js';
import { notAfterNow, toView, withAdjustments, type LeadView } from './lead-view.js';

@Injectable()
export class LeadStatusMachine {
  constructor(
    private readonly calls: CallsService,
    private readonly practices: PracticesService,
  ) {}

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
      throw new UnprocessableEntityException(`at: ${at.toISOString()} is before the lead was created (${lead.createdAt.toISOString()})`);
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
        if (input.via === 'call') await this.calls.recordCallback(tx, { practiceId, at, callId: null, leadId, phone: null });
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
        if (input.kind === 'call') await this.calls.recordCallback(tx, { practiceId, at, callId: null, leadId, phone: null });
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
            staffName: staffName ?? (await staffDisplayName(manager, lead.firstResponseStaffId)),
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
    await manager.update(
      Lead,
      { id: lead.id },
      {
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
      },
    );
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
    const practice = await this.practices.getPractice(practiceId, manager);
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

  private recordFirstResponse(tx: Tx, lead: Lead, at: Date, staff: StaffRecord | null, via: Lead['firstResponseVia']): void {
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
