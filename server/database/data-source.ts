// One code path, two drivers: the PostgreSQL server when DATABASE_URL is set, else PGlite (real
// PostgreSQL compiled to WebAssembly) in a folder under the data directory.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { LOCKS, withAdvisoryLock } from '../cluster/advisory-lock.js';
import { ENTITIES, MIGRATIONS } from './entities.js';

export interface DatabaseSettings {
  databaseUrl: string | undefined;
  dataDir: string;
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['error' as const],
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

/** The pg pool TypeORM's PostgreSQL driver keeps (its `master`); undefined on the embedded driver. */
export function serverPool(dataSource: DataSource): import('pg').Pool | undefined {
  if (usesEmbeddedDriver(dataSource)) return undefined;
  return (dataSource.driver as unknown as { master?: import('pg').Pool }).master;
}

/** Connects and brings the schema up to date. On a PostgreSQL server several processes may start at
 * once: each waits for the migrations advisory lock, so they run the migrations one after the other
 * (the second finds nothing left to do). */
export async function openDatabase(settings: DatabaseSettings): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(settings));
  await dataSource.initialize();
  const migrate = () => dataSource.runMigrations({ transaction: 'each' });
  if (usesEmbeddedDriver(dataSource)) await migrate();
  else await withAdvisoryLock(dataSource, LOCKS.migrations, migrate);
  return dataSource;
}
