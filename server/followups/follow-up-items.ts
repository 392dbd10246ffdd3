// What the follow-up queue and the TV's counts share: the leads still being worked and the missed
// calls without a call back (their SQL), and the cadence maths that turns leads into the queue's
// first_contact and next_attempt items. The queue (follow-up-queue.service.ts) and the counts
// (follow-up-counts.service.ts) count from here, so the two never disagree.

import type { DataSource } from 'typeorm';
import type { CadenceTarget, Channel, FollowUpKind, LeadStatus } from '../domain/domain.contract.js';
import { OPEN_LEAD_WINDOW_DAYS } from '../metrics/metrics.definitions.js';
import { cadenceFor, nextStep, type PracticeCalendar } from './cadence.js';
import type { Cadence, FollowUpItemV1 } from './followups.contract.js';

/** Leads created and calls started this many days back (from today's local midnight) are in the queue;
 * older ones are not. The TV's waiting count uses the same window (server/metrics). */
export const QUEUE_WINDOW_DAYS = OPEN_LEAD_WINDOW_DAYS;

export const MISSED_STATUSES = ['missed', 'voicemail', 'abandoned'] as const;

export interface ActiveLeadRow {
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

export interface MissedCallRow {
  id: string;
  started_at: Date;
  status: (typeof MISSED_STATUSES)[number];
  after_hours: boolean;
  lead_id: string | null;
  lead_status: LeadStatus | null;
  treatment: string | null;
  source: string | null;
}

/** SQL of a practice's leads still being worked (in a cadence or waiting), newest QUEUE_WINDOW_DAYS days. */
export const ACTIVE_LEADS_SQL = `
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
export const MISSED_CALLS_WHERE = `
   WHERE c.practice_id = $1 AND c.started_at >= $2 AND c.started_at <= $3
     AND c.direction = 'inbound' AND c.status IN ('missed', 'voicemail', 'abandoned') AND c.callback_at IS NULL
     AND c.is_new_patient IS NOT FALSE
     AND (l.id IS NULL OR l.do_not_contact_at IS NULL)
     AND (r.id IS NULL OR r.do_not_contact_at IS NULL)`;
export const MISSED_CALLS_FROM = `
    FROM call c
    LEFT JOIN lead l ON l.practice_id = c.practice_id AND l.id = c.lead_id
    LEFT JOIN lead r ON r.practice_id = c.practice_id AND r.id = coalesce(l.merged_into_lead_id, l.id)`;

/** A practice's leads still being worked (in a cadence or waiting), created from `since` to `now`. */
export function activeLeads(dataSource: DataSource, practiceId: string, since: Date, now: Date): Promise<ActiveLeadRow[]> {
  return dataSource.query(ACTIVE_LEADS_SQL, [practiceId, since, now]);
}

/** Waiting leads (a) and leads whose next step is due (b), each in queue order. */
export function leadItems(rows: ActiveLeadRow[], cadences: ReadonlyMap<CadenceTarget, Cadence>, calendar: PracticeCalendar, now: Date) {
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

export function blankItem(kind: FollowUpKind, channel: Channel, createdAt: Date): FollowUpItemV1 {
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

export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
}

export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
