// One code path, two drivers: the PostgreSQL server when DATABASE_URL is set, else PGlite (real
// PostgreSQL compiled to WebAssembly) in a folder under the data directory.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { DatabaseLogger } from '../logging/database-logger.js';
import { PGliteDriver } from 'typeorm-pglite';
import { LOCKS, withAdvisoryLock } from '../cluster/advisory-lock.js';
import { DEFAULT_DATABASE_POOL, type DatabasePoolSettings } from './database-pool.js';
import { usesEmbeddedDriver } from './database-driver.js';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { ENTITIES, MIGRATIONS } from './entities.js';
import { isDatabaseUnavailable } from '../common/database-unavailable.js';

export interface DatabaseSettings {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where TypeORM logs (failed and slow queries, migrations): the app's pino logger. Without one
   * (CLI, migrations), warnings and errors go to stderr as pino JSON, keeping stdout for output. */
  logger?: Logger;
  /** Pool size and timeouts on a PostgreSQL server; DEFAULT_DATABASE_POOL when unset. */
  databasePool?: DatabasePoolSettings;
  /** The server's start: while the PostgreSQL server cannot be reached, try again with this backoff
   * (a warning each try) instead of failing. Unset (the CLI, migrations): fail at once. */
  retryUntilReachable?: StartRetry;
}

/** Waits between tries: first, doubled each try, at most max; each one +-20% so that processes
 * started together do not try in step. */
export interface StartRetry {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const START_RETRY: Readonly<StartRetry> = { firstDelayMs: 1_000, maxDelayMs: 15_000 };

/** The wait before try `attempt` + 1 (attempt counts from 1). */
export function startRetryDelay(retry: StartRetry, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A pg client that gives up its connection when a query's answer has not come within query_timeout.
 * pg keeps such a connection: the transaction's ROLLBACK would wait as long again on it, and the pool
 * would hand it to the next request. Ended here, the ROLLBACK fails at once and the pool drops it.
 */
export class BoundedClient extends pg.Client {}
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
const baseQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
Object.defineProperty(BoundedClient.prototype, 'query', {
  value: function query(this: pg.Client, ...args: unknown[]): unknown {
    const result = baseQuery.apply(this, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Query read timeout') this.end().catch(() => undefined);
      });
    }
    return result;
  },
});

/**
 * pg pool options for a PostgreSQL server: while the database is down or restarting no request
 * waits more than `connectTimeoutMs` for a connection, and no query runs or hangs without bound; the
 * request answers 503 with Retry-After (common/database-unavailable.ts) and the pool reconnects by
 * itself when the database is back. The numbers are settings (DB_* in config/app-config.ts).
 */
export function serverPoolOptions(pool: DatabasePoolSettings = DEFAULT_DATABASE_POOL) {
  return {
    Client: BoundedClient,
    max: pool.max,
    /** pg-pool: waiting for a pooled connection or opening a new one (refused, or a host that does not answer). */
    connectionTimeoutMillis: pool.connectTimeoutMs,
    idleTimeoutMillis: pool.idleTimeoutMs,
    /** Server side: a statement running longer is cancelled (57014). */
    statement_timeout: pool.statementTimeoutMs,
    /** Client side: a query whose answer never comes (a connection cut without a reset, a partition). */
    query_timeout: pool.queryTimeoutMs,
    /** A transaction left open by a stuck client does not hold its locks for ever. */
    idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
    /** Detects a dead peer on idle pooled connections. */
    keepAlive: true,
  };
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Through pino, SQL text only: never a query's parameters (patient details), see database-logger.ts.
    logger: new DatabaseLogger(settings.logger ?? pino({ level: 'warn', base: { service: 'lead-wallboard' } }, pino.destination(2))),
    maxQueryExecutionTime: 2000,
    // Ids come from PostgreSQL's built-in gen_random_uuid(): no extension to install (PGlite has none).
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (settings.databaseUrl !== undefined) {
    return { ...common, url: settings.databaseUrl, extra: { ...serverPoolOptions(settings.databasePool), application_name: 'lead-wallboard' } };
  }
  const dataDir = join(settings.dataDir, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  return { ...common, driver: new PGliteDriver({ dataDir }).driver };
}

const embeddedLocks = new WeakMap<DataSource, () => void>();

/** Connects and brings the schema up to date. The embedded database is first locked to this
 * process (embedded-lock.ts); closeDatabase() frees it. On a PostgreSQL server several processes may
 * start at once: each waits for the migrations advisory lock, so they run the migrations one after
 * the other (the second finds nothing left to do). With `retryUntilReachable`, a PostgreSQL server
 * that cannot be reached (refused, timed out, starting up, or lost during the migrations, which run
 * one transaction each) is tried again with backoff; any other error (a wrong password, a database
 * that does not exist, a failing migration) still fails at once. */
export async function openDatabase(settings: DatabaseSettings): Promise<DataSource> {
  const release = settings.databaseUrl === undefined ? acquireEmbeddedLock(settings.dataDir) : () => {};
  try {
    const retry = settings.databaseUrl === undefined ? undefined : settings.retryUntilReachable;
    for (let attempt = 1; ; attempt++) {
      const dataSource = new DataSource(dataSourceOptions(settings));
      try {
        await dataSource.initialize();
        const migrate = () => dataSource.runMigrations({ transaction: 'each' });
        if (usesEmbeddedDriver(dataSource)) await migrate();
        else await withAdvisoryLock(dataSource, LOCKS.migrations, migrate);
        embeddedLocks.set(dataSource, release);
        if (attempt > 1) startLogger(settings).info({ attempt }, 'database reachable: starting');
        return dataSource;
      } catch (error) {
        if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
        if (retry === undefined || !isDatabaseUnavailable(error)) throw error;
        const delayMs = startRetryDelay(retry, attempt);
        // The error's code and pg's message name the cause (ECONNREFUSED, a timeout, "starting up");
        // the URL is not logged (it may hold a password).
        startLogger(settings).warn(
          { attempt, retryInMs: delayMs, cause: describeConnectError(error) },
          `database unreachable (try ${attempt}): retrying in ${(delayMs / 1000).toFixed(1)} s; /api/health/ready answers 503 until connected`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  } catch (error) {
    release();
    throw error;
  }
}

function startLogger(settings: DatabaseSettings): Logger {
  return settings.logger ?? pino({ level: 'info', base: { service: 'lead-wallboard' } }, pino.destination(2));
}

function describeConnectError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  const inner = e.driverError ?? e;
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const message = typeof inner.message === 'string' ? inner.message : 'unknown error';
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export async function closeDatabase(dataSource: DataSource): Promise<void> {
  try {
    if (dataSource.isInitialized) await dataSource.destroy();
  } finally {
    embeddedLocks.get(dataSource)?.();
    embeddedLocks.delete(dataSource);
  }
}
