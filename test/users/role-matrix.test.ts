// Every route of the app against every kind of caller: nobody, a TV's display token, an ingest key, a
// manager, an admin, and the admin of another practice. Routes are read from the Nest router, so a new
// route fails this test until it is added here with its roles.
//
// An allowed call is sent so that it gets past the guard and then stops at a known answer (often the
// 400 of a deliberately incomplete body), which proves the role was accepted without side effects.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appRoutes } from '../support/app-routes.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Reply, type Session } from './users-support.js';

type Caller = 'none' | 'display' | 'ingest' | 'frontDesk' | 'manager' | 'admin' | 'foreignAdmin';
const CALLERS: Caller[] = ['none', 'display', 'ingest', 'frontDesk', 'manager', 'admin', 'foreignAdmin'];

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let leadId: string;
let victimId: string;
const sessions: Partial<Record<'frontDesk' | 'manager' | 'admin' | 'foreignAdmin', Session>> = {};

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  /** The request actually sent (path with ids filled in, body). */
  request: () => { path: string; body?: unknown; contentType?: string };
  expect: Record<Caller, number>;
  /** Logs in again for each cookie caller (for logout, which ends the session). */
  freshSession?: boolean;
}

const refusedExcept = (allowed: Partial<Record<Caller, number>>): Record<Caller, number> => ({
  none: 401,
  display: 403,
  ingest: 403,
  frontDesk: 403,
  manager: 403,
  admin: 403,
  foreignAdmin: 403,
  ...allowed,
});
let userCount = 0;

const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/health',
    request: () => ({ path: '/api/health' }),
    expect: { none: 200, display: 200, ingest: 200, frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 },
  },
  {
    method: 'GET',
    path: '/api/health/live',
    request: () => ({ path: '/api/health/live' }),
    expect: { none: 200, display: 200, ingest: 200, frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 },
  },
  {
    method: 'GET',
    path: '/api/health/ready',
    request: () => ({ path: '/api/health/ready' }),
    expect: { none: 200, display: 200, ingest: 200, frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 },
  },
  // Open on purpose (counts and timings, no practice data): README "Operations".
  {
    method: 'GET',
    path: '/metrics',
    request: () => ({ path: '/metrics' }),
    expect: { none: 200, display: 200, ingest: 200, frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    request: () => ({ path: '/api/v1/auth/login', body: { email: 'nobody@example.test', password: 'not a password at all' } }),
    expect: { none: 401, display: 401, ingest: 401, frontDesk: 401, manager: 401, admin: 401, foreignAdmin: 401 }, // public; the 401 is the refused login
  },
  {
    method: 'GET',
    path: '/api/v1/auth/me',
    request: () => ({ path: '/api/v1/auth/me' }),
    expect: refusedExcept({ frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    request: () => ({ path: '/api/v1/auth/logout' }),
    freshSession: true,
    expect: refusedExcept({ frontDesk: 204, manager: 204, admin: 204, foreignAdmin: 204 }),
  },
  { method: 'GET', path: '/api/v1/users', request: () => ({ path: '/api/v1/users' }), expect: refusedExcept({ admin: 200, foreignAdmin: 200 }) },
  {
    method: 'POST',
    path: '/api/v1/users',
    request: () => ({
      path: '/api/v1/users',
      body: { email: `new${++userCount}@example.test`, displayName: 'New', role: 'manager', password: 'a long enough password' },
    }),
    expect: refusedExcept({ admin: 201, foreignAdmin: 201 }),
  },
  // The foreign admin gets 404: practice A's user does not exist for practice B.
  {
    method: 'POST',
    path: '/api/v1/users/:id/disable',
    request: () => ({ path: `/api/v1/users/${victimId}/disable` }),
    expect: refusedExcept({ admin: 200, foreignAdmin: 404 }),
  },
  { method: 'POST', path: '/api/v1/leads', request: () => ({ path: '/api/v1/leads', body: {} }), expect: refusedExcept({ ingest: 400 }) },
  {
    method: 'POST',
    path: '/api/v1/leads/:id/events',
    request: () => ({ path: `/api/v1/leads/${leadId}/events`, body: {} }),
    expect: refusedExcept({ ingest: 400 }),
  },
  { method: 'GET', path: '/api/v1/leads/:id', request: () => ({ path: `/api/v1/leads/${leadId}` }), expect: refusedExcept({ ingest: 200 }) },
  { method: 'POST', path: '/api/v1/calls', request: () => ({ path: '/api/v1/calls', body: {} }), expect: refusedExcept({ ingest: 400 }) },
  {
    method: 'GET',
    path: '/api/v1/board',
    request: () => ({ path: '/api/v1/board' }),
    expect: refusedExcept({ display: 200, ingest: 200, manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'GET',
    path: '/api/v1/forecasts/leads',
    request: () => ({ path: '/api/v1/forecasts/leads?horizon=0' }),
    expect: refusedExcept({ ingest: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/forecasts/revenue',
    request: () => ({ path: '/api/v1/forecasts/revenue?months=0' }),
    expect: refusedExcept({ ingest: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/staffing',
    request: () => ({ path: '/api/v1/staffing?serviceLevel=2' }),
    expect: refusedExcept({ ingest: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/imports/leads',
    request: () => ({ path: '/api/v1/imports/leads?dryRun=true', body: { not: 'csv' } }),
    expect: refusedExcept({ ingest: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/marketing-roi',
    request: () => ({ path: '/api/v1/reports/marketing-roi?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/marketing-roi.csv',
    request: () => ({ path: '/api/v1/reports/marketing-roi.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/marketing-spend',
    request: () => ({ path: '/api/v1/marketing-spend?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'PUT',
    path: '/api/v1/marketing-spend',
    request: () => ({ path: '/api/v1/marketing-spend', body: {} }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/marketing-sources',
    request: () => ({ path: '/api/v1/marketing-sources' }),
    expect: refusedExcept({ manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  // --- analytics views: funnel, speed-to-lead, missed calls, staff performance ---
  {
    method: 'GET',
    path: '/api/v1/reports/funnel',
    request: () => ({ path: '/api/v1/reports/funnel?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/funnel.csv',
    request: () => ({ path: '/api/v1/reports/funnel.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/speed-to-lead',
    request: () => ({ path: '/api/v1/reports/speed-to-lead?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/speed-to-lead.csv',
    request: () => ({ path: '/api/v1/reports/speed-to-lead.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/missed-calls',
    request: () => ({ path: '/api/v1/reports/missed-calls?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/missed-calls.csv',
    request: () => ({ path: '/api/v1/reports/missed-calls.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/staff-performance',
    request: () => ({ path: '/api/v1/reports/staff-performance?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/staff-performance.csv',
    request: () => ({ path: '/api/v1/reports/staff-performance.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  // --- analytics views: lost opportunities, growth, goals, actual values ---
  {
    method: 'GET',
    path: '/api/v1/reports/lost-opportunities',
    request: () => ({ path: '/api/v1/reports/lost-opportunities?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/lost-opportunities.csv',
    request: () => ({ path: '/api/v1/reports/lost-opportunities.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/lost-opportunities/price-objections',
    request: () => ({ path: '/api/v1/reports/lost-opportunities/price-objections?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/lost-opportunities/price-objections.csv',
    request: () => ({ path: '/api/v1/reports/lost-opportunities/price-objections.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/growth',
    request: () => ({ path: '/api/v1/reports/growth?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/growth.csv',
    request: () => ({ path: '/api/v1/reports/growth.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/goals',
    request: () => ({ path: '/api/v1/reports/goals?to=2025-13' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/goals.csv',
    request: () => ({ path: '/api/v1/reports/goals.csv?to=2025-13' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/reports/actual-values/import',
    request: () => ({ path: '/api/v1/reports/actual-values/import?dryRun=true', body: { not: 'csv' } }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'PUT',
    path: '/api/v1/goals',
    request: () => ({ path: '/api/v1/goals', body: {} }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  // Clearing an actual value the lead does not have changes nothing; the foreign admin gets 404 (A's lead does not exist for B).
  {
    method: 'PUT',
    path: '/api/v1/leads/:id/actual-value',
    request: () => ({ path: `/api/v1/leads/${leadId}/actual-value`, body: { actualValue: null } }),
    expect: refusedExcept({ manager: 200, admin: 200, foreignAdmin: 404 }),
  },
  // --- follow-up queue, cadences, lead merging ---
  // The queue shows patient details: signed-in front desk, managers and admins only (B's admin sees B's empty queue).
  {
    method: 'GET',
    path: '/api/v1/follow-ups/queue',
    request: () => ({ path: '/api/v1/follow-ups/queue' }),
    expect: refusedExcept({ frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'GET',
    path: '/api/v1/follow-ups/cadences',
    request: () => ({ path: '/api/v1/follow-ups/cadences' }),
    expect: refusedExcept({ frontDesk: 200, manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'PUT',
    path: '/api/v1/follow-ups/cadences/:channel',
    request: () => ({ path: '/api/v1/follow-ups/cadences/web_form', body: {} }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/follow-ups/leads/:id/attempts',
    request: () => ({ path: `/api/v1/follow-ups/leads/${leadId}/attempts`, body: {} }),
    expect: refusedExcept({ frontDesk: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/follow-ups/leads/:id/do-not-contact',
    request: () => ({ path: `/api/v1/follow-ups/leads/${leadId}/do-not-contact`, body: { bogus: 1 } }),
    expect: refusedExcept({ frontDesk: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/follow-ups/calls/:id/called-back',
    request: () => ({ path: '/api/v1/follow-ups/calls/00000000-0000-4000-8000-000000000000/called-back', body: { at: 'soon' } }),
    expect: refusedExcept({ frontDesk: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  // --- CSV export and import ---
  {
    method: 'GET',
    path: '/api/v1/exports/leads.csv',
    request: () => ({ path: '/api/v1/exports/leads.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/exports/calls.csv',
    request: () => ({ path: '/api/v1/exports/calls.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/exports/spend.csv',
    request: () => ({ path: '/api/v1/exports/spend.csv?to=bad' }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/imports/calls',
    request: () => ({ path: '/api/v1/imports/calls?dryRun=true', body: { not: 'csv' } }),
    expect: refusedExcept({ ingest: 400, manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/imports/spend',
    request: () => ({ path: '/api/v1/imports/spend?dryRun=true', body: { not: 'csv' } }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  // --- admin: keys, displays, settings ---
  // Unmerging a lead that is not merged is the 409 that proves the role got through; B's admin does not find A's lead.
  {
    method: 'POST',
    path: '/api/v1/leads/:id/unmerge',
    request: () => ({ path: `/api/v1/leads/${leadId}/unmerge` }),
    expect: refusedExcept({ manager: 409, admin: 409, foreignAdmin: 404 }),
  },
  // Admin API (server/admin/): keys and displays for admins; staff for admins and managers; settings read by both, changed by admins.
  // Revoking with a malformed id is the 400 that proves the role got through (guards run before pipes), and revokes nothing.
  {
    method: 'GET',
    path: '/api/v1/admin/ingest-keys',
    request: () => ({ path: '/api/v1/admin/ingest-keys' }),
    expect: refusedExcept({ admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/admin/ingest-keys',
    request: () => ({ path: '/api/v1/admin/ingest-keys', body: {} }),
    expect: refusedExcept({ admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/admin/ingest-keys/:id/revoke',
    request: () => ({ path: '/api/v1/admin/ingest-keys/not-a-uuid/revoke' }),
    expect: refusedExcept({ admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/admin/displays',
    request: () => ({ path: '/api/v1/admin/displays' }),
    expect: refusedExcept({ admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/admin/displays',
    request: () => ({ path: '/api/v1/admin/displays', body: {} }),
    expect: refusedExcept({ admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'POST',
    path: '/api/v1/admin/displays/:id/revoke',
    request: () => ({ path: '/api/v1/admin/displays/not-a-uuid/revoke' }),
    expect: refusedExcept({ admin: 400, foreignAdmin: 400 }),
  },
  {
    method: 'GET',
    path: '/api/v1/admin/staff',
    request: () => ({ path: '/api/v1/admin/staff' }),
    expect: refusedExcept({ manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/admin/staff',
    request: () => ({ path: '/api/v1/admin/staff', body: {} }),
    expect: refusedExcept({ manager: 400, admin: 400, foreignAdmin: 400 }),
  },
  // Setting an active staff member active changes nothing (200); B's admin does not find A's staff member.
  {
    method: 'PATCH',
    path: '/api/v1/admin/staff/:id',
    request: () => ({ path: `/api/v1/admin/staff/${a.staff.Maya}`, body: { active: true } }),
    expect: refusedExcept({ manager: 200, admin: 200, foreignAdmin: 404 }),
  },
  {
    method: 'GET',
    path: '/api/v1/admin/settings',
    request: () => ({ path: '/api/v1/admin/settings' }),
    expect: refusedExcept({ manager: 200, admin: 200, foreignAdmin: 200 }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/admin/settings',
    request: () => ({ path: '/api/v1/admin/settings', body: {} }),
    expect: refusedExcept({ admin: 400, foreignAdmin: 400 }),
  },
];

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  await createUser(t, a.practiceId, 'desk@a.test', 'front_desk');
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, a.practiceId, 'admin@a.test', 'admin');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  victimId = (await createUser(t, a.practiceId, 'victim@a.test', 'manager')).id;
  sessions.frontDesk = await login(t, 'desk@a.test');
  sessions.manager = await login(t, 'manager@a.test');
  sessions.admin = await login(t, 'admin@a.test');
  sessions.foreignAdmin = await login(t, 'admin@b.test');
  leadId = (await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone' })).body.id;
});
afterAll(() => t.close());

async function call(route: Route, caller: Caller): Promise<Reply> {
  const { path, body, contentType } = route.request();
  switch (caller) {
    case 'none':
      return send(t, route.method, path, { body, contentType });
    case 'display':
      return send(t, route.method, path, { body, contentType, bearer: a.displayToken });
    case 'ingest':
      return send(t, route.method, path, { body, contentType, bearer: a.ingestKey });
    case 'frontDesk':
    case 'manager':
    case 'admin':
    case 'foreignAdmin': {
      const email = { frontDesk: 'desk@a.test', manager: 'manager@a.test', admin: 'admin@a.test', foreignAdmin: 'admin@b.test' }[caller];
      const session = route.freshSession ? await login(t, email) : sessions[caller]!;
      return send(t, route.method, path, { body, contentType, cookie: session.cookie, csrf: session.csrfToken });
    }
  }
}

describe('role matrix', () => {
  it('covers every route of the app', () => {
    const found = appRoutes(t.app).map((route) => `${route.method} ${route.path}`);
    // Signed webhooks (server/integrations/) answer to a signature, not to a role: tested in test/integrations.
    const roleRoutes = found.filter((route) => !route.includes(' /api/v1/integrations/'));
    expect(roleRoutes.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path}: ${CALLERS.map((c) => `${c} ${route.expect[c]}`).join(', ')}`, async () => {
      const actual: Record<string, number> = {};
      for (const caller of CALLERS) actual[caller] = (await call(route, caller)).status;
      expect(actual).toEqual(route.expect);
    });
  }

  it("never shows one practice another's data", async () => {
    const users = await send(t, 'GET', '/api/v1/users', { cookie: sessions.foreignAdmin!.cookie });
    expect(users.body.every((user: { practiceId: string }) => user.practiceId === b.practiceId)).toBe(true);
    expect(JSON.stringify(users.body)).not.toMatch(/@a\.test/);
    const me = await send(t, 'GET', '/api/v1/auth/me', { cookie: sessions.foreignAdmin!.cookie });
    expect(me.body.user.practiceId).toBe(b.practiceId);
    const created: Array<{ practice_id: string }> = await t.query(`SELECT practice_id FROM app_user WHERE email LIKE 'new%'`);
    expect(created.filter((row) => row.practice_id === b.practiceId)).toHaveLength(1); // the foreign admin's own
    const victim = await t.query(`SELECT disabled_at FROM app_user WHERE id = $1`, [victimId]);
    expect(victim[0].disabled_at).toBeInstanceOf(Date); // by A's admin; B's admin got 404
    expect((await send(t, 'GET', `/api/v1/leads/${leadId}`, { bearer: b.ingestKey })).status).toBe(404);
    const boardA = await send(t, 'GET', '/api/v1/board', { bearer: a.ingestKey });
    const boardB = await send(t, 'GET', '/api/v1/board', { cookie: sessions.foreignAdmin!.cookie });
    expect(boardA.status).toBe(200);
    expect(boardB.status).toBe(200);
    expect(JSON.stringify(boardB.body)).not.toEqual(JSON.stringify(boardA.body)); // A has a lead, B none
  });
});
