// Session cookie and CSRF token: both 256-bit random secrets, stored only as SHA-256 digests.
// The CSRF token is derived from the session secret (a keyed digest), so `GET /auth/me` can hand it
// to a reloaded page again without the server keeping it in clear; the session row keeps its digest.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const SESSION_COOKIE = 'lw_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** ...and this long after login, whatever happens. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often per session, sparing a write per request. */
export const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

const SESSION_PREFIX = 'lws_';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newSessionSecret(): string {
  return SESSION_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeSession(secret: string): boolean {
  return secret.startsWith(SESSION_PREFIX) && secret.length > 20 && secret.length < 100;
}

export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`csrf:${sessionSecret}`).digest('base64url');
}

/** Constant-time comparison of a sent CSRF token with the session's stored digest. */
export function csrfMatches(sent: string | undefined, storedHash: string): boolean {
  if (!sent || sent.length > 200) return false;
  const actual = Buffer.from(sha256(sent), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** One cookie's value from the Cookie header (no cookie-parser needed for one cookie). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
