// PGlite is a single-process database: two processes opening the same data folder would corrupt it.
// The server holds a lock file while it runs; the CLI checks it and says what to do instead.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function lockPath(dataDir: string): string {
  return join(dataDir, 'pglite.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of a live process holding the embedded database, if any. */
export function embeddedLockHolder(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath(dataDir), 'utf8'));
    return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the lock for this process (throwing if another live process holds it) and frees it at exit. */
export function acquireEmbeddedLock(dataDir: string): void {
  const holder = embeddedLockHolder(dataDir);
  if (holder !== null) {
    throw new Error(
      `the embedded database in ${dataDir} is in use by process ${holder}: stop it first, or set DATABASE_URL to use a PostgreSQL server`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(lockPath(dataDir), String(process.pid));
  process.once('exit', () => rmSync(lockPath(dataDir), { force: true }));
}
