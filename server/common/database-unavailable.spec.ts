import { describe, expect, it } from '@jest/globals';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable.js';

function driverError(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it('recognises a database that is down, restarting, full or too slow, wrapped or not', () => {
    expect(isDatabaseUnavailable(driverError('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError('57P01', 'terminating connection due to administrator command')))).toBe(true);
    expect(isDatabaseUnavailable(driverError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(driverError('08006'))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError('57014', 'canceling statement due to statement timeout')))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([driverError('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('leaves input errors and programming errors alone', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('INSERT', [], driverError('23505', 'duplicate key value')))).toBe(false);
    expect(isDatabaseUnavailable(new QueryFailedError('INSERT', [], driverError('22021', 'invalid byte sequence')))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
