// The follow-up queue: what the front desk should do now, with patient details (each showing logged).
//
// What is in the queue (every part scoped by practice, merged leads and do-not-contact leads left out):
//   (a) first_contact: leads with no first response yet (status open), oldest first, with the wait;
//   (b) next_attempt: leads (open or contacted) whose next cadence step is due, most overdue first;
//   (c) missed_call: missed inbound calls (missed, voicemail, abandoned) from new patients (or callers
//       not known to be existing patients) with no callback yet, oldest first. A call whose lead is in
//       (a) or (b) is listed on that lead's item (missedCallIds) instead of on its own;
//   (d) lost_lead: leads marked not booked for price or scheduling (reasons a campaign can address)
//       and not tried again since, most recently lost first.
// Bounded: only leads created and calls started in the last QUEUE_WINDOW_DAYS days, at most
// QUEUE_LIMIT items (the answer says how many of each kind there were and whether it was cut).

import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Channel, FollowUpKind, NotBookedReason } from '../domain/domain.contract.js';
import { openLeadsSince } from '../metrics/metrics.definitions.js';
import { logPhiAccess } from '../privacy/phi-access.js';
import { FollowUpCadencesService } from './follow-up-cadences.service.js';
import { FollowUpCalendars } from './follow-up-calendars.js';
import { FollowUpCountsCache } from './follow-up-counts-cache.js';
import {
  activeLeads,
  blankItem,
  leadItems,
  MISSED_CALLS_FROM,
  MISSED_CALLS_WHERE,
  QUEUE_WINDOW_DAYS,
  secondsBetween,
  type MissedCallRow,
} from './follow-up-items.js';
import type { FollowUpItemV1, FollowUpPatientV1, FollowUpQueueV1 } from './followups.contract.js';

export { QUEUE_WINDOW_DAYS } from './follow-up-items.js';
/** Items per queue answer, at most. */
export const QUEUE_LIMIT = 200;
/** PHI access log action of a queue view. */
export const QUEUE_PHI_ACTION = 'follow_up_queue';

/** Reasons not booked that a campaign can address (a price promotion, more appointment times). */
const CAMPAIGNABLE_REASONS: NotBookedReason[] = ['price', 'scheduling'];

interface LostLeadRow {
  id: string;
  channel: Channel;
  created_at: Date;
  treatment: string | null;
  source: string | null;
  not_booked_reason: NotBookedReason;
  lost_at: Date;
  attempts: number;
  last_attempt_at: Date | null;
}

interface PatientRow {
  lead_id: string | null;
  call_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
}

@Injectable()
export class FollowUpQueueService {
  constructor(
    private readonly dataSource: DataSource,
    // Writes (the PHI access log) go through the unit of work: on the embedded database it makes them
    // take turns with other transactions instead of landing inside one.
    private readonly unitOfWork: UnitOfWork,
    private readonly calendars: FollowUpCalendars,
    private readonly cadences: FollowUpCadencesService,
    private readonly countsCache: FollowUpCountsCache,
  ) {}

  /** The queue for a signed-in user; logs the showing of patient details before answering. */
  async queue(practiceId: string, userId: string | null, now: Date = new Date()): Promise<FollowUpQueueV1> {
    const calendar = await this.calendars.calendar(practiceId, now);
    const since = openLeadsSince(DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('day').toJSDate());
    const [cadences, active, missed, lost, staff] = await Promise.all([
      this.cadences.configured(practiceId),
      activeLeads(this.dataSource, practiceId, since, now),
      this.dataSource.query<MissedCallRow[]>(
        `SELECT c.id, c.started_at, c.status, c.after_hours, r.id AS lead_id, r.status AS lead_status, r.treatment, s.name AS source
         ${MISSED_CALLS_FROM}
           LEFT JOIN marketing_source s ON s.id = r.source_id
         ${MISSED_CALLS_WHERE}
          ORDER BY c.started_at, c.id`,
        [practiceId, since, now],
      ),
      this.dataSource.query<LostLeadRow[]>(
        `SELECT l.id, l.channel, l.created_at, l.treatment, s.name AS source, l.not_booked_reason,
                coalesce(lost.at, l.updated_at) AS lost_at, a.attempts, a.last_attempt_at
           FROM lead l
           LEFT JOIN marketing_source s ON s.id = l.source_id
           LEFT JOIN LATERAL (SELECT max(e.at) AS at FROM lead_event e WHERE e.lead_id = l.id AND e.type = 'not_booked') lost ON true
           LEFT JOIN LATERAL (SELECT count(*)::int AS attempts, max(ca.at) AS last_attempt_at
                                FROM contact_attempt ca WHERE ca.lead_id = l.id) a ON true
          WHERE l.practice_id = $1 AND l.created_at >= $2 AND l.created_at <= $3
            AND l.status = 'not_booked' AND l.not_booked_reason = ANY($4::text[])
            AND l.merged_into_lead_id IS NULL AND l.do_not_contact_at IS NULL
            AND (a.last_attempt_at IS NULL OR a.last_attempt_at <= coalesce(lost.at, l.updated_at))
          ORDER BY lost_at DESC, l.id`,
        [practiceId, since, now, CAMPAIGNABLE_REASONS],
      ),
      this.dataSource.query<Array<{ id: string; display_name: string }>>(
        `SELECT id, display_name FROM staff WHERE practice_id = $1 AND active ORDER BY display_name`,
        [practiceId],
      ),
    ]);

    const { firstContact, nextAttempt } = leadItems(active, cadences, calendar, now);
    const itemsByLead = new Map<string, FollowUpItemV1>();
    for (const item of [...firstContact, ...nextAttempt]) itemsByLead.set(item.leadId!, item);
    const missedCalls: FollowUpItemV1[] = [];
    for (const call of missed) {
      const leadItem = call.lead_id ? itemsByLead.get(call.lead_id) : undefined;
      if (leadItem) {
        leadItem.missedCallIds.push(call.id);
        continue;
      }
      missedCalls.push({
        ...blankItem('missed_call', 'phone', call.started_at),
        leadId: call.lead_id,
        callId: call.id,
        source: call.source,
        treatment: call.treatment,
        dueAt: call.started_at.toISOString(),
        waitingSeconds: secondsBetween(call.started_at, now),
        nextStep: 'call',
        status: call.lead_status,
        callStatus: call.status,
        afterHours: call.after_hours,
      });
    }
    const lostLeads: FollowUpItemV1[] = lost.map((row) => ({
      ...blankItem('lost_lead', row.channel, row.created_at),
      leadId: row.id,
      source: row.source,
      treatment: row.treatment,
      attempts: row.attempts,
      lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
      status: 'not_booked',
      notBookedReason: row.not_booked_reason,
      lostAt: new Date(row.lost_at).toISOString(),
    }));

    const all = [...firstContact, ...nextAttempt, ...missedCalls, ...lostLeads];
    const items = all.slice(0, QUEUE_LIMIT);
    const counts: Record<FollowUpKind, number> = {
      first_contact: firstContact.length,
      next_attempt: nextAttempt.length,
      missed_call: missedCalls.length,
      lost_lead: lostLeads.length,
    };
    this.countsCache.invalidate(practiceId);

    await this.attachRepeatContacts(practiceId, items);
    const phiAccessLogged = await this.attachPatients(practiceId, userId, items, counts, all.length > items.length);
    return {
      generatedAt: now.toISOString(),
      timeZone: calendar.timeZone,
      windowDays: QUEUE_WINDOW_DAYS,
      limit: QUEUE_LIMIT,
      truncated: all.length > items.length,
      counts,
      items,
      staff: staff.map((row) => ({ id: row.id, displayName: row.display_name })),
      phiAccessLogged,
    };
  }

  /** "This person contacted us 3 times": the leads merged into each item's lead (one lead per person). */
  private async attachRepeatContacts(practiceId: string, items: FollowUpItemV1[]): Promise<void> {
    const leadIds = [...new Set(items.flatMap((item) => (item.leadId ? [item.leadId] : [])))];
    if (leadIds.length === 0) return;
    const rows: Array<{ lead_id: string; n: number }> = await this.dataSource.query(
      `SELECT merged_into_lead_id AS lead_id, count(*)::int AS n FROM lead
        WHERE practice_id = $1 AND merged_into_lead_id = ANY($2::uuid[]) GROUP BY 1`,
      [practiceId, leadIds],
    );
    const byLead = new Map(rows.map((row) => [row.lead_id, row.n]));
    for (const item of items) if (item.leadId) item.repeatContacts = byLead.get(item.leadId) ?? 0;
  }

  /** Fills in the items' patient details and logs the showing (one row per answer) before the answer leaves. */
  private async attachPatients(
    practiceId: string,
    userId: string | null,
    items: FollowUpItemV1[],
    counts: Record<FollowUpKind, number>,
    truncated: boolean,
  ): Promise<boolean> {
    const leadIds = [...new Set(items.flatMap((item) => (item.leadId ? [item.leadId] : [])))];
    const callIds = items.flatMap((item) => (item.callId ? [item.callId] : []));
    if (leadIds.length === 0 && callIds.length === 0) return false;
    const rows: PatientRow[] = await this.dataSource.query(
      `SELECT lead_id, call_id, name, phone, email FROM patient
        WHERE practice_id = $1 AND (lead_id = ANY($2::uuid[]) OR call_id = ANY($3::uuid[]))`,
      [practiceId, leadIds, callIds],
    );
    const byLead = new Map(rows.filter((row) => row.lead_id).map((row) => [row.lead_id!, row]));
    const byCall = new Map(rows.filter((row) => row.call_id).map((row) => [row.call_id!, row]));
    const details = (row: PatientRow | undefined): FollowUpPatientV1 | null =>
      row && (row.name || row.phone || row.email) ? { name: row.name, phone: row.phone, email: row.email } : null;
    let shown = false;
    for (const item of items) {
      // A missed call shows the caller's own details, else those of the lead it belongs to.
      item.patient = (item.callId ? details(byCall.get(item.callId)) : null) ?? (item.leadId ? details(byLead.get(item.leadId)) : null);
      if (item.patient) shown = true;
    }
    if (!shown) return false;
    await this.unitOfWork.run((tx) =>
      logPhiAccess(tx.manager, { practiceId, userId, action: QUEUE_PHI_ACTION, leadIds, callIds, detail: { items: items.length, counts, truncated } }),
    );
    return true;
  }
}
