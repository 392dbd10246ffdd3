// Each test file gets its own database on the PostgreSQL server, created fresh and dropped after,
// so files can run in any order and leave nothing behind. The server is the one jest's globalSetup chose:
// TEST_DATABASE_URL's, or an embedded PostgreSQL when none answers there.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_TEST_SERVER_URL } from './embedded-postgres.js';

/** The server the tests use (set by global-setup.ts for the run). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lw_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
