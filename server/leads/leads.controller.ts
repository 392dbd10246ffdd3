import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentPracticeId, CurrentUserId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { byPrincipal, RateLimited } from '../common/rate-limited.decorator.js';
import { createLeadSchema, leadEventSchema, type CreateLeadInput, type LeadEventInput } from './lead.schemas.js';
import { openApiBody } from '../common/validation.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Lead } from './lead.entity.js';
import { LeadIntake } from './lead-intake.js';
import { LeadMerges } from './lead-merges.js';
import { LeadStatusMachine } from './lead-status-machine.js';
import type { LeadView } from './lead-view.js';

@ApiTags('ingest')
@ApiBearerAuth()
@Roles('ingest')
@Controller('api/v1/leads')
export class LeadsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    // The module's own jobs, straight (other features go through LeadsService).
    private readonly intake: LeadIntake,
    private readonly statusMachine: LeadStatusMachine,
    private readonly merges: LeadMerges,
  ) {}

  @Post()
  @RateLimited(byPrincipal)
  @ApiOperation({ summary: 'Create a lead (idempotent by externalId)' })
  @ApiBody({ schema: openApiBody(createLeadSchema) })
  @ApiResponse({ status: 201, description: 'Created and committed.' })
  @ApiResponse({ status: 200, description: 'A lead with this externalId already existed; nothing changed.' })
  async create(
    @CurrentPracticeId() practiceId: string,
    @Body({ schema: createLeadSchema }) input: CreateLeadInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LeadView> {
    const result = await this.unitOfWork.run((tx) => this.intake.create(tx, practiceId, input));
    response.status(result.created ? 201 : 200);
    return result.value;
  }

  @Post(':id/events')
  @RateLimited(byPrincipal)
  @ApiOperation({ summary: 'Record what happened to a lead: responded, contact_attempt, booked, not_booked' })
  @ApiBody({ schema: openApiBody(leadEventSchema) })
  @ApiResponse({ status: 201, description: 'Applied and committed.' })
  @ApiResponse({ status: 200, description: 'An event with this eventId was already applied; nothing changed.' })
  @ApiResponse({ status: 409, description: "The transition is impossible from the lead's state (e.g. booked twice)." })
  @ApiResponse({ status: 422, description: 'The event contradicts the lead (e.g. a response before it existed).' })
  async applyEvent(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) leadId: string,
    @Body({ schema: leadEventSchema }) input: LeadEventInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LeadView> {
    const result = await this.unitOfWork.run((tx) => this.statusMachine.applyEvent(tx, practiceId, leadId, input));
    response.status(result.created ? 201 : 200);
    return result.value;
  }

  @Post(':id/unmerge')
  @Roles('admin', 'manager')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a merge (one lead per person): the lead counts as a lead of its own again; logged',
    description: "Events applied to the person's lead while this lead was merged stay on that lead.",
  })
  @ApiResponse({ status: 409, description: 'The lead is not merged.' })
  unmerge(
    @CurrentPracticeId() practiceId: string,
    @CurrentUserId() userId: string | null,
    @Param('id', new ParseUUIDPipe()) leadId: string,
  ): Promise<LeadView> {
    return this.unitOfWork.run((tx) => this.merges.unmerge(tx, practiceId, leadId, userId));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a lead back (no patient details)' })
  async get(@CurrentPracticeId() practiceId: string, @Param('id', new ParseUUIDPipe()) leadId: string): Promise<Partial<Lead>> {
    const lead = await this.dataSource.getRepository(Lead).findOneBy({ id: leadId, practiceId });
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    const { notBookedNote: _private, ...view } = lead;
    return view;
  }
}
