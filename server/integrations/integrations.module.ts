import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CallsModule } from '../calls/calls.module.js';
import type { AppConfig } from '../config/app-config.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { IntegrationsController } from './integrations.controller.js';
import { TwilioSignatureGuard, WebhookSignatureGuard } from './integrations.guards.js';
import { INTEGRATIONS_SETTINGS, IntegrationsService, type IntegrationsSettings } from './integrations.service.js';
import { SecretBox } from './secret-box.js';

/** Same cap as the app's JSON parser. */
const FORM_BODY_LIMIT = '64kb';
const formParser = express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: 200 });

/** Twilio posts form-encoded bodies; parser errors answered in the API's error shape. */
function twilioForm(req: Request, res: Response, next: NextFunction): void {
  formParser(req, res, (error?: { status?: number; type?: string; message: string }) => {
    if (!error) return next();
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    res.status(status).json({
      statusCode: status,
      error: status === 413 ? 'Payload Too Large' : 'Bad Request',
      message: status === 413 ? `body: larger than ${FORM_BODY_LIMIT}` : `body: ${error.message}`,
    });
  });
}

/** Phone-system and web-form integrations: Twilio voice status callbacks and the generic signed webhook. */
@Module({})
export class IntegrationsModule implements NestModule {
  static forRoot(config: Pick<AppConfig, 'publicUrl' | 'dataDir' | 'secretsKey'>): DynamicModule {
    const settings: IntegrationsSettings = { publicUrl: config.publicUrl };
    return {
      module: IntegrationsModule,
      imports: [IngestModule, CallsModule, PracticesModule],
      controllers: [IntegrationsController],
      providers: [
        { provide: INTEGRATIONS_SETTINGS, useValue: settings },
        // Checked at start: a malformed SECRETS_KEY stops the server rather than the first webhook.
        { provide: SecretBox, useValue: SecretBox.fromEnvironment(config.secretsKey, config.dataDir) },
        IntegrationsService,
        TwilioSignatureGuard,
        WebhookSignatureGuard,
      ],
      exports: [IntegrationsService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The app parses JSON only (with the raw bytes kept, for the webhook signature); Twilio's callbacks are forms.
    consumer.apply(twilioForm).forRoutes({ path: 'api/v1/integrations/twilio/voice-status/:practiceId', method: RequestMethod.POST });
  }
}
