// Data shaping of the operational views: conversion funnel, speed-to-lead, missed calls, staff
// performance (server/reports/operations.contract.ts). Columns for the tables, bars and lines for the
// charts, the heatmap grid: every text from format.ts, so the chart, its table and the CSV agree.
// Plain functions, tested in test/wallboard/reports-operations.test.ts.

import { NOT_BOOKED_REASONS } from '$contracts/domain/domain';
import type { HeatGrid } from '../../lib/staffing.js';
import type { Bar, LineSeries } from './charts.js';
import type {
  FunnelCounts,
  FunnelPeriodRow,
  FunnelSegmentRow,
  MissedCallsReport,
  NotBookedReason,
  ResponseBandRow,
  SpeedByChannelRow,
  StaffPerformanceReport,
  StaffRow,
} from './contracts.js';
import { formatCount, formatDay, formatDuration, formatMonth, formatPercent, rateText } from './format.js';
import { channelLabel, type Segment } from './state.js';
import { rateColumn, type Column } from './table.js';

// ---- funnel -------------------------------------------------------------------------------------

/** The funnel's stages as bars: leads, contacted, booked (each with its share of the leads). */
export function funnelStages(totals: FunnelCounts): Bar[] {
  return [
    { key: 'leads', label: 'Leads', value: totals.leads, text: formatCount(totals.leads) },
    {
      key: 'contacted',
      label: 'Contacted',
      value: totals.contacted,
      text: `${formatCount(totals.contacted)} (${rateText(totals.contactRate, totals.contactRateSample, totals.leads).text})`,
      flag: rateText(totals.contactRate, totals.contactRateSample, totals.leads).flag,
    },
    {
      key: 'booked',
      label: 'Booked',
      value: totals.booked,
      text: `${formatCount(totals.booked)} (${rateText(totals.bookingRate, totals.bookingRateSample, totals.leads).text})`,
      flag: rateText(totals.bookingRate, totals.bookingRateSample, totals.leads).flag,
      tone: 'good',
    },
    { key: 'notBooked', label: 'Not booked (lost)', value: totals.notBooked, text: formatCount(totals.notBooked), tone: 'bad' },
    { key: 'open', label: 'Still open', value: totals.open, text: formatCount(totals.open) },
  ];
}

/** The columns of the funnel's counts, after a first column of `label`. */
export function funnelColumns<R extends FunnelCounts>(first: Column<R>): Array<Column<R>> {
  return [
    first,
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'contacted', label: 'Contacted', numeric: true, value: (r) => r.contacted, text: (r) => formatCount(r.contacted) },
    { id: 'booked', label: 'Booked', numeric: true, value: (r) => r.booked, text: (r) => formatCount(r.booked) },
    { id: 'notBooked', label: 'Lost', numeric: true, value: (r) => r.notBooked, text: (r) => formatCount(r.notBooked) },
    { id: 'open', label: 'Open', numeric: true, value: (r) => r.open, text: (r) => formatCount(r.open) },
    rateColumn(
      { id: 'contactRate', label: 'Contact rate', about: 'Contacted / leads' },
      (r) => r.contactRate,
      (r) => rateText(r.contactRate, r.contactRateSample, r.leads),
    ),
    rateColumn(
      { id: 'bookingRate', label: 'Conversion', about: 'Booked / leads' },
      (r) => r.bookingRate,
      (r) => rateText(r.bookingRate, r.bookingRateSample, r.leads),
    ),
    rateColumn(
      { id: 'contactedBookingRate', label: 'Booked of contacted', about: 'Booked / contacted' },
      (r) => r.contactedBookingRate,
      (r) => rateText(r.contactedBookingRate, r.contactedBookingRateSample, r.contacted, 'contacted leads'),
    ),
  ];
}

export const funnelSegmentColumns = (byLabel: string): Array<Column<FunnelSegmentRow>> =>
  funnelColumns<FunnelSegmentRow>({
    id: 'label',
    label: byLabel,
    numeric: false,
    value: (r) => r.label,
    text: (r) => (r.key && byLabel === 'Channel' ? channelLabel(r.key) : r.label),
  });

/** `2026-W10` → `Week of Mar 2, 2026`; `2026-03` → `Mar 2026`; a cut period says so. */
export function periodLabel(row: Pick<FunnelPeriodRow, 'period' | 'start' | 'partial'>): string {
  const base = /W\d+$/.test(row.period) ? `Week of ${formatDay(row.start)}` : /^\d{4}-\d{2}$/.test(row.period) ? formatMonth(row.period) : row.period;
  return row.partial ? `${base} (part)` : base;
}

export const funnelTrendColumns = (): Array<Column<FunnelPeriodRow>> =>
  funnelColumns<FunnelPeriodRow>({ id: 'period', label: 'Period', numeric: false, value: (r) => r.start, text: periodLabel });

/** The trend lines: conversion and contact rate per period; a period without leads is a gap, not 0%. */
export function funnelTrendSeries(trend: readonly FunnelPeriodRow[]): LineSeries[] {
  return [
    {
      id: 'bookingRate',
      label: 'Conversion (booked / leads)',
      colour: 'var(--good)',
      points: trend.map((p) => {
        const r = rateText(p.bookingRate, p.bookingRateSample, p.leads);
        return { x: p.period, y: p.bookingRate, text: r.text, flag: r.flag, partial: p.partial };
      }),
    },
    {
      id: 'contactRate',
      label: 'Contact rate (contacted / leads)',
      colour: 'var(--accent)',
      dashed: true,
      points: trend.map((p) => {
        const r = rateText(p.contactRate, p.contactRateSample, p.leads);
        return { x: p.period, y: p.contactRate, text: r.text, flag: r.flag, partial: p.partial };
      }),
    },
  ];
}

/** A short x-axis label of a period: `Mar 2` for a week, `Mar` (or `Mar 26` in January) for a month. */
export function periodTick(row: Pick<FunnelPeriodRow, 'period' | 'start'>): string {
  const date = new Date(`${row.start}T00:00:00Z`);
  if (/W\d+$/.test(row.period)) return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return date.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' }) + (row.period.endsWith('-01') ? ` ${row.period.slice(2, 4)}` : '');
}

// ---- speed-to-lead --------------------------------------------------------------------------------

/** Booking rate per response-time band: the practice's own evidence that fast replies book more. */
export function bandBars(bands: readonly ResponseBandRow[]): Bar[] {
  return bands.map((b) => {
    const r = rateText(b.bookingRate, b.sample, b.leads);
    return {
      key: b.band,
      label: b.label,
      value: b.sample === 'none' ? null : b.bookingRate,
      text: r.text,
      flag: r.flag,
      tone: b.band === 'never' ? 'bad' : 'neutral',
    };
  });
}

export function bandColumns(): Array<Column<ResponseBandRow>> {
  return [
    { id: 'label', label: 'First response within', numeric: false, value: (r) => r.minSeconds ?? Number.MAX_SAFE_INTEGER, text: (r) => r.label },
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'booked', label: 'Booked', numeric: true, value: (r) => r.booked, text: (r) => formatCount(r.booked) },
    rateColumn(
      { id: 'bookingRate', label: 'Booking rate' },
      (r) => r.bookingRate,
      (r) => rateText(r.bookingRate, r.sample, r.leads),
    ),
  ];
}

export function speedChannelColumns(): Array<Column<SpeedByChannelRow>> {
  return [
    { id: 'channel', label: 'Channel', numeric: false, value: (r) => channelLabel(r.channel), text: (r) => channelLabel(r.channel) },
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'responded', label: 'Responded', numeric: true, value: (r) => r.responded, text: (r) => formatCount(r.responded) },
    { id: 'neverResponded', label: 'Not yet', numeric: true, value: (r) => r.neverResponded, text: (r) => formatCount(r.neverResponded) },
    {
      id: 'medianSeconds',
      label: 'Median first response',
      numeric: true,
      value: (r) => r.medianSeconds,
      text: (r) => (r.medianSeconds === null ? 'no responses' : formatDuration(r.medianSeconds)),
    },
    {
      id: 'p90Seconds',
      label: '9 in 10 within',
      numeric: true,
      about: '90th percentile',
      value: (r) => r.p90Seconds,
      text: (r) => (r.p90Seconds === null ? 'no responses' : formatDuration(r.p90Seconds)),
    },
    { id: 'within5Min', label: 'Under 5 min', numeric: true, value: (r) => r.within5Min, text: (r) => formatCount(r.within5Min) },
    rateColumn(
      { id: 'within5MinRate', label: 'Share under 5 min' },
      (r) => r.within5MinRate,
      (r) => rateText(r.within5MinRate, r.within5MinSample, r.leads),
    ),
  ];
}

// ---- missed calls -------------------------------------------------------------------------------------

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type MissedMetric = 'missed' | 'missedRate';

/**
 * The weekday x hour grid of missed calls (or the missed rate), for the staffing page's heatmap
 * components. Hours shown: the span from the first to the last hour with any call (all 24 when there
 * are none). A cell without calls has no value: drawn empty and listed as "no calls", never as 0%.
 */
export function missedGrid(report: Pick<MissedCallsReport, 'heatmap'>, metric: MissedMetric): HeatGrid {
  const withCalls = report.heatmap.filter((c) => c.calls > 0).map((c) => c.hour);
  const lo = withCalls.length ? Math.min(...withCalls) : 0;
  const hi = withCalls.length ? Math.max(...withCalls) : 23;
  const hours = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const cells = report.heatmap
    .filter((c) => c.hour >= lo && c.hour <= hi && c.weekday >= 1 && c.weekday <= 7)
    .filter((c) => metric === 'missed' || c.calls > 0)
    .map((c) => ({
      row: c.weekday - 1,
      hour: c.hour,
      value: metric === 'missed' ? c.missed : (c.missedRate ?? 0),
      label: missedCellText(c, metric),
    }))
    .sort((a, b) => a.row - b.row || a.hour - b.hour);
  const floor = metric === 'missed' ? 2 : 0.5;
  return { rows: WEEKDAYS, hours, cells, max: Math.max(floor, ...cells.map((c) => c.value)) };
}

/** A heatmap cell's text: the missed count, or the missed rate (`no calls` without calls). */
export function missedCellText(cell: { calls: number; missed: number; missedRate: number | null }, metric: MissedMetric): string {
  if (metric === 'missed') return formatCount(cell.missed);
  return cell.calls === 0 || cell.missedRate === null ? 'no calls' : formatPercent(cell.missedRate);
}

/** The missed-calls API takes no source, campaign or treatment, and no channel but phone: those are left out. */
export function callSegment(segment: Segment): { segment: Segment; dropped: string[] } {
  const dropped: string[] = [];
  if (segment.channel && segment.channel !== 'phone') dropped.push('channel');
  if (segment.sourceId) dropped.push('source');
  if (segment.campaignId) dropped.push('campaign');
  if (segment.treatment) dropped.push('treatment');
  return {
    segment: { ...segment, channel: segment.channel === 'phone' ? 'phone' : null, sourceId: null, campaignId: null, treatment: null },
    dropped,
  };
}

// ---- staff performance ---------------------------------------------------------------------------------

export const REASON_LABELS: Record<NotBookedReason, string> = {
  price: 'Price',
  scheduling: 'Scheduling',
  insurance_out_of_network: 'Insurance out of network',
  treatment_not_offered: 'Treatment not offered',
  no_response: 'No response',
  other: 'Other',
};

type StaffLike = StaffRow | StaffPerformanceReport['totals'];

export function staffKey(row: Pick<StaffRow, 'staffId' | 'displayName'>): string {
  return row.staffId ?? (row.displayName === 'Total' ? 'total' : 'unassigned');
}

/** The reasons-not-booked mix in words, most frequent first: `Price 2, Scheduling 1`; `none lost`. */
export function reasonMix(reasons: Record<NotBookedReason, number>): string {
  const present = NOT_BOOKED_REASONS.filter((r) => reasons[r] > 0).sort((a, b) => reasons[b] - reasons[a]);
  return present.length ? present.map((r) => `${REASON_LABELS[r]} ${formatCount(reasons[r])}`).join(', ') : 'none lost';
}

export function staffColumns(): Array<Column<StaffLike>> {
  return [
    { id: 'name', label: 'Team member', numeric: false, value: (r) => r.displayName, text: (r) => r.displayName },
    { id: 'leads', label: 'Leads handled', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'contacted', label: 'Contacted', numeric: true, value: (r) => r.contacted, text: (r) => formatCount(r.contacted) },
    { id: 'booked', label: 'Booked', numeric: true, value: (r) => r.booked, text: (r) => formatCount(r.booked) },
    rateColumn(
      { id: 'conversion', label: 'Conversion' },
      (r) => r.conversion,
      (r) => rateText(r.conversion, r.sample, r.leads),
    ),
    {
      id: 'medianResponseSeconds',
      label: 'Median first response',
      numeric: true,
      value: (r) => r.medianResponseSeconds,
      text: (r) => (r.medianResponseSeconds === null ? 'no responses' : formatDuration(r.medianResponseSeconds)),
    },
    { id: 'notBooked', label: 'Not booked', numeric: true, value: (r) => r.notBooked, text: (r) => formatCount(r.notBooked) },
    { id: 'reasons', label: 'Why not booked', numeric: false, value: (r) => reasonMix(r.reasons), text: (r) => reasonMix(r.reasons) },
  ];
}

/** Conversion per person as bars (small samples flagged, people without leads say so). */
export function staffBars(report: Pick<StaffPerformanceReport, 'rows'>): Bar[] {
  return report.rows.map((r) => {
    const rate = rateText(r.conversion, r.sample, r.leads);
    return { key: staffKey(r), label: r.displayName, value: r.sample === 'none' ? null : r.conversion, text: rate.text, flag: rate.flag, tone: 'good' };
  });
}

/** A person's monthly conversion as a line (small multiples). */
export function staffTrendSeries(row: Pick<StaffRow, 'trend' | 'displayName' | 'staffId'>): LineSeries {
  return {
    id: row.staffId ?? 'unassigned',
    label: row.displayName,
    colour: 'var(--good)',
    points: row.trend.map((p) => {
      const r = rateText(p.conversion, p.sample, p.leads);
      return { x: p.month, y: p.conversion, text: r.text, flag: r.flag };
    }),
  };
}
