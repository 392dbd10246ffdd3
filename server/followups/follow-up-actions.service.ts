// The front desk's follow-up actions: a contact attempt (the lead's contact_attempt event), a
// do-not-contact mark, a missed call called back. Each writes through the lead's or the call's owner
// (LeadsService, CallsService) and has the TV's counts computed afresh.

import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallsService } from '../calls/calls.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { LeadEventInput } from '../leads/lead.schemas.js';
import { LeadsService } from '../leads/leads.service.js';
import { cadenceFor, nextStep } from './cadence.js';
import { FollowUpCadencesService } from './follow-up-cadences.service.js';
import { FollowUpCalendars } from './follow-up-calendars.js';
import { FollowUpCountsCache } from './follow-up-counts-cache.js';
import type { ActiveLeadRow } from './follow-up-items.js';
import type { AttemptResultV1, CalledBackResultV1, DoNotContactResultV1 } from './followups.contract.js';
import type { AttemptInput, CalledBackInput, DoNotContactInput } from './followups.schemas.js';

@Injectable()
export class FollowUpActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly leads: LeadsService,
    private readonly calls: CallsService,
    private readonly calendars: FollowUpCalendars,
    private readonly cadences: FollowUpCadencesService,
    private readonly countsCache: FollowUpCountsCache,
  ) {}

  /** Logs an attempt as the lead's contact_attempt event (so the board and speed to lead hear of it). 404: not this practice's lead. */
  async logAttempt(practiceId: string, leadId: string, input: AttemptInput): Promise<AttemptResultV1> {
    const [lead]: Array<{ merged_into_lead_id: string | null; do_not_contact_at: Date | null }> = await this.dataSource.query(
      `SELECT merged_into_lead_id, do_not_contact_at FROM lead WHERE id = $1 AND practice_id = $2`,
      [leadId, practiceId],
    );
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (lead.merged_into_lead_id) {
      throw new ConflictException(`lead ${leadId} is merged into lead ${lead.merged_into_lead_id} (the same person): log the attempt there`);
    }
    if (lead.do_not_contact_at) {
      throw new ConflictException(`the person asked not to be contacted (marked ${lead.do_not_contact_at.toISOString()})`);
    }
    const event: LeadEventInput = {
      type: 'contact_attempt',
      kind: input.kind,
      outcome: input.outcome,
      ...(input.staffId !== undefined ? { staffId: input.staffId } : {}),
      ...(input.at !== undefined ? { at: input.at } : {}),
      ...(input.eventId !== undefined ? { eventId: input.eventId } : {}),
    };
    const result = await this.unitOfWork.run((tx) => this.leads.applyEvent(tx, practiceId, leadId, event));
    this.countsCache.invalidate(practiceId);
    const [row]: ActiveLeadRow[] = await this.dataSource.query(
      `SELECT l.id, l.channel, l.created_at, l.status, l.first_response_at, a.attempts, a.last_attempt_at
         FROM lead l
         LEFT JOIN LATERAL (SELECT count(*)::int AS attempts, max(ca.at) AS last_attempt_at
                              FROM contact_attempt ca WHERE ca.lead_id = l.id) a ON true
        WHERE l.id = $1 AND l.practice_id = $2`,
      [leadId, practiceId],
    );
    const [calendar, cadences] = await Promise.all([this.calendars.calendar(practiceId, new Date()), this.cadences.configured(practiceId)]);
    const step = row
      ? nextStep(
          { createdAt: row.created_at, status: row.status, firstResponseAt: row.first_response_at, doNotContactAt: null },
          { count: row.attempts, lastAt: row.last_attempt_at },
          cadenceFor(row.channel, cadences),
          calendar,
        )
      : null;
    return {
      leadId,
      created: result.created,
      status: result.value.status,
      firstResponseAt: result.value.firstResponseAt,
      attempts: row?.attempts ?? 0,
      next: step ? { dueAt: step.due.toISOString(), kind: step.kind, stepNumber: step.index + 1 } : null,
    };
  }

  /** Marks (or, with undo, unmarks) a lead do-not-contact; repeating it changes nothing. */
  async doNotContact(practiceId: string, leadId: string, input: DoNotContactInput): Promise<DoNotContactResultV1> {
    const result = await this.unitOfWork.run((tx) => this.leads.markDoNotContact(tx, practiceId, leadId, !input.undo));
    this.countsCache.invalidate(practiceId);
    return { leadId, doNotContactAt: result.doNotContactAt ? new Date(result.doNotContactAt).toISOString() : null, changed: result.changed };
  }

  /** Records that a missed inbound call was called back (e.g. from a phone the system does not see). */
  async calledBack(practiceId: string, callId: string, input: CalledBackInput, now: Date = new Date()): Promise<CalledBackResultV1> {
    const result = await this.unitOfWork.run((tx) => this.calls.markCalledBack(tx, practiceId, callId, input.at, now));
    this.countsCache.invalidate(practiceId);
    return { callId, callbackAt: new Date(result.callbackAt).toISOString(), changed: result.changed };
  }
}
