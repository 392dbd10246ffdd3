// The live-board contract: the one definition of what travels over the `/board` socket.io namespace
// and what `GET /api/v1/board` returns. The server builds these payloads; the wallboard imports this
// file with `import type` only, so the two can never drift. Types only: the namespace's name,
// BOARD_NAMESPACE, is in the domain's vocabulary (server/domain/domain.contract.ts).
//
// Privacy by construction: nothing here can carry a patient's name, phone, email or a free-text note.
// Leads appear as counts, channels, marketing source names and enum reasons; staff by display name.
//
// Versioning: a change to a payload's shape adds a V2 type and event, it never edits V1 in place.
// Additive optional fields (an older TV ignores them) stay in V1; each says when it was added.
//
// One definition per metric: every figure here is computed with server/metrics/metrics.definitions.ts,
// the same definitions the reports and exports use, and `labels` carries the short sentence the TV
// shows beside each figure so the screen says what it counts.

import type { BoardThresholds, Channel, NotBookedReason } from '../domain/domain.contract.js';

/** Today's board for one practice. "Today" is the practice's calendar day in its own time zone. */
export interface BoardStateV1 {
  practice: {
    name: string;
    timeZone: string;
    currency: string;
    /** Whether the practice is open at `generatedAt` by its calendar (opening hours and public
     * holidays), and when it next opens (ISO 8601; null when open now or not within two weeks).
     * Added in V1.1: a TV shows a closed practice as closed, not as a dead board. */
    openNow?: boolean;
    opensAt?: string | null;
  };
  /** Practice-local calendar day, `YYYY-MM-DD`. */
  day: string;
  /** Server clock when this state was computed (ISO 8601, UTC). Timers on the TV count from here. */
  generatedAt: string;
  thresholds: BoardThresholds;
  leads: BoardLeadsV1;
  calls: BoardCallsV1;
  speedToLead: BoardSpeedToLeadV1;
  waiting: BoardWaitingV1;
  bookings: BoardBookingsV1;
  leaderboard: BoardStaffRowV1[];
  hourly: BoardHourV1[];
  activity: BoardActivityV1[];
  /** New-patient leads so far today against what the forecast expected by now; null while the
   * practice has no forecast yet (too little history). */
  onPace: BoardOnPaceV1 | null;
  /** The follow-up queue in two numbers. Added after V1 shipped as an optional field (an additive
   * change an older TV ignores, so V1 stays V1); null until first counted. */
  followUps?: BoardFollowUpsV1 | null;
  /** Short plain-language definitions the TV prints beside its figures (added in V1.1, optional). */
  labels?: BoardLabelsV1;
}

/** What each figure counts, in one short line each; from server/metrics (the README glossary's words). */
export interface BoardLabelsV1 {
  /** For speedToLead and the leaderboard's median, e.g. "Median first reply · today's web form, chat, ... leads". */
  responseTime: string;
  /** For calls.missedRate, e.g. "Missed + voicemail + hung up, of calls in opening hours". */
  missedRate: string;
  /** For calls while `inbound` is under calls.rateMinimumCalls: why the rate is not judged yet (added in V1.1). */
  missedRateSample?: string;
  /** For calls.afterHours, e.g. "Outside opening hours: not in the rate". */
  afterHours: string;
  /** For bookings.conversionRate, e.g. "Today's new-patient leads already booked". */
  conversion: string;
  /** For waiting, e.g. "Leads of the last 30 days nobody has replied to yet" (added in V1.1). */
  waiting?: string;
  /** For followUps.due: the same window as waiting (added in V1.1). */
  followUpsDue?: string;
  /** For leads.newPatients, onPace.actual and the hourly chart: who counts as a new-patient lead. */
  newPatientLead: string;
}

export interface BoardFollowUpsV1 {
  /** Leads waiting for a first contact plus leads whose next cadence step is due now, over the same
   * window as waiting (OPEN_LEAD_WINDOW_DAYS), so every waiting lead is among them. */
  due: number;
  /** Today's missed inbound new-patient calls nobody has called back yet. */
  missedCallsNoCallback: number;
}

export interface BoardOnPaceV1 {
  /** New-patient leads so far today (same as leads.newPatients). */
  actual: number;
  /** Expected by now from the forecast and the hour-of-week profile, with an 80% band of counts. */
  expectedByNow: number;
  low: number;
  high: number;
  /** Expected for the whole day. */
  expectedToday: number;
  status: 'ahead' | 'on_pace' | 'behind';
}

export interface BoardLeadsV1 {
  /** All leads created today (new and existing patients). */
  total: number;
  newPatients: number;
  existingPatients: number;
  /** New-patient leads created on the same weekday last week up to the same time of day. */
  newPatientsSameTimeLastWeek: number;
  byChannel: Array<{ channel: Channel; newPatients: number; existingPatients: number }>;
  /** Marketing sources by today's new-patient leads, largest first; `(none)` for leads without one. */
  bySource: Array<{ source: string; newPatients: number; existingPatients: number }>;
}

/** Today's inbound calls that started DURING OPENING HOURS (practice-local; the call's after_hours flag
 * set at ingest). inbound = answered + missed + voicemail + abandoned = answered + unanswered. Calls that
 * started outside opening hours are counted apart in `afterHours` and never in the rate. (Before V1.1 the
 * counts and the rate included after-hours calls, so overnight voicemails made the rate red at dawn.) */
export interface BoardCallsV1 {
  /** Inbound calls that started today in opening hours and have an outcome. */
  inbound: number;
  answered: number;
  missed: number;
  voicemail: number;
  abandoned: number;
  /** Inbound calls (opening hours) still ringing or in queue right now; not in `inbound` until they end. */
  ringing: number;
  /** unanswered / inbound, opening hours only; null when no inbound call has ended in opening hours today. */
  missedRate: number | null;
  /** missed + voicemail + abandoned (opening hours): the numerator of missedRate (added in V1.1). */
  unanswered?: number;
  /** The fewest ended calls in opening hours (`inbound`) before missedRate is judged against the
   * thresholds; below it the TV shows the count, uncoloured, with labels.missedRateSample (added in V1.1). */
  rateMinimumCalls?: number;
  /** Today's inbound calls that started outside opening hours (added in V1.1). */
  afterHours?: BoardAfterHoursCallsV1;
}

export interface BoardAfterHoursCallsV1 {
  /** Ended after-hours inbound calls: answered + missed + voicemail + abandoned. */
  inbound: number;
  answered: number;
  missed: number;
  voicemail: number;
  abandoned: number;
  /** missed + voicemail + abandoned. */
  unanswered: number;
}

/** Response time as the README glossary defines it (server/metrics): leads that ARRIVED TODAY on the
 * channels where a lead waits (`channels`, new and existing patients), seconds from arrival to the first
 * response a person made (a contact attempt or a reply; a booking is not a response). Percentiles are
 * continuous (linear interpolation, as the reports' percentile_cont), whole seconds. The speed-to-lead
 * report and the staff report for the same day give the same figures. (Before V1.1: responses made today,
 * whatever day the lead arrived, nearest-rank.) */
export interface BoardSpeedToLeadV1 {
  /** The channels counted: those where a lead waits for the practice to reach out. */
  channels: Channel[];
  /** Today's leads on those channels that have had a first response. */
  responded: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Today's leads on those channels still without a first response (added in V1.1). */
  notYetResponded?: number;
}

export interface BoardWaitingV1 {
  /** Open leads created in the last `windowDays` days (counted back from today's local midnight) that
   * nobody has contacted yet. The follow-up queue and followUps.due use the same window. (Before V1.1
   * the window was 7 days and the follow-ups' 30.) */
  count: number;
  /** The window in days (server/metrics' OPEN_LEAD_WINDOW_DAYS; added in V1.1). */
  windowDays?: number;
  /** When the longest-waiting of them arrived (ISO 8601); the TV counts its timer up locally. */
  oldestCreatedAt: string | null;
  /** The next few longest-waiting, oldest first, for a timer list. No patient details. */
  oldest: Array<{ leadId: string; createdAt: string; channel: Channel; source: string }>;
}

export interface BoardBookingsV1 {
  /** Bookings made today, whenever the lead arrived, new and existing patients:
   * = breakdown.fromTodaysNewPatientLeads + breakdown.fromEarlierNewPatientLeads + breakdown.existingPatients. */
  booked: number;
  /** Sum of the estimated value of today's bookings, in the practice currency. */
  bookedValue: number;
  /** Today's new-patient leads that are already booked. */
  bookedFromTodaysLeads: number;
  /** bookedFromTodaysLeads / leads.newPatients (today's new-patient leads); null when there are none. */
  conversionRate: number | null;
  /** Where today's bookings came from, so "Booked" and "Conversion" explain each other (added in V1.1). */
  breakdown?: BoardBookingsBreakdownV1;
}

export interface BoardBookingsBreakdownV1 {
  /** = bookedFromTodaysLeads: the numerator of conversionRate. */
  fromTodaysNewPatientLeads: number;
  /** New-patient leads that arrived before today and were booked today. */
  fromEarlierNewPatientLeads: number;
  /** Bookings made today for existing patients. */
  existingPatients: number;
  /** Estimated value of today's new-patient bookings (both kinds above). */
  newPatientBookedValue: number;
}

export interface BoardStaffRowV1 {
  staffId: string;
  displayName: string;
  bookings: number;
  /** Leads this person gave the first response to today. */
  leadsHandled: number;
  /** Of the leads handled today, the share booked; null when none handled. */
  conversionRate: number | null;
  /** Of the leads handled today, how many are booked: the count behind conversionRate (added in V1.1). */
  handledBooked?: number;
  /** Response time (labels.responseTime) of today's leads on the speed-to-lead channels this person
   * responded to first: the staff report's median for this person and day. */
  medianResponseSeconds: number | null;
  /** How many responses that median is of (added in V1.1). */
  responses?: number;
}

/** One clock hour of today. On a daylight-saving day there are 23 or 25 of them, labels as on the wall clock. */
export interface BoardHourV1 {
  /** Start of the hour, ISO 8601 UTC. */
  start: string;
  /** Practice-local wall-clock label, `HH:00`. */
  label: string;
  /** NEW-PATIENT leads created in this hour (the headline's population: the hours sum to
   * leads.newPatients, so the chart's "so far" is the headline); null for hours still to come.
   * (Before V1.1 this counted all leads.) */
  leads: number | null;
  /** The typical new-patient count for this hour on this weekday (recent weeks): low, median, high quantiles. */
  typicalLow: number;
  typicalMedian: number;
  typicalHigh: number;
}

export type BoardActivityKindV1 =
  'lead_created' | 'lead_responded' | 'lead_booked' | 'lead_not_booked' | 'call_answered' | 'call_missed' | 'call_voicemail' | 'call_abandoned';

/** A line of the recent-activity feed: what happened, never to whom. */
export interface BoardActivityV1 {
  id: string;
  at: string;
  kind: BoardActivityKindV1;
  channel: Channel | null;
  source: string | null;
  staff: string | null;
  reason: NotBookedReason | null;
  responseSeconds: number | null;
}

/** Sent once on connect (and on `board:resync`); replaces whatever the TV had. */
export interface BoardSnapshotV1 {
  seq: number;
  state: BoardStateV1;
}

/** Sent after changes, coalesced to at most 4 per second per practice. Carries the whole state, so a
 * missed or duplicated message can never leave a TV with a gap or a double count; a TV ignores any
 * update whose `seq` is not greater than the last one it applied. */
export interface BoardUpdateV1 {
  seq: number;
  state: BoardStateV1;
}

/** Why the server refused or dropped a TV. */
export interface BoardErrorV1 {
  code: 'token_missing' | 'token_invalid' | 'token_revoked';
  message: string;
}

export interface BoardServerToClientEvents {
  'board:snapshot': (message: BoardSnapshotV1) => void;
  'board:update': (message: BoardUpdateV1) => void;
  /** Sent just before the server disconnects a TV whose display token was revoked. */
  'board:revoked': (error: BoardErrorV1) => void;
}

export interface BoardClientToServerEvents {
  /** Ask for a fresh `board:snapshot` (for example after a long sleep). */
  'board:resync': () => void;
}

/** Handshake: `io(url + '/board', { auth: { token } })`. A refused connection's error has `message`
 * set to one of `BoardErrorV1['code']` and `data` to the `BoardErrorV1`. */
export interface BoardHandshakeAuth {
  token: string;
}
