// PostgreSQL advisory locks: what the server processes of one database agree on without a table.
// Session locks, held by one connection: if the process dies, PostgreSQL frees the lock as soon as it
// notices the connection is gone (at once for a killed process on a live host; within the TCP
// keepalive settings below for a vanished host).

import type { DataSource } from 'typeorm';
import { serverPool } from '../database/database-driver.js';

/** Two-key advisory locks (classid, objid): classid is the project's, objid names the purpose. */
export const LOCK_CLASS = 0x4c57; // "LW"
export const LOCKS = {
  /** The run-once work (demo simulator...): see leader.ts. */
  leader: 1,
  /** Migrations: several processes starting at once run them one after the other. */
  migrations: 2,
  /** Creating the demo practice on an empty database. */
  demoSetup: 3,
} as const;

/** Server-side keepalive for a lock-holding session: a vanished holder is noticed within ~20 s. */
export const KEEPALIVE_SETTINGS = `SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`;

/** Runs `work` while holding lock `objid` (waiting for it) on one connection taken from the pool for
 * the purpose (a session lock, no transaction). PostgreSQL server only. */
export async function withAdvisoryLock<T>(dataSource: DataSource, objid: number, work: () => Promise<T>): Promise<T> {
  const pool = serverPool(dataSource);
  if (!pool) throw new Error('advisory locks coordinate server processes on a PostgreSQL server; the embedded database has one process');
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, objid]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, objid]).catch((error: Error) => {
        broken = error; // a connection that failed here is not given back to the pool
      });
    }
  } finally {
    client.release(broken);
  }
}
