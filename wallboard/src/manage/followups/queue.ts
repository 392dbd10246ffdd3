// What the follow-up page shows of a queue item, as plain functions (unit-tested in
// test/followups/queue-view.test.ts): section titles, live timers, attempt defaults.

import { CHANNELS, type ContactKind, type ContactOutcome, type FollowUpKind } from '$contracts/domain/domain';
import type { Cadence, CadencesV1, CadenceStep, FollowUpItemV1, FollowUpQueueV1 } from '$contracts/followups/followups';
import { CHANNEL_LABELS } from '../../lib/labels.js';

export const QUEUE_PATH = '/api/v1/follow-ups/queue';
export const CADENCES_PATH = '/api/v1/follow-ups/cadences';
/** The queue is fetched again this often (and after every action). */
export const REFRESH_MS = 20_000;
/** localStorage key of "who is working the queue" (a staff id: not a secret). */
export const STAFF_STORAGE = 'lead-wallboard.followups.staffId';

export const OUTCOME_LABELS: Record<ContactOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  left_message: 'Left message',
  sent: 'Sent',
  failed: 'Failed',
};

export const SECTIONS: Array<{ kind: FollowUpKind; title: string; hint: string }> = [
  { kind: 'first_contact', title: 'Waiting for a first contact', hint: 'oldest first: every minute counts' },
  { kind: 'next_attempt', title: 'Next attempt due', hint: 'most overdue first, by the cadence' },
  { kind: 'missed_call', title: 'Missed calls, no callback yet', hint: 'new-patient callers, oldest first' },
  { kind: 'lost_lead', title: 'Lost to price or scheduling', hint: 'worth a campaign or another try' },
];

/** Items of one kind, in the queue's order. */
export function itemsOf(queue: FollowUpQueueV1 | null, kind: FollowUpKind): FollowUpItemV1[] {
  return queue ? queue.items.filter((item) => item.kind === kind) : [];
}

/** A stable key for an item across refreshes. */
export function itemKey(item: FollowUpItemV1): string {
  return `${item.kind}:${item.leadId ?? ''}:${item.callId ?? ''}`;
}

/** The name to show and to say in notices: the patient's, or what stands for a missing one. */
export function patientName(item: FollowUpItemV1): string {
  return item.patient?.name ?? (item.kind === 'missed_call' ? 'Unknown caller' : 'No name given');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A time span as the front desk reads it: `45 s`, `12 min`, `1 h 05 min`, `2 d 3 h`. Never `12:05`,
 * which reads as a clock time. `withSeconds` adds the seconds under an hour (`12 min 05 s`), for the
 * live timer of a lead still waiting, where every second counts. Negative clamps to 0.
 */
export function formatElapsed(seconds: number, withSeconds = false): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return withSeconds ? `${Math.floor(s / 60)} min ${pad2(s % 60)} s` : `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Seconds from `iso` to the server's "now" (the client clock corrected by `skewMs` = server minus client). */
export function secondsSince(iso: string | null, nowMs: number, skewMs = 0): number {
  if (!iso) return 0;
  return Math.max(0, Math.floor((nowMs + skewMs - Date.parse(iso)) / 1000));
}

/** The live timer of an item: how long it has waited, or how overdue it is. */
export function timerText(item: FollowUpItemV1, nowMs: number, skewMs = 0): string {
  switch (item.kind) {
    case 'first_contact':
      return `waiting ${formatElapsed(secondsSince(item.createdAt, nowMs, skewMs), true)}`;
    case 'next_attempt':
      return `due ${formatElapsed(secondsSince(item.dueAt, nowMs, skewMs))} ago`;
    case 'missed_call':
      return `missed ${formatElapsed(secondsSince(item.createdAt, nowMs, skewMs))} ago`;
    case 'lost_lead':
      return `lost ${formatElapsed(secondsSince(item.lostAt ?? item.createdAt, nowMs, skewMs))} ago`;
  }
}

/** How urgent a timer looks: first contacts turn amber after 5 minutes and red after 15 (the board's defaults). */
export function urgency(item: FollowUpItemV1, nowMs: number, skewMs = 0): 'ok' | 'amber' | 'red' {
  if (item.kind !== 'first_contact' && item.kind !== 'missed_call') return 'ok';
  const seconds = secondsSince(item.createdAt, nowMs, skewMs);
  return seconds >= 15 * 60 ? 'red' : seconds >= 5 * 60 ? 'amber' : 'ok';
}

/** The attempt kind offered first: the cadence's next step (a call for missed calls and lost leads). */
export function defaultKind(item: FollowUpItemV1): ContactKind {
  return item.nextStep ?? 'call';
}

/** The outcome offered first for a kind: a call usually goes unanswered; a text or email is sent. */
export function defaultOutcome(kind: ContactKind): ContactOutcome {
  return kind === 'call' ? 'no_answer' : 'sent';
}

/** "Next: text (step 2)", "Call back", "Lost to price", ... */
export function nextStepText(item: FollowUpItemV1): string {
  if (item.kind === 'lost_lead') return item.notBookedReason === 'price' ? 'Lost to price' : 'Lost to scheduling';
  if (item.kind === 'missed_call') return 'Call back';
  return `Next: ${item.nextStep ?? 'call'}${item.stepNumber ? ` (step ${item.stepNumber})` : ''}`;
}

/** "1 attempt", "3 attempts", "no attempts yet". */
export function attemptsText(count: number): string {
  return count === 0 ? 'no attempts yet' : count === 1 ? '1 attempt' : `${count} attempts`;
}

/** The small print under a timer: next step, attempts (not for a caller without a lead), missed calls, after hours. */
export function detailText(item: FollowUpItemV1): string {
  const parts = [nextStepText(item)];
  if (item.kind !== 'missed_call' || item.leadId) parts.push(attemptsText(item.attempts));
  const missed = item.missedCallIds.length;
  if (missed > 0) parts.push(`${missed} missed call${missed > 1 ? 's' : ''}`);
  if (item.afterHours) parts.push('after hours');
  return parts.join(' · ');
}

/** "Web form · Google Ads · Invisalign", and "· contacted us 3 times" when the same person came back. */
export function originText(item: FollowUpItemV1): string {
  const touches = item.repeatContacts > 0 ? `contacted us ${item.repeatContacts + 1} times` : null;
  return [CHANNEL_LABELS[item.channel] ?? item.channel, item.source, item.treatment, touches].filter(Boolean).join(' · ');
}

/** How many items a section shows at first, and how many more each "Show more" adds: a long queue
 * is worked from the top, and 150 expanded items made a page 10,000 px long. */
export const SECTION_PAGE = 10;

/** "Show 10 more (of 37 not shown)" for a section showing `shown` of `total`, or null when all show. */
export function showMoreText(shown: number, total: number, page = SECTION_PAGE): string | null {
  const hidden = total - shown;
  if (hidden <= 0) return null;
  return hidden <= page ? `Show the other ${hidden}` : `Show ${page} more (${hidden} not shown)`;
}

/**
 * Who "Attempts by" starts as: the staff member chosen last on this browser if still active, else
 * the staff member whose display name is the signed-in user's (case and spaces ignored; only when
 * exactly one matches), else nobody (the page then asks). Ids only; names are matched, not stored.
 */
export function defaultStaff(staff: ReadonlyArray<{ id: string; displayName: string }>, saved: string, userName: string | null): string {
  if (saved && staff.some((s) => s.id === saved)) return saved;
  const norm = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
  if (userName && norm(userName)) {
    const matches = staff.filter((s) => norm(s.displayName) === norm(userName));
    if (matches.length === 1) return matches[0]!.id;
  }
  return '';
}

/** A clock time in the practice's zone, with the zone said: `8:16 AM CST`. Falls back to the browser's zone when unknown. */
export function practiceTime(ms: number, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(ms);
  }
}

/** A `tel:` link for a phone number as typed (digits and a leading + kept). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** A random id for one press of a button, so a retried request is recorded once. */
export function newEventId(random: () => string = () => crypto.randomUUID()): string {
  return `followup-${random()}`;
}

/** One step in words: "call now", "text after 1 h", "call the next morning", "email on day 3". */
export function describeStep(step: CadenceStep): string {
  const after = step.after;
  if ('minutes' in after) {
    if (after.minutes === 0) return `${step.kind} now`;
    if (after.minutes % 1440 === 0) return `${step.kind} after ${after.minutes / 1440} d`;
    if (after.minutes % 60 === 0) return `${step.kind} after ${after.minutes / 60} h`;
    return `${step.kind} after ${after.minutes} min`;
  }
  if ('nextOpeningMorning' in after) return `${step.kind} the next morning`;
  return `${step.kind} on day ${after.days}`;
}

/** A cadence in one line: "call now → text after 1 h → … · stop after 5 attempts". */
export function describeCadence(cadence: Cadence): string {
  return `${cadence.steps.map(describeStep).join(' → ')} · stop after ${cadence.maxAttempts} attempt${cadence.maxAttempts === 1 ? '' : 's'} or on booking`;
}

/** The practice default, then each channel with an override of its own. */
export function cadenceLines(cadences: CadencesV1): Array<{ label: string; text: string }> {
  const lines = [{ label: cadences.default.origin === 'built_in' ? 'Every channel (built-in)' : 'Every channel', text: describeCadence(cadences.default) }];
  for (const channel of CHANNELS) {
    const cadence = cadences.channels[channel];
    if (cadence.origin === 'channel') lines.push({ label: CHANNEL_LABELS[channel] ?? channel, text: describeCadence(cadence) });
  }
  return lines;
}
