import { Body, Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.guard.js';
import { RateLimited, type RateLimitKey } from '../common/rate-limited.decorator.js';
import { openApiBody } from '../common/validation.js';
import { TwilioSignatureGuard, WebhookSignatureGuard, type WebhookRequest } from './integrations.guards.js';
import { webhookEnvelopeSchema } from './integrations.schemas.js';
import { IntegrationsService, type WebhookEnvelope } from './integrations.service.js';
import { twilioVoiceStatusSchema, type TwilioVoiceStatus } from './twilio-status.js';

/** Twilio's callbacks spend the practice's budget (the practice id in the URL, checked by the signature). */
const byPractice: RateLimitKey = (request) => `twilio:${String(request.params.practiceId ?? '')}`;
/** A webhook spends its integration's budget (the one the signature guard verified). */
const byIntegration: RateLimitKey = (request) => `webhook:${request.integration?.id ?? String(request.params.integrationId ?? '')}`;

@ApiTags('integrations')
// Open to the phone system and webhook senders: each route checks its own signature (guards below).
@Public()
@Controller('api/v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Post('twilio/voice-status/:practiceId')
  @HttpCode(204)
  @UseGuards(TwilioSignatureGuard)
  @RateLimited(byPractice)
  @ApiOperation({ summary: "Twilio voice status callback (form-encoded, signed with the practice's auth token)" })
  @ApiHeader({ name: 'X-Twilio-Signature', required: true })
  @ApiResponse({ status: 204, description: 'Recorded (or already known: callbacks for a CallSid merge into one call).' })
  @ApiResponse({ status: 401, description: 'Missing or wrong signature; nothing written.' })
  async twilioVoiceStatus(@Param('practiceId') practiceId: string, @Body({ schema: twilioVoiceStatusSchema }) params: TwilioVoiceStatus): Promise<void> {
    await this.integrations.twilioVoiceStatus(practiceId, params);
  }

  @Post('webhook/:integrationId')
  @UseGuards(WebhookSignatureGuard)
  @RateLimited(byIntegration)
  @ApiOperation({ summary: 'Generic signed webhook: a lead or a call, HMAC-SHA256 over "<timestamp>.<raw body>"' })
  @ApiHeader({ name: 'X-Signature-Timestamp', required: true, description: 'Unix seconds; within 5 minutes of the server clock.' })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">' })
  @ApiBody({ schema: openApiBody(webhookEnvelopeSchema) })
  @ApiResponse({ status: 201, description: 'Created. A replayed deliveryId gets the first answer again.' })
  @ApiResponse({ status: 401, description: 'Missing, stale or wrong signature, or a revoked integration; nothing changes.' })
  async webhook(
    @Req() request: WebhookRequest,
    @Body({ schema: webhookEnvelopeSchema }) envelope: WebhookEnvelope,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const answer = await this.integrations.deliverWebhook(request.integration!, envelope);
    response.status(answer.status);
    if (answer.replayed) response.setHeader('X-Delivery-Replayed', 'true');
    return answer.body;
  }
}
