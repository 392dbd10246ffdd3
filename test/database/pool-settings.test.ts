// The PostgreSQL pool's size and timeouts are settings (DB_* variables): the documented defaults when
// unset, refused at start with the variable's name when out of range.

import { describe, expect, it } from '@jest/globals';
import { readAppConfig } from '../../server/config/app-config.js';
import { DEFAULT_DATABASE_POOL } from '../../server/database/database-pool.js';

describe('DB_* pool settings', () => {
  it('default to the values the README lists', () => {
    expect(readAppConfig({}).databasePool).toEqual({
      max: 10,
      connectTimeoutMs: 3000,
      idleTimeoutMs: 10_000,
      statementTimeoutMs: 10_000,
      queryTimeoutMs: 12_000,
      idleInTransactionTimeoutMs: 30_000,
    });
  });

  it('take each variable', () => {
    const pool = readAppConfig({
      DB_POOL_MAX: '25',
      DB_CONNECT_TIMEOUT_MS: '1500',
      DB_IDLE_TIMEOUT_MS: '60000',
      DB_STATEMENT_TIMEOUT_MS: '20000',
      DB_QUERY_TIMEOUT_MS: '25000',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000',
    }).databasePool;
    expect(pool).toEqual({
      max: 25,
      connectTimeoutMs: 1500,
      idleTimeoutMs: 60_000,
      statementTimeoutMs: 20_000,
      queryTimeoutMs: 25_000,
      idleInTransactionTimeoutMs: 5000,
    });
  });

  it('keeps the client-side query timeout above a raised statement timeout when only the latter is set', () => {
    expect(readAppConfig({ DB_STATEMENT_TIMEOUT_MS: '30000' }).databasePool).toMatchObject({ statementTimeoutMs: 30_000, queryTimeoutMs: 32_000 });
    expect(readAppConfig({ DB_STATEMENT_TIMEOUT_MS: '2000' }).databasePool).toMatchObject({
      statementTimeoutMs: 2000,
      queryTimeoutMs: DEFAULT_DATABASE_POOL.queryTimeoutMs,
    });
  });

  it('refuses values out of range or not whole numbers, naming the variable', () => {
    expect(() => readAppConfig({ DB_POOL_MAX: '0' })).toThrow(/DB_POOL_MAX/);
    expect(() => readAppConfig({ DB_CONNECT_TIMEOUT_MS: '3s' })).toThrow(/DB_CONNECT_TIMEOUT_MS/);
    expect(() => readAppConfig({ DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => readAppConfig({ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1.5' })).toThrow(/DB_IDLE_IN_TRANSACTION_TIMEOUT_MS/);
  });

  it('refuses a query timeout that would fire before the statement timeout', () => {
    expect(() => readAppConfig({ DB_STATEMENT_TIMEOUT_MS: '10000', DB_QUERY_TIMEOUT_MS: '10000' })).toThrow(
      /DB_QUERY_TIMEOUT_MS .* above DB_STATEMENT_TIMEOUT_MS/,
    );
  });
});
