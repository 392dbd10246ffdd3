import type { MigrationInterface, QueryRunner } from 'typeorm';

// Several server processes on one PostgreSQL database (server/cluster/):
//
// - practice_event_seq: one counter per practice, bumped in the transaction that publishes the
//   practice's domain events (its NOTIFY carries the number). A process that receives number n+2 after
//   n knows it missed one and rebuilds that practice's board from the database. The row lock taken by
//   the bump also orders one practice's commits, so numbers arrive in order.
// - rate_limit: rate-limiter-flexible's PostgreSQL store (server/ratelimit/limiter-store.ts), shared by
//   every process. UNLOGGED: counters need no crash safety (a restart forgets at most a minute of
//   counts) and skip the write-ahead log on every request.

export class ClusterSupport1796290103015 implements MigrationInterface {
  name = 'ClusterSupport1796290103015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE practice_event_seq (
        practice_id uuid PRIMARY KEY REFERENCES practice (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq >= 0)
      )`);
    // The columns rate-limiter-flexible's RateLimiterPostgres reads and writes.
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit`);
    await q.query(`DROP TABLE practice_event_seq`);
  }
}
