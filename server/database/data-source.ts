// One code path, two drivers: the PostgreSQL server when DATABASE_URL is set, else PGlite (real
// PostgreSQL compiled to WebAssembly) in a folder under the data directory.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { DatabaseLogger } from '../logging/database-logger.js';
import { PGliteDriver } from 'typeorm-pglite';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { ENTITIES, MIGRATIONS } from './entities.js';

export interface DatabaseSettings {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where TypeORM logs (failed and slow queries, migrations): the app's pino logger. Without one
   * (CLI, migrations), warnings and errors go to stderr as pino JSON, keeping stdout for output. */
  logger?: Logger;
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
    return { ...common, url: settings.databaseUrl, extra: { max: 10, application_name: 'lead-wallboard' } };
  }
  const dataDir = join(settings.dataDir, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  return { ...common, driver: new PGliteDriver({ dataDir }).driver };
}

/** True for a data source on PGlite, whose single session needs transactions to take turns. */
export function usesEmbeddedDriver(dataSource: DataSource): boolean {
  return 'driver' in dataSource.options && dataSource.options.driver !== undefined;
}

const embeddedLocks = new WeakMap<DataSource, () => void>();

/** Connects and brings the schema up to date. The embedded database is first locked to this
 * process (embedded-lock.ts); closeDatabase() frees it. */
export async function openDatabase(settings: DatabaseSettings): Promise<DataSource> {
  const release = settings.databaseUrl === undefined ? acquireEmbeddedLock(settings.dataDir) : () => {};
  try {
    const dataSource = new DataSource(dataSourceOptions(settings));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    embeddedLocks.set(dataSource, release);
    return dataSource;
  } catch (error) {
    release();
    throw error;
  }
}

export async function closeDatabase(dataSource: DataSource): Promise<void> {
  try {
    if (dataSource.isInitialized) await dataSource.destroy();
  } finally {
    embeddedLocks.get(dataSource)?.();
    embeddedLocks.delete(dataSource);
  }
}
