import type { MigrationInterface, QueryRunner } from 'typeorm';

// Web login for admins and managers: users (one practice each) and their sessions.
// Passwords are stored only as scrypt hashes with their parameters; session and CSRF tokens only as
// SHA-256 digests of 256-bit random secrets. The composite foreign key keeps a session in its
// user's practice.

export class Users1795814499246 implements MigrationInterface {
  name = 'Users1795814499246';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'manager')),
        password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        UNIQUE (practice_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_uq ON app_user (practice_id, lower(email))`);
    await q.query(`CREATE INDEX app_user_email_idx ON app_user (lower(email))`);

    await q.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        practice_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        csrf_token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        FOREIGN KEY (practice_id, user_id) REFERENCES app_user (practice_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX user_session_user_idx ON user_session (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS user_session`);
    await q.query(`DROP TABLE IF EXISTS app_user`);
  }
}
