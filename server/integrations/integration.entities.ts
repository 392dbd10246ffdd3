import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const INTEGRATION_KINDS = ['twilio', 'webhook'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** A phone system or web form that sends signed requests for one practice. Its secret (a Twilio auth
 * token, or a generic webhook's HMAC key) must be usable to compute signatures, so it is stored
 * encrypted (see secret-box.ts), never in clear and never hashed. */
@Entity('integration')
export class Integration {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text') kind!: IntegrationKind;
  @Column('text') name!: string;
  /** AES-256-GCM ciphertext, bound to the row's id. */
  @Column('text') secret!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

/** A generic webhook delivery already answered: a replay of its delivery id gets the same answer. */
@Entity('webhook_delivery')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'integration_id' }) integrationId!: string;
  @Column('text', { name: 'delivery_id' }) deliveryId!: string;
  /** null while the first delivery is being processed. */
  @Column('integer', { name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column('jsonb', { nullable: true }) response!: unknown;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt!: Date;
}
