import type { MigrationInterface, QueryRunner } from 'typeorm';

// Phone-system and web-form integrations: their per-practice secrets (encrypted at rest, because a
// Twilio auth token and a webhook secret must be usable to compute signatures, so cannot be hashed)
// and the deliveries a signed webhook has already answered (a replayed delivery id changes nothing).

export class Integrations1795814552128 implements MigrationInterface {
  name = 'Integrations1795814552128';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('twilio', 'webhook')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        UNIQUE (practice_id, id)
      )`);
    await q.query(`CREATE INDEX integration_practice_kind_idx ON integration (practice_id, kind) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL,
        integration_id uuid NOT NULL,
        delivery_id text NOT NULL CHECK (length(delivery_id) BETWEEN 1 AND 200),
        status_code integer,
        response jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (integration_id, delivery_id),
        FOREIGN KEY (practice_id, integration_id) REFERENCES integration (practice_id, id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_delivery`);
    await q.query(`DROP TABLE IF EXISTS integration`);
  }
}
