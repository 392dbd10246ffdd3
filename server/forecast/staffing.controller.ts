import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import type { Response } from 'express';
import { Roles } from '../auth/roles.guard.js';
import { ForecastLimits } from './forecast-limits.js';
import { staffingQuerySchema, type StaffingQuery } from './forecast.schemas.js';
import { StaffingService, type StaffingResponse } from './staffing.service.js';

@ApiTags('forecasts')
@ApiBearerAuth()
// Managers' pages; the ingest key keeps working until the pages log in only (it did before web login).
@Roles('admin', 'manager', 'ingest')
@Controller('api/v1/staffing')
export class StaffingController {
  constructor(
    private readonly staffing: StaffingService,
    private readonly limits: ForecastLimits,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Forecast inbound calls and staff needed per interval of the week (15, 30 or 60 minutes, practice time), inside opening hours only (Erlang A with patienceSeconds, else C), with expected missed calls at the staffing entered and at the recommended one, and after-hours calls apart',
  })
  async plan(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: staffingQuerySchema }) query: StaffingQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StaffingResponse> {
    // The call forecast is cached per practice; the Erlang sums for the query are cheap.
    await this.limits.admit(practiceId, query.refresh === true, response);
    return this.staffing.staffing(practiceId, query);
  }
}
