// The response types of the four operational analytics views of issue #4: conversion funnel,
// speed-to-lead, missed calls and staff performance. Types only: the wallboard's pages import this file
// with `import type`, so the server and the pages can never drift.
//
// Conventions (shared with the Marketing ROI report, see report-query.ts and report.contract.ts):
// - Every response echoes the practice-local range (`from`, `to`, inclusive), the practice's `timeZone`,
//   its `currency` where money appears, and the `segment` it was filtered by.
// - A lead is in the range when its created_at falls on a practice-local day from `from` to `to`; a call
//   when its started_at does. Merged leads are never counted.
// - Every rate is 4 decimals (0.3333), null when its denominator is 0, and has a `...Sample` flag beside
//   it: 'none' (denominator 0), 'small' (under 10), 'ok'. Pages label null and 'small' rather than show
//   0% or 100%.
// - Money is to cents. Ratios are derived from the rounded numbers that are shown.
// - Durations are whole seconds.
// - The CSV export of each view carries the very same numbers, one row per JSON row, nulls as empty cells.

import type { NotBookedReason, PatientSegment } from '../domain/domain.contract.js';
import type { Sample, SegmentView } from './report.contract.js';

export type { Sample, SegmentView };

/** The query parameters every view takes (all optional; see report-query.ts). Dates are YYYY-MM-DD,
 * practice-local, inclusive; `to` defaults to today, `from` to 89 days before `to`. */
export interface ReportParams {
  from?: string;
  to?: string;
  channel?: string;
  sourceId?: string;
  campaignId?: string;
  staffId?: string;
  treatment?: string;
  patient?: PatientSegment;
}

// ---------------------------------------------------------------------------------------------------
// 1. Conversion funnel: GET /api/v1/reports/funnel (and funnel.csv)
// ---------------------------------------------------------------------------------------------------

/** What the segment rows of the funnel are grouped by (query param `by`, default channel). */
export type FunnelDimension = 'channel' | 'source' | 'campaign' | 'staff' | 'treatment' | 'patient';
/** The trend's period (query param `interval`, default week). Weeks are ISO weeks, Monday to Sunday, practice-local. */
export type FunnelInterval = 'week' | 'month';

/** GET /api/v1/reports/funnel(.csv) query parameters. */
export interface FunnelParams extends ReportParams {
  by?: FunnelDimension;
  interval?: FunnelInterval;
}

/** The funnel's counts and rates over a set of leads. leads = booked + notBooked + open. */
export interface FunnelCounts {
  leads: number;
  /** Leads with a first response (first_response_at set), whatever their status now. */
  contacted: number;
  /** Leads whose status is booked. */
  booked: number;
  /** Leads whose status is not_booked (lost). */
  notBooked: number;
  /** Leads still open: status open or contacted (neither booked nor lost yet). */
  open: number;
  /** contacted / leads. */
  contactRate: number | null;
  contactRateSample: Sample;
  /** booked / leads (the conversion rate). */
  bookingRate: number | null;
  bookingRateSample: Sample;
  /** booked / contacted. A booked lead with no first response recorded (a walk-in booked on the spot)
   * counts as booked all the same, so in rare cases this can exceed 1. */
  contactedBookingRate: number | null;
  contactedBookingRateSample: Sample;
}

export interface FunnelSegmentRow extends FunnelCounts {
  /** The group's id or value: a channel, source id, campaign id, staff id, lower-cased treatment,
   * 'new' / 'existing'; null for "(no source)", "(no campaign)", "(unassigned)", "(no treatment)". */
  key: string | null;
  /** What a person reads: the channel, source or campaign name, staff display name, treatment, "New patients". */
  label: string;
}

export interface FunnelPeriodRow extends FunnelCounts {
  /** '2026-W10' (ISO week-year and week) or '2026-03'. */
  period: string;
  /** First and last day of the period inside the range (practice-local, YYYY-MM-DD). */
  start: string;
  end: string;
  /** true when the range cuts the period (the first or last week or month of the range). */
  partial: boolean;
}

export interface FunnelReport {
  from: string;
  to: string;
  timeZone: string;
  segment: SegmentView;
  by: FunnelDimension;
  interval: FunnelInterval;
  totals: FunnelCounts;
  /** One row per value of `by` that has leads in the range, biggest first (the "no ..." row last). */
  rows: FunnelSegmentRow[];
  /** Every period the range touches, oldest first; a period without leads has 0 leads and null rates. */
  trend: FunnelPeriodRow[];
}

// ---------------------------------------------------------------------------------------------------
// 2. Speed-to-lead: GET /api/v1/reports/speed-to-lead (and speed-to-lead.csv)
// ---------------------------------------------------------------------------------------------------

/** Response-time bands, half-open: under-1m is [0 s, 60 s), 1-5m [60 s, 300 s), 5-30m [300 s, 1800 s),
 * 30-60m [1800 s, 3600 s), 1-4h [3600 s, 14400 s), over-4h [14400 s, ...), never: no first response (yet). */
export type ResponseBand = 'under-1m' | '1-5m' | '5-30m' | '30-60m' | '1-4h' | 'over-4h' | 'never';

export interface SpeedByChannelRow {
  /** A channel, or 'all' for the totals row. */
  channel: string;
  leads: number;
  responded: number;
  /** Leads with no first response (yet). */
  neverResponded: number;
  /** Median and 90th percentile of the first-response time of the responded leads (continuous
   * percentiles, whole seconds); null when none responded. */
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Leads answered in under 5 minutes (response time < 300 s). */
  within5Min: number;
  /** within5Min / leads (a lead never answered is not answered within 5 minutes). */
  within5MinRate: number | null;
  within5MinSample: Sample;
}

export interface ResponseBandRow {
  band: ResponseBand;
  /** 'Under 1 min', '1-5 min', ... 'Never'. */
  label: string;
  /** Band edges in seconds: [minSeconds, maxSeconds); both null for 'never', maxSeconds null for 'over-4h'. */
  minSeconds: number | null;
  maxSeconds: number | null;
  leads: number;
  booked: number;
  /** booked / leads. */
  bookingRate: number | null;
  sample: Sample;
}

/** "The revenue that slow responses cost". */
export interface SlowResponseCost {
  /** How it is worked out, in one sentence (also shown on the page). */
  method: string;
  /** Not additive with lost opportunities (it overlaps them): said in every response (README glossary). */
  additivity: string;
  /** Leads answered in under 5 minutes, their bookings and booking rate. */
  fastLeads: number;
  fastBooked: number;
  fastBookingRate: number | null;
  fastSample: Sample;
  /** Leads answered in 5 minutes or more, or never, and their bookings. */
  slowLeads: number;
  slowBooked: number;
  slowBookingRate: number | null;
  slowSample: Sample;
  /** slowLeads x fastBookingRate - slowBooked, 2 decimals (never below 0); null when the fast sample is not 'ok'. */
  missedBookings: number | null;
  /** Average estimated value of the booked leads in the range; null when none has one. */
  averageBookedValue: number | null;
  /** missedBookings x averageBookedValue, to cents; null when either is null. */
  revenueLost: number | null;
}

export interface SpeedToLeadReport {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  segment: SegmentView;
  /** The channels this view covers: those where the lead waits for the practice to reach out (the live
   * board's speed-to-lead channels). Phone leads are answered live (see the missed-calls view) and
   * walk-ins are in the room, so they are left out (and `channel=phone` or `walk_in` is a 400). */
  channels: string[];
  /** One row per covered channel that has leads, then the 'all' row. */
  byChannel: SpeedByChannelRow[];
  totals: SpeedByChannelRow;
  /** The seven bands, always all of them, in order. */
  bands: ResponseBandRow[];
  slowResponseCost: SlowResponseCost;
}

// ---------------------------------------------------------------------------------------------------
// 3. Missed calls: GET /api/v1/reports/missed-calls (and missed-calls.csv)
// ---------------------------------------------------------------------------------------------------

/** Inbound calls that ended (ringing calls are left out), the missed ones (missed, voicemail, abandoned). */
export interface CallCounts {
  calls: number;
  missed: number;
  /** missed / calls. */
  missedRate: number | null;
  sample: Sample;
}

export interface HeatmapCell extends CallCounts {
  /** Practice-local ISO weekday, 1 = Monday .. 7 = Sunday. */
  weekday: number;
  /** Practice-local hour, 0..23. */
  hour: number;
}

export interface MissedCallRevenue {
  method: string;
  /** Which revenue-lost figures may be added together, and which may not (README glossary). */
  additivity: string;
  /** Missed inbound calls flagged as from a new patient:
   * = laterBooked + calledBack + lostToReason + unrecoveredCalls (one outcome each, in that order). */
  missedNewPatientCalls: number;
  /** Of them, the caller booked (a lead of theirs is booked): not lost. */
  laterBooked: number;
  /** Not booked, but called back: not counted as lost here. */
  calledBack: number;
  /** Not booked, not called back, and their lead was marked not booked: counted in lost opportunities. */
  lostToReason: number;
  /** The rest: the calls priced below. */
  unrecoveredCalls: number;
  /** NEW-PATIENT phone leads in the range and how many are booked. */
  phoneLeads: number;
  phoneBooked: number;
  /** phoneBooked / phoneLeads. */
  phoneBookingRate: number | null;
  phoneBookingRateSample: Sample;
  /** Average estimated value of the booked new-patient phone leads; null when none has one. */
  averageBookedValue: number | null;
  /** unrecoveredCalls x phoneBookingRate, 2 decimals; null when the rate is null. */
  expectedBookingsLost: number | null;
  /** expectedBookingsLost x averageBookedValue, to cents; null when either is null. */
  estimatedRevenueLost: number | null;
}

export interface CallbackStats {
  /** Missed inbound calls in the range. */
  missed: number;
  /** Of them, called back (callback_at set), and never called back (yet). */
  calledBack: number;
  neverCalledBack: number;
  /** calledBack / missed. */
  calledBackRate: number | null;
  calledBackSample: Sample;
  /** Time from the start of the missed call to the call back, of the called-back ones (whole seconds). */
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Called back in under 15 minutes (< 900 s), under 1 hour (< 3600 s), and on the same practice-local
   * day as the missed call; each rate is over `missed` (never called back counts against it). */
  within15Min: number;
  within15MinRate: number | null;
  within1Hour: number;
  within1HourRate: number | null;
  sameDay: number;
  sameDayRate: number | null;
  /** Sample of the three rates above (their denominator is `missed`). */
  sample: Sample;
}

export interface MissedCallsReport {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  segment: SegmentView;
  totals: CallCounts;
  // Segments: staffId (the call's staff member), patient (call.is_new_patient) and channel=phone apply;
  // sourceId, campaignId, treatment and any other channel are a 400 (a call carries none of them).
  /** During opening hours vs after hours (as the phone system / ingest flagged each call). */
  duringHours: CallCounts;
  afterHours: CallCounts;
  /** All 168 cells, weekday 1..7 then hour 0..23; cells without calls have 0 calls and a null rate. */
  heatmap: HeatmapCell[];
  revenueLost: MissedCallRevenue;
  callbacks: CallbackStats;
}

// ---------------------------------------------------------------------------------------------------
// 4. Staff performance: GET /api/v1/reports/staff-performance (and staff-performance.csv)
// ---------------------------------------------------------------------------------------------------

export type ReasonCounts = Record<NotBookedReason, number>;

export interface StaffTrendPoint {
  /** 'YYYY-MM', every month the range touches. */
  month: string;
  leads: number;
  booked: number;
  conversion: number | null;
  sample: Sample;
}

export interface StaffRow {
  /** null for the "(unassigned)" row: leads nobody responded to and nobody was assigned. */
  staffId: string | null;
  /** Display name (as the board shows it), or "(unassigned)". */
  displayName: string;
  /** Leads handled: first responder, else the assigned staff member. */
  leads: number;
  contacted: number;
  booked: number;
  notBooked: number;
  /** booked / leads. */
  conversion: number | null;
  sample: Sample;
  /** Median first-response time of the handled leads that got a response (whole seconds). */
  medianResponseSeconds: number | null;
  /** Lost leads per reason (all six reasons, 0 when none). */
  reasons: ReasonCounts;
  /** Conversion per month. */
  trend: StaffTrendPoint[];
}

export interface StaffPerformanceReport {
  from: string;
  to: string;
  timeZone: string;
  segment: SegmentView;
  /** The months of the trend, oldest first. */
  months: string[];
  /** Staff with leads in the range by display name, "(unassigned)" last. */
  rows: StaffRow[];
  /** All leads of the range (the sum of the rows). */
  totals: Omit<StaffRow, 'staffId' | 'displayName'> & { staffId: null; displayName: 'Total' };
}
