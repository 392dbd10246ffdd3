// Response shapes of the outcome views of issue #4: lost opportunities (and the price-objection list),
// growth (trends, year over year, seasonality, the growth bridge), goals, and actual-value entry.
// The one definition the server builds and the manager pages read (`import type` there), so the two
// never drift. Types only: nothing a browser build could not take.
//
// Conventions shared with every report (see report-query.ts): money in the practice's currency rounded
// to cents, rates to 4 decimals and null when their denominator is 0, `sample` saying how many leads a
// rate rests on ('none' | 'small' under 10 | 'ok'). Dates are practice-local YYYY-MM-DD, months YYYY-MM.

import type { GoalMetric, NotBookedReason } from '../domain/domain.contract.js';
import type { Sample, SegmentView } from './report.contract.js';

export type { GoalMetric, NotBookedReason };

/** What every view echoes: the range it covers, in whose time zone, and the segment. */
export interface OutcomeReportBase {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  segment: SegmentView;
}

// ---------------------------------------------------------------------------------------------------
// Lost opportunities: GET /api/v1/reports/lost-opportunities (+ .csv)
// ---------------------------------------------------------------------------------------------------

/** How many lost leads had their lost value from each basis (see LostOpportunitiesReport.valueBasis). */
export interface LostValueBasisCounts {
  /** The lead's own estimated_value. */
  estimated: number;
  /** No estimate: the average booked value of the same treatment in the range. */
  treatmentAverage: number;
  /** Neither: the practice's average booked value in the range. */
  practiceAverage: number;
  /** Nothing to go on (no booked lead with a value in the range): counted as 0. */
  none: number;
}

export interface LostReasonRow {
  reason: NotBookedReason;
  /** Leads created in the range, status not_booked with this reason. */
  leads: number;
  /** leads / all lost leads; null when nothing was lost. */
  share: number | null;
  estimatedRevenueLost: number;
  basis: LostValueBasisCounts;
}

/** One staff member (who handled the lead: first responder, else assigned) or one treatment. */
export interface LostGroupRow {
  /** Staff id, or the treatment as lower-cased key; null for "(nobody)" / "(no treatment)". */
  key: string | null;
  name: string;
  /** All leads of this group created in the range (lost or not). */
  leads: number;
  lostLeads: number;
  /** lostLeads / leads. */
  lostRate: number | null;
  sample: Sample;
  estimatedRevenueLost: number;
  /** Lost leads per reason (every reason present, 0 when none). */
  reasons: Record<NotBookedReason, number>;
}

export interface LostOpportunitiesReport extends OutcomeReportBase {
  /** Plain-words statement of how a lost lead's value is estimated. */
  valueBasis: string;
  /** Which revenue-lost figures may be added together (this one and missed calls may; slow replies may not). */
  additivity: string;
  /** All leads created in the range (the segment's). */
  leads: number;
  lostLeads: number;
  lostRate: number | null;
  sample: Sample;
  estimatedRevenueLost: number;
  /** The practice's average booked value in the range (the last fallback); null without booked values. */
  practiceAverageBookedValue: number | null;
  basis: LostValueBasisCounts;
  /** The six reasons, always all of them, in the order of NotBookedReason. */
  reasons: LostReasonRow[];
  /** Most revenue lost first. */
  byStaff: LostGroupRow[];
  byTreatment: LostGroupRow[];
}

// GET /api/v1/reports/lost-opportunities/price-objections (+ .csv)

/** Patient details: only with includeContacts=true, and every such answer is in phi_access_log. */
export interface LostLeadContact {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface LostLeadRow {
  leadId: string;
  externalId: string | null;
  /** Practice-local creation date. */
  createdDate: string;
  channel: string;
  sourceName: string | null;
  campaignName: string | null;
  treatment: string | null;
  estimatedValue: number | null;
  reason: NotBookedReason;
  /** Who handled it (display name). */
  staffName: string | null;
  /** The person asked not to be contacted: never include them in a promotion (their contact stays null). */
  doNotContact: boolean;
  /** null unless includeContacts=true (and always null when doNotContact). */
  contact: LostLeadContact | null;
}

export interface LostLeadListReport extends OutcomeReportBase {
  reason: NotBookedReason;
  includeContacts: boolean;
  /** true when this answer was written to phi_access_log (exactly when includeContacts). */
  accessLogged: boolean;
  count: number;
  /** More leads matched than `limit`; the list holds the newest `limit`. */
  truncated: boolean;
  leads: LostLeadRow[];
}

// ---------------------------------------------------------------------------------------------------
// Growth: GET /api/v1/reports/growth (+ .csv)
// ---------------------------------------------------------------------------------------------------

export interface GrowthTrendPoint {
  /** 'YYYY-MM' for months; the ISO week's Monday 'YYYY-MM-DD' for weeks. */
  period: string;
  /** The days of the period inside the range (first and last periods may be partial). */
  start: string;
  end: string;
  days: number;
  leads: number;
  /** Leads created in the period that are booked. */
  bookings: number;
  conversion: number | null;
  sample: Sample;
  /** Sum of estimated_value of those booked leads. */
  bookedRevenue: number;
}

export interface YearOverYearMetric {
  current: number | null;
  previous: number | null;
  /** current - previous (null when either is null). */
  change: number | null;
  /** change / previous; null when previous is 0 or null. */
  changeRate: number | null;
}

export interface YearOverYear {
  current: { from: string; to: string };
  previous: { from: string; to: string };
  leads: YearOverYearMetric;
  bookings: YearOverYearMetric;
  conversion: YearOverYearMetric;
  bookedRevenue: YearOverYearMetric;
  sample: { current: Sample; previous: Sample };
}

export interface SeasonalityMonth {
  /** 1-12. */
  month: number;
  name: string;
  /** How many complete calendar months of history back the average. */
  years: number;
  averageLeads: number | null;
  /** averageLeads / the mean of the twelve monthly averages (1 = a typical month); null without data. */
  index: number | null;
}

export interface SeasonalityWeekday {
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  name: string;
  /** How many of this weekday the history covers. */
  weeks: number;
  averageLeads: number | null;
  index: number | null;
}

export interface Seasonality {
  /** The history the averages are taken over (at most 5 years back from `to`). */
  historyFrom: string | null;
  historyTo: string;
  byMonth: SeasonalityMonth[];
  byWeekday: SeasonalityWeekday[];
}

/** The factors of revenue = leads x conversion x average booked value in one period. */
export interface BridgeFactors {
  leads: number;
  bookings: number;
  /** bookings / leads (unrounded in the computation; shown to 4 decimals). null without leads. */
  conversion: number | null;
  /** revenue / bookings, shown to cents; null without bookings. */
  averageValue: number | null;
  revenue: number;
}

export interface BridgeRow {
  /** A channel, or 'total' (the sum of the channel rows). */
  channel: string;
  base: BridgeFactors;
  current: BridgeFactors;
  /** current.revenue - base.revenue, exactly. */
  change: number;
  volumeEffect: number;
  conversionEffect: number;
  valueEffect: number;
  /** Cents moved by rounding so that the three effects add up to `change` exactly (into the largest effect). */
  roundingAdjustment: number;
}

export interface GrowthBridge {
  /** How the change is split (Shapley), in plain words. */
  method: string;
  compare: 'previous' | 'year' | 'custom';
  base: { from: string; to: string };
  current: { from: string; to: string };
  /** One row per channel with leads in either period, sorted by channel. */
  channels: BridgeRow[];
  total: BridgeRow;
}

export interface GrowthReport extends OutcomeReportBase {
  weekly: GrowthTrendPoint[];
  monthly: GrowthTrendPoint[];
  yearOverYear: YearOverYear;
  seasonality: Seasonality;
  bridge: GrowthBridge;
}

// ---------------------------------------------------------------------------------------------------
// Goals: PUT /api/v1/goals (target null removes), GET /api/v1/reports/goals (+ .csv)
// ---------------------------------------------------------------------------------------------------

/** The answer of PUT /api/v1/goals (a target of null removes the goal: there is no DELETE route). */
export interface GoalView {
  month: string;
  metric: GoalMetric;
  target: number | null;
}

export interface GoalForecastFinish {
  /** actualBeforeToday + the engine's expected remainder (today to month end). */
  expected: number;
  /** 80% range of the finish; null when the engine gives only a mean (bookings). */
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
  /** expected / target; null without a target (or a target of 0). */
  percentOfTarget: number | null;
}

export interface GoalProgressRow {
  month: string;
  metric: GoalMetric;
  /** past: the month is over; current: it contains today; future: not begun. */
  status: 'past' | 'current' | 'future';
  target: number | null;
  /** Up to now (today included for the current month). */
  actual: number;
  /** actual / target; null without a target (or a target of 0). */
  percentOfTarget: number | null;
  /** Current and future months: the forecast finish; null for past months or when the engine cannot say (see forecastNote). */
  forecast: GoalForecastFinish | null;
  forecastNote: string | null;
}

export interface GoalsReport {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  /** Goals are practice-wide and about new patients: echoed as such. */
  segment: SegmentView;
  /** Today, practice-local. */
  today: string;
  /** What each metric's actual counts, in plain words. */
  definitions: Record<GoalMetric, string>;
  forecastStatus: 'ok' | 'insufficient_history' | 'not_needed';
  forecastMessage: string | null;
  /** Month by month, metrics in the order leads, bookings, revenue. */
  rows: GoalProgressRow[];
}

// ---------------------------------------------------------------------------------------------------
// Actual values: PUT /api/v1/leads/:id/actual-value, POST /api/v1/reports/actual-values/import
// ---------------------------------------------------------------------------------------------------

export interface ActualValueView {
  leadId: string;
  actualValue: number | null;
}

export interface ActualValueImportError {
  /** Line number in the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
}

export interface ActualValueImportReport {
  dryRun: boolean;
  rows: number;
  /** Leads whose actual value was (or, on a dry run, would be) changed. */
  updated: number;
  /** Rows that set the value the lead already had. */
  unchanged: number;
  /** How the lead and the value were read: the CSV column used, or null. */
  columns: { leadId: string | null; externalId: string | null; actualValue: string | null };
  errors: ActualValueImportError[];
}
