import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../auth/auth.guards.js';
import { Roles } from '../auth/roles.guard.js';
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
  ) {}

  @Get('leads')
  @ApiOperation({
    summary: 'Daily and monthly new-patient lead forecast with intervals and backtest accuracy (total, and per channel with by=channel)',
  })
  leadForecast(@CurrentPracticeId() practiceId: string, @Query({ schema: leadForecastQuerySchema }) query: LeadForecastQuery): Promise<LeadForecastResponse> {
    return this.leads.leads(practiceId, { horizon: query.horizon, byChannel: query.by === 'channel' }, query.refresh);
  }

  @Get('revenue')
  @ApiOperation({ summary: 'Monthly expected new-patient revenue (leads x P(book) x value per booked patient) with 80/95% ranges, against goals' })
  revenueForecast(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: revenueForecastQuerySchema }) query: RevenueForecastQuery,
  ): Promise<RevenueForecastResponse> {
    return this.revenue.revenue(practiceId, query.months, query.refresh);
  }
}
