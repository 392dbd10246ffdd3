// Per-key rate limits for the ingest API and the inbound integrations: one interceptor for the app,
// acting on the handlers marked `@RateLimited(keyOf)` (common/rate-limited.decorator.ts), each keyed by
// the credential that sent the request.
//
// - Ingest routes (leads, lead events, calls, the three imports): keyed by the ingest key's id (each
//   key of a practice has its own budget); a logged-in admin or manager importing a CSV is keyed by
//   their user id.
// - Twilio callbacks: keyed by the practice id in the URL; the signed webhook: by the integration id.
// - It is an interceptor, so it runs after RolesGuard and the signature guards: a request without
//   valid credentials gets its 401 and never spends a real key's budget. It runs before the body is
//   validated and before the handler, so a 429 writes nothing.
// - The budget per key is a window of INGEST_BURST requests that lasts INGEST_BURST /
//   INGEST_RATE_PER_SECOND seconds (defaults 200 per 10 s): on average no more than the rate, in
//   bursts of up to INGEST_BURST. `npm run bench:live` sends 2 requests/s per key, far below it.
//
// Counters live where RateLimiterStore (limiter-store.ts) puts them: on a PostgreSQL server in one
// table shared by every server process (a key's budget is the cluster's, not each process's), on the
// embedded database in memory. (rate-limiter-flexible is CommonJS with no dependencies, so unlike
// @nestjs/throttler it loads under jest's ESM runtime: see users/login-limiter.ts.)

import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import type { Response } from 'express';
import rateLimiterFlexible from 'rate-limiter-flexible';
import type { Observable } from 'rxjs';
import { RATE_LIMIT_KEY, type RateLimitedRequest, type RateLimitKey } from '../common/rate-limited.decorator.js';
import { DEFAULT_INGEST_RATE_LIMITS, validateIngestRateLimits, type AppConfig, type IngestRateLimits } from '../config/app-config.js';
import { RateLimiterStore, type RateLimiter } from './limiter-store.js';

const { RateLimiterRes } = rateLimiterFlexible;

export const INGEST_RATE_LIMITS = Symbol('INGEST_RATE_LIMITS');

@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(INGEST_RATE_LIMITS) private readonly limits: IngestRateLimits,
    store: RateLimiterStore,
    private readonly reflector: Reflector,
  ) {
    this.limiter = store.create({ keyPrefix: 'ingest', points: limits.burst, duration: limits.burst / limits.perSecond });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const keyOf = this.reflector.get<RateLimitKey | undefined>(RATE_LIMIT_KEY, context.getHandler());
    const key = keyOf?.(context.switchToHttp().getRequest<RateLimitedRequest>());
    if (!key) return next.handle();
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `rate limit: ${this.limits.perSecond} requests per second per key; retry after ${retryAfter} s`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return next.handle();
  }
}

/** Registers the interceptor for the whole app (it acts on @RateLimited handlers only) and offers every
 * module the one RateLimiterStore (global), so each limiter counts in the same place. */
@Module({})
export class RateLimitModule {
  static forRoot(config: Pick<AppConfig, 'ingestRateLimits'>): DynamicModule {
    return {
      module: RateLimitModule,
      global: true,
      exports: [RateLimiterStore],
      providers: [
        RateLimiterStore,
        { provide: INGEST_RATE_LIMITS, useValue: validateIngestRateLimits(config.ingestRateLimits ?? DEFAULT_INGEST_RATE_LIMITS) },
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
      ],
    };
  }
}
