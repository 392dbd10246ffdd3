// The admin API on the real app and PostgreSQL: ingest keys and TV displays (created, shown once,
// revoked with immediate effect), staff, and the practice's settings (validated field by field, all
// or nothing, and seen by the board at once).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Reply, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let admin: Session;
let manager: Session;
let foreignAdmin: Session;

const PUBLIC_URL = 'https://board.example.test';

beforeAll(async () => {
  t = await startTestApp({ config: { publicUrl: PUBLIC_URL, loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Admin Dental', staff: ['Maya', 'Sam'] });
  b = await t.createPractice({ name: 'Other Dental', staff: ['Zoe'] });
  await createUser(t, a.practiceId, 'admin@a.test', 'admin');
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  admin = await login(t, 'admin@a.test');
  manager = await login(t, 'manager@a.test');
  foreignAdmin = await login(t, 'admin@b.test');
});
afterAll(() => t.close());

function as(session: Session, method: string, path: string, body?: unknown): Promise<Reply> {
  return send(t, method, path, { cookie: session.cookie, csrf: session.csrfToken, ...(body !== undefined ? { body } : {}) });
}

function connected(socket: ReturnType<TestApp['connectBoard']>) {
  return nextMessage(socket, 'board:snapshot');
}

function refusal(socket: ReturnType<TestApp['connectBoard']>): Promise<{ message: string }> {
  return new Promise((resolve) => socket.once('connect_error', (error) => resolve(error as never)));
}

describe('ingest keys', () => {
  it('creates a key that works at once, lists it without the secret, and refuses it right after revocation', async () => {
    const created = await as(admin, 'POST', '/api/v1/admin/ingest-keys', { name: 'Website form' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key: string = created.body.key;
    expect(key).toMatch(/^lwk_/);
    expect(created.body).toMatchObject({ name: 'Website form', prefix: key.slice(0, 10), revokedAt: null });

    // Works at once, and again (the second answer comes from the auth cache).
    expect((await t.post('/api/v1/leads', key, { channel: 'web_form', externalId: 'k-1' })).status).toBe(201);
    expect((await t.post('/api/v1/leads', key, { channel: 'web_form', externalId: 'k-2' })).status).toBe(201);

    const list = await as(admin, 'GET', '/api/v1/admin/ingest-keys');
    expect(list.status).toBe(200);
    const listed = list.body.find((row: { id: string }) => row.id === created.body.id);
    expect(listed).toEqual({ id: created.body.id, name: 'Website form', prefix: key.slice(0, 10), createdAt: expect.any(String), revokedAt: null });
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/hash/i);
    expect(list.body.map((row: { id: string }) => row.id)).toHaveLength(2); // the fixture's key and this one

    const revoked = await as(admin, 'POST', `/api/v1/admin/ingest-keys/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    // No 30-second window: the very next request is refused.
    const refused = await t.post('/api/v1/leads', key, { channel: 'web_form', externalId: 'k-3' });
    expect(refused.status).toBe(401);
    expect((await t.query(`SELECT count(*)::int AS n FROM lead WHERE external_id = 'k-3'`))[0].n).toBe(0);

    // Revoking again changes nothing; the practice's other key still works.
    const again = await as(admin, 'POST', `/api/v1/admin/ingest-keys/${created.body.id}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone' })).status).toBe(201);
  });

  it('refuses a key without a name, a manager (403), and another practice (404)', async () => {
    const empty = await as(admin, 'POST', '/api/v1/admin/ingest-keys', { name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^name: /);
    expect((await as(manager, 'POST', '/api/v1/admin/ingest-keys', { name: 'Sneaky' })).status).toBe(403);
    expect((await as(manager, 'GET', '/api/v1/admin/ingest-keys')).status).toBe(403);
    expect((await send(t, 'POST', '/api/v1/admin/ingest-keys', { bearer: a.ingestKey, body: { name: 'Self-made' } })).status).toBe(403);

    const [fixtureKey] = await t.query<{ id: string }>(`SELECT id FROM ingest_key WHERE practice_id = $1 AND revoked_at IS NULL`, [a.practiceId]);
    const foreign = await as(foreignAdmin, 'POST', `/api/v1/admin/ingest-keys/${fixtureKey!.id}/revoke`);
    expect(foreign.status).toBe(404);
    expect((await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone' })).status).toBe(201);
    const foreignList = await as(foreignAdmin, 'GET', '/api/v1/admin/ingest-keys');
    expect(foreignList.body).toHaveLength(1);
    expect(foreignList.body[0].id).not.toBe(fixtureKey!.id);
    expect((await as(admin, 'POST', '/api/v1/admin/ingest-keys/not-a-uuid/revoke')).status).toBe(400);
  });
});

describe('TV displays', () => {
  it('creates a display whose TV URL connects, and revoking it disconnects that TV at once', async () => {
    const created = await as(admin, 'POST', '/api/v1/admin/displays', { name: 'Waiting room TV' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token: string = created.body.token;
    expect(token).toMatch(/^lwd_/);
    expect(created.body.boardUrl).toBe(`${PUBLIC_URL}/board?token=${encodeURIComponent(token)}`);

    const tv = t.connectBoard(new URL(created.body.boardUrl).searchParams.get('token')!);
    expect((await connected(tv)).state.practice.name).toBe('Admin Dental');
    const other = t.connectBoard(a.displayToken);
    await connected(other);

    const list = await as(admin, 'GET', '/api/v1/admin/displays');
    expect(list.body.find((row: { id: string }) => row.id === created.body.id)).toMatchObject({
      name: 'Waiting room TV',
      prefix: token.slice(0, 10),
      revokedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(token);

    expect((await as(foreignAdmin, 'POST', `/api/v1/admin/displays/${created.body.id}/revoke`)).status).toBe(404);
    expect(tv.connected).toBe(true);

    const revokedMessage = nextMessage(tv, 'board:revoked');
    const disconnected = new Promise<string>((resolve) => tv.once('disconnect', resolve));
    const revoked = await as(admin, 'POST', `/api/v1/admin/displays/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await revokedMessage).code).toBe('token_revoked');
    expect(await disconnected).toBe('io server disconnect');
    expect((await refusal(t.connectBoard(token))).message).toBe('token_revoked');
    expect((await send(t, 'GET', '/api/v1/board', { bearer: token })).status).toBe(401);
    expect(other.connected).toBe(true); // the practice's other TV stays
    other.disconnect();
  });

  it('is for admins only', async () => {
    expect((await as(manager, 'POST', '/api/v1/admin/displays', { name: 'Manager TV' })).status).toBe(403);
    expect((await as(manager, 'POST', `/api/v1/admin/displays/${a.displayId}/revoke`)).status).toBe(403);
    expect((await send(t, 'GET', '/api/v1/admin/displays', { bearer: a.displayToken })).status).toBe(403);
    expect((await send(t, 'GET', '/api/v1/admin/displays')).status).toBe(401);
  });
});

describe('staff', () => {
  it('adds, renames, refuses a duplicate name (409) and deactivates; managers may too', async () => {
    const added = await as(manager, 'POST', '/api/v1/admin/staff', { displayName: ' Ana ' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ displayName: 'Ana', role: 'front_desk', active: true });

    const duplicate = await as(admin, 'POST', '/api/v1/admin/staff', { displayName: 'maya', role: 'treatment_coordinator' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toMatch(/displayName: "maya" is already the display name/);

    const renamed = await as(admin, 'PATCH', `/api/v1/admin/staff/${added.body.id}`, { displayName: 'Ana R.', role: 'treatment_coordinator' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: added.body.id, displayName: 'Ana R.', role: 'treatment_coordinator', active: true });
    // The same name in another case is still the person's own.
    expect((await as(admin, 'PATCH', `/api/v1/admin/staff/${added.body.id}`, { displayName: 'ana r.' })).status).toBe(200);

    const clash = await as(admin, 'PATCH', `/api/v1/admin/staff/${added.body.id}`, { displayName: 'Sam' });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/"Sam"/);

    const deactivated = await as(manager, 'PATCH', `/api/v1/admin/staff/${added.body.id}`, { active: false });
    expect(deactivated.body).toMatchObject({ displayName: 'ana r.', active: false });
    const list = await as(manager, 'GET', '/api/v1/admin/staff');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { displayName: string; active: boolean }) => `${s.displayName}:${s.active}`)).toEqual(['Maya:true', 'Sam:true', 'ana r.:false']);
  });

  it('refuses bad input with the field named, and another practice with 404', async () => {
    const long = await as(admin, 'POST', '/api/v1/admin/staff', { displayName: 'x'.repeat(41) });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^displayName: a first name or initials/);
    const role = await as(admin, 'POST', '/api/v1/admin/staff', { displayName: 'Lee', role: 'boss' });
    expect(role.status).toBe(400);
    expect(role.body.message).toMatch(/^role: /);
    const empty = await as(admin, 'PATCH', `/api/v1/admin/staff/${a.staff.Maya}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/nothing to change/);
    const foreign = await as(foreignAdmin, 'PATCH', `/api/v1/admin/staff/${a.staff.Maya}`, { active: false });
    expect(foreign.status).toBe(404);
    expect((await t.query(`SELECT active FROM staff WHERE id = $1`, [a.staff.Maya]))[0].active).toBe(true);
    const foreignList = await as(foreignAdmin, 'GET', '/api/v1/admin/staff');
    expect(foreignList.body.map((s: { displayName: string }) => s.displayName)).toEqual(['Zoe']);
    expect((await send(t, 'GET', '/api/v1/admin/staff', { bearer: a.ingestKey })).status).toBe(403);
  });
});

describe('practice settings', () => {
  it('reads the settings (admin and manager); managers cannot change them', async () => {
    const read = await as(manager, 'GET', '/api/v1/admin/settings');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: a.practiceId,
      name: 'Admin Dental',
      timeZone: 'America/Chicago',
      currency: 'USD',
      holidayRegion: null,
      leadMergeWindowHours: 720,
      boardThresholds: { waitingAmberSeconds: 300, waitingRedSeconds: 900, missedRateAmber: 0.1, missedRateRed: 0.2 },
    });
    expect(read.body.openingHours.mon).toEqual([['08:00', '18:00']]);
    const refused = await as(manager, 'PATCH', '/api/v1/admin/settings', { name: 'Manager Dental' });
    expect(refused.status).toBe(403);
    expect((await as(foreignAdmin, 'GET', '/api/v1/admin/settings')).body.name).toBe('Other Dental');
  });

  it('refuses a bad time zone with a 400 naming timeZone, and changes nothing else of the request', async () => {
    const before = (await as(admin, 'GET', '/api/v1/admin/settings')).body;
    const bad = await as(admin, 'PATCH', '/api/v1/admin/settings', { name: 'Renamed Dental', timeZone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('timeZone: "Mars/Olympus_Mons" is not an IANA time zone (e.g. America/Chicago)');
    expect(bad.body.errors).toEqual([{ field: 'timeZone', message: expect.any(String) }]);
    expect((await as(admin, 'GET', '/api/v1/admin/settings')).body).toEqual(before);
  });

  it('names every bad field at once', async () => {
    const bad = await as(admin, 'PATCH', '/api/v1/admin/settings', {
      currency: 'dollars',
      holidayRegion: 'XX-YY',
      openingHours: 'mon-fri 09:00-08:00',
      boardThresholds: { waitingAmberSeconds: 600, waitingRedSeconds: 300, missedRateAmber: 0.1, missedRateRed: 1.5 },
      leadMergeWindowHours: 9000,
      color: 'blue',
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        '(body)',
        'boardThresholds.missedRateRed',
        'boardThresholds.waitingRedSeconds',
        'currency',
        'holidayRegion',
        'leadMergeWindowHours',
        'openingHours',
      ].sort(),
    );
    expect(bad.body.message).toMatch(/openingHours: bad time range "09:00-08:00"/);
    expect(bad.body.message).toMatch(/color/);
    const overlap = await as(admin, 'PATCH', '/api/v1/admin/settings', {
      openingHours: {
        mon: [
          ['08:00', '12:00'],
          ['11:00', '17:00'],
        ],
      },
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.message).toMatch(/^openingHours: mon: ranges 08:00-12:00 and 11:00-17:00 overlap/);
    const weekday = await as(admin, 'PATCH', '/api/v1/admin/settings', { openingHours: { monday: [['08:00', '12:00']] } });
    expect(weekday.body.message).toMatch(/^openingHours: "monday" is not a weekday/);
    const nothing = await as(admin, 'PATCH', '/api/v1/admin/settings', {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.message).toMatch(/nothing to change/);
  });

  it('applies a good change; the board shows the new time zone and name at once', async () => {
    const tv = t.connectBoard(a.displayToken);
    expect((await connected(tv)).state.practice.timeZone).toBe('America/Chicago');
    const rebuilt = nextMessage(tv, 'board:update', (m) => m.state.practice.timeZone === 'Europe/London', 5000).catch(() => null);

    const changed = await as(admin, 'PATCH', '/api/v1/admin/settings', {
      name: 'Lakeside Ortho',
      timeZone: 'Europe/London',
      currency: 'gbp',
      holidayRegion: 'gb-eng',
      openingHours: 'mon-thu 08:00-12:00,13:00-17:00; fri 08:00-12:00',
      boardThresholds: { waitingAmberSeconds: 120, waitingRedSeconds: 600, missedRateAmber: 0.05, missedRateRed: 0.15 },
      leadMergeWindowHours: 48,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      id: a.practiceId,
      name: 'Lakeside Ortho',
      timeZone: 'Europe/London',
      currency: 'GBP',
      holidayRegion: 'GB-ENG',
      openingHours: {
        mon: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        tue: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        wed: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        thu: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        fri: [['08:00', '12:00']],
      },
      boardThresholds: { waitingAmberSeconds: 120, waitingRedSeconds: 600, missedRateAmber: 0.05, missedRateRed: 0.15 },
      leadMergeWindowHours: 48,
    });
    expect((await as(admin, 'GET', '/api/v1/admin/settings')).body).toEqual(changed.body);

    const board = await send(t, 'GET', '/api/v1/board', { bearer: a.displayToken });
    expect(board.body.state.practice).toMatchObject({ name: 'Lakeside Ortho', timeZone: 'Europe/London', currency: 'GBP' });
    const update = await rebuilt;
    expect(update?.state.practice.timeZone ?? (await send(t, 'GET', '/api/v1/board', { bearer: a.displayToken })).body.state.practice.timeZone).toBe(
      'Europe/London',
    );
    tv.disconnect();

    // One field at a time; null clears the holiday region; the other practice is untouched.
    const partial = await as(admin, 'PATCH', '/api/v1/admin/settings', { holidayRegion: null, openingHours: { sat: [['09:00', '13:00']], sun: [] } });
    expect(partial.body).toMatchObject({ name: 'Lakeside Ortho', holidayRegion: null, openingHours: { sat: [['09:00', '13:00']] } });
    expect((await as(foreignAdmin, 'GET', '/api/v1/admin/settings')).body).toMatchObject({ name: 'Other Dental', timeZone: 'America/Chicago' });
  });
});

describe('API docs', () => {
  it('documents the admin routes with their request bodies', async () => {
    const doc = (await send(t, 'GET', '/api/docs/openapi.json')).body;
    for (const path of [
      '/api/v1/admin/ingest-keys',
      '/api/v1/admin/ingest-keys/{id}/revoke',
      '/api/v1/admin/displays',
      '/api/v1/admin/displays/{id}/revoke',
      '/api/v1/admin/staff',
      '/api/v1/admin/staff/{id}',
      '/api/v1/admin/settings',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    const settingsBody = doc.paths['/api/v1/admin/settings'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(settingsBody.properties).sort()).toEqual([
      'boardThresholds',
      'currency',
      'holidayRegion',
      'leadMergeWindowHours',
      'name',
      'openingHours',
      'timeZone',
    ]);
    expect(doc.paths['/api/v1/admin/staff'].post.requestBody.content['application/json'].schema.properties.role.enum).toContain('treatment_coordinator');
  });
});
