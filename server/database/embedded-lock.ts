// The embedded database is single-process: two processes opening the same data folder would corrupt
// it. Whoever opens it (server, CLI, migrations) first takes this lock. The lock is decided by the
// file system's exclusive create (O_CREAT|O_EXCL, `open(…, 'wx')`): of two processes starting at
// once exactly one creates the file, never a check followed by a write. A lock left by a process
// that died (kill -9, power cut) is taken over, and that takeover is itself serialised by a second
// exclusive create, so two processes cannot both take over the same stale lock.

import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'embedded.lock';

interface Holder {
  pid: number;
  /** Linux: the boot and the process start time, so a recycled pid after a reboot or in a new container does not count as the holder. */
  boot?: string;
  started?: string;
}

/** Thrown when another live process holds the embedded database: the message says what to do. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | null,
  ) {
    super(
      holderPid === null
        ? `another process is taking over the embedded database in ${dataDir} right now. If none is, delete ${join(dataDir, `${LOCK_FILE}.takeover`)}.`
        : `the embedded database in ${dataDir} is in use by process ${holderPid}: stop it first, or run every process with DATABASE_URL set to a PostgreSQL server (the embedded database is single-process).`,
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function processStart(pid: number | 'self'): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  // Field 22 (starttime); the command name in field 2 may hold spaces, so count from its closing ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function me(): Holder {
  return { pid: process.pid, boot: readOrUndefined('/proc/sys/kernel/random/boot_id'), started: processStart('self') };
}

function parseHolder(text: string | undefined): Holder | null {
  if (text === undefined) return null;
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    return typeof holder.pid === 'number' && Number.isInteger(holder.pid) ? (holder as Holder) : null;
  } catch {
    return null;
  }
}

/** True when the process recorded in the lock is still running (not merely a process with a recycled pid). */
function alive(holder: Holder): boolean {
  if (holder.pid === process.pid) return false; // this process only just started: the file is a previous life's
  const current = me();
  if (holder.boot && current.boot && holder.boot !== current.boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(holder.pid);
  return !(holder.started && started && holder.started !== started);
}

/** Creates `path` only if it does not exist; false if it does. The exclusive create is the decision. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a dead holder's lock; serialised so that only one process can do it for a given stale lock. */
function removeStaleLock(lockPath: string): void {
  const guard = `${lockPath}.takeover`;
  if (!createExclusive(guard, JSON.stringify(me()))) {
    const guardHolder = parseHolder(readOrUndefined(guard));
    // A takeover guard left by a process that died in the microseconds it holds one: not retried
    // automatically (that would need another guard); the error says which file to delete.
    throw new EmbeddedDatabaseInUseError(lockPath.slice(0, -LOCK_FILE.length - 1), guardHolder && alive(guardHolder) ? guardHolder.pid : null);
  }
  try {
    // Read again under the guard: another process may have taken the lock since we looked.
    const holder = parseHolder(readOrUndefined(lockPath));
    if (holder ? alive(holder) : ageMs(lockPath) <= 5000) return;
    try {
      unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  } finally {
    unlinkSync(guard);
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

const held = new Map<string, { count: number; token: string }>();

/**
 * Takes the embedded database in `dataDir` for this process, or throws EmbeddedDatabaseInUseError
 * at once. Re-entrant within a process (the server takes it at start, the data source again).
 * Returns the release; the lock is also released when the process exits normally, and a lock left
 * by a killed process is taken over by the next one.
 */
export function acquireEmbeddedLock(dataDir: string): () => void {
  const lockPath = join(dataDir, LOCK_FILE);
  const mine = held.get(lockPath);
  if (mine) {
    mine.count++;
    return once(() => release(lockPath));
  }
  mkdirSync(dataDir, { recursive: true });
  const token = JSON.stringify(me());
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(lockPath, token)) break;
    const holder = parseHolder(readOrUndefined(lockPath));
    // An unreadable lock is being written this instant (create, then write) and its creator holds
    // it, unless it is seconds old: then its creator died between the two.
    const stale = holder === null ? ageMs(lockPath) > 5000 : !alive(holder);
    if (!stale || attempt > 0) throw new EmbeddedDatabaseInUseError(dataDir, holder?.pid ?? null);
    removeStaleLock(lockPath);
  }
  held.set(lockPath, { count: 1, token });
  if (held.size === 1) process.once('exit', releaseAll);
  return once(() => release(lockPath));
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

function release(lockPath: string): void {
  const mine = held.get(lockPath);
  if (!mine) return;
  if (--mine.count > 0) return;
  held.delete(lockPath);
  // Only our own file: never remove a lock another process has taken since.
  if (readOrUndefined(lockPath) === mine.token) unlinkSync(lockPath);
  if (held.size === 0) process.off('exit', releaseAll);
}

function releaseAll(): void {
  for (const lockPath of [...held.keys()]) {
    held.get(lockPath)!.count = 1;
    release(lockPath);
  }
}
