// Login attempts per minute, whatever their outcome: per client IP, and per account (practice + email,
// which also slows guessing at unknown emails, where no lockout applies). Lockout after 10 failures
// is in UsersService. Behind a reverse proxy set Express's "trust proxy" so the IP is the client's.
//
// Why not @nestjs/throttler (6.7.1 accepts NestJS 12 as a peer): it is published as CommonJS and
// `require`s @nestjs/common, which NestJS 12 ships as ESM only. Node 20.19 loads that, but jest's ESM
// runtime on Node 20 refuses it ("Must use import to load ES Module"), so no test could start the app.
// This is the same fixed-window counter it would keep, in memory, for one process.

import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export const LOGIN_WINDOW_MS = 60_000;
export const DEFAULT_LOGIN_LIMITS = { perIp: 30, perAccount: 20 };
export const LOGIN_LIMITS = Symbol('LOGIN_LIMITS');
const MAX_KEYS = 100_000;

export class FixedWindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  /** Counts one hit for `key`; false when it is over `limit` within the window. */
  hit(key: string, limit: number, now = Date.now()): boolean {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= MAX_KEYS) this.sweep(now);
      window = { count: 0, resetAt: now + LOGIN_WINDOW_MS };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= limit;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    if (this.windows.size >= MAX_KEYS) this.windows.clear();
  }
}

@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly counter = new FixedWindowCounter();

  constructor(@Inject(LOGIN_LIMITS) private readonly limits: { perIp: number; perAccount: number }) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const body = request.body as { practiceId?: unknown; email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    const practice = typeof body?.practiceId === 'string' ? body.practiceId : '*';
    const ipOk = this.counter.hit(`ip:${request.ip ?? 'unknown'}`, this.limits.perIp);
    const accountOk = this.counter.hit(`account:${practice}:${email}`, this.limits.perAccount);
    if (!ipOk || !accountOk) {
      throw new HttpException('too many login attempts: wait a minute and try again', HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }
}
