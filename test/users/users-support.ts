// Requests with a session cookie and CSRF token, and users created straight through the service.

import type { TestApp } from '../support/test-app.js';
import { UsersService } from '../../server/users/users.service.js';
import type { UserRole } from '../../server/users/user.entities.js';

export const PASSWORD = 'correct horse battery staple';

export interface Session {
  cookie: string;
  csrfToken: string;
  user: { id: string; practiceId: string; role: UserRole; email: string };
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function send(
  t: TestApp,
  method: string,
  path: string,
  options: { body?: unknown; bearer?: string; cookie?: string; csrf?: string; contentType?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(t.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body, headers: response.headers };
}

export async function createUser(t: TestApp, practiceId: string, email: string, role: UserRole, password = PASSWORD) {
  return (await t.app.get(UsersService).createUser(practiceId, { email, displayName: email.split('@')[0]!, role, password })).user;
}

export async function login(t: TestApp, email: string, password = PASSWORD, practiceId?: string): Promise<Session> {
  const reply = await send(t, 'POST', '/api/v1/auth/login', { body: { email, password, ...(practiceId ? { practiceId } : {}) } });
  if (reply.status !== 200) throw new Error(`login ${email}: ${reply.status} ${JSON.stringify(reply.body)}`);
  const setCookie = reply.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  return { cookie, csrfToken: reply.body.csrfToken, user: reply.body.user };
}
