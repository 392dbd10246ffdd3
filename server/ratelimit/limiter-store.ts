// Where every rate limiter keeps its counters, one factory for all of them (ingest keys, logins, ...):
//
// - On a PostgreSQL server (DATABASE_URL), rate-limiter-flexible's PostgreSQL store: one shared row per
//   key in the UNLOGGED `rate_limit` table (migration ClusterSupport), updated by one atomic upsert per
//   hit, so every server process spends the same budget and N processes never allow N times the limit.
//   While the database cannot be reached the limiter falls back to a per-process memory store
//   (`insuranceLimiter`), so a limiter is never the reason a request fails.
// - On the embedded database (one process by construction) the memory store.
//
// Usage: inject RateLimiterStore and call `create({ keyPrefix, points, duration })`. Each caller picks
// its own keyPrefix; keys are stored as `${keyPrefix}:${key}`.

import { Injectable } from '@nestjs/common';
import rateLimiterFlexible from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { serverPool } from '../database/database-driver.js';

const { RateLimiterMemory, RateLimiterPostgres } = rateLimiterFlexible;

/** Created by migration ClusterSupport (never by the library at run time). */
export const RATE_LIMIT_TABLE = 'rate_limit';

export interface LimiterOptions {
  /** Namespaces the keys: one prefix per limiter (e.g. 'ingest', 'login-ip'). */
  keyPrefix: string;
  /** Hits allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
  /** Seconds a key stays refused once over the limit (default: until the window ends). */
  blockDuration?: number;
}

export type RateLimiter = InstanceType<typeof RateLimiterMemory> | InstanceType<typeof RateLimiterPostgres>;

@Injectable()
export class RateLimiterStore {
  constructor(private readonly dataSource: DataSource) {}

  /** 'postgres' when limits are counted for the whole cluster, 'memory' when per process. */
  get kind(): 'postgres' | 'memory' {
    return serverPool(this.dataSource) ? 'postgres' : 'memory';
  }

  create(options: LimiterOptions): RateLimiter {
    const memory = new RateLimiterMemory(options);
    const pool = serverPool(this.dataSource);
    if (!pool) return memory;
    return new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: true,
      insuranceLimiter: memory,
    });
  }
}
