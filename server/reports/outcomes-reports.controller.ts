// Routes of the outcome views (lost opportunities, growth, goals) and of the data they need (goals,
// actual values). One-line delegations to the services; each JSON view has a .csv twin built from the
// very same response object by toCsv (formula-injection safe), so the CSV carries the JSON's numbers.

import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.guard.js';
import { CurrentCaller, CurrentPracticeId, type Caller } from '../common/principal.decorators.js';
import { NOT_BOOKED_REASONS } from '../domain/domain.contract.js';
import { openApiBody } from '../common/validation.js';
import {
  ActualValuesService,
  actualValueImportQuerySchema,
  putActualValueSchema,
  type ActualValueImportQuery,
  type PutActualValueInput,
} from './actual-values.service.js';
import { sendCsv, toCsv, type CsvCell } from '../common/csv.js';
import { GoalsService, goalsQuerySchema, putGoalSchema, type GoalsQuery, type PutGoalInput } from './goals.service.js';
import { growthCsvQuerySchema, growthQuerySchema, type GrowthCsvQuery, type GrowthQuery, type GrowthTable } from './growth.schema.js';
import { GrowthService } from './growth.service.js';
import {
  LostOpportunitiesService,
  lostLeadListQuerySchema,
  lostOpportunitiesQuerySchema,
  type LostLeadListQuery,
  type LostOpportunitiesQuery,
} from './lost-opportunities.service.js';
import type {
  ActualValueImportReport,
  ActualValueView,
  BridgeRow,
  GoalsReport,
  GoalView,
  GrowthReport,
  GrowthTrendPoint,
  LostGroupRow,
  LostLeadListReport,
  LostOpportunitiesReport,
} from './outcomes.contract.js';

// ---- CSV builders: the JSON objects as rows, nulls as empty cells ----

const REASON_HEADERS = NOT_BOOKED_REASONS.map((reason) => `Lost: ${reason}`);

/** One table: the total, the six reasons, the staff rows, the treatment rows (column `Group` says which). */
export function lostOpportunitiesCsv(report: LostOpportunitiesReport): string {
  const header = [
    'Group',
    'Name',
    'Key',
    'Leads',
    'Lost leads',
    'Lost rate',
    'Share of lost',
    'Sample',
    'Estimated revenue lost',
    'Value basis: estimated',
    'Value basis: treatment average',
    'Value basis: practice average',
    'Value basis: none',
    ...REASON_HEADERS,
  ];
  const rows: CsvCell[][] = [
    [
      'total',
      'Total',
      null,
      report.leads,
      report.lostLeads,
      report.lostRate,
      null,
      report.sample,
      report.estimatedRevenueLost,
      report.basis.estimated,
      report.basis.treatmentAverage,
      report.basis.practiceAverage,
      report.basis.none,
      ...NOT_BOOKED_REASONS.map((reason) => report.reasons.find((r) => r.reason === reason)?.leads ?? 0),
    ],
    ...report.reasons.map((r): CsvCell[] => [
      'reason',
      r.reason,
      r.reason,
      null,
      r.leads,
      null,
      r.share,
      null,
      r.estimatedRevenueLost,
      r.basis.estimated,
      r.basis.treatmentAverage,
      r.basis.practiceAverage,
      r.basis.none,
      ...NOT_BOOKED_REASONS.map((reason) => (reason === r.reason ? r.leads : 0)),
    ]),
    ...report.byStaff.map((g) => groupRow('staff', g)),
    ...report.byTreatment.map((g) => groupRow('treatment', g)),
  ];
  return toCsv(header, rows);
}

function groupRow(group: string, g: LostGroupRow): CsvCell[] {
  return [
    group,
    g.name,
    g.key,
    g.leads,
    g.lostLeads,
    g.lostRate,
    null,
    g.sample,
    g.estimatedRevenueLost,
    null,
    null,
    null,
    null,
    ...NOT_BOOKED_REASONS.map((reason) => g.reasons[reason]),
  ];
}

export function lostLeadsCsv(report: LostLeadListReport): string {
  const header = ['Lead id', 'External id', 'Created', 'Channel', 'Source', 'Campaign', 'Treatment', 'Estimated value', 'Reason', 'Staff', 'Do not contact'];
  if (report.includeContacts) header.push('Patient name', 'Phone', 'Email');
  return toCsv(
    header,
    report.leads.map((lead) => {
      const row: CsvCell[] = [
        lead.leadId,
        lead.externalId,
        lead.createdDate,
        lead.channel,
        lead.sourceName,
        lead.campaignName,
        lead.treatment,
        lead.estimatedValue,
        lead.reason,
        lead.staffName,
        lead.doNotContact,
      ];
      if (report.includeContacts) row.push(lead.contact?.name ?? null, lead.contact?.phone ?? null, lead.contact?.email ?? null);
      return row;
    }),
  );
}

export function growthCsv(report: GrowthReport, table: GrowthTable): string {
  const trend = (points: GrowthTrendPoint[]) =>
    toCsv(
      ['Period', 'Start', 'End', 'Days', 'Leads', 'Bookings', 'Conversion', 'Sample', 'Booked revenue'],
      points.map((p) => [p.period, p.start, p.end, p.days, p.leads, p.bookings, p.conversion, p.sample, p.bookedRevenue]),
    );
  switch (table) {
    case 'weekly':
      return trend(report.weekly);
    case 'monthly':
      return trend(report.monthly);
    case 'yoy': {
      const y = report.yearOverYear;
      return toCsv(
        ['Metric', 'Current from', 'Current to', 'Current', 'Previous from', 'Previous to', 'Previous', 'Change', 'Change rate'],
        (['leads', 'bookings', 'conversion', 'bookedRevenue'] as const).map((metric) => [
          metric,
          y.current.from,
          y.current.to,
          y[metric].current,
          y.previous.from,
          y.previous.to,
          y[metric].previous,
          y[metric].change,
          y[metric].changeRate,
        ]),
      );
    }
    case 'seasonality-months':
      return toCsv(
        ['Month', 'Name', 'Years', 'Average leads', 'Index'],
        report.seasonality.byMonth.map((m) => [m.month, m.name, m.years, m.averageLeads, m.index]),
      );
    case 'seasonality-weekdays':
      return toCsv(
        ['Weekday', 'Name', 'Weeks', 'Average leads', 'Index'],
        report.seasonality.byWeekday.map((w) => [w.weekday, w.name, w.weeks, w.averageLeads, w.index]),
      );
    case 'bridge': {
      const b = report.bridge;
      const row = (r: BridgeRow): CsvCell[] => [
        r.channel,
        b.base.from,
        b.base.to,
        r.base.leads,
        r.base.bookings,
        r.base.conversion,
        r.base.averageValue,
        r.base.revenue,
        b.current.from,
        b.current.to,
        r.current.leads,
        r.current.bookings,
        r.current.conversion,
        r.current.averageValue,
        r.current.revenue,
        r.change,
        r.volumeEffect,
        r.conversionEffect,
        r.valueEffect,
        r.roundingAdjustment,
      ];
      return toCsv(
        [
          'Channel',
          'Base from',
          'Base to',
          'Base leads',
          'Base bookings',
          'Base conversion',
          'Base average value',
          'Base revenue',
          'Current from',
          'Current to',
          'Current leads',
          'Current bookings',
          'Current conversion',
          'Current average value',
          'Current revenue',
          'Change',
          'Volume effect',
          'Conversion effect',
          'Value effect',
          'Rounding adjustment',
        ],
        [...b.channels.map(row), row(b.total)],
      );
    }
  }
}

export function goalsCsv(report: GoalsReport): string {
  return toCsv(
    [
      'Month',
      'Metric',
      'Status',
      'Target',
      'Actual',
      'Percent of target',
      'Forecast finish',
      'Forecast low 80%',
      'Forecast high 80%',
      'Forecast low 95%',
      'Forecast high 95%',
      'Forecast percent of target',
      'Forecast note',
    ],
    report.rows.map((r) => [
      r.month,
      r.metric,
      r.status,
      r.target,
      r.actual,
      r.percentOfTarget,
      r.forecast?.expected ?? null,
      r.forecast?.lo80 ?? null,
      r.forecast?.hi80 ?? null,
      r.forecast?.lo95 ?? null,
      r.forecast?.hi95 ?? null,
      r.forecast?.percentOfTarget ?? null,
      r.forecastNote,
    ]),
  );
}

/** Largest actual-value CSV accepted (the body is read here: the app parses JSON only). */
export const ACTUAL_VALUES_BODY_LIMIT = 10 * 1024 * 1024;

async function readTextBody(request: Request): Promise<string> {
  const type = String(request.headers['content-type'] ?? '');
  if (!/^(text\/csv|text\/plain)\b/i.test(type)) throw new BadRequestException('body: send the CSV with "Content-Type: text/csv"');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > ACTUAL_VALUES_BODY_LIMIT) throw new BadRequestException(`body: larger than ${ACTUAL_VALUES_BODY_LIMIT} bytes; split the file`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/reports')
export class OutcomesReportsController {
  constructor(
    private readonly lost: LostOpportunitiesService,
    private readonly growth: GrowthService,
    private readonly goals: GoalsService,
    private readonly actualValues: ActualValuesService,
  ) {}

  @Get('lost-opportunities')
  @ApiOperation({ summary: 'Reasons not booked: counts, share and estimated revenue lost, by reason, staff member and treatment' })
  lostOpportunities(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: lostOpportunitiesQuerySchema }) query: LostOpportunitiesQuery,
  ): Promise<LostOpportunitiesReport> {
    return this.lost.report(practiceId, query);
  }

  @Get('lost-opportunities.csv')
  @ApiOperation({ summary: 'Lost opportunities as CSV (one table; the Group column says total, reason, staff or treatment)' })
  @ApiProduces('text/csv')
  async lostOpportunitiesCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: lostOpportunitiesQuerySchema }) query: LostOpportunitiesQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.lost.report(practiceId, query);
    return sendCsv(response, `lost-opportunities_${report.from}_${report.to}`, lostOpportunitiesCsv(report));
  }

  @Get('lost-opportunities/price-objections')
  @ApiOperation({
    summary:
      'Leads lost to price (or reason=...), newest first, for a promotion; patient details only with includeContacts=true (admin, manager), each such answer logged',
  })
  priceObjections(
    @CurrentPracticeId() practiceId: string,
    @CurrentCaller() caller: Caller,
    @Query({ schema: lostLeadListQuerySchema }) query: LostLeadListQuery,
  ): Promise<LostLeadListReport> {
    return this.lost.lostLeads(practiceId, query, caller, 'view');
  }

  @Get('lost-opportunities/price-objections.csv')
  @ApiOperation({ summary: 'The lost-lead list as CSV (patient details only with includeContacts=true, logged as an export)' })
  @ApiProduces('text/csv')
  async priceObjectionsCsv(
    @CurrentPracticeId() practiceId: string,
    @CurrentCaller() caller: Caller,
    @Query({ schema: lostLeadListQuerySchema }) query: LostLeadListQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.lost.lostLeads(practiceId, query, caller, 'export');
    return sendCsv(response, `lost-${report.reason}_${report.from}_${report.to}`, lostLeadsCsv(report), { noStore: report.includeContacts });
  }

  @Get('growth')
  @ApiOperation({
    summary:
      'Lead volume and conversion trends (weekly, monthly), year over year, seasonality, and the growth bridge (volume, conversion, value effects per channel)',
  })
  growthReport(@CurrentPracticeId() practiceId: string, @Query({ schema: growthQuerySchema }) query: GrowthQuery): Promise<GrowthReport> {
    return this.growth.report(practiceId, query);
  }

  @Get('growth.csv')
  @ApiOperation({ summary: 'One table of the growth view as CSV: table=bridge (default), weekly, monthly, yoy, seasonality-months, seasonality-weekdays' })
  @ApiProduces('text/csv')
  async growthCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: growthCsvQuerySchema }) query: GrowthCsvQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { table, ...rest } = query;
    const report = await this.growth.report(practiceId, rest);
    return sendCsv(response, `growth-${table}_${report.from}_${report.to}`, growthCsv(report, table));
  }

  @Get('goals')
  @ApiOperation({
    summary: 'Monthly goals (new-patient leads, bookings, booked revenue): target, actual so far, percent, and the forecast finish with its range',
  })
  goalsReport(@CurrentPracticeId() practiceId: string, @Query({ schema: goalsQuerySchema }) query: GoalsQuery): Promise<GoalsReport> {
    return this.goals.report(practiceId, query);
  }

  @Get('goals.csv')
  @ApiOperation({ summary: 'The goals report as CSV' })
  @ApiProduces('text/csv')
  async goalsCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: goalsQuerySchema }) query: GoalsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.goals.report(practiceId, query);
    return sendCsv(response, `goals_${report.from}_${report.to}`, goalsCsv(report));
  }

  @Post('actual-values/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary:
      "Set leads' actual values from a CSV (text/csv body; columns lead_id or external_id, and actual_value): all rows or none, row errors with line numbers (422)",
  })
  async importActualValues(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: actualValueImportQuerySchema }) query: ActualValueImportQuery,
    @Req() request: Request,
  ): Promise<ActualValueImportReport> {
    const csv = await readTextBody(request);
    return this.actualValues.import(practiceId, csv, query.dryRun);
  }
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/goals')
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Put()
  @ApiOperation({ summary: 'Set (or with target null, remove) the goal of one month for one metric (leads, bookings, revenue)' })
  @ApiBody({ schema: openApiBody(putGoalSchema) })
  put(@CurrentPracticeId() practiceId: string, @Body({ schema: putGoalSchema }) input: PutGoalInput): Promise<GoalView> {
    return this.goals.put(practiceId, input);
  }
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/leads')
export class LeadActualValueController {
  constructor(private readonly actualValues: ActualValuesService) {}

  @Put(':id/actual-value')
  @ApiOperation({ summary: "Set (or with null, clear) a lead's actual value: what the new patient's treatment really brought in" })
  @ApiBody({ schema: openApiBody(putActualValueSchema) })
  @ApiResponse({ status: 404, description: "No such lead in this practice (another practice's lead included)." })
  @ApiResponse({ status: 422, description: 'The lead is merged into another: set the value there.' })
  put(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a lead id (UUID)') })) leadId: string,
    @Body({ schema: putActualValueSchema }) input: PutActualValueInput,
  ): Promise<ActualValueView> {
    return this.actualValues.put(practiceId, leadId, input);
  }
}
