// Web login end to end on a real PostgreSQL server: cookie and CSRF token, logout, expiry, the one
// refusal for a wrong email or password, lockout, per-IP and per-account rate limits, stored hashes.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { LOGIN_REFUSED } from '../../server/users/users.service.js';
import { createUser, login, PASSWORD, send } from './users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  await createUser(t, a.practiceId, 'Ann.Admin@Example.test', 'admin');
  await createUser(t, a.practiceId, 'mo.manager@example.test', 'manager');
  await createUser(t, a.practiceId, 'locky@example.test', 'manager');
  await createUser(t, b.practiceId, 'mo.manager@example.test', 'manager', 'a different password for B');
});
afterAll(() => t.close());

describe('login, me, logout', () => {
  it('sets an HttpOnly SameSite=Strict cookie and returns the user and a CSRF token', async () => {
    const reply = await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'ann.admin@example.test', password: PASSWORD } });
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ email: 'ann.admin@example.test', role: 'admin', practiceId: a.practiceId });
    expect(reply.body.csrfToken).toEqual(expect.any(String));
    expect(JSON.stringify(reply.body)).not.toMatch(/scrypt|password/i);
    const cookie = reply.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^lw_session=lws_[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
  });

  it('me answers the user and the same CSRF token; logout revokes the session', async () => {
    const session = await login(t, 'mo.manager@example.test', PASSWORD, a.practiceId);
    const me = await send(t, 'GET', '/api/v1/auth/me', { cookie: session.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: 'mo.manager@example.test', role: 'manager', practiceId: a.practiceId }, csrfToken: session.csrfToken });

    const out = await send(t, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/lw_session=;/);
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: session.cookie })).status).toBe(401);
    expect((await send(t, 'GET', '/api/v1/board', { cookie: session.cookie })).status).toBe(401);
    const [row] = await t.query(`SELECT revoked_at FROM user_session WHERE user_id = $1 AND revoked_at IS NOT NULL`, [session.user.id]);
    expect(row.revoked_at).toBeInstanceOf(Date);
  });

  it('picks the practice by practiceId when the same email is in two practices', async () => {
    const inB = await login(t, 'mo.manager@example.test', 'a different password for B', b.practiceId);
    expect(inB.user.practiceId).toBe(b.practiceId);
    const withoutPractice = await login(t, 'mo.manager@example.test', 'a different password for B');
    expect(withoutPractice.user.practiceId).toBe(b.practiceId);
    const wrongPractice = await send(t, 'POST', '/api/v1/auth/login', {
      body: { practiceId: a.practiceId, email: 'mo.manager@example.test', password: 'a different password for B' },
    });
    expect(wrongPractice.status).toBe(401);
  });

  it('refuses a session past its idle end, past its absolute end, revoked, or of a disabled user', async () => {
    const idle = await login(t, 'ann.admin@example.test');
    await t.query(
      `UPDATE user_session SET last_seen_at = now() - interval '12 hours 1 minute' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [decodeURIComponent(idle.cookie.split('=')[1]!)],
    );
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: idle.cookie })).status).toBe(401);

    const old = await login(t, 'ann.admin@example.test');
    await t.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [
      decodeURIComponent(old.cookie.split('=')[1]!),
    ]);
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: old.cookie })).status).toBe(401);

    const revoked = await login(t, 'ann.admin@example.test');
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: revoked.cookie })).status).toBe(200);
    await t.query(`UPDATE user_session SET revoked_at = now() WHERE id = (SELECT id FROM user_session ORDER BY created_at DESC LIMIT 1)`);
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: revoked.cookie })).status).toBe(401);

    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: 'lw_session=lws_made-up-session-token-0000000000000000000' })).status).toBe(401);
  });

  it('disabling a user ends their sessions and stops their logins', async () => {
    const user = await createUser(t, a.practiceId, 'leaver@example.test', 'manager');
    const session = await login(t, 'leaver@example.test');
    const admin = await login(t, 'ann.admin@example.test');
    expect((await send(t, 'POST', `/api/v1/users/${user.id}/disable`, { cookie: admin.cookie, csrf: admin.csrfToken })).status).toBe(200);
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: session.cookie })).status).toBe(401);
    const again = await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'leaver@example.test', password: PASSWORD } });
    expect(again).toMatchObject({ status: 401, body: { message: LOGIN_REFUSED } });
    // and an admin cannot lock themself out
    expect((await send(t, 'POST', `/api/v1/users/${admin.user.id}/disable`, { cookie: admin.cookie, csrf: admin.csrfToken })).status).toBe(403);
  });
});

describe('failed logins', () => {
  it('answers a wrong password and an unknown email with the same 401, in comparable time', async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      const reply = await send(t, 'POST', '/api/v1/auth/login', { body: { email, password: 'not the password at all' } });
      return { reply, ms: performance.now() - started };
    };
    const wrongPassword = await timed('mo.manager@example.test');
    const unknownEmail = await timed('nobody@example.test');
    expect(wrongPassword.reply.status).toBe(401);
    expect(unknownEmail.reply.status).toBe(401);
    expect(unknownEmail.reply.body).toEqual(wrongPassword.reply.body);
    expect(wrongPassword.reply.body.message).toBe(LOGIN_REFUSED);
    // both run one scrypt verification: an unknown email is not answered in a fraction of the time
    expect(unknownEmail.ms).toBeGreaterThan(wrongPassword.ms / 4);
  });

  it('locks an account for 15 minutes after 10 failures in a row, even for the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const reply = await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'locky@example.test', password: `wrong password ${i}` } });
      expect(reply.status).toBe(401);
    }
    const [locked] = await t.query(
      `SELECT locked_until - now() AS left, locked_until > now() + interval '14 minutes' AS long_enough FROM app_user WHERE email = 'locky@example.test'`,
    );
    expect(locked.long_enough).toBe(true);
    const right = await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'locky@example.test', password: PASSWORD } });
    expect(right).toMatchObject({ status: 401, body: { message: LOGIN_REFUSED } });

    await t.query(`UPDATE app_user SET locked_until = now() - interval '1 second' WHERE email = 'locky@example.test'`);
    expect((await login(t, 'locky@example.test')).user.email).toBe('locky@example.test');
    const [reset] = await t.query(`SELECT failed_attempts, locked_until FROM app_user WHERE email = 'locky@example.test'`);
    expect(reset).toEqual({ failed_attempts: 0, locked_until: null });
  });

  it('rejects bad login bodies with 400', async () => {
    expect((await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'x@example.test' } })).status).toBe(400);
    expect((await send(t, 'POST', '/api/v1/auth/login', { body: { email: 'x@example.test', password: 'p', extra: 1 } })).status).toBe(400);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated POST without or with a wrong X-CSRF-Token, and changes nothing', async () => {
    const admin = await login(t, 'ann.admin@example.test');
    const body = { email: 'csrf-victim@example.test', displayName: 'Eve', role: 'admin', password: 'a long enough password' };
    const without = await send(t, 'POST', '/api/v1/users', { cookie: admin.cookie, body });
    expect(without.status).toBe(403);
    expect(without.body.message).toMatch(/X-CSRF-Token/);
    const wrong = await send(t, 'POST', '/api/v1/users', { cookie: admin.cookie, csrf: 'x'.repeat(43), body });
    expect(wrong.status).toBe(403);
    const other = await login(t, 'mo.manager@example.test', PASSWORD, a.practiceId);
    expect((await send(t, 'POST', '/api/v1/users', { cookie: admin.cookie, csrf: other.csrfToken, body })).status).toBe(403);
    expect((await send(t, 'POST', '/api/v1/auth/logout', { cookie: admin.cookie })).status).toBe(403);
    expect((await send(t, 'POST', '/api/v1/imports/leads', { cookie: admin.cookie, body: 'createdAt,channel\n', contentType: 'text/csv' })).status).toBe(403);
    expect(await t.query(`SELECT id FROM app_user WHERE email = 'csrf-victim@example.test'`)).toEqual([]);
    expect((await send(t, 'GET', '/api/v1/auth/me', { cookie: admin.cookie })).status).toBe(200); // not logged out

    const right = await send(t, 'POST', '/api/v1/users', { cookie: admin.cookie, csrf: admin.csrfToken, body });
    expect(right.status).toBe(201);
  });

  it('needs no CSRF token for a bearer request, and ignores a cookie when a bearer header is sent', async () => {
    const reply = await send(t, 'POST', '/api/v1/leads', { bearer: a.ingestKey, body: { channel: 'phone' } });
    expect(reply.status).toBe(201);
    const admin = await login(t, 'ann.admin@example.test');
    expect((await send(t, 'GET', '/api/v1/users', { cookie: admin.cookie, bearer: 'lwk_not-a-real-key-at-all-0000000' })).status).toBe(401);
  });
});

describe('stored passwords', () => {
  it('keeps scrypt hashes with their parameters, never the password', async () => {
    const rows: Array<{ email: string; password_hash: string }> = await t.query(`SELECT email, password_hash FROM app_user`);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    }
    expect(new Set(rows.map((row) => row.password_hash)).size).toBe(rows.length); // per-user salt
    const dump = JSON.stringify(await t.query(`SELECT * FROM app_user`)) + JSON.stringify(await t.query(`SELECT * FROM user_session`));
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toMatch(/lws_/);
  });

  it('refuses short and common passwords', async () => {
    const admin = await login(t, 'ann.admin@example.test');
    const create = (password: string) =>
      send(t, 'POST', '/api/v1/users', {
        cookie: admin.cookie,
        csrf: admin.csrfToken,
        body: { email: `p${password.length}@example.test`, displayName: 'P', role: 'manager', password },
      });
    const short = await create('short');
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/at least 12/);
    const generated = await send(t, 'POST', '/api/v1/users', {
      cookie: admin.cookie,
      csrf: admin.csrfToken,
      body: { email: 'gen@example.test', displayName: 'G', role: 'manager' },
    });
    expect(generated.status).toBe(201);
    expect(generated.body.password).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    expect((await login(t, 'gen@example.test', generated.body.password)).user.role).toBe('manager');
  });
});
