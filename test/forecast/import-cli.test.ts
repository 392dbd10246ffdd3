// `npm run --silent cli -- import:leads` (the compiled CLI) against a fresh PostgreSQL database:
// dry run, import with a mapping, and a row-by-row report that imports nothing.

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;
let practiceId: string;
const dir = mkdtempSync(join(tmpdir(), 'lw-import-'));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  let stdout: string;
  let stderr: string;
  let code = 0;
  try {
    ({ stdout, stderr } = await run('node', ['dist/server/cli/main.js', ...args], { env: { ...process.env, DATABASE_URL: database.url, NODE_OPTIONS: '' } }));
  } catch (error) {
    ({ code, stdout, stderr } = error as { code: number; stdout: string; stderr: string });
  }
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return { code, stdout, stderr, json: lastLine.startsWith('{') ? JSON.parse(lastLine) : null };
}

async function leadCount(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [practiceId])).rows[0].n;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  practiceId = (await cli('practice:create', '--name', 'Import Dental', '--timezone', 'America/Chicago', '--json')).json.practiceId;
});
afterAll(() => database.drop());

describe('cli import:leads', () => {
  const file = join(dir, 'leads.csv');
  writeFileSync(file, ['Date,Source,How', '2025-06-02T09:00:00Z,Google Ads,web form', '2025-06-02T10:00:00Z,,Phone'].join('\n'));

  it('checks the file on --dry-run and writes nothing', async () => {
    const result = await cli('import:leads', '--practice', practiceId, '--file', file, '--map', 'createdAt=Date,channel=How', '--dry-run', '--json');
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ dryRun: true, rows: 2, imported: 2, errors: [] });
    expect(await leadCount()).toBe(0);
  });

  it('imports with a column mapping', async () => {
    const result = await cli('import:leads', '--practice', practiceId, '--file', file, '--map', 'createdAt=Date,channel=How', '--json');
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ dryRun: false, rows: 2, imported: 2 });
    expect(await leadCount()).toBe(2);
  });

  it('reports each bad row and imports nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, ['created_at,channel', '2025-06-03T09:00:00Z,phone', 'not a date,phone', '2025-06-03T10:00:00Z,fax'].join('\n'));
    const result = await cli('import:leads', '--practice', practiceId, '--file', bad, '--json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/line 3 createdAt/);
    expect(result.stderr).toMatch(/line 4 channel/);
    expect(result.json.errors).toHaveLength(2);
    expect(await leadCount()).toBe(2);
  });
});
