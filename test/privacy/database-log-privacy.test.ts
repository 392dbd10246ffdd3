// A failed patient insert must not write the patient's details anywhere: TypeORM's own logger prints
// a failed query's parameters, and PostgreSQL's error detail repeats the row. The compiled server
// runs as a real process on a fresh PostgreSQL database; a check constraint added here makes exactly
// one patient's insert fail in the database, and everything the process writes to stdout and stderr
// is searched. Needs dist/ (`npm run build:server`; `npm test` builds first).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
let database: TestDatabase;
let server: ChildProcess | undefined;
let output = '';

const PATIENT = { name: 'Zebulon Quillfeather', phone: '+1 555 0142 877', email: 'zebulon.quill@example.test' };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  server?.kill('SIGKILL');
  await database.drop();
});

it('logs a failed patient insert through pino with its constraint, and prints no name, phone or email', async () => {
  const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: database.url, DEMO: 'off', LOG_LEVEL: 'debug' };
  const created = await run('node', ['dist/server/cli/main.js', 'practice:create', '--name', 'Log Privacy', '--timezone', 'America/Chicago', '--json'], {
    env,
  });
  const { ingestKey } = JSON.parse(created.stdout.trim().split('\n').at(-1)!) as { ingestKey: string };

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`ALTER TABLE patient ADD CONSTRAINT reject_this_patient CHECK (name IS DISTINCT FROM '${PATIENT.name}')`);
  await client.end();

  const port = await freePort();
  server = spawn(process.execPath, ['dist/server/main.js'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('"listening"')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const response = await fetch(`http://127.0.0.1:${port}/api/v1/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'web_form', source: 'Google Ads', treatment: 'Implants', patient: PATIENT }),
  });
  const body = await response.text();
  expect(response.status).toBeGreaterThanOrEqual(400);
  // An unexpected database failure is not the client's to read either.
  for (const value of Object.values(PATIENT)) expect(body).not.toContain(value);

  // The failure is logged, as pino JSON, with what an operator needs.
  const failureLine = () => output.split('\n').find((line) => line.includes('reject_this_patient'));
  while (!failureLine() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const logged = JSON.parse(failureLine()!) as { msg: string; db: { code: string; constraint: string; table: string; query: string } };
  expect(logged).toMatchObject({ msg: 'query failed', db: { code: '23514', constraint: 'reject_this_patient', table: 'patient' } });
  expect(logged.db.query).toMatch(/INSERT INTO "patient"/);

  server.kill('SIGTERM');
  await new Promise((resolve) => server!.once('close', resolve));
  for (const value of [...Object.values(PATIENT), 'Zebulon', 'Quillfeather', '0142', 'zebulon.quill']) expect(output).not.toContain(value);
  expect(output).not.toMatch(/PARAMETERS|Failing row/);
});
