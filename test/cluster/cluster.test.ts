// Two server instances on one PostgreSQL database, as two processes would be (each has its own
// connections, its own LISTEN connection, its own boards and sockets): they must act as one system.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { AdminService } from '../../server/admin/admin.service.js';
import { LOCK_CLASS, LOCKS } from '../../server/cluster/advisory-lock.js';
import { ClusterLeader } from '../../server/cluster/cluster.module.js';
import { EVENT_CHANNEL } from '../../server/cluster/event-bus.js';
import { LiveBoardService } from '../../server/live/live-board.service.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { nextMessage, startTestApp, type BoardClient, type TestApp, type TestPractice } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { UsersService } from '../../server/users/users.service.js';
import { createUser, login, send } from '../users/users-support.js';

const LIMITS = { perSecond: 1, burst: 4 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let a: TestApp;
let b: TestApp;
let practice: TestPractice;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = { ingestRateLimits: LIMITS, leaderPollMs: 200 };
  // Both start at once: the migrations lock makes one run them and the other find nothing to do.
  [a, b] = await Promise.all([startTestApp({ databaseUrl: database.url, config }), startTestApp({ databaseUrl: database.url, config })]);
  practice = await a.createPractice({ name: 'Cluster Practice' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

function snapshotOf(tv: BoardClient) {
  return nextMessage(tv, 'board:snapshot');
}

/** Posts with a fresh ingest key each time, so these tests never meet the (deliberately low) rate limit. */
async function freshKey(app: TestApp, practiceId = practice.practiceId): Promise<{ id: string; secret: string }> {
  const key = await app.practices.createIngestKey(practiceId, 'test');
  return { id: key.id, secret: key.secret };
}

describe('two server processes on one database', () => {
  it('ran the migrations once although both started at once', async () => {
    const rows = await a.query<{ name: string; n: number }>(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    expect((await a.query(`SELECT 1 FROM migrations WHERE name = 'ClusterSupport1796290103015'`)).length).toBe(1);
  });

  it('a lead posted to A reaches a TV connected to B within 1 s, and each TV counts it once', async () => {
    const tvA = a.connectBoard(practice.displayToken);
    const tvB = b.connectBoard(practice.displayToken);
    const [snapA, snapB] = await Promise.all([snapshotOf(tvA), snapshotOf(tvB)]);
    const before = snapB.state.leads.total;
    expect(snapA.state.leads.total).toBe(before);

    const key = await freshKey(a);
    const seenOnB = nextMessage(tvB, 'board:update', (m) => m.state.leads.total === before + 1, 1000);
    expect((await a.post('/api/v1/leads', key.secret, { channel: 'phone', source: 'Posted to A' })).status).toBe(201);
    const update = await seenOnB;
    expect(update.state.leads.bySource.some((s) => s.source === 'Posted to A')).toBe(true);

    // Leads to both processes, interleaved: both TVs end with the same counts, nothing twice.
    const keyB = await freshKey(b);
    const both = [a, b, a, b];
    const target = before + 1 + both.length;
    const doneA = nextMessage(tvA, 'board:update', (m) => m.state.leads.total === target, 3000);
    const doneB = nextMessage(tvB, 'board:update', (m) => m.state.leads.total === target, 3000);
    for (const [i, app] of both.entries()) {
      expect((await app.post('/api/v1/leads', app === a ? key.secret : keyB.secret, { channel: 'web_form', externalId: `mix-${i}` })).status).toBe(201);
    }
    await Promise.all([doneA, doneB]);
    await sleep(400); // any double count would show in a later update
    const [finalA, finalB] = await Promise.all([
      new Promise<number>((resolve) => {
        tvA.emit('board:resync');
        void snapshotOf(tvA).then((s) => resolve(s.state.leads.total));
      }),
      new Promise<number>((resolve) => {
        tvB.emit('board:resync');
        void snapshotOf(tvB).then((s) => resolve(s.state.leads.total));
      }),
    ]);
    const n = (await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [practice.practiceId]))[0]!.n;
    expect(finalA).toBe(n);
    expect(finalB).toBe(n);
    tvA.disconnect();
    tvB.disconnect();
  });

  it('answers a write once its events are on the boards of the process that took it (a board read right after has it)', async () => {
    const watcher = a.connectBoard(practice.displayToken); // keeps A's board built and watched
    await snapshotOf(watcher);
    const live = a.app.get(LiveBoardService);
    for (let i = 0; i < 10; i++) {
      const key = await freshKey(a);
      expect((await a.post('/api/v1/leads', key.secret, { channel: 'phone' })).status).toBe(201);
      const { state } = await live.snapshot(practice.practiceId); // what a TV connecting now would get
      const n = (await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [practice.practiceId]))[0]!.n;
      expect(state.leads.total).toBe(n);
    }
    watcher.disconnect();
  });

  it('revoking a display on A disconnects the TV on B within 1 s', async () => {
    const display = await a.practices.createDisplayToken(practice.practiceId, 'TV on B');
    const tv = b.connectBoard(display.secret);
    await snapshotOf(tv);
    const revoked = nextMessage(tv, 'board:revoked', () => true, 1000);
    const disconnected = new Promise<string>((resolve) => tv.once('disconnect', resolve));
    await a.app.get(AdminService).revokeDisplay(practice.practiceId, display.id);
    expect((await revoked).code).toBe('token_revoked');
    expect(await disconnected).toBe('io server disconnect');
  });

  it('revoking an ingest key on A refuses it on B within 1 s, although B had it cached', async () => {
    const key = await freshKey(a);
    expect((await b.post('/api/v1/leads', key.secret, { channel: 'chat' })).status).toBe(201); // now in B's cache
    await a.app.get(AdminService).revokeIngestKey(practice.practiceId, key.id);
    await sleep(1000);
    expect((await b.post('/api/v1/leads', key.secret, { channel: 'chat' })).status).toBe(401);
  });

  it('a session logged out on A, or a user disabled on A, is refused on B at once', async () => {
    await createUser(a, practice.practiceId, 'front@cluster.test', 'front_desk');
    const session = await login(a, 'front@cluster.test', undefined, practice.practiceId);
    expect((await send(b, 'GET', '/api/v1/auth/me', { cookie: session.cookie })).status).toBe(200);
    expect((await send(a, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrfToken })).status).toBeLessThan(300);
    expect((await send(b, 'GET', '/api/v1/auth/me', { cookie: session.cookie })).status).toBe(401);

    const again = await login(b, 'front@cluster.test', undefined, practice.practiceId);
    expect((await send(b, 'GET', '/api/v1/auth/me', { cookie: again.cookie })).status).toBe(200);
    await a.app.get(UsersService).disableUser(practice.practiceId, again.user.id, null);
    expect((await send(b, 'GET', '/api/v1/auth/me', { cookie: again.cookie })).status).toBe(401);
  });

  it('a missed notification heals: B sees the sequence skip and rebuilds the board from the database', async () => {
    const tvB = b.connectBoard(practice.displayToken);
    const before = (await snapshotOf(tvB)).state.leads.total;
    // A change committed without its notification (as if the NOTIFY were lost): a lead written
    // directly, and the practice's event number moved on past it.
    await a.query(
      `INSERT INTO lead (practice_id, channel, is_new_patient, created_at, status)
       VALUES ($1, 'walk_in', true, now(), 'open')`,
      [practice.practiceId],
    );
    await a.query(`UPDATE practice_event_seq SET seq = seq + 1 WHERE practice_id = $1`, [practice.practiceId]);
    // The next event is two numbers on: B rebuilds, and its TV shows both leads.
    const healed = nextMessage(tvB, 'board:update', (m) => m.state.leads.total === before + 2, 3000);
    expect((await a.post('/api/v1/leads', (await freshKey(a)).secret, { channel: 'phone', source: 'After the gap' })).status).toBe(201);
    const update = await healed;
    expect(update.state.leads.bySource.map((s) => s.source)).toContain('After the gap');
    const n = (await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [practice.practiceId]))[0]!.n;
    expect(update.state.leads.total).toBe(n);
    tvB.disconnect();
  });

  it('a notification delivered twice is applied once', async () => {
    const tvB = b.connectBoard(practice.displayToken);
    const before = (await snapshotOf(tvB)).state.leads.total;
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const captured = new Promise<string>((resolve) => listener.on('notification', (m) => resolve(m.payload ?? '')));
    await listener.query(`LISTEN ${EVENT_CHANNEL}`);
    const first = nextMessage(tvB, 'board:update', (m) => m.state.leads.total === before + 1, 3000);
    expect((await a.post('/api/v1/leads', (await freshKey(a)).secret, { channel: 'phone' })).status).toBe(201);
    await first;
    const payload = await captured;
    const updates: number[] = [];
    tvB.on('board:update', (m) => updates.push(m.state.leads.total));
    await listener.query(`SELECT pg_notify($1, $2)`, [EVENT_CHANNEL, payload]);
    await listener.end();
    await sleep(800);
    expect(updates.every((total) => total === before + 1)).toBe(true);
    tvB.disconnect();
  });

  it('counts rate limits for the cluster: a key gets one budget across both processes', async () => {
    const key = await freshKey(a);
    const answers: number[] = [];
    for (const app of [a, b, a, b]) answers.push((await app.post('/api/v1/leads', key.secret, { channel: 'email' })).status);
    expect(answers).toEqual([201, 201, 201, 201]);
    const over = await b.post('/api/v1/leads', key.secret, { channel: 'email' });
    expect(over.status).toBe(429);
    expect((await a.post('/api/v1/leads', key.secret, { channel: 'email' })).status).toBe(429);
  });

  it('runs run-once work in one process; it moves when the holder loses its lock or closes', async () => {
    const running = new Set<string>();
    const started: string[] = [];
    const task = (name: string) => ({
      name: 'test work',
      start: () => {
        running.add(name);
        started.push(name);
      },
      stop: () => {
        running.delete(name);
      },
    });
    await Promise.all([a.app.get(ClusterLeader).runWhileLeader(task('a')), b.app.get(ClusterLeader).runWhileLeader(task('b'))]);
    await sleep(600);
    expect(running.size).toBe(1);
    const first = [...running][0]!;

    // The holder's lock connection dies (as when its process is killed): the other takes over.
    await a.query(
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [LOCK_CLASS, LOCKS.leader],
    );
    const deadline = Date.now() + 5000;
    while (!(running.size === 1 && !running.has(first)) && Date.now() < deadline) await sleep(50);
    expect([...running]).toEqual([first === 'a' ? 'b' : 'a']);
    const second = [...running][0]!;

    // The new holder closes: the first takes it back.
    const holderApp = second === 'a' ? a : b;
    const otherApp = second === 'a' ? b : a;
    await holderApp.app.get(ClusterLeader).onApplicationShutdown();
    const deadline2 = Date.now() + 5000;
    while (!otherApp.app.get(ClusterLeader).isLeader && Date.now() < deadline2) await sleep(50);
    expect(otherApp.app.get(ClusterLeader).isLeader).toBe(true);
    expect([...running]).toEqual([first]);
  });
});

describe('a process whose database goes away', () => {
  let proxy: OutageProxy;
  let c: TestApp;

  beforeAll(async () => {
    proxy = await startOutageProxy(database.url);
    c = await startTestApp({ databaseUrl: proxy.url });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await c?.close();
    await proxy?.close();
  });

  async function waitForStatus(path: string, status: number, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await c.get(path, null)).status;
      if (last === status) return last;
      await sleep(200);
    }
    return last;
  }

  it('is not ready while the database is unreachable, stays live, and is ready again (boards caught up) when it is back', async () => {
    const tv = c.connectBoard(practice.displayToken);
    const before = (await snapshotOf(tv)).state.leads.total;
    expect((await c.get('/api/health/ready', null)).body).toEqual({ status: 'ok', database: 'ok', eventBus: 'ok' });

    await proxy.refuse();
    expect(await waitForStatus('/api/health/ready', 503, 6000)).toBe(503);
    const ready = await c.get('/api/health/ready', null);
    expect(ready.body).toMatchObject({ status: 'error', database: 'unreachable' });
    expect((await c.get('/api/health/live', null)).status).toBe(200);

    // Meanwhile another process accepts a lead: c's bus connection is down, so it never hears of it.
    expect((await a.post('/api/v1/leads', (await freshKey(a)).secret, { channel: 'referral', source: 'During the outage' })).status).toBe(201);

    await proxy.restore();
    expect(await waitForStatus('/api/health/ready', 200, 10_000)).toBe(200);
    // The re-opened bus connection rebuilt the board from the database: the lead is there.
    const caughtUp = await nextMessage(tv, 'board:update', (m) => m.state.leads.bySource.some((s) => s.source === 'During the outage'), 5000).catch(
      async () => {
        tv.emit('board:resync');
        return snapshotOf(tv);
      },
    );
    expect(caughtUp.state.leads.bySource.some((s) => s.source === 'During the outage')).toBe(true);
    expect(caughtUp.state.leads.total).toBeGreaterThan(before);
  });
});
