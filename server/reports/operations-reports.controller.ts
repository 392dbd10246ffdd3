// The operational analytics views of issue #4: conversion funnel, speed-to-lead, missed calls and staff
// performance; each as JSON and as CSV carrying the very same numbers (one CSV row per JSON row, nulls as
// empty cells, through toCsv so that text cells are safe to open in a spreadsheet). Every view takes the
// shared range and segment parameters (report-query.ts), validated by zod: a bad value is a 400 naming
// the parameter, an unknown parameter is refused.

import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPracticeId } from '../auth/auth.guards.js';
import { Roles } from '../auth/roles.guard.js';
import { NOT_BOOKED_REASONS, SPEED_TO_LEAD_CHANNELS } from '../domain/domain.constants.js';
import { sendCsv, toCsv, type CsvCell } from './csv.js';
import { FunnelService } from './funnel.service.js';
import { MissedCallsService } from './missed-calls.service.js';
import type { FunnelCounts, FunnelReport, MissedCallsReport, SpeedToLeadReport, StaffPerformanceReport } from './operations.contract.js';
import { checkRange, rangeShape, reportQuerySchema, segmentShape, type ReportQuery } from './report-query.js';
import { SpeedToLeadService } from './speed-to-lead.service.js';
import { StaffPerformanceService } from './staff-performance.service.js';

// ---------------------------------------------------------------------------------------------------
// Query schemas
// ---------------------------------------------------------------------------------------------------

export const funnelQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    by: z.enum(['channel', 'source', 'campaign', 'staff', 'treatment', 'patient']).default('channel').meta({
      description: 'What the segment rows are grouped by (default channel).',
    }),
    interval: z.enum(['week', 'month']).default('week').meta({
      description: 'The trend period: ISO week (Monday to Sunday, practice-local) or calendar month (default week).',
    }),
  })
  .superRefine(checkRange);

/** Speed-to-lead covers the channels where the lead waits for the practice (SPEED_TO_LEAD_CHANNELS): asking
 * for phone or walk-in leads is refused (400) rather than answered with an empty report. */
export const speedToLeadQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    channel: segmentShape.channel.meta({ description: `Only leads of this channel; one of ${SPEED_TO_LEAD_CHANNELS.join(', ')} (phone and walk-in leads are not in this view).` }),
  })
  .superRefine((query, ctx) => {
    checkRange(query, ctx);
    if (query.channel && !SPEED_TO_LEAD_CHANNELS.includes(query.channel)) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: `is not in this view (phone calls are answered live, walk-ins are in the room): one of ${SPEED_TO_LEAD_CHANNELS.join(', ')}` });
    }
  });
export const staffPerformanceQuerySchema = reportQuerySchema;

/** Calls carry a staff member, a new-patient flag and are phone calls; they carry no source, campaign or
 * treatment. Those segments are refused (400) rather than silently ignored. */
export const missedCallsQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    channel: segmentShape.channel.meta({ description: 'Only phone applies to calls (any other channel is refused).' }),
    sourceId: segmentShape.sourceId.meta({ description: 'Refused: a call has no marketing source.' }),
    campaignId: segmentShape.campaignId.meta({ description: 'Refused: a call has no campaign.' }),
    treatment: segmentShape.treatment.meta({ description: 'Refused: a call has no treatment.' }),
    staffId: segmentShape.staffId.meta({ description: 'Only calls taken by this staff member (call.staff_id); the phone leads of the revenue estimate are those this staff member handled.' }),
    patient: segmentShape.patient.meta({ description: 'Calls flagged new patient, existing patient, or all (default); a call flagged neither way is only in all.' }),
  })
  .superRefine((query, ctx) => {
    checkRange(query, ctx);
    if (query.channel && query.channel !== 'phone') ctx.addIssue({ code: 'custom', path: ['channel'], message: 'only phone applies to calls' });
    for (const key of ['sourceId', 'campaignId', 'treatment'] as const) {
      if (query[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'does not apply to calls' });
    }
  });

export type FunnelQueryInput = z.infer<typeof funnelQuerySchema>;

// ---------------------------------------------------------------------------------------------------
// CSV: the JSON rows, the very same values. Each CSV has a Section column saying which part of the JSON
// a row comes from; summary objects (the revenue estimates, the callbacks) are Metric / Value rows.
// ---------------------------------------------------------------------------------------------------

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
  const counts = (section: string, weekday: number | null, hour: number | null, c: { calls: number; missed: number; missedRate: number | null; sample: string }): CsvCell[] => [
    section,
    weekday,
    hour,
    c.calls,
    c.missed,
    c.missedRate,
    c.sample,
    null,
    null,
  ];
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
    ['Section', 'Staff id', 'Staff', 'Month', 'Leads', 'Contacted', 'Booked', 'Not booked', 'Conversion', 'Sample', 'Median response seconds', ...reasonHeaders],
    rows,
  );
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/reports')
export class OperationsReportsController {
  constructor(
    private readonly funnel: FunnelService,
    private readonly speed: SpeedToLeadService,
    private readonly missed: MissedCallsService,
    private readonly staff: StaffPerformanceService,
  ) {}

  @Get('funnel')
  @ApiOperation({ summary: 'Conversion funnel (leads, contacted, booked, lost, open) by segment, with its weekly or monthly trend' })
  funnelReport(@CurrentPracticeId() practiceId: string, @Query({ schema: funnelQuerySchema }) query: FunnelQueryInput): Promise<FunnelReport> {
    return this.funnel.report(practiceId, query);
  }

  @Get('funnel.csv')
  @ApiOperation({ summary: 'The conversion funnel as CSV (the same numbers as the JSON)' })
  @ApiProduces('text/csv')
  async funnelCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: funnelQuerySchema }) query: FunnelQueryInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.funnel.report(practiceId, query);
    return sendCsv(response, `funnel_${report.from}_${report.to}`, funnelCsv(report));
  }

  @Get('speed-to-lead')
  @ApiOperation({ summary: 'First-response time by channel, booking rate by response-time band, and the revenue slow responses cost' })
  speedToLead(@CurrentPracticeId() practiceId: string, @Query({ schema: speedToLeadQuerySchema }) query: ReportQuery): Promise<SpeedToLeadReport> {
    return this.speed.report(practiceId, query);
  }

  @Get('speed-to-lead.csv')
  @ApiOperation({ summary: 'Speed-to-lead as CSV (the same numbers as the JSON)' })
  @ApiProduces('text/csv')
  async speedToLeadCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: speedToLeadQuerySchema }) query: ReportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.speed.report(practiceId, query);
    return sendCsv(response, `speed-to-lead_${report.from}_${report.to}`, speedToLeadCsv(report));
  }

  @Get('missed-calls')
  @ApiOperation({
    summary: 'Missed inbound calls: weekday x hour heatmap, opening vs after hours, revenue lost to missed new-patient calls, callbacks',
    description: 'Segments: staffId, patient and channel=phone apply to calls; sourceId, campaignId, treatment and other channels are refused (400).',
  })
  missedCalls(@CurrentPracticeId() practiceId: string, @Query({ schema: missedCallsQuerySchema }) query: ReportQuery): Promise<MissedCallsReport> {
    return this.missed.report(practiceId, query);
  }

  @Get('missed-calls.csv')
  @ApiOperation({ summary: 'Missed calls as CSV (the same numbers as the JSON)' })
  @ApiProduces('text/csv')
  async missedCallsCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: missedCallsQuerySchema }) query: ReportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.missed.report(practiceId, query);
    return sendCsv(response, `missed-calls_${report.from}_${report.to}`, missedCallsCsv(report));
  }

  @Get('staff-performance')
  @ApiOperation({ summary: 'Per staff member: leads handled, contacted, booked, conversion, median response time, reasons not booked, monthly trend' })
  staffPerformance(@CurrentPracticeId() practiceId: string, @Query({ schema: staffPerformanceQuerySchema }) query: ReportQuery): Promise<StaffPerformanceReport> {
    return this.staff.report(practiceId, query);
  }

  @Get('staff-performance.csv')
  @ApiOperation({ summary: 'Staff performance as CSV (the same numbers as the JSON)' })
  @ApiProduces('text/csv')
  async staffPerformanceCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: staffPerformanceQuerySchema }) query: ReportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.staff.report(practiceId, query);
    return sendCsv(response, `staff-performance_${report.from}_${report.to}`, staffPerformanceCsv(report));
  }
}
