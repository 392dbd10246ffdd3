// The compiled CLI (`npm run --silent cli -- ...`) against a fresh PostgreSQL database: set a practice
// up, then use what it printed against the running app.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  try {
    const { stdout, stderr } = await run('node', ['dist/server/cli/main.js', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, NODE_OPTIONS: '' },
    });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    return { code: 0, stdout, stderr, json: args.includes('--json') ? JSON.parse(lastLine) : null };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, json: null };
  }
}

describe('cli', () => {
  let practiceId: string;

  it('practice:create prints the practice id, an ingest key, a display token and the board URL', async () => {
    const result = await cli(
      'practice:create',
      '--name',
      'Lakeside Ortho',
      '--timezone',
      'America/Denver',
      '--hours',
      'mon-thu 08:00-17:00; fri 08:00-12:00',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      practiceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ingestKey: expect.stringMatching(/^lwk_/),
      displayToken: expect.stringMatching(/^lwd_/),
      boardUrl: expect.stringMatching(/\/board\?token=lwd_/),
    });
    expect(result.stdout).toMatch(/TV board: .*\/board\?token=/);
    practiceId = result.json.practiceId;
  });

  it('adds staff and a source, creates a key and a display, and revokes the display', async () => {
    const staff = await cli('staff:add', '--practice', practiceId, '--name', 'Maya', '--json');
    expect(staff.json).toMatchObject({ displayName: 'Maya', role: 'front_desk' });
    const source = await cli('source:add', '--practice', practiceId, '--name', 'Google Ads', '--channel', 'web_form', '--json');
    expect(source.json).toMatchObject({ name: 'Google Ads', defaultChannel: 'web_form' });
    const key = await cli('key:create', '--practice', practiceId, '--name', 'Website', '--json');
    expect(key.json.ingestKey).toMatch(/^lwk_/);
    const display = await cli('display:create', '--practice', practiceId, '--json');
    expect(display.json.boardUrl).toContain('token=');
    const revoked = await cli('display:revoke', '--display', display.json.displayId, '--json');
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
  });

  it('says what is wrong, with exit code 2, for bad input', async () => {
    const zone = await cli('practice:create', '--name', 'X', '--timezone', 'Mars/Olympus_Mons');
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/not an IANA time zone/);
    const missing = await cli('staff:add', '--practice', practiceId);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --name/);
    const duplicate = await cli('staff:add', '--practice', practiceId, '--name', 'Maya');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/already exists/);
    const unknown = await cli('practice:explode');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
