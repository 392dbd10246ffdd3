// What a caller can make the forecast endpoints compute. A forecast is seconds of CPU; the answers are
// cached per practice and query until the practice's next midnight, so the costly requests are the ones
// that skip the cache: `refresh=true`, and a query not asked before (every horizon or month count is a
// cache entry of its own). Both are counted per practice (the cache is the practice's, whoever asks),
// with rate-limiter-flexible: past the budget the answer is 429 with Retry-After, before any work.
// A query asked again within the hour is free: it is answered from the cache.

import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import rateLimiterFlexible from 'rate-limiter-flexible';

const { RateLimiterMemory, RateLimiterRes } = rateLimiterFlexible;

/** Recomputations on demand (refresh=true) per practice per hour. */
export const FORECAST_REFRESHES_PER_HOUR = 6;
/** Forecast queries not asked in the last hour (new horizons, month counts, by=channel) per practice per hour. */
export const FORECAST_NEW_QUERIES_PER_HOUR = 30;
const HOUR_MS = 3_600_000;
/** Queries remembered as asked (oldest forgotten first): bounded whatever callers send. */
const MAX_REMEMBERED = 10_000;

type Limiter = InstanceType<typeof RateLimiterMemory>;

/** One place that picks the counters' store (this process's memory). */
function forecastLimiter(keyPrefix: string, points: number): Limiter {
  return new RateLimiterMemory({ keyPrefix, points, duration: HOUR_MS / 1000 });
}

@Injectable()
export class ForecastLimits {
  private readonly refreshes = forecastLimiter('forecast-refresh', FORECAST_REFRESHES_PER_HOUR);
  private readonly newQueries = forecastLimiter('forecast-new-query', FORECAST_NEW_QUERIES_PER_HOUR);
  /** practice|endpoint|query -> when it was last counted. */
  private readonly asked = new Map<string, number>();

  /** Spends the budget `query` costs (nothing when it is cached and not refreshed); 429 past it. */
  async admit(practiceId: string, endpoint: string, query: Record<string, unknown>, refresh: boolean, response: Response): Promise<void> {
    const { refresh: _refresh, ...rest } = query;
    // Normalised key: parameter order and defaults do not make a new entry.
    const key = `${practiceId}|${endpoint}|${JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))}`;
    const now = Date.now();
    const seenAt = this.asked.get(key);
    if (refresh) await this.spend(this.refreshes, practiceId, response, `refresh=true: at most ${FORECAST_REFRESHES_PER_HOUR} per hour per practice`);
    else if (seenAt === undefined || now - seenAt > HOUR_MS) {
      await this.spend(this.newQueries, practiceId, response, `at most ${FORECAST_NEW_QUERIES_PER_HOUR} different forecast queries per hour per practice (ask one you asked before: it is cached)`);
    } else return;
    this.asked.delete(key);
    this.asked.set(key, now);
    if (this.asked.size > MAX_REMEMBERED) this.asked.delete(this.asked.keys().next().value!);
  }

  private async spend(limiter: Limiter, practiceId: string, response: Response, rule: string): Promise<void> {
    try {
      await limiter.consume(practiceId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      response.setHeader('Retry-After', String(retryAfter));
      throw new HttpException(
        { statusCode: HttpStatus.TOO_MANY_REQUESTS, error: 'Too Many Requests', message: `forecast limit: ${rule}; retry after ${retryAfter} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }
}
