// Every answer that can carry patient details is `Cache-Control: no-store` (issue #11, item 9): no
// browser or proxy keeps it. The rule is one middleware for all of /api, so this test asks every GET
// route of the router (read from Nest, so a new route is covered at once) and, with real data, the
// routes that do carry patient details: the follow-up queue, the lost-lead list, exports, leads.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appRoutes } from '../support/app-routes.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let admin: Session;
let leadId: string;
/** The last 30 days, practice-local (a day either side of UTC's today is still inside). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const RANGE = `from=${day(-30)}&to=${day(-1)}`;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Private Dental' });
  await createUser(t, a.practiceId, 'admin@private.test', 'admin');
  admin = await login(t, 'admin@private.test');
  const created = await t.post('/api/v1/leads', a.ingestKey, {
    channel: 'web_form',
    patient: { name: 'Paula Private', phone: '+1 555 010 6161', email: 'paula@example.test' },
  });
  leadId = created.body.id;
  await t.post(`/api/v1/leads/${leadId}/events`, a.ingestKey, { type: 'not_booked', reason: 'price' });
});
afterAll(() => t.close());

describe('Cache-Control: no-store', () => {
  it('on every GET route of the API, whatever the answer', async () => {
    const routes = appRoutes(t.app)
      .filter((route) => route.method === 'GET')
      .map((route) => route.path);
    expect(routes.length).toBeGreaterThan(20);
    const without: string[] = [];
    for (const route of routes) {
      const path = route.replace(/:id\b/g, leadId).replace(/:\w+/g, 'x');
      const reply = await send(t, 'GET', path, { cookie: admin.cookie });
      if (reply.headers.get('cache-control') !== 'no-store') without.push(`${route} (${reply.status})`);
    }
    expect(without).toEqual([]);
  });

  const phiRoutes = [
    '/api/v1/follow-ups/queue',
    `/api/v1/reports/lost-opportunities?${RANGE}`,
    `/api/v1/reports/lost-opportunities.csv?${RANGE}`,
    `/api/v1/exports/leads.csv?${RANGE}&includeContacts=true`,
    `/api/v1/exports/calls.csv?${RANGE}&includeContacts=true`,
  ];
  for (const path of phiRoutes) {
    it(`on ${path.split('?')[0]} with data (200)`, async () => {
      const reply = await send(t, 'GET', path, { cookie: admin.cookie });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
    });
  }

  it('on a lead read with an ingest key, and on refusals', async () => {
    const lead = await t.get(`/api/v1/leads/${leadId}`, a.ingestKey);
    expect(lead.status).toBe(200);
    const raw = await fetch(`${t.url}/api/v1/leads/${leadId}`, { headers: { authorization: `Bearer ${a.ingestKey}` } });
    expect(raw.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(`${t.url}/api/v1/follow-ups/queue`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});
