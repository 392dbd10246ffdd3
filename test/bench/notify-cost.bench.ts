// What a NOTIFY inside a committing transaction costs on this PostgreSQL server: the event bus
// (server/cluster/event-bus.ts) sends each transaction's events with pg_notify inside the transaction,
// and PostgreSQL serialises the commits of transactions that notify (a database-wide lock held through
// the commit's WAL flush). Compares, with C concurrent writers for S seconds each, in alternation:
//   plain:      BEGIN; INSERT; COMMIT
//   notify:     BEGIN; INSERT; SELECT pg_notify(...); COMMIT
//   seq:        BEGIN; INSERT; bump one practice's row of a practice_event_seq copy; COMMIT
//   seq+notify: BEGIN; INSERT; bump and pg_notify in one statement; COMMIT   (what the app does)
//   after:      BEGIN; INSERT; COMMIT; then pg_notify in its own transaction with synchronous_commit off
// The seq modes run once per practice count in --practices (each transaction picks one practice at
// random): with one practice every commit waits for the row lock; with many, only the NOTIFY's
// database-wide lock is shared, which tells which of the two sets the ceiling.
// Run: npx tsx test/bench/notify-cost.bench.ts [--writers C] [--seconds S] [--practices 1,100]
// (TEST_DATABASE_URL as for the tests)

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { writers: { type: 'string' }, seconds: { type: 'string' }, practices: { type: 'string' } } });
const WRITERS = Number(values.writers ?? 8);
const SECONDS = Number(values.seconds ?? 5);
const PRACTICE_COUNTS = (values.practices ?? '1,100').split(',').map(Number);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Mode = 'plain' | 'notify' | 'seq' | 'seq+notify' | 'after';

async function run(url: string, mode: Mode, practices = 1): Promise<{ mode: string; perSecond: number; p50: number; p99: number }> {
  const clients = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  const payload = JSON.stringify({ p: '00000000-0000-4000-8000-000000000000', s: 1, t: Date.now(), e: [{ name: 'LeadCreatedV1' }] });
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < end) {
        const started = performance.now();
        await client.query('BEGIN');
        await client.query(`INSERT INTO notify_cost (v) VALUES ('x')`);
        if (mode === 'notify') await client.query(`SELECT pg_notify('notify_cost', $1)`, [payload]);
        const practice = Math.floor(Math.random() * practices);
        if (mode === 'seq') await client.query('UPDATE notify_cost_seq SET seq = seq + 1 WHERE practice = $1', [practice]);
        if (mode === 'seq+notify') {
          await client.query(
            `WITH bumped AS (UPDATE notify_cost_seq SET seq = seq + 1 WHERE practice = $1 RETURNING seq)
             SELECT pg_notify('notify_cost', json_build_object('s', bumped.seq, 'e', $2::json)::text) FROM bumped`,
            [practice, payload],
          );
        }
        await client.query('COMMIT');
        if (mode === 'after') {
          await client.query('BEGIN; SET LOCAL synchronous_commit = off');
          await client.query(`SELECT pg_notify('notify_cost', $1)`, [payload]);
          await client.query('COMMIT');
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  await Promise.all(clients.map((client) => client.end()));
  latencies.sort((x, y) => x - y);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { mode: mode.startsWith('seq') ? `${mode} P=${practices}` : mode, perSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99) };
}

const name = `lw_notify_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
try {
  const setup = new pg.Client({ connectionString: url.toString() });
  await setup.connect();
  await setup.query('CREATE TABLE notify_cost (id bigserial PRIMARY KEY, v text)');
  await setup.query('CREATE TABLE notify_cost_seq (practice int PRIMARY KEY, seq bigint NOT NULL)');
  await setup.query('INSERT INTO notify_cost_seq SELECT g, 0 FROM generate_series(0, $1::int - 1) g', [Math.max(...PRACTICE_COUNTS)]);
  await setup.end();
  console.log(
    `notify-cost ${new Date().toISOString()}: ${WRITERS} writers, ${SECONDS} s per mode, practices ${PRACTICE_COUNTS.join('/')}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const round: Array<[Mode, number]> = [
    ['plain', 1],
    ['notify', 1],
    ...PRACTICE_COUNTS.flatMap((p): Array<[Mode, number]> => [
      ['seq', p],
      ['seq+notify', p],
    ]),
    ['after', 1],
  ];
  for (const [mode, practices] of [...round, ...round]) {
    const r = await run(url.toString(), mode, practices);
    console.log(`  ${r.mode.padEnd(16)} ${r.perSecond.toFixed(0).padStart(5)} commits/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`);
  }
  console.log(
    `  load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
