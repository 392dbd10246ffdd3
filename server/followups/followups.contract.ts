// The follow-up API's answers, as types: the server builds them, the /manage/follow-ups page imports
// them (types only), so the two cannot drift. The due-time rule itself (cadence.ts) stays on the
// server: every item carries its due time already computed (`dueAt`, `overdueSeconds`).

import type { CadenceStepKind, Channel, FollowUpKind, LeadStatus, NotBookedReason } from '../domain/domain.contract.js';

/** When a cadence step falls due (the rules are explained in server/followups/cadence.ts). */
export type CadenceAfter = { minutes: number } | { nextOpeningMorning: true } | { days: number };

export interface CadenceStep {
  kind: CadenceStepKind;
  after: CadenceAfter;
}

/** An ordered list of steps and a cap: step i is the (i+1)-th attempt at reaching a lead. */
export interface Cadence {
  steps: CadenceStep[];
  /** Attempts after which the cadence stops, whatever steps remain. */
  maxAttempts: number;
}

/** Patient details (PHI): only in the queue, only for front desk, managers and admins; each view is logged. */
export interface FollowUpPatientV1 {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface FollowUpItemV1 {
  kind: FollowUpKind;
  /** The lead to work; null for a missed call from a caller with no lead. */
  leadId: string | null;
  /** The missed call (kind missed_call); null for lead items. */
  callId: string | null;
  /** The lead's channel; 'phone' for a missed call. */
  channel: Channel;
  source: string | null;
  treatment: string | null;
  /** When the lead arrived or the call started. */
  createdAt: string;
  /** When the next attempt is (was) due; for first_contact and missed_call, the arrival itself. Null for lost_lead. */
  dueAt: string | null;
  /** first_contact and missed_call: seconds since arrival (the client keeps ticking from createdAt). */
  waitingSeconds: number | null;
  /** next_attempt: seconds past dueAt. */
  overdueSeconds: number | null;
  /** Attempts so far (a first response without a logged attempt counts as one). */
  attempts: number;
  lastAttemptAt: string | null;
  /** What to do next: the cadence step's kind; 'call' for a missed call; null for lost_lead. */
  nextStep: CadenceStepKind | null;
  /** 1-based number of that step in the cadence; null when not from a cadence. */
  stepNumber: number | null;
  status: LeadStatus | null;
  /** lost_lead: the reason a campaign can address. */
  notBookedReason: NotBookedReason | null;
  /** lost_lead: when it was marked not booked. */
  lostAt: string | null;
  /** missed_call: missed, voicemail or abandoned; after hours or not. */
  callStatus: 'missed' | 'voicemail' | 'abandoned' | null;
  afterHours: boolean | null;
  /** Lead items: this lead's missed inbound calls still without a callback (listed here, not as items of their own). */
  missedCallIds: string[];
  /** Lead items: later contacts from the same person (same phone or email), merged into this lead as touches. */
  repeatContacts: number;
  patient: FollowUpPatientV1 | null;
}

export interface FollowUpQueueV1 {
  generatedAt: string;
  /** The practice's IANA time zone, for clock times on the page (added later: optional). */
  timeZone?: string;
  /** Leads created and calls started within this many days are considered. */
  windowDays: number;
  /** At most this many items are returned; `truncated` says when more were due. */
  limit: number;
  truncated: boolean;
  /** Per kind, before the limit. */
  counts: Record<FollowUpKind, number>;
  items: FollowUpItemV1[];
  /** Active staff, for "who made the attempt". */
  staff: Array<{ id: string; displayName: string }>;
  /** Whether this answer's patient details were written to the PHI access log. */
  phiAccessLogged: boolean;
}

export interface CadenceViewV1 extends Cadence {
  /** 'built_in': the default nobody configured; 'practice': the practice's default; 'channel': an override. */
  origin: 'built_in' | 'practice' | 'channel';
}

export interface CadencesV1 {
  default: CadenceViewV1;
  /** The cadence each channel follows (its override, or the default). */
  channels: Record<Channel, CadenceViewV1>;
}

export interface AttemptResultV1 {
  leadId: string;
  /** false: an attempt with this eventId was already recorded; nothing changed. */
  created: boolean;
  status: LeadStatus;
  firstResponseAt: string | null;
  attempts: number;
  next: { dueAt: string; kind: CadenceStepKind; stepNumber: number } | null;
}

export interface DoNotContactResultV1 {
  leadId: string;
  doNotContactAt: string | null;
  /** false: it was already in that state. */
  changed: boolean;
}

export interface CalledBackResultV1 {
  callId: string;
  callbackAt: string;
  /** false: the call already had a callback; nothing changed. */
  changed: boolean;
}

export interface FollowUpCountsV1 {
  /** Leads waiting for a first contact + leads whose next attempt is due, as the queue counts them. */
  followUpsDue: number;
  /** Today's (practice-local) missed inbound new-patient calls with no callback yet. */
  missedCallsNoCallback: number;
}
