// Login attempts are limited per client IP and per account (429), before any password is checked.

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { send } from './users-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 6, perAccount: 3 } } });
});
afterAll(() => t.close());

it('answers 429 after too many attempts for one account, then for one IP', async () => {
  const attempt = (email: string) => send(t, 'POST', '/api/v1/auth/login', { body: { email, password: 'not the password at all' } });
  expect((await attempt('a@example.test')).status).toBe(401);
  expect((await attempt('A@example.test ')).status).toBe(401);
  expect((await attempt('a@example.test')).status).toBe(401);
  const limited = await attempt('a@example.test');
  expect(limited.status).toBe(429);
  expect(limited.body.message).toMatch(/too many login attempts/);
  expect((await attempt('b@example.test')).status).toBe(401);
  expect((await attempt('c@example.test')).status).toBe(401);
  expect((await attempt('d@example.test')).status).toBe(429); // 7th from this IP
});
