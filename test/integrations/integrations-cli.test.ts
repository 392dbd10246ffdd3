// The compiled CLI's integration commands against a fresh PostgreSQL database.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'lw-int-cli-'));
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  try {
    const { stdout, stderr } = await run('node', ['dist/server/cli/main.js', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir, PUBLIC_URL: 'https://board.example.test', SECRETS_KEY: '', NODE_OPTIONS: '' },
    });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    return { code: 0, stdout, stderr, json: args.includes('--json') ? JSON.parse(lastLine) : null };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, json: null };
  }
}

describe('integration commands', () => {
  let practiceId: string;

  beforeAll(async () => {
    practiceId = (await cli('practice:create', '--name', 'Cli Dental', '--timezone', 'America/Chicago', '--json')).json.practiceId;
  });

  it('integration:create --kind twilio prints the status callback URL, never the token', async () => {
    const result = await cli('integration:create', '--practice', practiceId, '--kind', 'twilio', '--auth-token', 'f'.repeat(32), '--json');
    expect(result.code).toBe(0);
    expect(result.json).toEqual({
      integrationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      practiceId,
      kind: 'twilio',
      name: 'Twilio',
      url: `https://board.example.test/api/v1/integrations/twilio/voice-status/${practiceId}`,
    });
    expect(result.stdout).not.toContain('f'.repeat(32));
  });

  it('integration:create --kind webhook generates and prints the secret once', async () => {
    const result = await cli('integration:create', '--practice', practiceId, '--kind', 'webhook', '--name', 'Website form', '--json');
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ kind: 'webhook', name: 'Website form', secret: expect.stringMatching(/^lwh_.{40,}$/) });
    expect(result.json.url).toBe(`https://board.example.test/api/v1/integrations/webhook/${result.json.integrationId}`);
    const revoked = await cli('integration:revoke', '--integration', result.json.integrationId, '--json');
    expect(revoked.code).toBe(0);
    expect(revoked.json.revokedAt).not.toBeNull();
  });

  it('refuses a twilio integration without its auth token, and an unknown kind', async () => {
    const missing = await cli('integration:create', '--practice', practiceId, '--kind', 'twilio');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/auth-token/);
    const unknown = await cli('integration:create', '--practice', practiceId, '--kind', 'fax');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--kind must be one of twilio, webhook/);
  });
});
