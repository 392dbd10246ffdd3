// TypeORM's logging through pino. TypeORM's own loggers print a failed query with its parameters
// (`-- PARAMETERS: [...]`), and PostgreSQL's error detail repeats the row ("Failing row contains
// (…)") or the key ("Key (email)=(…)"): a failed patient insert would write a name, a phone and an
// email to the console. Here a query is logged as its SQL text (placeholders only), never its
// parameters, and an error as its code, constraint, table and column, never its detail.

import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** PostgreSQL messages that quote the offending value end with `: "value"` (invalid input syntax,
 * invalid enum value, date out of range) or `: 0x…` (invalid byte sequence): cut the value off. */
export function redactDatabaseMessage(message: string): string {
  return message
    .replace(/: "(?:[^"]|"")*"(?=$|\n)/gm, ': [value redacted]')
    .replace(/(invalid byte sequence for encoding "[^"]+"): [^\n]*/g, '$1: [value redacted]');
}

interface DriverErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  message?: string;
  driverError?: DriverErrorFields;
}

/** What may be logged about a database error: never its detail, hint, where, parameters or row. */
export function loggableDatabaseError(error: unknown): Record<string, string | undefined> {
  const outer = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorFields;
  const driver = outer.driverError ?? outer;
  return {
    code: driver.code,
    constraint: driver.constraint,
    table: driver.table,
    column: driver.column,
    message: redactDatabaseMessage(String(driver.message ?? outer.message ?? error)),
  };
}

/** Long generated SQL is cut: the start names the statement and its table. */
function sqlText(query: string): string {
  return query.length > 500 ? `${query.slice(0, 500)}…` : query;
}

export class DatabaseLogger implements TypeOrmLogger {
  constructor(private readonly logger: PinoLogger) {}

  // Each method takes `parameters` because TypeORM passes them; none of them is ever read.
  logQuery(query: string): void {
    this.logger.debug({ db: { query: sqlText(query) } }, 'query');
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ db: { query: sqlText(query), ...loggableDatabaseError(error) } }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ db: { query: sqlText(query), ms: time } }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug({ db: {} }, message);
  }

  logMigration(message: string): void {
    this.logger.info({ db: {} }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = redactDatabaseMessage(String(message));
    if (level === 'warn') this.logger.warn({ db: {} }, text);
    else this.logger.info({ db: {} }, text);
  }
}
