// The PostgreSQL server pool's size and timeouts, and the DB_* variables that set them. Here, not in
// config/, so that the data source reads its defaults without loading the whole configuration.

/** How the pool to a PostgreSQL server waits: while the database is down, restarting or out of
 * connections, these bound how long a request waits before it answers 503 (common/database-unavailable.ts). */
export interface DatabasePoolSettings {
  /** Connections per server process (DB_POOL_MAX); N processes open up to N times this. */
  max: number;
  /** Waiting for a pooled connection or opening a new one, refused or unanswered (DB_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** An unused pooled connection is closed after this (DB_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
  /** Server side: a longer statement is cancelled (DB_STATEMENT_TIMEOUT_MS). Reports over two years take under 2 s. */
  statementTimeoutMs: number;
  /** Client side: a query whose answer never comes, e.g. a cut connection (DB_QUERY_TIMEOUT_MS); above the statement timeout so the server cancels first. */
  queryTimeoutMs: number;
  /** A transaction left open by a stuck client gives up its locks after this (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS). */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_DATABASE_POOL: Readonly<DatabasePoolSettings> = {
  max: 10,
  connectTimeoutMs: 3_000,
  idleTimeoutMs: 10_000,
  statementTimeoutMs: 10_000,
  queryTimeoutMs: 12_000,
  idleInTransactionTimeoutMs: 30_000,
};

/** Each DB_* variable: its field and its allowed range (whole numbers). */
const DATABASE_POOL_VARIABLES: ReadonlyArray<{ name: string; field: keyof DatabasePoolSettings; min: number; max: number }> = [
  { name: 'DB_POOL_MAX', field: 'max', min: 1, max: 1000 },
  { name: 'DB_CONNECT_TIMEOUT_MS', field: 'connectTimeoutMs', min: 100, max: 600_000 },
  { name: 'DB_IDLE_TIMEOUT_MS', field: 'idleTimeoutMs', min: 100, max: 3_600_000 },
  { name: 'DB_STATEMENT_TIMEOUT_MS', field: 'statementTimeoutMs', min: 100, max: 3_600_000 },
  { name: 'DB_QUERY_TIMEOUT_MS', field: 'queryTimeoutMs', min: 100, max: 3_600_000 },
  { name: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', field: 'idleInTransactionTimeoutMs', min: 1_000, max: 3_600_000 },
];

/** The DB_* variables over the defaults. A query timeout not above the statement timeout is refused:
 * the client would give up (and drop the connection) before the server cancels the statement. When
 * only DB_STATEMENT_TIMEOUT_MS is set, the query timeout follows it, 2 s above. */
export function parseDatabasePool(env: NodeJS.ProcessEnv): DatabasePoolSettings {
  const pool: DatabasePoolSettings = { ...DEFAULT_DATABASE_POOL };
  for (const { name, field, min, max } of DATABASE_POOL_VARIABLES) {
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!(/^\d+$/.test(text) && value >= min && value <= max)) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${env[name]}"`);
    pool[field] = value;
  }
  if (!env.DB_QUERY_TIMEOUT_MS?.trim() && env.DB_STATEMENT_TIMEOUT_MS?.trim()) {
    pool.queryTimeoutMs = Math.max(pool.statementTimeoutMs + 2_000, DEFAULT_DATABASE_POOL.queryTimeoutMs);
  }
  if (pool.queryTimeoutMs <= pool.statementTimeoutMs) {
    throw new Error(`DB_QUERY_TIMEOUT_MS (${pool.queryTimeoutMs}) must be above DB_STATEMENT_TIMEOUT_MS (${pool.statementTimeoutMs})`);
  }
  return pool;
}
