import { BadRequestException, Body, Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../auth/auth.guards.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { leadImportQuerySchema, type LeadImportQuery } from './forecast.schemas.js';
import { LeadImportService, parseMapping, type ImportReport } from './lead-import.service.js';

/** Largest CSV accepted in one upload. */
export const IMPORT_BODY_LIMIT = '20mb';

@ApiTags('ingest')
@ApiBearerAuth()
@UseGuards(RolesGuard)
// Admins and managers (cookie + X-CSRF-Token); the ingest key keeps working for scripted imports, as before.
@Roles('admin', 'manager', 'ingest')
@Controller('api/v1/imports')
export class LeadImportController {
  constructor(private readonly imports: LeadImportService) {}

  @Post('leads')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary: 'Import past leads from a CSV (text/csv body): all rows in one transaction or none, with a row-by-row error report (422)',
  })
  importLeads(
    @CurrentPracticeId() practiceId: string,
    @Query({ schema: leadImportQuerySchema }) query: LeadImportQuery,
    @Body() body: unknown,
  ): Promise<ImportReport> {
    if (typeof body !== 'string') throw new BadRequestException('body: send the CSV with "Content-Type: text/csv"');
    let mapping;
    try {
      mapping = parseMapping(query.map);
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
    return this.imports.importLeads(practiceId, body, mapping, query.dryRun);
  }
}
