// `user:create` through the compiled CLI (needs `npm run build:server`, which `npm test` runs first).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function cli(...args: string[]) {
  try {
    const { stdout } = await run('node', ['dist/server/cli/main.js', ...args], { env: { ...process.env, DATABASE_URL: database.url, NODE_OPTIONS: '' } });
    return { code: 0, stdout, json: JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr, json: null };
  }
}

it('creates an admin with a generated password printed once, or with the one given; refuses weak ones', async () => {
  const practice = await cli('practice:create', '--name', 'CLI Dental', '--timezone', 'America/Chicago', '--json');
  const practiceId = practice.json.practiceId;
  const generated = await cli('user:create', '--practice', practiceId, '--email', 'Boss@Example.test', '--name', 'Boss', '--role', 'admin', '--json');
  expect(generated.code).toBe(0);
  expect(generated.json).toMatchObject({ practiceId, email: 'boss@example.test', role: 'admin', password: expect.stringMatching(/^\w{5}(-\w{5}){3}$/) });
  expect(generated.stdout).toContain(`password (shown once): ${generated.json.password}`);

  const given = await cli(
    'user:create',
    '--practice',
    practiceId,
    '--email',
    'm@example.test',
    '--name',
    'M',
    '--role',
    'manager',
    '--password',
    'a long enough password',
    '--json',
  );
  expect(given.code).toBe(0);
  expect(given.json.password).toBeUndefined();
  expect(
    (await cli('user:create', '--practice', practiceId, '--email', 'w@example.test', '--name', 'W', '--role', 'manager', '--password', 'short')).code,
  ).toBe(2);
  expect((await cli('user:create', '--practice', practiceId, '--email', 'x@example.test', '--name', 'X', '--role', 'owner')).code).toBe(2);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query(`SELECT email, password_hash FROM app_user ORDER BY email`);
  await client.end();
  expect(rows.map((row) => row.email)).toEqual(['boss@example.test', 'm@example.test']);
  for (const row of rows) expect(row.password_hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
  expect(JSON.stringify(rows)).not.toContain(generated.json.password);
});
