// The live-board contract: the one definition of what travels over the `/board` socket.io namespace
// and what `GET /api/v1/board` returns. The server builds these payloads; the wallboard imports this
// file with `import type` only, so the two can never drift.
//
// Privacy by construction: nothing here can carry a patient's name, phone, email or a free-text note.
// Leads appear as counts, channels, marketing source names and enum reasons; staff by display name.
//
// Versioning: a change to a payload's shape adds a V2 type and event, it never edits V1 in place.

import type { BoardThresholds, Channel, NotBookedReason } from '../domain/domain.constants.js';

export const BOARD_NAMESPACE = '/board';

/** Today's board for one practice. "Today" is the practice's calendar day in its own time zone. */
export interface BoardStateV1 {
  practice: { name: string; timeZone: string; currency: string };
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
}

export interface BoardFollowUpsV1 {
  /** Leads waiting for a first contact plus leads whose next cadence step is due now. */
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

export interface BoardCallsV1 {
  /** Inbound calls that started today and have an outcome. */
  inbound: number;
  answered: number;
  missed: number;
  voicemail: number;
  abandoned: number;
  /** Inbound calls still ringing or in queue right now. */
  ringing: number;
  /** (missed + voicemail + abandoned) / inbound; null when no inbound call has ended today. */
  missedRate: number | null;
}

export interface BoardSpeedToLeadV1 {
  /** The channels counted: those where a lead waits for the practice to reach out. */
  channels: Channel[];
  /** First responses made today to leads on those channels (including leads that arrived earlier). */
  responded: number;
  /** Nearest-rank percentiles of the seconds from arrival to first response: times that really happened. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface BoardWaitingV1 {
  /** Open leads (created in the last 7 days) that nobody has contacted yet. */
  count: number;
  /** When the longest-waiting of them arrived (ISO 8601); the TV counts its timer up locally. */
  oldestCreatedAt: string | null;
  /** The next few longest-waiting, oldest first, for a timer list. No patient details. */
  oldest: Array<{ leadId: string; createdAt: string; channel: Channel; source: string }>;
}

export interface BoardBookingsV1 {
  /** Bookings made today, whenever the lead arrived. */
  booked: number;
  /** Sum of the estimated value of today's bookings, in the practice currency. */
  bookedValue: number;
  /** Today's new-patient leads that are already booked. */
  bookedFromTodaysLeads: number;
  /** bookedFromTodaysLeads / today's new-patient leads; null when there are none. */
  conversionRate: number | null;
}

export interface BoardStaffRowV1 {
  staffId: string;
  displayName: string;
  bookings: number;
  /** Leads this person gave the first response to today. */
  leadsHandled: number;
  /** Of the leads handled today, the share booked; null when none handled. */
  conversionRate: number | null;
  medianResponseSeconds: number | null;
}

/** One clock hour of today. On a daylight-saving day there are 23 or 25 of them, labels as on the wall clock. */
export interface BoardHourV1 {
  /** Start of the hour, ISO 8601 UTC. */
  start: string;
  /** Practice-local wall-clock label, `HH:00`. */
  label: string;
  /** Leads created in this hour; null for hours still to come. */
  leads: number | null;
  /** The typical count for this hour on this weekday (recent weeks): low, median, high quantiles. */
  typicalLow: number;
  typicalMedian: number;
  typicalHigh: number;
}

export type BoardActivityKindV1 =
  | 'lead_created'
  | 'lead_responded'
  | 'lead_booked'
  | 'lead_not_booked'
  | 'call_answered'
  | 'call_missed'
  | 'call_voicemail'
  | 'call_abandoned';

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
