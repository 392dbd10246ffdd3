// The domain's closed vocabularies. One list each, used by the database checks, the API
// validation, the other contracts, the wallboard and the simulator, so they can never disagree.
//
// The one contract file that exports values: `as const` lists (their union types derived from them),
// a few defaults and the board's socket namespace, all plain data. It imports nothing, so the
// wallboard's bundle can take it whole. Every other *.contract.ts file is types only and imports
// nothing but other contracts (with `import type`).

export const CHANNELS = ['phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels where "speed to lead" means something: the lead waits for the practice to reach out.
 * Phone leads are answered live (a missed call is tracked as a missed call) and walk-ins are in the room. */
export const SPEED_TO_LEAD_CHANNELS: readonly Channel[] = ['web_form', 'chat', 'social', 'referral', 'email', 'other'];

export const LEAD_STATUSES = ['open', 'contacted', 'booked', 'not_booked'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const NOT_BOOKED_REASONS = ['price', 'scheduling', 'insurance_out_of_network', 'treatment_not_offered', 'no_response', 'other'] as const;
export type NotBookedReason = (typeof NOT_BOOKED_REASONS)[number];

/** `ringing` is a call still in progress; the other four are outcomes. */
export const CALL_STATUSES = ['ringing', 'answered', 'missed', 'voicemail', 'abandoned'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CONTACT_KINDS = ['call', 'text', 'email', 'chat'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'left_message', 'sent', 'failed'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** How a first response reached the lead: a contact kind, or in person. */
export const RESPONSE_VIA = [...CONTACT_KINDS, 'in_person'] as const;
export type ResponseVia = (typeof RESPONSE_VIA)[number];

/** What a follow-up queue item asks for, in the queue's order. */
export const FOLLOW_UP_KINDS = ['first_contact', 'next_attempt', 'missed_call', 'lost_lead'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** What a step of a follow-up cadence asks the front desk to do. */
export const CADENCE_STEP_KINDS = ['call', 'text', 'email'] as const;
export type CadenceStepKind = (typeof CADENCE_STEP_KINDS)[number];

/** A cadence is set for the practice as a whole ('default') or overrides it for one channel. */
export const CADENCE_TARGETS = ['default', ...CHANNELS] as const;
export type CadenceTarget = (typeof CADENCE_TARGETS)[number];

/** The reports' patient segment: every lead, new patients only, or existing patients only. */
export const PATIENT_SEGMENTS = ['all', 'new', 'existing'] as const;
export type PatientSegment = (typeof PATIENT_SEGMENTS)[number];

/** Who signs in to the web pages. admin: users, keys, displays, settings; manager: reports, spend,
 * goals, staff; front_desk: the follow-up queue (with patient details), nothing else. */
export const USER_ROLES = ['admin', 'manager', 'front_desk'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const STAFF_ROLES = ['front_desk', 'treatment_coordinator', 'manager', 'clinician', 'other'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const GOAL_METRICS = ['leads', 'bookings', 'revenue'] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours per weekday, practice-local "HH:mm" pairs; a missing or empty day is closed. */
export type OpeningHours = Partial<Record<Weekday, Array<[open: string, close: string]>>>;

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  mon: [['08:00', '18:00']],
  tue: [['08:00', '18:00']],
  wed: [['08:00', '18:00']],
  thu: [['08:00', '18:00']],
  fri: [['08:00', '17:00']],
  sat: [['09:00', '13:00']],
};

/** Colour thresholds for the TV, set per practice. */
export interface BoardThresholds {
  waitingAmberSeconds: number;
  waitingRedSeconds: number;
  missedRateAmber: number;
  missedRateRed: number;
}
export const DEFAULT_BOARD_THRESHOLDS: BoardThresholds = {
  waitingAmberSeconds: 5 * 60,
  waitingRedSeconds: 15 * 60,
  missedRateAmber: 0.1,
  missedRateRed: 0.2,
};

/** The socket.io namespace the TVs connect to (the payloads are in server/live/board.contract.ts). */
export const BOARD_NAMESPACE = '/board';
