// The embedded database is single-process, decided by an exclusive create (embedded-lock.ts), with
// real processes: several racing for one DATA_DIR (exactly one wins), the compiled server and CLI
// refused at once while a server holds it, and a lock left by a server killed with SIGKILL taken over.
// Needs dist/ (`npm run build:server`; `npm test` builds first).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lw-lock-'));
  dirs.push(dir);
  return dir;
}

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<Exited> } {
  const began = Date.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exited>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - began })));
  return { child, output: () => stdout + stderr, exited };
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// A process that takes the lock, says whether it got it, and holds it until its stdin closes.
const CONTENDER = `
import { acquireEmbeddedLock } from './dist/server/database/embedded-lock.js';
try { acquireEmbeddedLock(process.argv[1]); console.log('got'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); }
catch (error) { console.log('refused: ' + error.message); process.exit(3); }
`;

describe('embedded database lock', () => {
  it('lets exactly one of several processes starting at once take the same DATA_DIR', async () => {
    const dir = dataDir();
    const contenders = Array.from({ length: 6 }, () => start(['--input-type=module', '-e', CONTENDER, dir], {}));
    await waitFor(() => contenders.every((c) => c.output().includes('got') || c.output().includes('refused')), 30_000, 'every contender to decide');
    const winners = contenders.filter((c) => c.output().includes('got'));
    expect(winners).toHaveLength(1);
    for (const loser of contenders.filter((c) => !c.output().includes('got'))) {
      expect(loser.output()).toMatch(/in use by process \d+|taking over/);
      expect((await loser.exited).code).toBe(3);
    }
    winners[0]!.child.stdin!.end();
    expect((await winners[0]!.exited).code).toBe(0);
    // A normal exit frees it: the next process gets it.
    expect(existsSync(join(dir, 'embedded.lock'))).toBe(false);
    const next = start(['--input-type=module', '-e', CONTENDER, dir], {});
    await waitFor(() => next.output().includes('got'), 15_000, 'the next process');
    next.child.stdin!.end();
    await next.exited;
  });

  it('refuses a second server and the CLI at once while a server runs, and recovers after the server is killed', async () => {
    const dir = dataDir();
    const env = { DATA_DIR: dir, PORT: '0', DEMO: 'off', LOG_LEVEL: 'info' };
    const server = start(['dist/server/main.js'], env);
    // PGlite's first start on a fresh folder takes seconds (a minute on a loaded machine).
    await waitFor(() => server.output().includes('"listening"') || server.child.exitCode !== null, 150_000, 'the first server to listen');
    expect(server.child.exitCode).toBeNull();
    const holder = JSON.parse(readFileSync(join(dir, 'embedded.lock'), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(server.child.pid);

    const second = await start(['dist/server/main.js'], env).exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by process ${server.child.pid}`);
    expect(second.stdout + second.stderr).not.toContain('listening');

    const cli = await start(['dist/server/cli/main.js', 'practice:list'], { DATA_DIR: dir }).exited;
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`in use by process ${server.child.pid}`);

    // kill -9 leaves the lock file behind; the next process sees its holder is gone and takes over.
    server.child.kill('SIGKILL');
    await server.exited;
    expect(existsSync(join(dir, 'embedded.lock'))).toBe(true);
    const after = await start(['dist/server/cli/main.js', 'practice:create', '--name', 'After The Crash', '--timezone', 'Europe/London'], { DATA_DIR: dir })
      .exited;
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(existsSync(join(dir, 'embedded.lock'))).toBe(false);
  }, 240_000);
});
