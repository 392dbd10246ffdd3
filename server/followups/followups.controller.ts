import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPracticeId, CurrentUserId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { openApiBody } from '../common/validation.js';
import { SESSION_COOKIE } from '../users/sessions.js';
import type { AttemptResultV1, CadencesV1, CalledBackResultV1, DoNotContactResultV1, FollowUpQueueV1 } from './followups.contract.js';
import {
  attemptSchema,
  calledBackSchema,
  doNotContactSchema,
  putCadenceSchema,
  type AttemptInput,
  type CalledBackInput,
  type DoNotContactInput,
  type PutCadenceInput,
} from './followups.schemas.js';
import { FollowUpActionsService } from './follow-up-actions.service.js';
import { FollowUpCadencesService } from './follow-up-cadences.service.js';
import { FollowUpQueueService, QUEUE_LIMIT, QUEUE_WINDOW_DAYS } from './follow-up-queue.service.js';

/** The front desk's follow-up queue and its actions; cadences for managers. Signed-in users only
 * (session cookie; writes send X-CSRF-Token): the queue shows patient details. */
@ApiTags('follow-ups')
@ApiCookieAuth(SESSION_COOKIE)
@Roles('front_desk', 'manager', 'admin')
@Controller('api/v1/follow-ups')
export class FollowUpsController {
  constructor(
    private readonly queueView: FollowUpQueueService,
    private readonly cadenceSettings: FollowUpCadencesService,
    private readonly actions: FollowUpActionsService,
  ) {}

  @Get('queue')
  @ApiOperation({
    summary: `What to do now: leads waiting for a first contact, next attempts due, missed new-patient calls with no callback, leads lost to price or scheduling. Last ${QUEUE_WINDOW_DAYS} days, at most ${QUEUE_LIMIT} items; with patient details (each view is logged)`,
  })
  queue(@CurrentPracticeId() practiceId: string, @CurrentUserId() userId: string | null): Promise<FollowUpQueueV1> {
    return this.queueView.queue(practiceId, userId);
  }

  @Get('cadences')
  @ApiOperation({ summary: "The practice's follow-up cadence and the one each channel follows" })
  cadences(@CurrentPracticeId() practiceId: string): Promise<CadencesV1> {
    return this.cadenceSettings.getCadences(practiceId);
  }

  @Put('cadences/:channel')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Set the practice default (:channel = default) or a channel override; {"useDefault": true} removes it' })
  @ApiBody({ schema: openApiBody(putCadenceSchema) })
  putCadence(
    @CurrentPracticeId() practiceId: string,
    @Param('channel') channel: string,
    @Body({ schema: putCadenceSchema }) input: PutCadenceInput,
    @CurrentUserId() userId: string | null,
  ): Promise<CadencesV1> {
    return this.cadenceSettings.putCadence(practiceId, channel, input, userId);
  }

  @Post('leads/:id/attempts')
  @ApiOperation({ summary: "Log a contact attempt (call, text, email, chat and its outcome): recorded as the lead's contact_attempt event" })
  @ApiBody({ schema: openApiBody(attemptSchema) })
  @ApiResponse({ status: 201, description: 'Recorded.' })
  @ApiResponse({ status: 200, description: 'An attempt with this eventId was already recorded; nothing changed.' })
  @ApiResponse({ status: 409, description: 'The lead is merged into another, or asked not to be contacted.' })
  async attempt(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) leadId: string,
    @Body({ schema: attemptSchema }) input: AttemptInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AttemptResultV1> {
    const result = await this.actions.logAttempt(practiceId, leadId, input);
    response.status(result.created ? 201 : 200);
    return result;
  }

  @Post('leads/:id/do-not-contact')
  @HttpCode(200)
  @ApiOperation({ summary: 'The person asked not to be contacted: ends the follow-ups ({"undo": true} lifts it). Repeating it changes nothing' })
  @ApiBody({ schema: openApiBody(doNotContactSchema), required: false })
  doNotContact(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) leadId: string,
    @Body({ schema: doNotContactSchema }) input: DoNotContactInput,
  ): Promise<DoNotContactResultV1> {
    return this.actions.doNotContact(practiceId, leadId, input);
  }

  @Post('calls/:id/called-back')
  @HttpCode(200)
  @ApiOperation({ summary: 'A missed inbound call was called back (now, or at `at`, not before the call). Repeating it changes nothing' })
  @ApiBody({ schema: openApiBody(calledBackSchema), required: false })
  calledBack(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) callId: string,
    @Body({ schema: calledBackSchema }) input: CalledBackInput,
  ): Promise<CalledBackResultV1> {
    return this.actions.calledBack(practiceId, callId, input);
  }
}
