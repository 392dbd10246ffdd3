import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { byPrincipal, RateLimited } from '../common/rate-limited.decorator.js';
import { openApiBody } from '../common/validation.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { callSchema, type CallInput } from './call.schema.js';
import { CallsService, type CallView } from './calls.service.js';

@ApiTags('ingest')
@ApiBearerAuth()
@Roles('ingest')
@Controller('api/v1/calls')
export class CallsController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly calls: CallsService,
  ) {}

  @Post()
  @RateLimited(byPrincipal)
  @ApiOperation({ summary: 'Report a call or a change to it (idempotent by externalId)' })
  @ApiBody({ schema: openApiBody(callSchema) })
  @ApiResponse({ status: 201, description: 'First message for this call: created and committed.' })
  @ApiResponse({ status: 200, description: 'The call existed: updated if anything changed, else untouched.' })
  async upsert(
    @CurrentPracticeId() practiceId: string,
    @Body({ schema: callSchema }) input: CallInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CallView> {
    const result = await this.unitOfWork.run((tx) => this.calls.upsert(tx, practiceId, input));
    response.status(result.created ? 201 : 200);
    return result.value;
  }
}
