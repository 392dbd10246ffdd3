// The operational analytics views of issue #4: conversion funnel, speed-to-lead, missed calls and staff
// performance; each as JSON and as CSV carrying the very same numbers (operations-reports.csv.ts). Every
// view takes the shared range and segment parameters, validated by the schemas of
// operations-reports.schemas.ts. One-line delegations to the services.

import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.guard.js';
import { sendCsv } from '../common/csv.js';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { FunnelService } from './funnel.service.js';
import { MissedCallsService } from './missed-calls.service.js';
import type { FunnelReport, MissedCallsReport, SpeedToLeadReport, StaffPerformanceReport } from './operations.contract.js';
import { funnelCsv, missedCallsCsv, speedToLeadCsv, staffPerformanceCsv } from './operations-reports.csv.js';
import {
  funnelQuerySchema,
  missedCallsQuerySchema,
  speedToLeadQuerySchema,
  staffPerformanceQuerySchema,
  type FunnelQueryInput,
} from './operations-reports.schemas.js';
import type { ReportQuery } from './report-query.js';
import { SpeedToLeadService } from './speed-to-lead.service.js';
import { StaffPerformanceService } from './staff-performance.service.js';

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
  staffPerformance(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: staffPerformanceQuerySchema }) query: ReportQuery,
  ): Promise<StaffPerformanceReport> {
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
