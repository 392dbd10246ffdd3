// The follow-up queue (what the front desk should do now), its actions, the cadences it follows, and
// the two counts the TV board shows.
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

import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException, type OnApplicationShutdown } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DomainEvents, type DomainEventMap } from '../events/domain-events.js';
import { CHANNELS, type Channel, type LeadStatus, type NotBookedReason } from '../domain/domain.constants.js';
import { holidayDates } from '../forecast/practice-closures.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { LeadEventInput } from '../ingest/ingest.schemas.js';
import { Practice } from '../practices/practice.entity.js';
import { logPhiAccess } from '../privacy/phi-access.js';
import { calendarIndex, cadenceFor, DEFAULT_CADENCE, nextStep, type Cadence, type CalendarIndex, type CadenceTarget, type PracticeCalendar } from './cadence.js';
import { FollowUpCadence } from './follow-up-cadence.entity.js';
import { OPEN_LEAD_WINDOW_DAYS, openLeadsSince } from '../metrics/metrics.definitions.js';
import type {
  AttemptResultV1,
  CadencesV1,
  CadenceViewV1,
  CalledBackResultV1,
  DoNotContactResultV1,
  FollowUpCountsV1,
  FollowUpItemV1,
  FollowUpKind,
  FollowUpPatientV1,
  FollowUpQueueV1,
} from './followups.contract.js';
import { cadenceTargetSchema, type AttemptInput, type CalledBackInput, type DoNotContactInput, type PutCadenceInput } from './followups.schemas.js';

/** Leads created and calls started this many days back (from today's local midnight) are in the queue;
 * older ones are not. The TV's waiting count uses the same window (server/metrics). */
export const QUEUE_WINDOW_DAYS = OPEN_LEAD_WINDOW_DAYS;
/** Items per queue answer, at most. */
export const QUEUE_LIMIT = 200;
/** How long `counts` reuses an answer for a practice (the board asks every few seconds). */
export const COUNTS_TTL_MS = 5_000;
/** The precomputed calendar reaches this many days ahead, and is rebuilt when less than the minimum is left. */
const INDEX_AHEAD_DAYS = 130;
const INDEX_MIN_AHEAD_DAYS = 100;
/** PHI access log action of a queue view. */
export const QUEUE_PHI_ACTION = 'follow_up_queue';

const DAY_MS = 86_400_000;
const MISSED_STATUSES = ['missed', 'voicemail', 'abandoned'] as const;
/** Reasons not booked that a campaign can address (a price promotion, more appointment times). */
const CAMPAIGNABLE_REASONS: NotBookedReason[] = ['price', 'scheduling'];

interface ActiveLeadRow {
  id: string;
  channel: Channel;
  created_at: Date;
  status: LeadStatus;
  first_response_at: Date | null;
  treatment: string | null;
  source: string | null;
  attempts: number;
  last_attempt_at: Date | null;
}

interface MissedCallRow {
  id: string;
  started_at: Date;
  status: (typeof MISSED_STATUSES)[number];
  after_hours: boolean;
  lead_id: string | null;
  lead_status: LeadStatus | null;
  treatment: string | null;
  source: string | null;
}

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

/** SQL of a practice's leads still being worked (in a cadence or waiting), newest QUEUE_WINDOW_DAYS days. */
const ACTIVE_LEADS_SQL = `
  SELECT l.id, l.channel, l.created_at, l.status, l.first_response_at, l.treatment, s.name AS source,
         a.attempts, a.last_attempt_at
    FROM lead l
    LEFT JOIN marketing_source s ON s.id = l.source_id
    LEFT JOIN LATERAL (SELECT count(*)::int AS attempts, max(ca.at) AS last_attempt_at
                         FROM contact_attempt ca WHERE ca.lead_id = l.id) a ON true
   WHERE l.practice_id = $1 AND l.created_at >= $2 AND l.created_at <= $3
     AND l.status IN ('open', 'contacted')
     AND l.merged_into_lead_id IS NULL AND l.do_not_contact_at IS NULL`;

/** Missed inbound calls without a callback. $4: only calls from new patients or callers not known to be existing ones. */
const MISSED_CALLS_WHERE = `
   WHERE c.practice_id = $1 AND c.started_at >= $2 AND c.started_at <= $3
     AND c.direction = 'inbound' AND c.status IN ('missed', 'voicemail', 'abandoned') AND c.callback_at IS NULL
     AND c.is_new_patient IS NOT FALSE
     AND (l.id IS NULL OR l.do_not_contact_at IS NULL)
     AND (r.id IS NULL OR r.do_not_contact_at IS NULL)`;
const MISSED_CALLS_FROM = `
    FROM call c
    LEFT JOIN lead l ON l.practice_id = c.practice_id AND l.id = c.lead_id
    LEFT JOIN lead r ON r.practice_id = c.practice_id AND r.id = coalesce(l.merged_into_lead_id, l.id)`;

/** Events after which a practice's counts are computed afresh instead of reused. */
const COUNT_CHANGING_EVENTS: ReadonlyArray<keyof DomainEventMap> = [
  'LeadCreatedV1',
  'LeadRespondedV1',
  'LeadBookedV1',
  'LeadNotBookedV1',
  'CallChangedV1',
  'LeadMergedV1',
  'LeadUnmergedV1',
  'ContactAttemptedV1',
  'LeadDoNotContactV1',
  'CallbacksMadeV1',
  'PracticeSettingsChangedV1',
];

@Injectable()
export class FollowUpsService implements OnApplicationShutdown {
  private readonly countsCache = new Map<string, { at: number; value: FollowUpCountsV1 }>();
  /** Bumped on every change of a practice: a count that started before a change is not kept after it. */
  private readonly countsGeneration = new Map<string, number>();
  private readonly holidayCache = new Map<string, ReadonlySet<string>>();
  /** Per practice: its local days and opening intervals, precomputed (see calendarIndex), while its settings stay the same. */
  private readonly indexCache = new Map<string, { signature: string; index: CalendarIndex }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly ingest: IngestService,
    // Writes go through the unit of work: on the embedded database it makes them take turns with
    // ingest's transactions instead of landing inside one.
    private readonly unitOfWork: UnitOfWork,
    events: DomainEvents,
  ) {
    this.unsubscribe = COUNT_CHANGING_EVENTS.map((name) =>
      events.on(name, (payload: { practiceId: string }) => this.invalidateCounts(payload.practiceId)),
    );
  }

  private readonly unsubscribe: Array<() => void>;

  onApplicationShutdown(): void {
    for (const off of this.unsubscribe) off();
  }

  private invalidateCounts(practiceId: string): void {
    this.countsCache.delete(practiceId);
    this.countsGeneration.set(practiceId, (this.countsGeneration.get(practiceId) ?? 0) + 1);
  }

  // ---------------------------------------------------------------- queue

  /** The queue for a signed-in user; logs the showing of patient details before answering. */
  async queue(practiceId: string, userId: string | null, now: Date = new Date()): Promise<FollowUpQueueV1> {
    const calendar = await this.calendar(practiceId, now);
    const since = openLeadsSince(DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('day').toJSDate());
    const [cadences, active, missed, lost, staff] = await Promise.all([
      this.cadences(practiceId),
      this.activeLeads(practiceId, since, now),
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
      this.dataSource.query<Array<{ id: string; display_name: string }>>(`SELECT id, display_name FROM staff WHERE practice_id = $1 AND active ORDER BY display_name`, [
        practiceId,
      ]),
    ]);

    const { firstContact, nextAttempt } = this.leadItems(active, cadences, calendar, now);
    const leadItems = new Map<string, FollowUpItemV1>();
    for (const item of [...firstContact, ...nextAttempt]) leadItems.set(item.leadId!, item);
    const missedCalls: FollowUpItemV1[] = [];
    for (const call of missed) {
      const leadItem = call.lead_id ? leadItems.get(call.lead_id) : undefined;
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
    this.invalidateCounts(practiceId);

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

  /** Waiting leads (a) and leads whose next step is due (b), each in queue order. */
  private leadItems(rows: ActiveLeadRow[], cadences: ReadonlyMap<CadenceTarget, Cadence>, calendar: PracticeCalendar, now: Date) {
    const firstContact: FollowUpItemV1[] = [];
    const nextAttempt: FollowUpItemV1[] = [];
    for (const row of rows) {
      const cadence = cadenceFor(row.channel, cadences);
      const base = {
        ...blankItem('first_contact', row.channel, row.created_at),
        leadId: row.id,
        source: row.source,
        treatment: row.treatment,
        attempts: row.attempts,
        lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
        status: row.status,
      };
      if (row.status === 'open' && !row.first_response_at && row.attempts === 0) {
        const first = cadence.steps[0]!;
        firstContact.push({
          ...base,
          dueAt: row.created_at.toISOString(),
          waitingSeconds: secondsBetween(row.created_at, now),
          nextStep: first.kind,
          stepNumber: 1,
        });
        continue;
      }
      const step = nextStep(
        { createdAt: row.created_at, status: row.status, firstResponseAt: row.first_response_at, doNotContactAt: null },
        { count: row.attempts, lastAt: row.last_attempt_at },
        cadence,
        calendar,
      );
      if (!step || step.due > now) continue;
      nextAttempt.push({
        ...base,
        kind: 'next_attempt',
        attempts: Math.max(row.attempts, 1),
        lastAttemptAt: laterOf(row.last_attempt_at, row.first_response_at)?.toISOString() ?? null,
        dueAt: step.due.toISOString(),
        overdueSeconds: secondsBetween(step.due, now),
        nextStep: step.kind,
        stepNumber: step.index + 1,
      });
    }
    firstContact.sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.leadId!.localeCompare(y.leadId!));
    nextAttempt.sort((x, y) => x.dueAt!.localeCompare(y.dueAt!) || x.leadId!.localeCompare(y.leadId!));
    return { firstContact, nextAttempt };
  }

  private activeLeads(practiceId: string, since: Date, now: Date): Promise<ActiveLeadRow[]> {
    return this.dataSource.query(ACTIVE_LEADS_SQL, [practiceId, since, now]);
  }

  // ---------------------------------------------------------------- board counts

  /**
   * The TV board's two numbers, without patient details:
   * - followUpsDue: leads waiting for a first contact + leads whose next attempt is due at `now`,
   *   counted exactly as the queue counts them (the last QUEUE_WINDOW_DAYS days);
   * - missedCallsNoCallback: missed inbound calls from new patients (or callers not known to be
   *   existing patients) that started today, practice-local (since local midnight), with no callback
   *   yet, leaving out callers who asked not to be contacted.
   * Cost: three indexed queries (lead_practice_created_idx + contact_attempt_lead_idx over the window,
   * call_missed_no_callback_idx for today), plus cadence maths per lead in the window (binary searches
   * in the practice's precomputed calendar). An answer is reused for at most COUNTS_TTL_MS per practice,
   * and never after a domain event of the practice (a new lead, a response, a call, a callback...),
   * the queue, or a follow-up action: within this process, a change is counted at once.
   */
  async counts(practiceId: string, now: Date = new Date()): Promise<FollowUpCountsV1> {
    const cached = this.countsCache.get(practiceId);
    if (cached && now.getTime() >= cached.at && now.getTime() - cached.at < COUNTS_TTL_MS) return cached.value;
    const generation = this.countsGeneration.get(practiceId) ?? 0;
    const calendar = await this.calendar(practiceId, now);
    const todayStart = DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('day').toJSDate();
    const since = openLeadsSince(todayStart);
    const [cadences, active, missed] = await Promise.all([
      this.cadences(practiceId),
      this.activeLeads(practiceId, since, now),
      this.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${MISSED_CALLS_FROM} ${MISSED_CALLS_WHERE}`, [practiceId, todayStart, now]),
    ]);
    const { firstContact, nextAttempt } = this.leadItems(active, cadences, calendar, now);
    const value = { followUpsDue: firstContact.length + nextAttempt.length, missedCallsNoCallback: missed[0]?.n ?? 0 };
    // A change while counting may not be in these numbers: answer them, but do not reuse them.
    if ((this.countsGeneration.get(practiceId) ?? 0) === generation) {
      if (this.countsCache.size > 10_000) this.countsCache.clear();
      this.countsCache.set(practiceId, { at: now.getTime(), value });
    }
    return value;
  }

  // ---------------------------------------------------------------- actions

  /** Logs an attempt through ingest (so the board and speed to lead hear of it). 404: not this practice's lead. */
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
    const result = await this.ingest.applyLeadEvent(practiceId, leadId, event);
    this.invalidateCounts(practiceId);
    const [row]: ActiveLeadRow[] = await this.dataSource.query(
      `SELECT l.id, l.channel, l.created_at, l.status, l.first_response_at, a.attempts, a.last_attempt_at
         FROM lead l
         LEFT JOIN LATERAL (SELECT count(*)::int AS attempts, max(ca.at) AS last_attempt_at
                              FROM contact_attempt ca WHERE ca.lead_id = l.id) a ON true
        WHERE l.id = $1 AND l.practice_id = $2`,
      [leadId, practiceId],
    );
    const [calendar, cadences] = await Promise.all([this.calendar(practiceId, new Date()), this.cadences(practiceId)]);
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
    const sql = input.undo
      ? `UPDATE lead SET do_not_contact_at = NULL, updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND do_not_contact_at IS NOT NULL RETURNING do_not_contact_at`
      : `UPDATE lead SET do_not_contact_at = now(), updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND do_not_contact_at IS NULL RETURNING do_not_contact_at`;
    const rows: Array<{ do_not_contact_at: Date | null }> = await this.unitOfWork.run(async (tx) => {
      const updated: Array<{ do_not_contact_at: Date | null }> = await tx.manager.query(sql, [leadId, practiceId]);
      if (rowsOf(updated).length > 0) tx.publish({ name: 'LeadDoNotContactV1', payload: { practiceId, leadId, doNotContact: !input.undo } });
      return updated;
    });
    const changed = rowsOf(rows).length > 0;
    let at = rowsOf(rows)[0]?.do_not_contact_at ?? null;
    if (!changed) {
      const [lead]: Array<{ do_not_contact_at: Date | null }> = await this.dataSource.query(
        `SELECT do_not_contact_at FROM lead WHERE id = $1 AND practice_id = $2`,
        [leadId, practiceId],
      );
      if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
      at = lead.do_not_contact_at;
    }
    this.invalidateCounts(practiceId);
    return { leadId, doNotContactAt: at ? new Date(at).toISOString() : null, changed };
  }

  /** Records that a missed inbound call was called back (e.g. from a phone the system does not see). */
  async calledBack(practiceId: string, callId: string, input: CalledBackInput, now: Date = new Date()): Promise<CalledBackResultV1> {
    const [call]: Array<{ direction: string; status: string; started_at: Date; callback_at: Date | null }> = await this.dataSource.query(
      `SELECT direction, status, started_at, callback_at FROM call WHERE id = $1 AND practice_id = $2`,
      [callId, practiceId],
    );
    if (!call) throw new NotFoundException(`call ${callId} not found`);
    if (call.direction !== 'inbound' || !(MISSED_STATUSES as readonly string[]).includes(call.status)) {
      throw new ConflictException(`only a missed inbound call can be called back (this call is ${call.direction}, ${call.status})`);
    }
    if (call.callback_at) return { callId, callbackAt: call.callback_at.toISOString(), changed: false };
    if (input.at && input.at < call.started_at) {
      throw new UnprocessableEntityException(`at: ${input.at.toISOString()} is before the call started (${call.started_at.toISOString()})`);
    }
    // Without a time, now; never before the call started (clock skew between the phone system and us).
    const at = input.at ?? (now < call.started_at ? call.started_at : now);
    const updated = await this.unitOfWork.run(async (tx) => {
      const result: Array<{ callback_at: Date }> = await tx.manager.query(
        `UPDATE call SET callback_at = $3, updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND callback_at IS NULL RETURNING callback_at`,
        [callId, practiceId, at],
      );
      // The same event ingest publishes for a call back it sees: the board recounts its missed calls.
      if (rowsOf(result).length > 0) tx.publish({ name: 'CallbacksMadeV1', payload: { practiceId, callIds: [callId], at } });
      return result;
    });
    this.invalidateCounts(practiceId);
    const row = rowsOf(updated)[0];
    if (row) return { callId, callbackAt: new Date(row.callback_at).toISOString(), changed: true };
    // Someone (or ingest) called back in between: theirs stands.
    const [again]: Array<{ callback_at: Date }> = await this.dataSource.query(`SELECT callback_at FROM call WHERE id = $1`, [callId]);
    return { callId, callbackAt: new Date(again!.callback_at).toISOString(), changed: false };
  }

  // ---------------------------------------------------------------- cadences

  async getCadences(practiceId: string): Promise<CadencesV1> {
    const configured = await this.dataSource.getRepository(FollowUpCadence).findBy({ practiceId });
    const byTarget = new Map(configured.map((row) => [row.channel, row]));
    const practiceDefault = byTarget.get('default');
    const defaultView: CadenceViewV1 = practiceDefault
      ? { steps: practiceDefault.steps, maxAttempts: practiceDefault.maxAttempts, origin: 'practice' }
      : { ...structuredClone(DEFAULT_CADENCE), origin: 'built_in' };
    const channels = {} as Record<Channel, CadenceViewV1>;
    for (const channel of CHANNELS) {
      const override = byTarget.get(channel);
      channels[channel] = override ? { steps: override.steps, maxAttempts: override.maxAttempts, origin: 'channel' } : defaultView;
    }
    return { default: defaultView, channels };
  }

  /** Sets the practice default or a channel's override; `{ useDefault: true }` removes it. */
  async putCadence(practiceId: string, target: string, input: PutCadenceInput, userId: string | null): Promise<CadencesV1> {
    const parsed = cadenceTargetSchema.safeParse(target);
    if (!parsed.success) throw new BadRequestException(`channel: must be one of default, ${CHANNELS.join(', ')} (got "${target}")`);
    await this.unitOfWork.run(async ({ manager }) => {
      const repository = manager.getRepository(FollowUpCadence);
      if ('useDefault' in input) {
        await repository.delete({ practiceId, channel: parsed.data });
      } else {
        await repository.upsert(
          { practiceId, channel: parsed.data, steps: input.steps, maxAttempts: input.maxAttempts, updatedAt: new Date(), updatedByUserId: userId },
          ['practiceId', 'channel'],
        );
      }
    });
    this.invalidateCounts(practiceId);
    return this.getCadences(practiceId);
  }

  // ---------------------------------------------------------------- practice facts

  private async cadences(practiceId: string): Promise<Map<CadenceTarget, Cadence>> {
    const rows = await this.dataSource.getRepository(FollowUpCadence).findBy({ practiceId });
    return new Map(rows.map((row) => [row.channel, { steps: row.steps, maxAttempts: row.maxAttempts }]));
  }

  /** Time zone, opening hours, and public holidays of the practice's holiday region (closed all day),
   * with the precomputed index of its days: due times of the queue's leads need no time-zone maths. */
  private async calendar(practiceId: string, now: Date): Promise<PracticeCalendar> {
    const practice = await this.dataSource.getRepository(Practice).findOneBy({ id: practiceId });
    if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
    const year = now.getUTCFullYear();
    const holidayKey = `${practice.holidayRegion ?? ''}:${year}`;
    let closedDates = this.holidayCache.get(holidayKey);
    if (!closedDates) {
      closedDates = holidayDates(practice.holidayRegion, year - 1, year + 1);
      if (this.holidayCache.size > 500) this.holidayCache.clear();
      this.holidayCache.set(holidayKey, closedDates);
    }
    const calendar: PracticeCalendar = { timeZone: practice.timeZone, openingHours: practice.openingHours, closedDates };
    // Covers every lead of the window (from its arrival) and due times up to INDEX_AHEAD_DAYS ahead;
    // anything outside falls back to the direct computation, with the same answer.
    const signature = `${practice.timeZone}|${JSON.stringify(practice.openingHours)}|${holidayKey}`;
    const windowStart = now.getTime() - (QUEUE_WINDOW_DAYS + 2) * DAY_MS;
    let cached = this.indexCache.get(practiceId);
    if (!cached || cached.signature !== signature || cached.index.from > windowStart || cached.index.to < now.getTime() + INDEX_MIN_AHEAD_DAYS * DAY_MS) {
      const index = calendarIndex(calendar, new Date(windowStart - 7 * DAY_MS), new Date(now.getTime() + INDEX_AHEAD_DAYS * DAY_MS));
      cached = { signature, index };
      if (this.indexCache.size > 1000) this.indexCache.clear();
      this.indexCache.set(practiceId, cached);
    }
    return { ...calendar, index: cached.index };
  }
}

function blankItem(kind: FollowUpKind, channel: Channel, createdAt: Date): FollowUpItemV1 {
  return {
    kind,
    leadId: null,
    callId: null,
    channel,
    source: null,
    treatment: null,
    createdAt: createdAt.toISOString(),
    dueAt: null,
    waitingSeconds: null,
    overdueSeconds: null,
    attempts: 0,
    lastAttemptAt: null,
    nextStep: null,
    stepNumber: null,
    status: null,
    notBookedReason: null,
    lostAt: null,
    callStatus: null,
    afterHours: null,
    missedCallIds: [],
    repeatContacts: 0,
    patient: null,
  };
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
}

function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** UPDATE ... RETURNING through dataSource.query answers [rows, count] on PostgreSQL; plain rows elsewhere. */
function rowsOf<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? result[0] : (result as T[]);
}
