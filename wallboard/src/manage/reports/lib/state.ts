// The reports page's state lives in the URL's query string, so a link is shareable and a reload keeps the
// view and the filters: `?view=funnel&range=last30&channel=web_form&by=source`. A preset range is stored
// as its name (a "last 30 days" link stays the last 30 days); a custom one as `from` and `to`. This file
// turns the query string into the state and back, and the state into the API's query (the range and the
// segment parameters of server/reports/report-query.ts). Plain functions, tested in
// test/wallboard/reports-state.test.ts.

import { CHANNELS, PATIENT_SEGMENTS, type PatientSegment } from '$contracts/domain/domain';
import { CHANNEL_LABELS } from '../../../lib/labels.js';
import { addDays, daysBetween } from '../../lib/calendar-days.js';
import type { Channel, FunnelDimension, FunnelInterval } from './contracts.js';

export const VIEWS = [
  { id: 'roi', label: 'Marketing ROI', endpoint: 'marketing-roi' },
  { id: 'funnel', label: 'Conversion funnel', endpoint: 'funnel' },
  { id: 'lost', label: 'Lost opportunities', endpoint: 'lost-opportunities' },
  { id: 'speed', label: 'Speed-to-lead', endpoint: 'speed-to-lead' },
  { id: 'missed', label: 'Missed calls', endpoint: 'missed-calls' },
  { id: 'staff', label: 'Staff performance', endpoint: 'staff-performance' },
  { id: 'growth', label: 'Growth', endpoint: 'growth' },
  { id: 'goals', label: 'Goals', endpoint: 'goals' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export const RANGE_PRESETS = [
  { id: 'last30', label: 'Last 30 days' },
  { id: 'last90', label: 'Last 90 days' },
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'this-year', label: 'This year' },
  { id: 'last12', label: 'Last 12 months' },
  { id: 'custom', label: 'Custom' },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

/** `web_form` → `Web form`; 'all' → `All channels`; anything unknown as it is. */
export function channelLabel(channel: string): string {
  if (channel === 'all' || channel === 'total') return 'All channels';
  return (CHANNEL_LABELS as Record<string, string>)[channel] ?? channel;
}

export type PatientFilter = PatientSegment;
export const PATIENT_LABELS: Record<PatientFilter, string> = { all: 'All patients', new: 'New patients', existing: 'Existing patients' };

export const FUNNEL_DIMENSIONS: ReadonlyArray<{ id: FunnelDimension; label: string }> = [
  { id: 'channel', label: 'Channel' },
  { id: 'source', label: 'Source' },
  { id: 'campaign', label: 'Campaign' },
  { id: 'staff', label: 'Staff member' },
  { id: 'treatment', label: 'Treatment' },
  { id: 'patient', label: 'New / existing' },
];
export const INTERVALS: ReadonlyArray<{ id: FunnelInterval; label: string }> = [
  { id: 'week', label: 'Weekly' },
  { id: 'month', label: 'Monthly' },
];

export interface Segment {
  channel: Channel | null;
  sourceId: string | null;
  campaignId: string | null;
  staffId: string | null;
  treatment: string | null;
  patient: PatientFilter;
}

export interface ReportState {
  view: ViewId;
  range: RangePreset;
  /** Practice-local days YYYY-MM-DD, inclusive: the preset's days, or the custom range. */
  from: string;
  to: string;
  segment: Segment;
  /** Funnel: the segment rows' dimension; the trend's period (also the growth view's). */
  by: FunnelDimension;
  interval: FunnelInterval;
  /** Growth: the bridge's base period, the period just before the range or the same dates a year earlier. */
  compare: 'previous' | 'year';
  /** A table's sort, `column` or `-column` (descending); null: the API's order. */
  sort: string | null;
}

export const EMPTY_SEGMENT: Segment = { channel: null, sourceId: null, campaignId: null, staffId: null, treatment: null, patient: 'all' };

/** The server's limit (report-query.ts MAX_REPORT_DAYS): a range spans fewer days than this. */
export const MAX_RANGE_DAYS = 5 * 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT = /^-?[A-Za-z][A-Za-z0-9]{0,40}$/;

/** A real calendar day from 2000 on (what the API accepts). */
export function isDay(text: string | null | undefined): text is string {
  if (!text || !DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text && text >= '2000-01-01';
}

/** The first day of the month `n` months from the month of `day`. */
function monthStart(day: string, n = 0): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

/**
 * The days of a preset, counted back from `today` (practice-local), today included:
 * last30 → the 30 days ending today; last90 → 90 days (the API's default range); this-month → the 1st to
 * today; last-month → the whole previous calendar month; this-year → 1 January to today; last12 → the 12
 * calendar months ending with this one, i.e. from the 1st of the month 11 months back to today.
 * 'custom' has no days of its own: it answers last90's.
 */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'this-month':
      return { from: monthStart(today), to: today };
    case 'last-month':
      return { from: monthStart(today, -1), to: addDays(monthStart(today), -1) };
    case 'this-year':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'last12':
      return { from: monthStart(today, -11), to: today };
    case 'last90':
    case 'custom':
      return { from: addDays(today, -89), to: today };
  }
}

/** Why a custom range is refused, or null when the API will take it. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from)) return 'The first day is not a date (YYYY-MM-DD).';
  if (!isDay(to)) return 'The last day is not a date (YYYY-MM-DD).';
  if (to < from) return 'The last day is before the first day.';
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) return `A range covers at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/**
 * The state a query string asks for. Anything unknown or malformed falls back to its default (view roi,
 * range last90, all segments), so an old or hand-edited link still opens a page. A custom range that the
 * API would refuse falls back to last90.
 */
export function parseState(search: string, today: string): ReportState {
  const params = new URLSearchParams(search);
  const get = (name: string): string | null => {
    const value = params.get(name)?.trim();
    return value ? value : null;
  };
  const view = oneOf(
    get('view'),
    VIEWS.map((v) => v.id),
    'roi',
  );
  let range = oneOf(
    get('range'),
    RANGE_PRESETS.map((r) => r.id),
    'last90',
  );
  const customFrom = get('from');
  const customTo = get('to');
  // A link with from and to but no range is a custom range.
  if (get('range') === null && customFrom && customTo) range = 'custom';
  let days = presetRange(range, today);
  if (range === 'custom') {
    if (customFrom && customTo && rangeProblem(customFrom, customTo) === null) days = { from: customFrom, to: customTo };
    else range = 'last90';
  }
  const uuid = (name: string) => {
    const value = get(name);
    return value && UUID.test(value) ? value.toLowerCase() : null;
  };
  const sourceId = uuid('sourceId');
  const treatment = get('treatment');
  const sort = get('sort');
  return {
    view,
    range,
    ...days,
    segment: {
      channel: oneOf<Channel | 'any'>(get('channel'), CHANNELS, 'any') === 'any' ? null : (get('channel') as Channel),
      sourceId,
      // A campaign belongs to a source: without the source, the campaign filter goes too.
      campaignId: sourceId ? uuid('campaignId') : null,
      staffId: uuid('staffId'),
      treatment: treatment && treatment.length <= 100 ? treatment : null,
      patient: oneOf<PatientFilter>(get('patient'), PATIENT_SEGMENTS, defaultPatient(view)),
    },
    by: oneOf(
      get('by'),
      FUNNEL_DIMENSIONS.map((d) => d.id),
      'channel',
    ),
    interval: oneOf(
      get('interval'),
      INTERVALS.map((i) => i.id),
      'week',
    ),
    compare: oneOf(get('compare'), ['previous', 'year'] as const, 'previous'),
    sort: sort && SORT.test(sort) ? sort : null,
  };
}

/** Which patients a view shows unless asked otherwise: Marketing ROI is about acquisition, so new
 * patients (as the API's own default for it); every other view, all. */
export function defaultPatient(view: ReportState['view']): PatientFilter {
  return view === 'roi' ? 'new' : 'all';
}

/** The segment parameters the API takes (report-query.ts), empty filters left out. `patient` is left
 * out only when it is `omitPatient` (the page URL's default); the API always gets it, so the figures
 * are for the patients the filter bar names whatever a view's server-side default is. */
function segmentParams(segment: Segment, params: URLSearchParams, omitPatient: PatientFilter | null = null): void {
  if (segment.channel) params.set('channel', segment.channel);
  if (segment.sourceId) params.set('sourceId', segment.sourceId);
  if (segment.sourceId && segment.campaignId) params.set('campaignId', segment.campaignId);
  if (segment.staffId) params.set('staffId', segment.staffId);
  if (segment.treatment) params.set('treatment', segment.treatment);
  if (segment.patient !== omitPatient) params.set('patient', segment.patient);
}

/** The page's query string for a state (defaults left out, so links stay short); parseState's inverse. */
export function stateToSearch(state: ReportState): string {
  const params = new URLSearchParams();
  params.set('view', state.view);
  if (state.range === 'custom') {
    params.set('from', state.from);
    params.set('to', state.to);
  } else if (state.range !== 'last90') {
    params.set('range', state.range);
  }
  segmentParams(state.segment, params, defaultPatient(state.view));
  if (state.by !== 'channel') params.set('by', state.by);
  if (state.interval !== 'week') params.set('interval', state.interval);
  if (state.compare !== 'previous') params.set('compare', state.compare);
  if (state.sort) params.set('sort', state.sort);
  return params.toString();
}

/** The API query of a view: the range (always explicit, so the JSON, the CSV and the page agree on the
 * days), the segment, then the view's own parameters. */
export function reportQuery(
  state: Pick<ReportState, 'from' | 'to' | 'segment'>,
  extra: Record<string, string | number | boolean | null | undefined> = {},
): string {
  const params = new URLSearchParams();
  params.set('from', state.from);
  params.set('to', state.to);
  segmentParams(state.segment, params);
  for (const [name, value] of Object.entries(extra)) if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  return params.toString();
}

/** `/api/v1/reports/<endpoint>?<query>` and its CSV twin `/api/v1/reports/<endpoint>.csv?<query>`. */
export function reportPaths(endpoint: string, query: string): { json: string; csv: string } {
  return { json: `/api/v1/reports/${endpoint}?${query}`, csv: `/api/v1/reports/${endpoint}.csv?${query}` };
}

/** The state with a new preset (its days recomputed from `today`). */
export function withPreset(state: ReportState, preset: RangePreset, today: string): ReportState {
  if (preset === 'custom') return { ...state, range: 'custom' };
  return { ...state, range: preset, ...presetRange(preset, today) };
}

/** How many segment filters are set (for "Clear filters"): a patient filter other than the view's default counts. */
export function activeFilters(segment: Segment, view: ReportState['view']): number {
  return (
    Number(segment.channel !== null) +
    Number(segment.sourceId !== null) +
    Number(segment.campaignId !== null) +
    Number(segment.staffId !== null) +
    Number(segment.treatment !== null) +
    Number(segment.patient !== defaultPatient(view))
  );
}

/** Today's date (YYYY-MM-DD) in a time zone; the browser's own when the zone is unknown or invalid. */
export function todayIn(timeZone: string | null, now: Date = new Date()): string {
  try {
    if (timeZone) return now.toLocaleDateString('en-CA', { timeZone });
  } catch {
    /* not an IANA zone */
  }
  return now.toLocaleDateString('en-CA');
}
