// Login attempts per minute, whatever their outcome: per client IP, and per account (practice +
// email, both normalised: the email trimmed and lower-cased, the practice id lower-cased, so another
// letter case is not a fresh budget; this also slows guessing at unknown emails, where no lockout
// applies). The lockout after 10 failures in a row is in UsersService, counted atomically in the
// database. Behind a reverse proxy set TRUST_PROXY so the IP is the client's, not the proxy's.
//
// Counters are rate-limiter-flexible's, in the store every limiter shares (RateLimiterStore: one
// budget for all server processes on a PostgreSQL server; consume is atomic).
//
// Why not @nestjs/throttler (6.7.1 accepts NestJS 12 as a peer): it is published as CommonJS and
// `require`s @nestjs/common, which NestJS 12 ships as ESM only; jest's ESM runtime on Node 20 refuses it.

import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import rateLimiterFlexible from 'rate-limiter-flexible';
import { RateLimiterStore, type RateLimiter } from '../ratelimit/limiter-store.js';

const { RateLimiterRes } = rateLimiterFlexible;

export const LOGIN_WINDOW_MS = 60_000;
export const DEFAULT_LOGIN_LIMITS = { perIp: 30, perAccount: 20 };
export const LOGIN_LIMITS = Symbol('LOGIN_LIMITS');

/** The account a login attempt is for, as the limits count it. */
export function loginAccountKey(body: unknown): string {
  const { practiceId, email } = (body ?? {}) as { practiceId?: unknown; email?: unknown };
  const account = typeof email === 'string' ? email.trim().toLowerCase() : '';
  const practice = typeof practiceId === 'string' ? practiceId.trim().toLowerCase() : '*';
  return `${practice}:${account}`;
}

@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly perIp: RateLimiter;
  private readonly perAccount: RateLimiter;

  constructor(@Inject(LOGIN_LIMITS) limits: { perIp: number; perAccount: number }, store: RateLimiterStore) {
    // A fixed window of `points` attempts per LOGIN_WINDOW_MS, per key.
    this.perIp = store.create({ keyPrefix: 'login-ip', points: limits.perIp, duration: LOGIN_WINDOW_MS / 1000 });
    this.perAccount = store.create({ keyPrefix: 'login-account', points: limits.perAccount, duration: LOGIN_WINDOW_MS / 1000 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Both are counted, whatever the other says: an attacker spreading over accounts still spends the IP's budget.
    const [ip, account] = await Promise.all([consumed(this.perIp, request.ip ?? 'unknown'), consumed(this.perAccount, loginAccountKey(request.body))]);
    const refusal = [ip, account].find((result) => result !== null);
    if (refusal) {
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
      throw new HttpException(`too many login attempts: wait ${retryAfter} s and try again`, HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }
}

/** Spends one point; the refusal (with the time until the window ends), or null when allowed. */
async function consumed(limiter: RateLimiter, key: string): Promise<InstanceType<typeof RateLimiterRes> | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}
