// Per-key rate limits on the ingest API and the signed webhook, on the real app with a low limit:
// 1 request per second sustained, bursts of 3, so each key's window holds 3 requests and lasts 3 s.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { RATE_LIMIT_KEY } from '../../server/common/rate-limited.decorator.js';
import { DEFAULT_INGEST_RATE_LIMITS, readAppConfig } from '../../server/config/app-config.js';
import { IntegrationsService } from '../../server/integrations/integrations.service.js';
import { webhookSignature } from '../../server/integrations/signatures.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

const LIMITS = { perSecond: 1, burst: 3 };
const MESSAGE = /^rate limit: 1 requests per second per key; retry after [1-3] s$/;

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp({ config: { ingestRateLimits: LIMITS } });
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
});
afterAll(() => t.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function postLead(key: string, externalId: string) {
  const response = await fetch(`${t.url}/api/v1/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId, channel: 'web_form' }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

async function leadCount(practiceId: string, externalId?: string): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lead WHERE practice_id = $1 ${externalId ? 'AND external_id = $2' : ''}`,
    externalId ? [practiceId, externalId] : [practiceId],
  );
  return row!.n;
}

function expectRateLimited(response: { status: number; retryAfter: string | null; body: any }) {
  expect(response.status).toBe(429);
  expect(Number(response.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(response.retryAfter)).toBeLessThanOrEqual(LIMITS.burst / LIMITS.perSecond);
  expect(response.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(MESSAGE) });
  expect(response.body.message).toBe(`rate limit: 1 requests per second per key; retry after ${response.retryAfter} s`);
}

describe('ingest API', () => {
  it('refuses the (burst+1)th request of a key with 429 and Retry-After, writes nothing, spares other keys and practices, and lets it through after the window', async () => {
    const before = await leadCount(a.practiceId);
    for (let i = 1; i <= LIMITS.burst; i++) expect((await postLead(a.ingestKey, `ok-${i}`)).status).toBe(201);
    const refused = await postLead(a.ingestKey, 'over-1');
    expectRateLimited(refused);
    expect(await leadCount(a.practiceId, 'over-1')).toBe(0);
    expect(await leadCount(a.practiceId)).toBe(before + LIMITS.burst);

    // Another key of the same practice, and another practice, have their own budgets.
    const secondKey = await t.practices.createIngestKey(a.practiceId, 'second');
    expect((await postLead(secondKey.secret, 'second-key-1')).status).toBe(201);
    expect((await postLead(b.ingestKey, 'practice-b-1')).status).toBe(201);

    await sleep(Number(refused.retryAfter) * 1000 + 200);
    expect((await postLead(a.ingestKey, 'over-1')).status).toBe(201);
    expect(await leadCount(a.practiceId, 'over-1')).toBe(1);
  });

  it('counts every ingest route against the key: leads, lead events and calls share one budget', async () => {
    const key = (await t.practices.createIngestKey(b.practiceId, 'shared')).secret;
    const lead = await t.post('/api/v1/leads', key, { externalId: 'shared-1', channel: 'phone' });
    expect(lead.status).toBe(201);
    expect((await t.post(`/api/v1/leads/${lead.body.id}/events`, key, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer' })).status).toBe(201);
    expect((await t.post('/api/v1/calls', key, { externalId: 'CA-shared-1', status: 'ringing' })).status).toBe(201);
    const refused = await t.post('/api/v1/calls', key, { externalId: 'CA-shared-2', status: 'ringing' });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(MESSAGE);
    expect(await t.query(`SELECT 1 FROM call WHERE practice_id = $1 AND external_id = 'CA-shared-2'`, [b.practiceId])).toHaveLength(0);
  });

  it('answers 429 before validating the body, and a request without a valid key still gets its 401', async () => {
    const key = (await t.practices.createIngestKey(b.practiceId, 'invalid-bodies')).secret;
    for (let i = 0; i < LIMITS.burst; i++) expect((await t.post('/api/v1/leads', key, { channel: 'nope' })).status).toBe(400);
    expect((await t.post('/api/v1/leads', key, { channel: 'nope' })).status).toBe(429);
    for (let i = 0; i < LIMITS.burst + 2; i++) expect((await t.post('/api/v1/leads', 'lw_ingest_wrong', { channel: 'phone' })).status).toBe(401);
  });
});

describe('signed webhook', () => {
  async function webhook(integration: { id: string; secret: string }, deliveryId: string, secret = integration.secret) {
    const raw = JSON.stringify({ type: 'lead', deliveryId, data: { channel: 'web_form', source: 'Website' } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${t.url}/api/v1/integrations/webhook/${integration.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-timestamp': timestamp, 'x-signature': webhookSignature(secret, timestamp, raw) },
      body: raw,
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  }

  it('is limited per integration, writes nothing when refused, and accepts the same delivery after the window', async () => {
    const integrations = t.app.get(IntegrationsService);
    const first = await integrations.create(a.practiceId, 'webhook', { name: 'Form one' });
    const second = await integrations.create(a.practiceId, 'webhook', { name: 'Form two' });
    const one = { id: first.id, secret: first.secret! };
    const two = { id: second.id, secret: second.secret! };
    const deliveries = async (integrationId: string) =>
      (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_delivery WHERE integration_id = $1`, [integrationId]))[0]!.n;

    // Forged requests get their 401 from the signature guard and spend nothing of the integration's budget.
    for (let i = 0; i <= LIMITS.burst; i++) expect((await webhook(one, `forged-${i}`, 'not-the-secret')).status).toBe(401);
    for (let i = 1; i <= LIMITS.burst; i++) expect((await webhook(one, `d-${i}`)).status).toBe(201);
    const leadsBefore = await leadCount(a.practiceId);
    const refused = await webhook(one, 'd-over');
    expectRateLimited(refused);
    expect(await deliveries(one.id)).toBe(LIMITS.burst);
    expect(await leadCount(a.practiceId)).toBe(leadsBefore);

    expect((await webhook(two, 'd-1')).status).toBe(201); // another integration of the same practice

    await sleep(Number(refused.retryAfter) * 1000 + 200);
    const retried = await webhook(one, 'd-over');
    expect(retried.status).toBe(201); // a first delivery, not a replay: the refused one left no trace
    expect(await deliveries(one.id)).toBe(LIMITS.burst + 1);
  });
});

describe('limited routes', () => {
  const LIMITED_ROUTES = [
    'POST /api/v1/leads',
    'POST /api/v1/leads/:id/events',
    'POST /api/v1/calls',
    'POST /api/v1/imports/leads',
    'POST /api/v1/imports/calls',
    'POST /api/v1/imports/spend',
    'POST /api/v1/integrations/twilio/voice-status/:practiceId',
    'POST /api/v1/integrations/webhook/:integrationId',
  ];

  it('are the handlers marked @RateLimited, routes the app really has, so that none of them loses its limit to a rename', () => {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } })
      .router;
    const routes = new Set(
      router.stack.filter((layer) => layer.route).flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)),
    );
    const limited: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as Type;
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name];
          if (typeof handler !== 'function' || !Reflect.getMetadata(RATE_LIMIT_KEY, handler)) continue;
          const path = ['', base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].join('/').replace(/\/+/g, '/').replace(/\/$/, '');
          limited.push(`${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod]} ${path}`);
        }
      }
    }
    expect(limited.sort()).toEqual([...LIMITED_ROUTES].sort());
    for (const route of LIMITED_ROUTES) expect(routes).toContain(route);
  });
});

describe('configuration', () => {
  it('defaults to 20 requests per second with bursts of 200, and reads INGEST_RATE_PER_SECOND and INGEST_BURST', () => {
    expect(DEFAULT_INGEST_RATE_LIMITS).toEqual({ perSecond: 20, burst: 200 });
    expect(readAppConfig({}).ingestRateLimits).toEqual({ perSecond: 20, burst: 200 });
    expect(readAppConfig({ INGEST_RATE_PER_SECOND: '50', INGEST_BURST: '500' }).ingestRateLimits).toEqual({ perSecond: 50, burst: 500 });
    expect(() => readAppConfig({ INGEST_RATE_PER_SECOND: '0' })).toThrow(/INGEST_RATE_PER_SECOND/);
    expect(() => readAppConfig({ INGEST_BURST: '1.5' })).toThrow(/INGEST_BURST/);
  });
});
