import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPracticeId, CurrentUserId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { byPrincipal, RateLimited } from '../common/rate-limited.decorator.js';
import { CallImportService, type CallImportReport } from './call-import.service.js';
import {
  exportQuerySchema,
  importQuerySchema,
  leadImportQuerySchema,
  spendExportQuerySchema,
  type ExportQueryInput,
  type ImportQuery,
  type LeadImportQuery,
  type SpendExportQuery,
} from './exchange.schemas.js';
import { sendCsv } from '../common/csv.js';
import { ExportService, type CsvFile } from './export.service.js';
import { LeadImportService, parseMapping, type ImportReport } from './lead-import.service.js';
import { SpendImportService, type SpendImportReport } from './spend-import.service.js';

function csvBody(body: unknown): string {
  if (typeof body !== 'string') throw new BadRequestException('body: send the CSV with "Content-Type: text/csv"');
  return body;
}

/** Exports may carry patient details: never kept by a browser or proxy. */
const sendFile = (response: Response, file: CsvFile): string => sendCsv(response, file.name, file.body, { noStore: true });

@ApiTags('exchange')
@Roles('admin', 'manager')
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportService) {}

  @Get('leads.csv')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'Leads created in a practice-local date range, one row per lead (merged leads included, as touches); patient details only with includeContacts=true (logged)',
  })
  async leads(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: exportQuerySchema }) query: ExportQueryInput,
    @CurrentUserId() userId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendFile(response, await this.exports.leads(practiceId, query, userId));
  }

  @Get('calls.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "Calls started in a practice-local date range; the caller's number only with includeContacts=true (logged)" })
  async calls(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: exportQuerySchema }) query: ExportQueryInput,
    @CurrentUserId() userId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendFile(response, await this.exports.calls(practiceId, query, userId));
  }

  @Get('spend.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Marketing spend of the months overlapping a practice-local date range: month, source, campaign, amount' })
  async spend(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: spendExportQuerySchema }) query: SpendExportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendFile(response, await this.exports.spend(practiceId, query));
  }
}

@ApiTags('exchange')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly leads: LeadImportService,
    private readonly calls: CallImportService,
    private readonly spend: SpendImportService,
  ) {}

  @Post('leads')
  @RateLimited(byPrincipal)
  @HttpCode(200)
  // Admins and managers (cookie + X-CSRF-Token); the ingest key keeps working for scripted imports, as before.
  @Roles('admin', 'manager', 'ingest')
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary:
      'Import leads from a CSV (text/csv body; a history with a column mapping, or the leads export): all rows in one transaction or none, with a row-by-row error report (422); rows already there are left unchanged',
  })
  importLeads(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: leadImportQuerySchema }) query: LeadImportQuery,
    @Body() body: unknown,
    @CurrentUserId() userId: string | null,
  ): Promise<ImportReport> {
    const csv = csvBody(body);
    let mapping;
    try {
      mapping = parseMapping(query.map);
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
    return this.leads.importLeads(practiceId, csv, mapping, query.dryRun, userId);
  }

  @Post('calls')
  @RateLimited(byPrincipal)
  @HttpCode(200)
  @Roles('admin', 'manager', 'ingest')
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary: 'Import calls from a CSV (the calls export): upserted by external id through the calls ingest, all rows or none, row-by-row error report (422)',
  })
  importCalls(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: importQuerySchema }) query: ImportQuery,
    @Body() body: unknown,
  ): Promise<CallImportReport> {
    return this.calls.importCalls(practiceId, csvBody(body), query.dryRun);
  }

  @Post('spend')
  @RateLimited(byPrincipal)
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary:
      'Import marketing spend from a CSV (month, source, campaign, amount): each (month, source, campaign) amount replaced, unknown source and campaign names created; all rows or none',
  })
  importSpend(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: importQuerySchema }) query: ImportQuery,
    @Body() body: unknown,
  ): Promise<SpendImportReport> {
    return this.spend.importSpend(practiceId, csvBody(body), query.dryRun);
  }
}
