import { describe, expect, it } from '@jest/globals';
import { loggableDatabaseError, redactDatabaseMessage } from './database-logger.js';

describe('redactDatabaseMessage', () => {
  it('cuts off the value PostgreSQL quotes at the end of a message, keeping identifiers', () => {
    expect(redactDatabaseMessage('invalid input syntax for type uuid: "Jane Doe 555-0100"')).toBe('invalid input syntax for type uuid: [value redacted]');
    expect(redactDatabaseMessage('invalid input value for enum lead_channel: "jane@example.test"')).toBe(
      'invalid input value for enum lead_channel: [value redacted]',
    );
    expect(redactDatabaseMessage('invalid byte sequence for encoding "UTF8": 0x00')).toBe('invalid byte sequence for encoding "UTF8": [value redacted]');
    expect(redactDatabaseMessage('new row for relation "patient" violates check constraint "x"')).toBe(
      'new row for relation "patient" violates check constraint "x"',
    );
  });
});

describe('loggableDatabaseError', () => {
  it('keeps code, constraint, table and column, and drops the detail that repeats the row', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "patient_email"'), {
      code: '23505',
      constraint: 'patient_email',
      table: 'patient',
      detail: 'Key (email)=(jane@example.test) already exists.',
    });
    const described = loggableDatabaseError({ message: driverError.message, driverError, parameters: ['Jane Doe', 'jane@example.test'] });
    expect(described).toEqual({ code: '23505', constraint: 'patient_email', table: 'patient', column: undefined, message: driverError.message });
    expect(JSON.stringify(described)).not.toMatch(/jane|Jane/);
  });
});
