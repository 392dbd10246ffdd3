import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import type { Response } from 'express';
import { Roles } from '../auth/roles.guard.js';
import { ForecastLimits } from './forecast-limits.js';
import { leadForecastQuerySchema, revenueForecastQuerySchema, type LeadForecastQuery, type RevenueForecastQuery } from './forecast.schemas.js';
import { LeadForecastService, type LeadForecastResponse } from './lead-forecast.service.js';
import { RevenueForecastService, type RevenueForecastResponse } from './revenue-forecast.service.js';

@ApiTags('forecasts')
@ApiBearerAuth()
// Managers' pages; the ingest key keeps working until the pages log in only (it did before web login).
@Roles('admin', 'manager', 'ingest')
@Controller('api/v1/forecasts')
export class ForecastController {
  constructor(
    private readonly leads: LeadForecastService,
    private readonly revenue: RevenueForecastService,
    private readonly limits: ForecastLimits,
  ) {}

  @Get('leads')
  @ApiOperation({
    summary: 'Daily and monthly new-patient lead forecast with intervals and backtest accuracy (total, and per channel with by=channel)',
  })
  async leadForecast(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: leadForecastQuerySchema }) query: LeadForecastQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LeadForecastResponse> {
    await this.limits.admit(practiceId, query.refresh, response);
    return this.leads.leads(practiceId, { horizon: query.horizon, byChannel: query.by === 'channel' }, query.refresh);
  }

  @Get('revenue')
  @ApiOperation({ summary: 'Monthly expected new-patient revenue (leads x P(book) x value per booked patient) with 80/95% ranges, against goals' })
  async revenueForecast(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: revenueForecastQuerySchema }) query: RevenueForecastQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RevenueForecastResponse> {
    await this.limits.admit(practiceId, query.refresh, response);
    return this.revenue.revenue(practiceId, query.months, query.refresh);
  }
}
