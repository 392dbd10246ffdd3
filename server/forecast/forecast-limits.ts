// What a caller can make the forecast endpoints compute. Each practice's forecasts are computed once
// per practice-day (forecast-store.ts) and every window, horizon or month count is a slice of that one
// result, so an ordinary query costs no forecasting. The costly request is `refresh=true`, which
// recomputes at once: it is counted per practice (the cache is the practice's, whoever asks) with
// rate-limiter-flexible, in the store every limiter shares (cluster-wide on a PostgreSQL server); past
// the budget the answer is 429 with Retry-After, before any work.

import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import rateLimiterFlexible from 'rate-limiter-flexible';
import { RateLimiterStore, type RateLimiter } from '../ratelimit/limiter-store.js';

const { RateLimiterRes } = rateLimiterFlexible;

/** Recomputations on demand (refresh=true) per practice per hour, forecasts and staffing together. */
export const FORECAST_REFRESHES_PER_HOUR = 6;
const HOUR_SECONDS = 3_600;

@Injectable()
export class ForecastLimits {
  private readonly refreshes: RateLimiter;

  constructor(store: RateLimiterStore) {
    this.refreshes = store.create({ keyPrefix: 'forecast-refresh', points: FORECAST_REFRESHES_PER_HOUR, duration: HOUR_SECONDS });
  }

  /** Spends a refresh from the practice's budget when `refresh` is asked (nothing otherwise); 429 past it. */
  async admit(practiceId: string, refresh: boolean, response: Response): Promise<void> {
    if (refresh) await this.spend(this.refreshes, practiceId, response, `refresh=true: at most ${FORECAST_REFRESHES_PER_HOUR} per hour per practice`);
  }

  private async spend(limiter: RateLimiter, practiceId: string, response: Response, rule: string): Promise<void> {
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
