// CSV of the operational views: the JSON rows, the very same values (one CSV row per JSON row, nulls as
// empty cells, through toCsv so that text cells are safe to open in a spreadsheet). Each CSV has a
// Section column saying which part of the JSON a row comes from; summary objects (the revenue
// estimates, the callbacks) are Metric / Value rows.

import { toCsv, type CsvCell } from '../common/csv.js';
import { NOT_BOOKED_REASONS } from '../domain/domain.contract.js';
import type { FunnelCounts, FunnelReport, MissedCallsReport, SpeedToLeadReport, StaffPerformanceReport } from './operations.contract.js';

const FUNNEL_COUNT_COLUMNS = [
  'Leads',
  'Contacted',
  'Booked',
  'Not booked',
  'Open',
  'Contact rate',
  'Contact rate sample',
  'Booking rate',
  'Booking rate sample',
  'Booked of contacted',
  'Booked of contacted sample',
];
const funnelCountCells = (c: FunnelCounts): CsvCell[] => [
  c.leads,
  c.contacted,
  c.booked,
  c.notBooked,
  c.open,
  c.contactRate,
  c.contactRateSample,
  c.bookingRate,
  c.bookingRateSample,
  c.contactedBookingRate,
  c.contactedBookingRateSample,
];

export function funnelCsv(report: FunnelReport): string {
  return toCsv(
    ['Section', 'Key', 'Label', 'Period', 'Start', 'End', 'Partial', ...FUNNEL_COUNT_COLUMNS],
    [
      ['total', null, 'Total', null, report.from, report.to, false, ...funnelCountCells(report.totals)],
      ...report.rows.map((row): CsvCell[] => [report.by, row.key, row.label, null, null, null, null, ...funnelCountCells(row)]),
      ...report.trend.map((row): CsvCell[] => [report.interval, null, null, row.period, row.start, row.end, row.partial, ...funnelCountCells(row)]),
    ],
  );
}

export function speedToLeadCsv(report: SpeedToLeadReport): string {
  const rows: CsvCell[][] = [
    ...report.byChannel.map((row): CsvCell[] => [
      'channel',
      row.channel,
      row.leads,
      row.responded,
      row.neverResponded,
      row.medianSeconds,
      row.p90Seconds,
      row.within5Min,
      row.within5MinRate,
      row.within5MinSample,
      null,
      null,
      null,
      null,
      null,
      null,
    ]),
    ...report.bands.map((row): CsvCell[] => [
      'band',
      row.band,
      row.leads,
      null,
      null,
      null,
      null,
      null,
      null,
      row.sample,
      row.minSeconds,
      row.maxSeconds,
      row.booked,
      row.bookingRate,
      null,
      null,
    ]),
    ...Object.entries(report.slowResponseCost).map(([metric, value]): CsvCell[] => [
      'slow response cost',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      metric,
      value as CsvCell, // every field of SlowResponseCost is a string, a number or null
    ]),
  ];
  return toCsv(
    [
      'Section',
      'Channel or band',
      'Leads',
      'Responded',
      'Never responded',
      'Median seconds',
      'P90 seconds',
      'Within 5 min',
      'Within 5 min rate',
      'Sample',
      'Band min seconds',
      'Band max seconds',
      'Booked',
      'Booking rate',
      'Metric',
      'Value',
    ],
    rows,
  );
}

export function missedCallsCsv(report: MissedCallsReport): string {
  const counts = (
    section: string,
    weekday: number | null,
    hour: number | null,
    c: { calls: number; missed: number; missedRate: number | null; sample: string },
  ): CsvCell[] => [section, weekday, hour, c.calls, c.missed, c.missedRate, c.sample, null, null];
  const metrics = (section: string, values: object): CsvCell[][] =>
    Object.entries(values).map(([metric, value]) => [section, null, null, null, null, null, null, metric, value as CsvCell]);
  return toCsv(
    ['Section', 'Weekday', 'Hour', 'Calls', 'Missed', 'Missed rate', 'Sample', 'Metric', 'Value'],
    [
      counts('total', null, null, report.totals),
      counts('during hours', null, null, report.duringHours),
      counts('after hours', null, null, report.afterHours),
      ...report.heatmap.map((cell) => counts('heatmap', cell.weekday, cell.hour, cell)),
      ...metrics('revenue lost', report.revenueLost),
      ...metrics('callbacks', report.callbacks),
    ],
  );
}

export function staffPerformanceCsv(report: StaffPerformanceReport): string {
  const reasonHeaders = NOT_BOOKED_REASONS.map((reason) => `Not booked: ${reason}`);
  const rows: CsvCell[][] = [];
  for (const row of [...report.rows, report.totals]) {
    const section = row === report.totals ? 'total' : 'staff';
    rows.push([
      section,
      row.staffId,
      row.displayName,
      null,
      row.leads,
      row.contacted,
      row.booked,
      row.notBooked,
      row.conversion,
      row.sample,
      row.medianResponseSeconds,
      ...NOT_BOOKED_REASONS.map((reason) => row.reasons[reason]),
    ]);
  }
  for (const row of [...report.rows, report.totals]) {
    for (const point of row.trend) {
      rows.push([
        row === report.totals ? 'total month' : 'staff month',
        row.staffId,
        row.displayName,
        point.month,
        point.leads,
        null,
        point.booked,
        null,
        point.conversion,
        point.sample,
        null,
        ...NOT_BOOKED_REASONS.map(() => null),
      ]);
    }
  }
  return toCsv(
    [
      'Section',
      'Staff id',
      'Staff',
      'Month',
      'Leads',
      'Contacted',
      'Booked',
      'Not booked',
      'Conversion',
      'Sample',
      'Median response seconds',
      ...reasonHeaders,
    ],
    rows,
  );
}
