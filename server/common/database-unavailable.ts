// While PostgreSQL is down, restarting or out of connections, a request answers 503 with
// Retry-After within a few seconds (the pool's connection timeout and the statement and query
// timeouts in data-source.ts bound the wait), instead of a 500 or a request that hangs. Nothing is
// half-written: the transaction the request ran in never committed, or committed whole (a commit
// whose answer was lost), and a retry with the same externalId changes nothing. The pool opens new
// connections when the database is back, so the server recovers by itself.

import { HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** What a client is told to wait before retrying: about as long as a fast PostgreSQL restart. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Errors of the socket to the database (refused, reset, timed out, host gone). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs meaning "not now" rather than "not this input": class 08 (connection exception) and these. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '53000', // insufficient_resources
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

/** pg and pg-pool say these without a code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery)/i,
];

/** TypeORM's errors for a query runner whose connection the pool already dropped (its connection
 * failed mid-transaction, so the rollback or the next query has nothing to run on). */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** True when `error` (or what it wraps: TypeORM's driverError, a cause, an AggregateError's errors)
 * says the database cannot be reached or cannot serve now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (error instanceof Error && RELEASED_RUNNER_ERRORS.has(error.name)) return true;
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.has(e.code) || /^08/.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return inner.some((wrapped) => wrapped !== undefined && wrapped !== error && isDatabaseUnavailable(wrapped, depth + 1));
}

/** The code worth logging (a SQLSTATE or a socket error), never the message's values. */
function codeOf(error: unknown, depth = 0): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  if (typeof e.code === 'string') return e.code;
  if (depth < 4 && e.driverError) return codeOf(e.driverError, depth + 1);
  if (depth < 4 && e.cause) return codeOf(e.cause, depth + 1);
  return 'connection';
}

/**
 * Answers a request that failed because the database is unavailable: 503 with Retry-After. During an
 * outage every request fails, so it logs one warning a second with the count, not one per request.
 * The app-wide DatabaseErrorFilter (database-errors.ts) calls it.
 */
export class DatabaseUnavailableAnswer {
  private readonly logger = new Logger('Database');
  private unloggedSince = 0;
  private unlogged = 0;

  send(exception: unknown, response: Response): void {
    this.unlogged++;
    if (Date.now() - this.unloggedSince >= 1000) {
      this.logger.warn(`database unavailable (${codeOf(exception)}): ${this.unlogged} request(s) answered 503 since the last warning`);
      this.unlogged = 0;
      this.unloggedSince = Date.now();
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
      .setHeader('Cache-Control', 'no-store')
      .json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: `the database is unavailable: retry after ${DATABASE_RETRY_AFTER_SECONDS} s (a retry with the same externalId is safe)`,
      });
  }
}
