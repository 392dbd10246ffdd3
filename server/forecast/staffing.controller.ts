import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../auth/auth.guards.js';
import { Roles } from '../auth/roles.guard.js';
import { staffingQuerySchema, type StaffingQuery } from './forecast.schemas.js';
import { StaffingService, type StaffingResponse } from './staffing.service.js';

@ApiTags('forecasts')
@ApiBearerAuth()
// Managers' pages; the ingest key keeps working until the pages log in only (it did before web login).
@Roles('admin', 'manager', 'ingest')
@Controller('api/v1/staffing')
export class StaffingController {
  constructor(private readonly staffing: StaffingService) {}

  @Get()
  @ApiOperation({
    summary: 'Forecast inbound calls and staff needed per hour of the week (Erlang A with patienceSeconds, else C), with expected missed calls at the staffing entered and at the recommended one',
  })
  plan(@CurrentPracticeId() practiceId: string, @Query({ schema: staffingQuerySchema }) query: StaffingQuery): Promise<StaffingResponse> {
    return this.staffing.staffing(practiceId, query);
  }
}
