// Signature checks, as guards so that they run before body validation: an unsigned request learns
// nothing about what a valid body looks like.

import { Injectable, UnauthorizedException, UnsupportedMediaTypeException, type CanActivate, type ExecutionContext, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import type { Integration } from './integration.entities.js';
import { IntegrationsService } from './integrations.service.js';
import type { FormParams } from './signatures.js';

/** How far a webhook's timestamp may be from the server's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookRequest = RawBodyRequest<Request> & { integration?: Integration };

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(private readonly integrations: IntegrationsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const signature = header(request, 'x-twilio-signature');
    if (!signature) throw new UnauthorizedException('missing X-Twilio-Signature header');
    const params = (request.body ?? {}) as FormParams;
    const practiceId = String(request.params.practiceId ?? '');
    if (!(await this.integrations.verifyTwilio(practiceId, signature, request.originalUrl, params))) {
      throw new UnauthorizedException(
        'X-Twilio-Signature does not match: check the auth token given to integration:create and that PUBLIC_URL is the base URL Twilio calls',
      );
    }
    return true;
  }
}

@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly integrations: IntegrationsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebhookRequest>();
    const timestamp = header(request, 'x-signature-timestamp');
    const signature = header(request, 'x-signature');
    if (!timestamp || !signature) throw new UnauthorizedException('missing X-Signature-Timestamp or X-Signature header');
    if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthorizedException('X-Signature-Timestamp: must be unix seconds');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
      throw new UnauthorizedException('X-Signature-Timestamp: more than 5 minutes from the server clock (stale or replayed request)');
    }
    if (!Buffer.isBuffer(request.rawBody)) throw new UnsupportedMediaTypeException('body: send Content-Type: application/json');
    const result = await this.integrations.verifyWebhook(String(request.params.integrationId ?? ''), signature, timestamp, request.rawBody);
    if (!result.ok) throw new UnauthorizedException(`X-Signature: ${result.reason}`);
    request.integration = result.integration;
    return true;
  }
}
