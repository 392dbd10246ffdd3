// On the embedded database (PGlite: one PostgreSQL session) transactions must take turns, which the
// UnitOfWork does; a transaction opened straight on the DataSource could share its BEGIN and COMMIT
// with another one (the simulator's ingest, a request). So every transaction in the server goes
// through UnitOfWork.run: this test reads the sources and names any file that does otherwise.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('transactions', () => {
  it('are all opened by the unit of work', () => {
    const offenders = sources(join(ROOT, 'server'))
      .filter((path) => !path.endsWith(join('database', 'unit-of-work.ts')))
      .filter((path) => /\.transaction\(|createQueryRunner\(|startTransaction\(/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path));
    expect(offenders).toEqual([]);
  });
});
