// The follow-up queue and its writes on the embedded database (PGlite), where results of UPDATE ...
// RETURNING come back in another shape and transactions take turns.

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let p: TestPractice;
let desk: Session;

beforeAll(async () => {
  t = await startTestApp({ embedded: true });
  p = await t.createPractice({ name: 'Embedded Dental', timeZone: 'UTC' });
  await createUser(t, p.practiceId, 'desk@embedded.test', 'front_desk');
  desk = await login(t, 'desk@embedded.test');
}, 120_000);
afterAll(() => t?.close());

it('lists, logs an attempt, marks do-not-contact and called back, and logs the PHI view', async () => {
  const leadId = (await t.post('/api/v1/leads', p.ingestKey, { channel: 'web_form', patient: { name: 'Emma Embedded', phone: '+1 555 0100 888' } })).body.id;
  const other = (await t.post('/api/v1/leads', p.ingestKey, { channel: 'chat', patient: { name: 'Otto Other' } })).body.id;
  const callId = (await t.post('/api/v1/calls', p.ingestKey, { externalId: 'emb-1', status: 'missed', from: '+1 555 0100 999' })).body.id;
  const post = (path: string, body?: unknown) => send(t, 'POST', path, { cookie: desk.cookie, csrf: desk.csrfToken, body });

  const queue = await send(t, 'GET', '/api/v1/follow-ups/queue', { cookie: desk.cookie });
  expect(queue.status).toBe(200);
  expect(queue.body.items.map((item: { kind: string }) => item.kind)).toEqual(['first_contact', 'first_contact', 'missed_call']);
  expect(queue.body.phiAccessLogged).toBe(true);

  expect((await post(`/api/v1/follow-ups/leads/${leadId}/attempts`, { kind: 'call', outcome: 'reached' })).status).toBe(201);
  expect((await post(`/api/v1/follow-ups/leads/${other}/do-not-contact`)).body).toMatchObject({ changed: true });
  expect((await post(`/api/v1/follow-ups/leads/${other}/do-not-contact`)).body).toMatchObject({ changed: false });
  expect((await post(`/api/v1/follow-ups/calls/${callId}/called-back`)).body).toMatchObject({ changed: true });
  expect((await post(`/api/v1/follow-ups/calls/${callId}/called-back`)).body).toMatchObject({ changed: false });

  const after = await send(t, 'GET', '/api/v1/follow-ups/queue', { cookie: desk.cookie });
  expect(after.body.items).toEqual([]);
  const [log] = await t.query(`SELECT count(*)::int AS n FROM phi_access_log WHERE practice_id = $1`, [p.practiceId]);
  expect(log.n).toBe(1); // the empty queue showed no patient details
});
