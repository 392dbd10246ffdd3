// Twilio voice status callbacks and the generic signed webhook end to end, on the real app and a
// real PostgreSQL server: signatures, the status mapping, retries and out-of-order callbacks, replays,
// and the wall between practices.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IntegrationsService } from '../../server/integrations/integrations.service.js';
import { twilioSignature, webhookSignature } from '../../server/integrations/signatures.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

const PUBLIC_URL = 'http://localhost'; // the test app's PUBLIC_URL
const TOKEN_A = 'a'.repeat(32);
const TOKEN_B = 'b'.repeat(32);

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let webhookA: { id: string; secret: string };
let webhookB: { id: string; secret: string };

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  // Open around the clock: the board counts calls in opening hours apart from after-hours ones, and the
  // calls here are stamped with the time the test runs.
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id IN ($2, $3)`, [JSON.stringify(allDay), a.practiceId, b.practiceId]);
  const integrations = t.app.get(IntegrationsService);
  await integrations.create(a.practiceId, 'twilio', { authToken: TOKEN_A });
  await integrations.create(b.practiceId, 'twilio', { authToken: TOKEN_B });
  const wa = await integrations.create(a.practiceId, 'webhook', { name: 'Website form' });
  const wb = await integrations.create(b.practiceId, 'webhook');
  webhookA = { id: wa.id, secret: wa.secret! };
  webhookB = { id: wb.id, secret: wb.secret! };
});
afterAll(() => t.close());

/** Twilio's Timestamp format (RFC 2822, whole seconds), `secondsAgo` before a fixed whole second, so
 * that two stamps made a moment apart in one test keep the exact difference asked for. */
const stampBase = Math.floor(Date.now() / 1000) * 1000;
const rfc2822 = (secondsAgo: number) => new Date(stampBase - secondsAgo * 1000).toUTCString().replace('GMT', '+0000');

async function twilio(practiceId: string, params: Record<string, string>, options: { token?: string; signature?: string; query?: string } = {}) {
  const path = `/api/v1/integrations/twilio/voice-status/${practiceId}${options.query ?? ''}`;
  const signature = options.signature ?? twilioSignature(options.token ?? TOKEN_A, PUBLIC_URL + path, params);
  const response = await fetch(t.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function callback(callSid: string, status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: 'AC0000000000000000000000000000000',
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: status,
    Direction: 'inbound',
    From: '+15125550100',
    To: '+15125550199',
    Timestamp: rfc2822(0),
    ...extra,
  };
}

async function callRows(practiceId: string, externalId?: string) {
  return t.query(
    `SELECT external_id, direction, status, answered_at, ended_at, talk_seconds, wait_seconds FROM call
     WHERE practice_id = $1 ${externalId ? 'AND external_id = $2' : ''} ORDER BY external_id`,
    externalId ? [practiceId, externalId] : [practiceId],
  );
}

async function boardCalls(practice: TestPractice) {
  const response = await t.get('/api/v1/board', practice.ingestKey);
  expect(response.status).toBe(200);
  return response.body.state.calls as { answered: number; missed: number; abandoned: number; ringing: number; inbound: number };
}

async function counts(practiceId: string) {
  const [row] = await t.query(
    `SELECT (SELECT count(*) FROM call WHERE practice_id = $1)::int AS calls,
            (SELECT count(*) FROM lead WHERE practice_id = $1)::int AS leads,
            (SELECT count(*) FROM patient WHERE practice_id = $1)::int AS patients,
            (SELECT count(*) FROM webhook_delivery WHERE practice_id = $1)::int AS deliveries`,
    [practiceId],
  );
  return row;
}

describe('integration secrets', () => {
  it('are stored encrypted, never in clear', async () => {
    const rows = await t.query(`SELECT id, secret FROM integration WHERE practice_id = $1`, [a.practiceId]);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.secret).toMatch(/^v1\./);
      expect(row.secret).not.toContain(TOKEN_A);
      expect(row.secret).not.toContain(webhookA.secret);
    }
  });
});

describe('POST /api/v1/integrations/twilio/voice-status/:practiceId', () => {
  it('ringing -> in-progress -> completed gives one answered call, counted once on the board', async () => {
    const before = await boardCalls(a); // builds the live board, so the callbacks below are applied as events
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    expect((await twilio(a.practiceId, callback(sid, 'ringing', { Timestamp: rfc2822(30) }))).status).toBe(204);
    expect((await twilio(a.practiceId, callback(sid, 'in-progress', { Timestamp: rfc2822(20) }))).status).toBe(204);
    expect((await twilio(a.practiceId, callback(sid, 'completed', { CallDuration: '20', Timestamp: rfc2822(0) }))).status).toBe(204);
    const [row] = await callRows(a.practiceId, sid);
    expect(row).toMatchObject({ direction: 'inbound', status: 'answered', talk_seconds: 20, wait_seconds: 10 });
    expect(row.answered_at).not.toBeNull();
    expect(row.ended_at).not.toBeNull();
    const [patient] = await t.query(`SELECT p.phone FROM patient p JOIN call c ON c.id = p.call_id WHERE c.external_id = $1`, [sid]);
    expect(patient.phone).toBe('+15125550100');
    const after = await boardCalls(a);
    expect(after.answered).toBe(before.answered + 1);
    expect(after.ringing).toBe(before.ringing);
    expect(after.inbound).toBe(before.inbound + 1);
  });

  it('out of order (completed before ringing) and repeated callbacks never double count', async () => {
    const before = await boardCalls(a);
    const callsBefore = (await counts(a.practiceId)).calls;
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    const completed = callback(sid, 'completed', { CallDuration: '45', Timestamp: rfc2822(0) });
    const ringing = callback(sid, 'ringing', { Timestamp: rfc2822(60) });
    const inProgress = callback(sid, 'in-progress', { Timestamp: rfc2822(50) });
    for (const params of [completed, completed, ringing, inProgress, ringing, completed, inProgress]) {
      expect((await twilio(a.practiceId, params)).status).toBe(204);
    }
    expect(await callRows(a.practiceId, sid)).toEqual([expect.objectContaining({ status: 'answered', talk_seconds: 45 })]);
    expect((await counts(a.practiceId)).calls).toBe(callsBefore + 1);
    const after = await boardCalls(a);
    expect(after.answered).toBe(before.answered + 1);
    expect(after.ringing).toBe(before.ringing);
    expect(after.inbound).toBe(before.inbound + 1);
  });

  it('concurrent retries of the same callback make one call', async () => {
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    const params = callback(sid, 'no-answer');
    const responses = await Promise.all(Array.from({ length: 6 }, () => twilio(a.practiceId, params)));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(204));
    expect(await callRows(a.practiceId, sid)).toHaveLength(1);
  });

  it.each([
    ['no-answer', {}, 'missed'],
    ['busy', {}, 'missed'],
    ['failed', {}, 'missed'],
    ['canceled', {}, 'abandoned'],
    ['canceled', { Direction: 'outbound-api' }, 'missed'],
    ['completed', { CallDuration: '0' }, 'abandoned'],
    ['completed', { CallDuration: '0', Direction: 'outbound-dial' }, 'missed'],
    ['completed', { CallDuration: '95' }, 'answered'],
    ['in-progress', {}, 'answered'],
    ['queued', {}, 'ringing'],
    ['ringing', {}, 'ringing'],
  ])('maps %s %j to %s', async (status, extra, expected) => {
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    expect((await twilio(a.practiceId, callback(sid, status, extra as Record<string, string>))).status).toBe(204);
    const [row] = await callRows(a.practiceId, sid);
    expect(row.status).toBe(expected);
    expect(row.direction).toBe('Direction' in extra ? 'outbound' : 'inbound');
  });

  it('a call seen in progress stays answered when completed reports CallDuration 0', async () => {
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    await twilio(a.practiceId, callback(sid, 'in-progress', { Timestamp: rfc2822(1) }));
    await twilio(a.practiceId, callback(sid, 'completed', { CallDuration: '0' }));
    const [row] = await callRows(a.practiceId, sid);
    expect(row.status).toBe('answered');
  });

  it('verifies the URL with its query string', async () => {
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    expect((await twilio(a.practiceId, callback(sid, 'ringing'), { query: '?source=main-line' })).status).toBe(204);
    const path = `/api/v1/integrations/twilio/voice-status/${a.practiceId}`;
    const signedWithoutQuery = twilioSignature(TOKEN_A, PUBLIC_URL + path, callback(sid, 'busy'));
    const response = await twilio(a.practiceId, callback(sid, 'busy'), { query: '?source=main-line', signature: signedWithoutQuery });
    expect(response.status).toBe(401);
  });

  it.each([
    ['a missing signature', { signature: '' }],
    ['a wrong signature', { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    ['the wrong auth token', { token: 'c'.repeat(32) }],
    ["another practice's auth token", { token: TOKEN_B }],
  ])('answers %s with 401 and writes nothing', async (_label, options) => {
    const before = await counts(a.practiceId);
    const response = await twilio(a.practiceId, callback('CA' + randomUUID().replace(/-/g, ''), 'completed', { CallDuration: '30' }), options);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/X-Twilio-Signature/);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it('a tampered parameter fails the signature', async () => {
    const before = await counts(a.practiceId);
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    const path = `/api/v1/integrations/twilio/voice-status/${a.practiceId}`;
    const signature = twilioSignature(TOKEN_A, PUBLIC_URL + path, callback(sid, 'no-answer'));
    const response = await twilio(a.practiceId, { ...callback(sid, 'no-answer'), CallStatus: 'completed', CallDuration: '60' }, { signature });
    expect(response.status).toBe(401);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it('refuses a practice without a Twilio integration, or not a practice id, with 401', async () => {
    const unknown = randomUUID();
    expect((await twilio(unknown, callback('CA1', 'ringing'))).status).toBe(401);
    expect((await twilio('not-a-uuid', callback('CA1', 'ringing'))).status).toBe(401);
  });

  it('validates a signed callback: unknown CallStatus is a 400 naming the field', async () => {
    const before = await counts(a.practiceId);
    const response = await twilio(a.practiceId, callback('CA' + randomUUID().replace(/-/g, ''), 'teleported'));
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/CallStatus/);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it("keeps practices apart: B's signed callbacks land in B only", async () => {
    const sid = 'CA' + randomUUID().replace(/-/g, '');
    const beforeA = await counts(a.practiceId);
    expect((await twilio(b.practiceId, callback(sid, 'ringing'), { token: TOKEN_B })).status).toBe(204);
    expect(await counts(a.practiceId)).toEqual(beforeA);
    expect(await callRows(b.practiceId, sid)).toHaveLength(1);
  });
});

describe('POST /api/v1/integrations/webhook/:integrationId', () => {
  async function webhook(
    integration: { id: string; secret: string },
    body: unknown,
    options: { timestamp?: number; secret?: string; signature?: string; path?: string } = {},
  ) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = options.signature ?? webhookSignature(options.secret ?? integration.secret, timestamp, raw);
    const response = await fetch(`${t.url}${options.path ?? `/api/v1/integrations/webhook/${integration.id}`}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-timestamp': timestamp, 'x-signature': signature },
      body: raw,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, replayed: response.headers.get('x-delivery-replayed') };
  }

  const lead = (deliveryId: string) => ({
    type: 'lead',
    deliveryId,
    data: { channel: 'web_form', source: 'Website', treatment: 'Implants', patient: { name: 'Wendy Webhook', email: 'wendy@example.test' } },
  });

  it('creates a lead from a good signature', async () => {
    const response = await webhook(webhookA, lead('d-' + randomUUID()));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ channel: 'web_form', status: 'open' });
    expect(JSON.stringify(response.body)).not.toMatch(/Wendy|wendy@/);
    const [row] = await t.query(`SELECT practice_id FROM lead WHERE id = $1`, [response.body.id]);
    expect(row.practice_id).toBe(a.practiceId);
  });

  it('records a call', async () => {
    const response = await webhook(webhookA, { type: 'call', deliveryId: 'd-' + randomUUID(), data: { externalId: 'pbx-42', status: 'missed' } });
    expect(response.status).toBe(201);
    expect(await callRows(a.practiceId, 'pbx-42')).toEqual([expect.objectContaining({ status: 'missed' })]);
  });

  it('a replayed deliveryId changes nothing and gets the first answer', async () => {
    const body = lead('d-' + randomUUID());
    const first = await webhook(webhookA, body);
    expect(first.status).toBe(201);
    const before = await counts(a.practiceId);
    const again = await webhook(webhookA, body);
    expect(again).toEqual({ status: 201, body: first.body, replayed: 'true' });
    // Even with a different body under the same delivery id (signed afresh).
    const altered = await webhook(webhookA, { ...body, data: { channel: 'chat' } });
    expect(altered.status).toBe(201);
    expect(altered.body.id).toBe(first.body.id);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it('a burst of the same delivery ingests it once', async () => {
    const body = lead('d-' + randomUUID());
    const before = await counts(a.practiceId);
    const responses = await Promise.all(Array.from({ length: 6 }, () => webhook(webhookA, body)));
    for (const r of responses) expect([201, 409]).toContain(r.status);
    expect((await counts(a.practiceId)).leads).toBe(before.leads + 1);
  });

  it('a replayed delivery that was refused gets the same refusal', async () => {
    const body = { type: 'lead', deliveryId: 'd-' + randomUUID(), data: { channel: 'phone', assignedStaffId: b.staff.Maya } };
    const first = await webhook(webhookA, body);
    expect(first.status).toBe(422);
    expect(first.body.message).toMatch(/assignedStaffId/);
    const again = await webhook(webhookA, body);
    expect(again.status).toBe(422);
    expect(again.replayed).toBe('true');
  });

  it.each([
    ['a bad signature', { signature: 'sha256=' + '0'.repeat(64) }, /bad signature/],
    ['the wrong secret', { secret: 'lwh_wrong' }, /bad signature/],
    ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }, /5 minutes/],
    ['a timestamp 6 minutes ahead', { timestamp: Math.floor(Date.now() / 1000) + 360 }, /5 minutes/],
    ['no signature', { signature: '' }, /missing/],
  ])('answers %s with 401 and changes nothing', async (_label, options, message) => {
    const before = await counts(a.practiceId);
    const response = await webhook(webhookA, lead('d-' + randomUUID()), options);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(message);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it('refuses an unknown integration id with 401', async () => {
    const response = await webhook({ id: randomUUID(), secret: webhookA.secret }, lead('d-' + randomUUID()));
    expect(response.status).toBe(401);
  });

  it('validates the body after the signature: 400 naming the field', async () => {
    const before = await counts(a.practiceId);
    const response = await webhook(webhookA, { type: 'lead', deliveryId: 'd-' + randomUUID(), data: { channel: 'carrier_pigeon' } });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/data\.channel/);
    const unsigned = await webhook(webhookA, { type: 'lead', deliveryId: 'x', data: { channel: 'carrier_pigeon' } }, { signature: 'sha256=00' });
    expect(unsigned.status).toBe(401);
    expect(await counts(a.practiceId)).toEqual(before);
  });

  it('answers an oversize body with 413', async () => {
    const response = await webhook(webhookA, { type: 'lead', deliveryId: 'big', data: { channel: 'phone', treatment: 'x'.repeat(100_000) } });
    expect(response.status).toBe(413);
  });

  it("keeps practices apart: B's integration writes into B, never A", async () => {
    const beforeA = await counts(a.practiceId);
    const response = await webhook(webhookB, lead('d-' + randomUUID()));
    expect(response.status).toBe(201);
    const [row] = await t.query(`SELECT practice_id FROM lead WHERE id = $1`, [response.body.id]);
    expect(row.practice_id).toBe(b.practiceId);
    expect(await counts(a.practiceId)).toEqual(beforeA);
    // B's secret on A's integration id does not verify.
    expect((await webhook({ id: webhookA.id, secret: webhookB.secret }, lead('d-' + randomUUID()))).status).toBe(401);
    // A call naming A's lead through B's integration is refused.
    const leadOfA = (await t.query(`SELECT id FROM lead WHERE practice_id = $1 LIMIT 1`, [a.practiceId]))[0].id;
    const cross = await webhook(webhookB, { type: 'call', deliveryId: 'd-' + randomUUID(), data: { externalId: 'x-1', status: 'answered', leadId: leadOfA } });
    expect(cross.status).toBe(422);
    expect(await counts(a.practiceId)).toEqual(beforeA);
  });

  it('a revoked integration gets 401 and changes nothing', async () => {
    const integrations = t.app.get(IntegrationsService);
    const created = await integrations.create(a.practiceId, 'webhook', { name: 'Old chat widget' });
    const hook = { id: created.id, secret: created.secret! };
    expect((await webhook(hook, lead('d-' + randomUUID()))).status).toBe(201);
    await integrations.revoke(created.id);
    const before = await counts(a.practiceId);
    const response = await webhook(hook, lead('d-' + randomUUID()));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/revoked/);
    expect(await counts(a.practiceId)).toEqual(before);
  });
});
