// Part of `npm run bench:faults`: two server processes on one PostgreSQL database, TVs spread over
// both, ~R leads/s sent to both; one process is killed with SIGKILL mid-run and the sender retries
// every unanswered lead, with the same externalId, on the survivor. Reported: acknowledged leads lost
// (must be 0), duplicates (must be 0), whether the survivor's TVs kept updating, and whether TVs that
// reconnect to the survivor show the database's counts.
// Options (env): FAULTS_RATE (100), FAULTS_SECONDS (10), FAULTS_TVS (20), FAULTS_PRACTICES (4),
// TEST_DATABASE_URL (the server that gets a fresh database). Needs dist/.

import { execSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase } from '../support/test-database.js';
import { now, sleep } from './bench-support.js';
import { checkLeads, sendLeads } from './fault-sender.js';
import { createPracticeWithCli, startServer } from './server-process.js';

interface Tv {
  practice: number;
  server: 'A' | 'B';
  socket: Socket;
  total: number;
  updatesAfterKill: number;
}

interface BoardPayload {
  state: { leads: { total: number } };
}

function connectTv(url: string, token: string): Socket {
  return io(`${url}/board`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Resolves with the total of the first snapshot, or null within `ms`. */
function snapshotTotal(url: string, token: string, ms = 5000): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connectTv(url, token);
    const timer = setTimeout(() => {
      socket.disconnect();
      resolve(null);
    }, ms);
    socket.on('board:snapshot', (snapshot: BoardPayload) => {
      clearTimeout(timer);
      socket.disconnect();
      resolve(snapshot.state.leads.total);
    });
  });
}

export default async function killBench(): Promise<void> {
  const rate = Number(process.env.FAULTS_RATE ?? 100);
  const seconds = Number(process.env.FAULTS_SECONDS ?? 10);
  const tvCount = Number(process.env.FAULTS_TVS ?? 20);
  const practiceCount = Number(process.env.FAULTS_PRACTICES ?? 4);
  console.log(
    `\n== kill -9 one of two processes: R=${rate}/s for ${seconds} s, ${tvCount} TVs over ${practiceCount} practices; load: ${execSync('uptime').toString().trim()}`,
  );

  const database = await createTestDatabase();
  const env = { DATABASE_URL: database.url };
  const servers: Array<Awaited<ReturnType<typeof startServer>>> = [];
  const tvs: Tv[] = [];
  try {
    const practices = [];
    for (let p = 0; p < practiceCount; p++) practices.push(await createPracticeWithCli(env, `Faults ${p}`));
    const a = await startServer(env);
    const b = await startServer(env);
    servers.push(a, b);

    let killedAt = Infinity;
    for (let i = 0; i < tvCount; i++) {
      const practice = i % practiceCount;
      const server = i % 2 === 0 ? 'A' : 'B';
      const socket = connectTv(server === 'A' ? a.url : b.url, practices[practice]!.displayToken);
      const tv: Tv = { practice, server, socket, total: 0, updatesAfterKill: 0 };
      const apply = (message: BoardPayload) => {
        tv.total = message.state.leads.total;
        if (now() > killedAt) tv.updatesAfterKill++;
      };
      socket.on('board:snapshot', apply);
      socket.on('board:update', apply);
      tvs.push(tv);
    }
    await sleep(1000);

    // Each practice has its own ingest key: lead i goes to practice i % P, alternating A and B.
    let aAlive = true;
    const runs = practices.map((practice, p) =>
      sendLeads({
        rate: rate / practiceCount,
        seconds,
        prefix: `kill-p${p}`,
        ingestKey: practice.ingestKey,
        targets: () => (aAlive ? [a.url, b.url] : [b.url]),
      }),
    );
    await sleep((seconds * 1000) / 2);
    killedAt = now();
    a.child.kill('SIGKILL');
    // The sender learns only from failures that A is gone, as a client would; take it out after the first.
    await a.exited;
    aAlive = false;
    const results = await Promise.all(runs);
    await sleep(1500);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const query = async (sql: string, params: unknown[]) => (await client.query<{ external_id: string; n: number }>(sql, params)).rows;
    const acknowledged = results.flatMap((r) => [...r.acknowledged.keys()]);
    const check = await checkLeads(query, acknowledged);
    const unacknowledged = results.reduce((n, r) => n + r.unacknowledged.length, 0);
    const attempts = results.flatMap((r) => r.attempts);
    const failed = attempts.filter((x) => x.status < 200 || x.status >= 300);
    const byOutcome = new Map<string, number>();
    for (const x of failed)
      byOutcome.set(x.status ? String(x.status) : (x.error ?? 'error'), (byOutcome.get(x.status ? String(x.status) : (x.error ?? 'error')) ?? 0) + 1);
    console.log(
      `sent ${results.reduce((n, r) => n + r.acknowledged.size + r.unacknowledged.length, 0)} leads in ${attempts.length} requests; failed tries ${failed.length} (${[...byOutcome].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'}), all retried on the survivor`,
    );
    console.log(`acknowledged ${check.acknowledged}, lost ${check.lost}, duplicates ${check.duplicates}, never acknowledged ${unacknowledged}`);

    const survivorTvs = tvs.filter((tv) => tv.server === 'B');
    const dbTotals = new Map<number, number>();
    for (let p = 0; p < practiceCount; p++) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM lead WHERE practice_id = $1', [practices[p]!.practiceId]);
      dbTotals.set(p, rows[0]!.n);
    }
    await client.end();
    const updating = survivorTvs.filter((tv) => tv.updatesAfterKill > 0).length;
    const survivorMatching = survivorTvs.filter((tv) => tv.total === dbTotals.get(tv.practice)).length;
    console.log(
      `TVs on the survivor: ${updating} of ${survivorTvs.length} kept updating after the kill; ${survivorMatching} of ${survivorTvs.length} show the database's count at the end`,
    );
    let reconnectedMatching = 0;
    const killedTvs = tvs.filter((tv) => tv.server === 'A');
    const gaps: string[] = [];
    for (const tv of killedTvs) {
      const total = await snapshotTotal(b.url, practices[tv.practice]!.displayToken);
      if (total === dbTotals.get(tv.practice)) reconnectedMatching++;
      else gaps.push(`practice ${tv.practice}: TV ${total} vs database ${dbTotals.get(tv.practice)}`);
    }
    console.log(
      `TVs of the killed process reconnected to the survivor: ${reconnectedMatching} of ${killedTvs.length} show the database's count${gaps.length ? ` (${[...new Set(gaps)].join('; ')})` : ''}`,
    );
  } finally {
    for (const tv of tvs) tv.socket.disconnect();
    for (const server of servers) await server.kill('SIGTERM');
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await killBench();
