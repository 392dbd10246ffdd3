import { Body, Controller, Get, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { openApiBody } from '../common/validation.js';
import { sendCsv, toCsv } from '../common/csv.js';
import { MarketingRoiService, type MarketingRoiReport } from './marketing-roi.service.js';
import type { MarketingSourceView } from './marketing-roi.contract.js';
import { MarketingSpendService, type SpendView } from './marketing-spend.service.js';
import { marketingRoiQuerySchema, putSpendSchema, spendQuerySchema, type MarketingRoiQuery, type PutSpendInput, type SpendQuery } from './reports.schemas.js';

const ROI_COLUMNS = [
  'Level',
  'Source',
  'Campaign',
  'Leads',
  'Bookings',
  'Conversion',
  'Sample',
  'Estimated revenue',
  'Actual revenue',
  'Spend',
  'Spend entered',
  'Cost per lead',
  'Cost per booking',
  'ROI',
  'ROI (actual revenue)',
  'Revenue per 1 spent',
  'Revenue per 1 spent (actual revenue)',
];

/** The JSON rows as CSV rows: the very same values, nulls as empty cells. */
export function marketingRoiCsv(report: MarketingRoiReport): string {
  return toCsv(
    ROI_COLUMNS,
    [...report.rows, report.totals].map((row) => [
      row.level,
      row.sourceName,
      row.campaignName,
      row.leads,
      row.bookings,
      row.conversion,
      row.sample,
      row.estimatedRevenue,
      row.actualRevenue,
      row.spend,
      row.spendEntered,
      row.costPerLead,
      row.costPerBooking,
      row.roi,
      row.roiActual,
      row.roiMultiple,
      row.roiMultipleActual,
    ]),
  );
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly roi: MarketingRoiService) {}

  @Get('marketing-roi')
  @ApiOperation({ summary: 'Marketing ROI per source and campaign over a practice-local date range (spend prorated by days)' })
  marketingRoi(@CurrentPracticeId() practiceId: string, @Query({ schema: marketingRoiQuerySchema }) query: MarketingRoiQuery): Promise<MarketingRoiReport> {
    return this.roi.report(practiceId, query);
  }

  @Get('marketing-roi.csv')
  @ApiOperation({ summary: 'The Marketing ROI report as CSV (the same numbers as the JSON)' })
  @ApiProduces('text/csv')
  async marketingRoiCsv(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: marketingRoiQuerySchema }) query: MarketingRoiQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const report = await this.roi.report(practiceId, query);
    return sendCsv(response, `marketing-roi_${report.from}_${report.to}`, marketingRoiCsv(report));
  }
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/marketing-spend')
export class MarketingSpendController {
  constructor(private readonly spend: MarketingSpendService) {}

  @Put()
  @ApiOperation({ summary: 'Enter (or replace) the spend of one month on a source or one of its campaigns' })
  @ApiBody({ schema: openApiBody(putSpendSchema) })
  @ApiResponse({ status: 422, description: "The source or campaign is not this practice's (or the campaign not this source's)." })
  put(@CurrentPracticeId() practiceId: string, @Body({ schema: putSpendSchema }) input: PutSpendInput): Promise<SpendView> {
    return this.spend.put(practiceId, input);
  }

  @Get()
  @ApiOperation({ summary: 'Spend entered for the months from..to (YYYY-MM, inclusive; default the last 12 months)' })
  list(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: spendQuerySchema }) query: SpendQuery,
  ): Promise<{ from: string; to: string; spend: SpendView[] }> {
    return this.spend.list(practiceId, query.from, query.to);
  }
}

@ApiTags('reports')
@Roles('admin', 'manager')
@Controller('api/v1/marketing-sources')
export class MarketingSourcesController {
  constructor(private readonly spend: MarketingSpendService) {}

  @Get()
  @ApiOperation({ summary: 'Every marketing source with its campaigns (what spend can be entered on)' })
  list(@CurrentPracticeId() practiceId: string): Promise<MarketingSourceView[]> {
    return this.spend.sources(practiceId);
  }
}
