// The compiled server (`node dist/server/main.js`) and CLI as real child processes, for the benchmarks
// that kill, restart and compare them; and a lead sender that retries unanswered requests.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, now, sleep } from './bench-support.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const run = promisify(execFile);

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the "listening" log line. */
  startMs: number;
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the compiled server on a free port (DEMO off, ingest limits high, unless `env` says otherwise) and waits until it listens. */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<ServerProcess> {
  const port = await freePort();
  const started = now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/server/main.js')], {
    cwd: ROOT,
    // Per-key ingest limits far above any bench's rate: these benchmarks measure the server, not its 429s.
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DEMO: 'off',
      LOG_LEVEL: 'info',
      INGEST_RATE_PER_SECOND: '10000',
      INGEST_BURST: '100000',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  while (!output.includes('"msg":"listening"')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before listening:\n${output.slice(-2000)}`);
    if (now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server did not listen within ${timeoutMs} ms`);
    }
    await sleep(20);
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    startMs: now() - started,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `npm run cli -- practice:create … --json` (compiled): the practice id, ingest key and display token. */
export async function createPracticeWithCli(env: NodeJS.ProcessEnv, name: string): Promise<{ practiceId: string; ingestKey: string; displayToken: string }> {
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'dist/server/cli/main.js'), 'practice:create', '--name', name, '--timezone', 'America/Chicago', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { practiceId: string; ingestKey: string; displayToken: string };
}

export interface PostResult {
  status: number;
  ms: number;
  /** The Retry-After header, when the answer had one. */
  retryAfter?: string;
  /** Set when no answer came (connection refused or reset, or the request timed out). */
  error?: string;
}

/** One lead, with an externalId so that a retry is safe. */
export async function postLead(url: string, ingestKey: string, externalId: string, timeoutMs = 15_000): Promise<PostResult> {
  const started = now();
  try {
    const response = await fetch(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, channel: 'web_form', source: 'Google Ads', treatment: 'Implants' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: now() - started, retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch (error) {
    return {
      status: 0,
      ms: now() - started,
      error: (error as Error).name === 'TimeoutError' ? 'timeout' : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message),
    };
  }
}
