// The CSV exchange from the compiled CLI (`npm run build:server` first): export and import of leads,
// calls and spend, a dry run, and a row-by-row report on stderr.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;
let first: string;
let second: string;
const dir = mkdtempSync(join(tmpdir(), 'lw-exchange-'));

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

async function count(table: string, practiceId: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE practice_id = $1`, [practiceId])).rows[0].n;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  first = (await cli('practice:create', '--name', 'First', '--timezone', 'America/Chicago', '--json')).json.practiceId;
  second = (await cli('practice:create', '--name', 'Second', '--timezone', 'America/Chicago', '--json')).json.practiceId;
}, 60_000);
afterAll(() => database.drop());

describe('cli export and import', () => {
  it('imports leads, calls and spend into one practice and moves them to another through the exports', async () => {
    const leads = join(dir, 'leads.csv');
    writeFileSync(
      leads,
      [
        'external_id,created_at,channel,source,status,booked_at',
        'x-1,2026-10-02T15:00:00Z,web_form,=Promo,booked,2026-10-03T15:00:00Z',
        'x-2,2026-10-04T15:00:00Z,phone,Radio,open,',
      ].join('\n'),
    );
    expect((await cli('import:leads', '--practice', first, '--file', leads, '--json')).json).toMatchObject({ imported: 2, booked: 1 });
    const calls = join(dir, 'calls.csv');
    writeFileSync(calls, ['external_id,status,started_at,lead_external_id', 'c-1,missed,2026-10-04T15:00:00Z,x-2'].join('\n'));
    const dry = await cli('import:calls', '--practice', first, '--file', calls, '--dry-run', '--json');
    expect(dry.json).toMatchObject({ dryRun: true, imported: 1 });
    expect(await count('call', first)).toBe(0);
    expect((await cli('import:calls', '--practice', first, '--file', calls, '--json')).json).toMatchObject({ imported: 1 });
    const spend = join(dir, 'spend.csv');
    writeFileSync(spend, ['month,source,campaign,amount', '2026-10,Radio,,300', '2026-10,Radio,Morning,100'].join('\n'));
    expect((await cli('import:spend', '--practice', first, '--file', spend, '--json')).json).toMatchObject({
      created: 2,
      campaignsCreated: ['Radio / Morning'],
    });

    for (const what of ['leads', 'calls', 'spend']) {
      const out = join(dir, `${what}-export.csv`);
      const exported = await cli('export', '--practice', first, '--what', what, '--from', '2026-10-01', '--to', '2026-10-31', '--out', out, '--json');
      expect(exported.code).toBe(0);
      const command = `import:${what}`;
      const imported = await cli(command, '--practice', second, '--file', out, '--json');
      expect(imported.code).toBe(0);
    }
    expect(readFileSync(join(dir, 'leads-export.csv'), 'utf8')).toContain(`'=Promo`);
    for (const table of ['lead', 'call', 'marketing_spend', 'marketing_source', 'campaign']) expect(await count(table, second)).toBe(await count(table, first));
    // To stdout: the CSV itself.
    const stdout = await cli('export', '--practice', second, '--what', 'spend', '--from', '2026-10-01', '--to', '2026-10-31');
    expect(stdout.stdout).toContain('2026-10,Radio,Morning,100');
  });

  it('reports each bad row on stderr and writes nothing', async () => {
    const bad = join(dir, 'bad-spend.csv');
    writeFileSync(bad, ['month,source,campaign,amount', '2026-11,Radio,,1', 'Nov 2026,Radio,,2', '2026-11,TV,,lots'].join('\n'));
    const result = await cli('import:spend', '--practice', first, '--file', bad, '--json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/line 3 month \(month\)/);
    expect(result.stderr).toMatch(/line 4 amount \(amount\)/);
    expect(result.json.errors).toHaveLength(2);
    expect(await count('marketing_spend', first)).toBe(2);
    expect((await cli('export', '--practice', first, '--what', 'nothing')).code).not.toBe(0);
  });
});
