// A webhook delivery whose process dies mid-way is never stuck (issue #11, item 2). The delivery's
// record commits with the lead it delivers, so a process killed (kill -9) between the two leaves
// nothing behind, and the sender's retry writes the lead exactly once. A claim without an answer left
// by an older version is stale and taken over. Needs dist/ (npm run build:server; npm test builds it).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { IntegrationsService } from '../../server/integrations/integrations.service.js';
import { webhookSignature } from '../../server/integrations/signatures.js';
import { freePort } from '../support/free-port.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
let hook: { id: string; secret: string };
let databaseUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Crash Dental' });
  const created = await t.app.get(IntegrationsService).create(a.practiceId, 'webhook');
  hook = { id: created.id, secret: created.secret! };
  databaseUrl = String((t.app.get(DataSource).options as { url?: string }).url);
});
afterAll(() => t.close());

async function deliver(baseUrl: string, body: object, timeoutMs = 15_000): Promise<{ status: number; body: any; replayed: string | null }> {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${baseUrl}/api/v1/integrations/webhook/${hook.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-timestamp': timestamp, 'x-signature': webhookSignature(hook.secret, timestamp, raw) },
    body: raw,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, replayed: response.headers.get('x-delivery-replayed') };
}

const leadsWithExternalId = async (externalId: string) =>
  (await t.query(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1 AND external_id = $2`, [a.practiceId, externalId]))[0].n as number;

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhook deliveries after a crash', () => {
  it('a process killed between the claim and the write leaves nothing; the retry writes the lead once', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['dist/server/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        DEMO: 'off',
        SIMULATOR: 'off',
        LOG_LEVEL: 'silent',
        DATA_DIR: t.config.dataDir, // the same secrets key as the test app (its key file: no SECRETS_KEY)
        SECRETS_KEY: '',
      },
      stdio: 'ignore',
    });
    const childUrl = `http://127.0.0.1:${port}`;
    const blocker = new pg.Client({ connectionString: databaseUrl });
    try {
      await waitFor(
        () =>
          fetch(`${childUrl}/api/health`).then(
            (r) => r.ok,
            () => false,
          ),
        'the second process',
      );
      // Hold the lead's external id in an open transaction: the child's insert of the lead waits on it,
      // after it has recorded the delivery in its own transaction.
      const externalId = 'crash-' + randomUUID();
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO lead (practice_id, external_id, channel, status, is_new_patient, created_at) VALUES ($1, $2, 'other', 'open', true, now())`,
        [a.practiceId, externalId],
      );

      const body = { type: 'lead', deliveryId: 'crash-' + randomUUID(), data: { externalId, channel: 'web_form', source: 'Website' } };
      const inFlight = deliver(childUrl, body).catch(() => null); // never answered: the process dies
      await waitFor(
        async () => (await t.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n > 0,
        'the delivery to wait on the lead',
      );
      child.kill('SIGKILL');
      await inFlight;
      await blocker.query('ROLLBACK');

      // Nothing of the killed delivery is left: no claim that would answer "still being processed".
      const claims = await t.query(`SELECT status_code FROM webhook_delivery WHERE delivery_id = $1`, [body.deliveryId]);
      expect(claims).toEqual([]);
      expect(await leadsWithExternalId(externalId)).toBe(0);

      const retry = await deliver(t.url, body);
      expect(retry.status).toBe(201);
      expect(await leadsWithExternalId(externalId)).toBe(1);
      const replay = await deliver(t.url, body);
      expect(replay).toMatchObject({ status: 201, replayed: 'true' });
      expect(replay.body.id).toBe(retry.body.id);
      expect(await leadsWithExternalId(externalId)).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await blocker.end().catch(() => undefined);
    }
  }, 120_000);

  it('takes over a stale claim (recorded without an answer) and writes the lead once', async () => {
    const externalId = 'stale-' + randomUUID();
    const body = { type: 'lead', deliveryId: 'stale-' + randomUUID(), data: { externalId, channel: 'phone' } };
    // What a process of an older version left when it died after claiming.
    await t.query(`INSERT INTO webhook_delivery (practice_id, integration_id, delivery_id) VALUES ($1, $2, $3)`, [a.practiceId, hook.id, body.deliveryId]);
    const retry = await deliver(t.url, body);
    expect(retry.status).toBe(201);
    expect(await leadsWithExternalId(externalId)).toBe(1);
    const rows = await t.query(`SELECT status_code FROM webhook_delivery WHERE delivery_id = $1`, [body.deliveryId]);
    expect(rows).toEqual([{ status_code: 201 }]);
    expect((await deliver(t.url, body)).replayed).toBe('true');
    expect(await leadsWithExternalId(externalId)).toBe(1);
  });

  it('concurrent deliveries of one id write one lead and all get its answer', async () => {
    const externalId = 'burst-' + randomUUID();
    const body = { type: 'lead', deliveryId: 'burst-' + randomUUID(), data: { externalId, channel: 'chat' } };
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(t.url, body)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === null)).toHaveLength(1);
    expect(await leadsWithExternalId(externalId)).toBe(1);
  });

  it('a delivery that fails with a server error keeps nothing, so the retry is processed', async () => {
    const externalId = 'fail-' + randomUUID();
    const body = { type: 'lead', deliveryId: 'fail-' + randomUUID(), data: { externalId, channel: 'phone' } };
    // Make the lead insert fail once with a database error that is no refusal of the input.
    await t.query(`CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.external_id = '${externalId}' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$`);
    await t.query(`CREATE TRIGGER fail_once BEFORE INSERT ON lead FOR EACH ROW EXECUTE FUNCTION fail_once()`);
    try {
      expect((await deliver(t.url, body)).status).toBeGreaterThanOrEqual(500);
    } finally {
      await t.query(`DROP TRIGGER fail_once ON lead`);
      await t.query(`DROP FUNCTION fail_once()`);
    }
    expect(await t.query(`SELECT 1 FROM webhook_delivery WHERE delivery_id = $1`, [body.deliveryId])).toEqual([]);
    expect((await deliver(t.url, body)).status).toBe(201);
    expect(await leadsWithExternalId(externalId)).toBe(1);
  });
});
