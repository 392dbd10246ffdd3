// The server started while its PostgreSQL server cannot be reached: it does not exit (no crash loop
// for a supervisor to restart), it logs a line for each try with a growing wait, liveness passes and
// readiness fails; when the database comes, the same process becomes ready and serves.

import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import { listenOnceBuilt } from '../../server/health/starting-server.js';
import { createHttpApp } from '../../server/http-app.js';
import { freePort } from '../support/free-port.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let proxy: OutageProxy;
let app: NestExpressApplication | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  proxy = await startOutageProxy(database.url);
});
afterAll(async () => {
  await app?.close();
  await proxy.close();
  await database.drop();
});

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0; // nothing listening
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

it('waits for an unreachable database with backoff, live but not ready, then becomes ready without a restart', async () => {
  await proxy.refuse(); // nothing listens on the database's port
  const lines: Array<{ msg: string; attempt?: number; retryInMs?: number; cause?: string }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = { port, databaseUrl: proxy.url, dataDir: '/nonexistent', demo: false, simulator: false, simulatorSpeed: 1, publicUrl: base, logLevel: 'info' };
  let failed: unknown = null;
  const started = listenOnceBuilt(() => createHttpApp(config, logger), { port, host: '127.0.0.1', logger }).then(
    (built) => (app = built),
    (error: unknown) => (failed = error),
  );

  const retries = () => lines.filter((line) => line.msg.startsWith('database unreachable'));
  expect(await until(() => retries().length >= 3, 15_000)).toBe(true);
  expect(failed).toBeNull();
  expect(await status(`${base}/api/health/live`)).toBe(200);
  expect(await status(`${base}/api/health/ready`)).toBe(503);
  expect(await status(`${base}/api/health`)).toBe(503);
  const [first, second, third] = retries();
  expect([first!.attempt, second!.attempt, third!.attempt]).toEqual([1, 2, 3]);
  expect(third!.retryInMs!).toBeGreaterThan(first!.retryInMs!); // backing off, not hammering
  expect(first!.cause).toMatch(/ECONNREFUSED/);
  expect(JSON.stringify(lines)).not.toContain(proxy.url); // no URL (it may hold a password) in the log

  await proxy.restore();
  // The next try (at most one backoff step later) connects and the same process becomes ready.
  expect(await until(async () => (await status(`${base}/api/health/ready`)) === 200, 20_000)).toBe(true);
  await started;
  expect(failed).toBeNull();
  expect(await status(`${base}/api/health/live`)).toBe(200);
  expect(lines.some((line) => line.msg === 'database reachable: starting')).toBe(true);
  // And it serves: the API answers (401 without a key, not 503).
  expect(await status(`${base}/api/v1/board`)).toBe(401);
}, 60_000);
