// Login limits that hold under pressure (issue #11, item 7): the account budget is keyed on the
// normalised email and practice (another letter case of either is not a fresh budget), the lockout
// count is atomic (concurrent wrong guesses never get more than LOCKOUT_FAILURES password checks),
// and with TRUST_PROXY the per-IP limit sees the client's address from X-Forwarded-For.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LOCKOUT_FAILURES } from '../../server/users/users.service.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, PASSWORD } from './users-support.js';

let t: TestApp;
let proxied: TestApp;
let a: TestPractice;
let p: TestPractice;

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 4 } } });
  proxied = await startTestApp({ config: { loginLimits: { perIp: 3, perAccount: 1000 }, trustProxy: 1 } });
  a = await t.createPractice({ name: 'Limits Dental' });
  await createUser(t, a.practiceId, 'case@limits.test', 'manager');
  p = await proxied.createPractice({ name: 'Proxied Dental' });
  await createUser(proxied, p.practiceId, 'racer@limits.test', 'manager');
});
afterAll(async () => {
  await t.close();
  await proxied.close();
});

const attempt = (app: TestApp, body: object, headers: Record<string, string> = {}) =>
  fetch(app.url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('login limits', () => {
  it('counts one account whatever the letter case of its email and practice id', async () => {
    const variants = [
      { email: 'case@limits.test', practiceId: a.practiceId },
      { email: 'CASE@limits.test', practiceId: a.practiceId.toUpperCase() },
      { email: ' Case@Limits.Test ', practiceId: a.practiceId.toUpperCase() },
      { email: 'case@limits.test', practiceId: a.practiceId.replace(/[a-f]/, (c) => c.toUpperCase()) },
    ];
    for (const variant of variants) expect((await attempt(t, { ...variant, password: 'not the password at all' })).status).toBe(401);
    const fifth = await attempt(t, { email: 'CaSe@limits.test', practiceId: a.practiceId.toUpperCase(), password: PASSWORD });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('concurrent wrong guesses are checked at most LOCKOUT_FAILURES times, then the account is locked', async () => {
    // Many guesses at once, from many addresses (each under the per-IP limit): without an atomic count
    // each would be checked, and the count would go past the limit.
    const replies = await Promise.all(
      Array.from({ length: 3 * LOCKOUT_FAILURES }, (_, i) =>
        attempt(
          proxied,
          { email: 'racer@limits.test', password: `wrong guess number ${i}`, practiceId: p.practiceId },
          { 'x-forwarded-for': `192.0.2.${i + 1}` },
        ),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(3 * LOCKOUT_FAILURES).fill(401));
    const [user] = await proxied.query(`SELECT failed_attempts, locked_until > now() AS locked FROM app_user WHERE email = 'racer@limits.test'`);
    expect(user).toEqual({ failed_attempts: LOCKOUT_FAILURES, locked: true });
    // Locked: the right password is refused too.
    const right = await attempt(proxied, { email: 'racer@limits.test', password: PASSWORD }, { 'x-forwarded-for': '192.0.2.200' });
    expect(right.status).toBe(401);
  });

  it('with TRUST_PROXY, each client behind the proxy has its own per-IP budget', async () => {
    const from = (ip: string) => attempt(proxied, { email: `nobody-${ip}@limits.test`, password: 'not the password at all' }, { 'x-forwarded-for': ip });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).status).toBe(401);
    expect((await from('203.0.113.7')).status).toBe(429);
    expect((await from('198.51.100.9')).status).toBe(401); // another client: not limited
  });
});
