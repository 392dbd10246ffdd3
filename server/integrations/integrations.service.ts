// Integration secrets (create, revoke, look up for verification) and the two inbound integrations.
// Every write to leads and calls goes through the ingest port, like the ingest API's.

import { randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { databaseErrorAsHttp } from '../common/database-errors.js';
import { IngestService } from '../ingest/ingest.service.js';
import { callSchema, type CallInput } from '../calls/call.schema.js';
import { type CreateLeadInput } from '../leads/lead.schemas.js';
import { CallsService } from '../calls/calls.service.js';
import { PracticesService } from '../practices/practices.service.js';
import { Integration, WebhookDelivery, type IntegrationKind } from './integration.entities.js';
import { SecretBox } from './secret-box.js';
import { verifyTwilioSignature, verifyWebhookSignature, type FormParams } from './signatures.js';
import { mapTwilioStatus, type TwilioVoiceStatus } from './twilio-status.js';

// The kinds, for callers that name one (the CLI): they ask this service, not the entity file.
export { INTEGRATION_KINDS, type IntegrationKind } from './integration.entities.js';

export const INTEGRATIONS_SETTINGS = Symbol('INTEGRATIONS_SETTINGS');
export interface IntegrationsSettings {
  /** PUBLIC_URL: the base Twilio requested, for signature URLs. */
  publicUrl: string;
}

export interface CreatedIntegration {
  id: string;
  practiceId: string;
  kind: IntegrationKind;
  name: string;
  /** The URL to configure on the other side. */
  url: string;
  /** Webhooks only: the generated secret, shown once. */
  secret?: string;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

export type WebhookEnvelope = { type: 'lead'; deliveryId: string; data: CreateLeadInput } | { type: 'call'; deliveryId: string; data: CallInput };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class IntegrationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingest: IngestService,
    private readonly calls: CallsService,
    private readonly practices: PracticesService,
    private readonly secrets: SecretBox,
    @Inject(INTEGRATIONS_SETTINGS) private readonly settings: IntegrationsSettings,
  ) {}

  twilioUrl(practiceId: string): string {
    return `${this.settings.publicUrl}/api/v1/integrations/twilio/voice-status/${practiceId}`;
  }

  webhookUrl(integrationId: string): string {
    return `${this.settings.publicUrl}/api/v1/integrations/webhook/${integrationId}`;
  }

  async create(practiceId: string, kind: IntegrationKind, options: { name?: string; authToken?: string } = {}): Promise<CreatedIntegration> {
    if (!UUID.test(practiceId) || !(await this.practices.practiceExists(practiceId))) {
      throw new NotFoundException(`practice ${practiceId} not found`);
    }
    let secret: string;
    if (kind === 'twilio') {
      const token = options.authToken?.trim() ?? '';
      if (!/^[\x21-\x7e]{8,200}$/.test(token)) {
        throw new BadRequestException('auth-token: the Twilio auth token is required (Console > Account info > Auth Token)');
      }
      secret = token;
    } else {
      if (options.authToken !== undefined) throw new BadRequestException('auth-token: only for --kind twilio');
      secret = 'lwh_' + randomBytes(32).toString('base64url');
    }
    const name = (options.name ?? (kind === 'twilio' ? 'Twilio' : 'Webhook')).trim();
    if (!name || name.length > 200) throw new BadRequestException('name: must be 1 to 200 characters');
    const id = randomUUID();
    await this.dataSource.getRepository(Integration).insert({ id, practiceId, kind, name, secret: this.secrets.encrypt(secret, id) });
    return {
      id,
      practiceId,
      kind,
      name,
      url: kind === 'twilio' ? this.twilioUrl(practiceId) : this.webhookUrl(id),
      ...(kind === 'webhook' ? { secret } : {}),
    };
  }

  async revoke(integrationId: string): Promise<Integration> {
    const repository = this.dataSource.getRepository(Integration);
    const row = UUID.test(integrationId) ? await repository.findOneBy({ id: integrationId }) : null;
    if (!row) throw new NotFoundException(`integration ${integrationId} not found`);
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await repository.update({ id: row.id }, { revokedAt: row.revokedAt });
    }
    return row;
  }

  /** Whether a Twilio request is signed with the auth token of one of the practice's active Twilio integrations. */
  async verifyTwilio(practiceId: string, signature: string, originalUrl: string, params: FormParams): Promise<boolean> {
    if (!UUID.test(practiceId)) return false;
    const integrations = await this.dataSource.getRepository(Integration).findBy({ practiceId, kind: 'twilio', revokedAt: IsNull() });
    const url = this.settings.publicUrl + originalUrl;
    let valid = false;
    for (const integration of integrations) {
      if (verifyTwilioSignature(this.secrets.decrypt(integration.secret, integration.id), signature, url, params)) valid = true;
    }
    return valid;
  }

  /** The webhook integration if the request is signed with its secret; the reason otherwise. */
  async verifyWebhook(
    integrationId: string,
    signature: string,
    timestamp: string,
    rawBody: Buffer,
  ): Promise<{ ok: true; integration: Integration } | { ok: false; reason: string }> {
    const integration = UUID.test(integrationId) ? await this.dataSource.getRepository(Integration).findOneBy({ id: integrationId, kind: 'webhook' }) : null;
    if (!integration) return { ok: false, reason: 'unknown integration' };
    if (integration.revokedAt) return { ok: false, reason: 'integration revoked' };
    const secret = this.secrets.decrypt(integration.secret, integration.id);
    if (!verifyWebhookSignature(secret, signature, timestamp, rawBody)) return { ok: false, reason: 'bad signature' };
    return { ok: true, integration };
  }

  /** A verified Twilio status callback, through the call API's merge. */
  async twilioVoiceStatus(practiceId: string, params: TwilioVoiceStatus): Promise<void> {
    // Reading the stored call is only to interpret the callback (was it already answered? first sight?);
    // the write is the ingest port's, which merges concurrent and out-of-order messages.
    const known = await this.calls.findKnownCall(practiceId, params.CallSid);
    const mapped = mapTwilioStatus(params, known ?? null);
    const parsed = callSchema.safeParse(mapped);
    if (!parsed.success) {
      throw new BadRequestException(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '));
    }
    await this.ingest.upsertCall(practiceId, parsed.data);
  }

  /**
   * A verified, validated webhook delivery, ingested once per delivery id. The delivery's record is
   * written in the same transaction as the lead or call it delivers, with its answer: there is never
   * a claim without a write, so a process that dies mid-delivery leaves nothing and the sender's retry
   * is processed afresh. A concurrent delivery of the same id waits on the unique index until the first
   * commits (then gets its answer, replayed) or rolls back (then it is processed itself). A claim
   * without an answer left by an older version is stale and taken over.
   */
  async deliverWebhook(integration: Integration, envelope: WebhookEnvelope): Promise<WebhookAnswer> {
    const { practiceId } = integration;
    const key = { integrationId: integration.id, deliveryId: envelope.deliveryId };
    try {
      return await this.ingest.inTransaction(async (tx, port) => {
        const claimed: unknown[] = await tx.manager.query(
          `INSERT INTO webhook_delivery (practice_id, integration_id, delivery_id) VALUES ($1, $2, $3)
           ON CONFLICT (integration_id, delivery_id) DO UPDATE SET received_at = now() WHERE webhook_delivery.status_code IS NULL
           RETURNING id`,
          [practiceId, integration.id, envelope.deliveryId],
        );
        if (claimed.length === 0) return this.replay(await tx.manager.findOneByOrFail(WebhookDelivery, key));
        const result = envelope.type === 'lead' ? await port.createLead(practiceId, envelope.data) : await port.upsertCall(practiceId, envelope.data);
        const answer: WebhookAnswer = { status: result.created ? 201 : 200, body: result.value, replayed: false };
        await tx.manager.update(WebhookDelivery, key, { statusCode: answer.status, response: answer.body as object });
        return answer;
      });
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error; // not an answer: nothing was kept, so the sender's retry is processed
      // A refusal is an answer too: kept (its transaction rolled back), so a replay gets it again.
      return this.ingest.inTransaction(async (tx) => {
        const kept: unknown[] = await tx.manager.query(
          `INSERT INTO webhook_delivery (practice_id, integration_id, delivery_id, status_code, response) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (integration_id, delivery_id) DO NOTHING RETURNING id`,
          [practiceId, integration.id, envelope.deliveryId, refusal.status, JSON.stringify(refusal.body)],
        );
        if (kept.length === 0) return this.replay(await tx.manager.findOneByOrFail(WebhookDelivery, key));
        return refusal;
      });
    }
  }

  private replay(first: WebhookDelivery): WebhookAnswer {
    if (first.statusCode === null) throw new ConflictException('deliveryId: this delivery is still being processed; retry later');
    return { status: first.statusCode, body: first.response, replayed: true };
  }
}

/** A 4xx from the ingest (or the database's refusal of the input) as the delivery's answer. */
function refusalOf(error: unknown): WebhookAnswer | null {
  const http = error instanceof HttpException ? error : databaseErrorAsHttp(error);
  if (!http || http.getStatus() >= 500) return null;
  const response = http.getResponse();
  const body = typeof response === 'string' ? { statusCode: http.getStatus(), message: response } : response;
  return { status: http.getStatus(), body, replayed: false };
}
