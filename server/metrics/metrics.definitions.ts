// One definition per metric: the predicates, in-memory functions and SQL fragments behind every figure a
// person reads, used by the live board (practice-board.ts), the reports and the exports alike, and
// written in words once in the README's glossary. Change a definition here and everywhere moves together.
//
// Each block below gives the glossary sentence, the in-memory form (the TV applies events one at a time)
// and the SQL form (reports aggregate rows), and the tests compare the two on the same data
// (test/reports/metric-definitions.test.ts).

import { SPEED_TO_LEAD_CHANNELS, type CallStatus, type Channel } from '../domain/domain.contract.js';

// ---------------------------------------------------------------------------------------------------
// New-patient lead
// ---------------------------------------------------------------------------------------------------

/** A lead (any channel) from someone who is not yet a patient of the practice, not merged into an earlier
 * lead of the same person. The TV's headline, its hourly chart and its conversion all count this population. */
export const NEW_PATIENT_LEAD_LABEL = 'New-patient leads today (duplicates merged)';

// ---------------------------------------------------------------------------------------------------
// Response time (speed to lead)
// ---------------------------------------------------------------------------------------------------

/** The channels where a lead waits for the practice to reach out. Phone leads are answered live (an
 * unanswered one is a missed call, counted there) and walk-ins are in the room. */
export const RESPONSE_TIME_CHANNELS: readonly Channel[] = SPEED_TO_LEAD_CHANNELS;

/** Whether a lead counts toward response time: it arrived on a channel where leads wait. New and existing
 * patients both count (existing patients wait too); a report's `patient` segment narrows it. */
export function countsForResponseTime(lead: { channel: Channel }): boolean {
  return RESPONSE_TIME_CHANNELS.includes(lead.channel);
}

/** Seconds from the lead's arrival to its first response (a contact attempt a person logged, or a reply
 * recorded by the inbox/phone system). A booking is NOT a response: booking a lead that nobody replied to
 * leaves it without a response time (LeadsService never sets first_response_at on booking). Never negative. */
export function responseSeconds(createdAt: Date, firstResponseAt: Date): number {
  return Math.max(0, (firstResponseAt.getTime() - createdAt.getTime()) / 1000);
}

/** The SQL form of responseSeconds on the lead alias (null while nobody has responded). No greatest(0, ...):
 * PostgreSQL's greatest ignores NULL and would turn "never" into 0 s; ingest refuses a response before its
 * lead, so the difference is never negative. */
export const responseSecondsSql = (alias = 'l'): string => `extract(epoch FROM ${alias}.first_response_at - ${alias}.created_at)`;

/** The SQL form of countsForResponseTime: `channelsPlaceholder` holds RESPONSE_TIME_CHANNELS as text[]. */
export const countsForResponseTimeSql = (channelsPlaceholder: string, alias = 'l'): string => `${alias}.channel = ANY(${channelsPlaceholder}::text[])`;

/** Whose response it is: the staff member who made the first response (first_response_staff_id), never the
 * assigned one; a response recorded without a staff member counts for the practice but for nobody's median. */
export const RESPONSE_STAFF_COLUMN = 'first_response_staff_id';

/**
 * Continuous percentile (linear interpolation between the closest ranks), exactly PostgreSQL's
 * percentile_cont, rounded to whole seconds half away from zero: what every view shows for a median or a
 * p90 of response times. `sorted` ascending; null when empty. O(1).
 * Example: continuousPercentile([30, 60, 2000, 20000], 0.5) = 1030.
 */
export function continuousPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const value = sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
  return wholeSeconds(value);
}

/** Whole seconds, half away from zero (as PostgreSQL rounds numeric). */
export const wholeSeconds = (value: number | null | undefined): number | null => (value == null ? null : Math.sign(value) * Math.round(Math.abs(value)));

/** The SQL percentile of response times over the rows of a group, whole seconds, as continuousPercentile. */
export const responsePercentileSql = (fraction: number, alias = 'l'): string =>
  `round((percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${responseSecondsSql(alias)}))::numeric)::int`;

/** Short enough for a TV tile (about 70 characters); the README glossary has the whole definition. */
export const RESPONSE_TIME_LABEL = "Median first reply · today's form, chat, social, email & referral leads";

// ---------------------------------------------------------------------------------------------------
// Missed call and missed-call rate
// ---------------------------------------------------------------------------------------------------

/** An inbound call nobody answered: missed (rang out), voicemail, or abandoned (hung up in the queue). */
export const UNANSWERED_CALL_STATUSES: readonly CallStatus[] = ['missed', 'voicemail', 'abandoned'];
export const isUnanswered = (status: CallStatus): boolean => UNANSWERED_CALL_STATUSES.includes(status);
/** An inbound call with an outcome (not still ringing). */
export const isEndedCall = (status: CallStatus): boolean => status !== 'ringing';

/** Missed-call rate: unanswered inbound calls / inbound calls with an outcome, both counting only calls
 * that started in opening hours (call.after_hours false). After-hours calls are counted apart: nobody is
 * meant to answer them, so they say nothing about the desk. Null when no call ended in opening hours. */
export function missedCallRate(unanswered: number, ended: number): number | null {
  return ended === 0 ? null : unanswered / ended;
}

export const MISSED_RATE_LABEL = 'Missed + voicemail + hung up, of calls in opening hours';

/** The fewest ended calls in opening hours before the missed-call rate is judged against the practice's
 * thresholds (coloured amber or red). Below it the rate is mostly chance (1 missed of the day's first call
 * is "100%"), so the TV shows the count, neutral, with MISSED_RATE_SAMPLE_LABEL. */
export const MISSED_RATE_MIN_CALLS = 10;
export const MISSED_RATE_SAMPLE_LABEL = `Too few calls for a rate yet: judged from ${MISSED_RATE_MIN_CALLS} calls in opening hours`;
export const AFTER_HOURS_LABEL = 'Outside opening hours: not in the missed rate';

// ---------------------------------------------------------------------------------------------------
// Leads still being worked: waiting for a first reply, and follow-ups due
// ---------------------------------------------------------------------------------------------------

/** One window for both: a lead nobody has reached is still worth working for weeks ("if you haven't yet
 * talked to the lead", several attempts over days), so the TV's "waiting" count and the follow-up queue
 * and its "due" count look back over the same days, and every waiting lead is among the follow-ups due. */
export const OPEN_LEAD_WINDOW_DAYS = 30;
/** The earliest arrival of a lead still being worked on the practice-local day that starts at `todayStart`
 * (the window is counted in whole days back from today's local midnight, so it moves once a day). */
export const openLeadsSince = (todayStart: Date): Date => new Date(todayStart.getTime() - OPEN_LEAD_WINDOW_DAYS * 86_400_000);
export const WAITING_LABEL = `Leads of the last ${OPEN_LEAD_WINDOW_DAYS} days nobody has replied to yet`;
export const FOLLOW_UPS_DUE_LABEL = `Waiting leads plus next attempts due now, same ${OPEN_LEAD_WINDOW_DAYS} days`;

// ---------------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------------

/** Conversion: of the new-patient leads that arrived in the period, the share booked (whenever booked). */
export const CONVERSION_LABEL = "Today's new-patient leads already booked";

/** Every label the TV shows, from the definitions above (BoardLabelsV1). */
export const BOARD_LABELS = {
  responseTime: RESPONSE_TIME_LABEL,
  missedRate: MISSED_RATE_LABEL,
  missedRateSample: MISSED_RATE_SAMPLE_LABEL,
  afterHours: AFTER_HOURS_LABEL,
  conversion: CONVERSION_LABEL,
  waiting: WAITING_LABEL,
  followUpsDue: FOLLOW_UPS_DUE_LABEL,
  newPatientLead: NEW_PATIENT_LEAD_LABEL,
} as const;

// ---------------------------------------------------------------------------------------------------
// Revenue lost
// ---------------------------------------------------------------------------------------------------

/** How the missed-calls report counts revenue lost to missed calls (stated in its response as `method`). */
export const MISSED_CALL_REVENUE_METHOD =
  'Only missed new-patient calls that were really lost count: each missed inbound new-patient call in the range takes ONE outcome, in this order: ' +
  "the caller booked (a lead of theirs, by the call's lead or the same phone number, is booked), called back (within 7 days), " +
  'lost for a recorded reason (their lead was marked not booked: counted in lost opportunities, not here), else unrecovered. ' +
  'Revenue lost = unrecovered calls x the booking rate of NEW-PATIENT phone leads created in the range x the average estimated value of those booked.';

/** Said in every response with a revenue-lost figure: which figures may be added together. */
export const REVENUE_LOST_ADDITIVITY =
  'Lost opportunities (leads marked not booked, by reason) and missed calls (unrecovered missed new-patient calls) count each person once and may be added: ' +
  'a missed caller whose lead was marked not booked is counted under its reason, not as a missed call. ' +
  'The slow-reply figure is NOT additive: it estimates, over the same web, chat, social, referral and email leads, the bookings a faster reply would have won, ' +
  'and some of those leads are already among the lost opportunities.';
