// Which driver a data source runs on, and its pg pool: a leaf, so that what data-source.ts itself
// uses (the advisory locks of server/cluster/) can ask without importing data-source.ts back.

import type { DataSource } from 'typeorm';

/** True for a data source on PGlite, whose single session needs transactions to take turns. */
export function usesEmbeddedDriver(dataSource: DataSource): boolean {
  return 'driver' in dataSource.options && dataSource.options.driver !== undefined;
}

/** The pg pool TypeORM's PostgreSQL driver keeps (its `master`); undefined on the embedded driver. */
export function serverPool(dataSource: DataSource): import('pg').Pool | undefined {
  if (usesEmbeddedDriver(dataSource)) return undefined;
  return (dataSource.driver as unknown as { master?: import('pg').Pool }).master;
}
