import type { MigrationInterface, QueryRunner } from 'typeorm';

// Follow-up cadences (server/followups/): per practice, a default ('default') and optional per-channel
// overrides. A practice with no row uses the built-in cadence (DEFAULT_CADENCE in
// server/followups/cadence.ts). `steps` is validated by the API (cadenceSchema); the database checks
// its shape only coarsely.
//
// The queue's hot paths use the indexes of InitialSchema and LeadManagement (lead_waiting_idx,
// lead_practice_created_idx, contact_attempt_lead_idx, call_missed_no_callback_idx); one more here:
// leads lost to price or scheduling, the queue's last section.

export class FollowUps1795818138724 implements MigrationInterface {
  name = 'FollowUps1795818138724';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE follow_up_cadence (
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        channel text NOT NULL
          CHECK (channel IN ('default', 'phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other')),
        steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) BETWEEN 1 AND 20),
        max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_user_id uuid,
        PRIMARY KEY (practice_id, channel)
      )`);
    await q.query(
      `CREATE INDEX lead_lost_campaignable_idx ON lead (practice_id, created_at)
         WHERE status = 'not_booked' AND not_booked_reason IN ('price', 'scheduling')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS lead_lost_campaignable_idx`);
    await q.query(`DROP TABLE IF EXISTS follow_up_cadence`);
  }
}
