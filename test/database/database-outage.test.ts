// Database outages: the app reaches PostgreSQL through a TCP relay this test can cut. While the
// database is away, requests answer 503 with Retry-After within seconds (no 500, no hang); when it is
// back, the same app answers 2xx again without a restart, and a retried lead is written exactly once.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../server/common/database-unavailable.js';
import { DataSource } from 'typeorm';
import type { DatabasePoolSettings } from '../../server/database/database-pool.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let database: TestDatabase;
let proxy: OutageProxy;
let t: TestApp;
let a: TestPractice;

/** Shorter than the defaults, set as an operator would (DB_* settings), so the bounds below are theirs. */
const POOL: DatabasePoolSettings = {
  max: 10,
  connectTimeoutMs: 1_500,
  idleTimeoutMs: 10_000,
  statementTimeoutMs: 2_000,
  queryTimeoutMs: 4_000,
  idleInTransactionTimeoutMs: 30_000,
};

beforeAll(async () => {
  database = await createTestDatabase();
  proxy = await startOutageProxy(database.url);
  t = await startTestApp({ config: { databaseUrl: proxy.url, databasePool: POOL } });
  a = await t.createPractice();
});
afterAll(async () => {
  await proxy.restore(); // a failed test must not leave the app's connections swallowed
  await t.close();
  await proxy.close();
  await database.drop();
});

/** Counted on a direct connection, not through the relay. */
async function leadsWithExternalId(externalId: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM lead WHERE external_id = $1', [externalId]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

async function postLead(externalId: string) {
  const response = await fetch(`${t.url}/api/v1/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${a.ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId, channel: 'phone', source: 'Google Ads', patient: { name: 'Ona Outage', phone: '+1 555 0123 456' } }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { message?: string } };
}

describe('while the database is unreachable', () => {
  it('answers 503 with Retry-After at once when connections are refused, then recovers without a restart', async () => {
    expect((await postLead('before-outage')).status).toBe(201);
    await proxy.refuse();

    const during = await timed(() => postLead('during-outage'));
    expect(during.result.status).toBe(503);
    expect(during.result.retryAfter).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(during.result.body.message).toMatch(/database is unavailable/);
    expect(JSON.stringify(during.result.body)).not.toMatch(/Ona|0123/);
    // Bounded by the pool's connection timeout, not by luck: a hang would fail here.
    expect(during.ms).toBeLessThan(POOL.connectTimeoutMs + 2000);

    for (const path of ['/api/v1/board', '/api/health']) {
      const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${a.ingestKey}` } });
      expect(response.status).toBe(503);
    }

    await proxy.restore();
    // The same delivery retried: written once, now that the database is back.
    const after = await postLead('during-outage');
    expect(after.status).toBe(201);
    expect(await leadsWithExternalId('during-outage')).toBe(1);
    expect((await postLead('during-outage')).status).toBe(200);
    expect(await leadsWithExternalId('during-outage')).toBe(1);
  });

  it('answers 503 within the timeouts when the network swallows everything (no answer, no reset), then recovers', async () => {
    proxy.blackhole();
    const during = await timed(() => postLead('partition'));
    expect(during.result.status).toBe(503);
    expect(during.result.retryAfter).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    // A pooled connection's query waits for query_timeout; a new one for the connection timeout. The
    // margin is for a busy machine's timers: the point is an answer, not a request left hanging.
    expect(during.ms).toBeLessThan(POOL.queryTimeoutMs + 10_000);

    await proxy.restore();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 201) status = (await postLead('partition')).status;
    expect(status).toBe(201);
    expect(await leadsWithExternalId('partition')).toBe(1);
  }, 60_000);
});

describe('the pool settings', () => {
  it('cancels a statement running past DB_STATEMENT_TIMEOUT_MS on the server, as a database-unavailable error', async () => {
    const started = Date.now();
    const error = await t.app
      .get(DataSource)
      .query('SELECT pg_sleep(30)')
      .then(
        () => null,
        (e: { driverError?: { code?: string } }) => e,
      );
    expect(error?.driverError?.code).toBe('57014');
    expect(Date.now() - started).toBeGreaterThanOrEqual(POOL.statementTimeoutMs - 100);
    expect(Date.now() - started).toBeLessThan(POOL.queryTimeoutMs + 2_000);
  });
});
