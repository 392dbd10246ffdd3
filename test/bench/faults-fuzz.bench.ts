// Fuzzed requests against the ingest routes (issue #11, "Benchmarks"): leads, lead events, calls, the
// signed webhook and the CSV imports, built from valid requests by a seeded generator (the same seed
// sends the same requests) and bent: fields dropped, wrong types, NUL characters and lone surrogates,
// bad dates, unknown fields, huge values, malformed JSON and CSV, merge cycles, repeated ids, bad
// signatures. What must hold:
//   - no answer is >= 500;
//   - no request hangs (each has a timeout);
//   - rows change only on 2xx answers: every domain table has a trigger logging each row change into
//     fuzz_change (rolled back with its transaction), and requests are sent one at a time, so each
//     change belongs to exactly one answer. (webhook_delivery is left out: a refused delivery is
//     recorded on purpose, so that a replay gets the same refusal.)
//
// Runs alone: `npm run build:server && tsx test/bench/faults-fuzz.bench.ts` (BENCH_FUZZ_REQUESTS,
// BENCH_FUZZ_SEED, TEST_DATABASE_URL); `runFuzz(options)` is what `npm run bench:faults` calls.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, loadAverage, percentile, sleep } from './bench-support.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const run = promisify(execFile);

export interface FuzzOptions {
  /** How many requests (default 10,000). */
  requests?: number;
  /** The generator's seed: the same seed sends the same requests (default 11). */
  seed?: number;
  /** A request unanswered after this long counts as hung (default 10 s). */
  timeoutMs?: number;
  /** PostgreSQL server on which a fresh database is made (and dropped after). */
  adminUrl?: string;
  log?: (line: string) => void;
}

export interface FuzzResult {
  seed: number;
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  serverErrors: Array<{ route: string; status: number; body: string }>;
  hung: number;
  /** Answers that were not 2xx yet changed rows (should be 0). */
  changedWithoutSuccess: Array<{ route: string; status: number; changes: number }>;
  /** Row changes made by 2xx answers, for scale. */
  rowChangesBy2xx: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  load: string;
}

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof generator>;

const CHANNELS = ['phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other'];
const STATUSES = ['ringing', 'answered', 'missed', 'voicemail', 'abandoned'];
const REASONS = ['price', 'scheduling', 'insurance_out_of_network', 'treatment_not_offered', 'no_response', 'other'];
const HOSTILE_TEXT = [
  '',
  ' ',
  'x\u0000y',
  '\u0000',
  'lone \ud800 high',
  '\udc00 lone low',
  'emoji 😀 ok',
  "'; DROP TABLE lead; --",
  '=HYPERLINK("http://x","y")',
  '<script>alert(1)</script>',
  '١٢٣ ٤٥٦',
  'a'.repeat(201),
  'b'.repeat(5000),
  '\u202e\u200b',
  'null',
  '2026-02-30T25:61:00Z',
];
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  0.000001,
  12345678901234567168,
  [],
  {},
  [1, 2],
  { a: { b: { c: {} } } },
  'NaN',
  '1e999',
];

function hostile(rng: Rng): unknown {
  return rng.chance(0.6) ? rng.pick(HOSTILE_TEXT) : rng.pick(HOSTILE_VALUES);
}

function isoAround(rng: Rng, daysBack: number): string {
  if (rng.chance(0.05))
    return rng.pick(['1999-12-31T23:00:00Z', '2999-01-01T00:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '2026-03-08T02:30:00', '2026-11-01T01:30:00-05:00']);
  return new Date(Date.now() - rng.next() * daysBack * 86_400_000).toISOString();
}

/** `iso` moved by `seconds` (an unreadable date stays as it is: it is part of the fuzz). */
function shifted(iso: string, seconds: number): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time + seconds * 1000).toISOString();
}

/** Bends a valid body: drops, replaces and adds fields, sometimes deep inside. */
function mutate(rng: Rng, body: Record<string, unknown>): Record<string, unknown> {
  if (rng.chance(0.35)) return body;
  const copy: Record<string, unknown> = structuredClone(body);
  for (let i = rng.int(1, 3); i > 0; i--) {
    const keys = Object.keys(copy);
    const what = rng.int(0, 4);
    if (what === 0 && keys.length > 0) delete copy[rng.pick(keys)];
    else if (what === 1 && keys.length > 0) copy[rng.pick(keys)] = hostile(rng);
    else if (what === 2) copy[rng.pick(['bogus', '__proto__', 'constructor', 'practiceId', 'id'])] = hostile(rng);
    else if (what === 3 && typeof copy.patient === 'object' && copy.patient !== null) {
      (copy.patient as Record<string, unknown>)[rng.pick(['name', 'phone', 'email', 'ssn'])] = hostile(rng);
    } else copy[rng.pick(keys.length > 0 ? keys : ['x'])] = rng.pick(HOSTILE_TEXT);
  }
  return copy;
}

interface World {
  leadIds: string[];
  staffIds: string[];
}

const PHONES = ['+1 555 010 1000', '(555) 010-1001', '555.010.1002', '+15550101003', '555 010 1004'];

function lead(rng: Rng, world: World): Record<string, unknown> {
  const body: Record<string, unknown> = { channel: rng.pick(CHANNELS), createdAt: isoAround(rng, 20) };
  if (rng.chance(0.6)) body.externalId = `fz-lead-${rng.int(0, 1500)}`;
  if (rng.chance(0.5)) body.source = rng.pick(['Google Ads', 'Facebook', 'Referral: Dr X', 'Radio']);
  if (rng.chance(0.2) && body.source) body.campaign = rng.pick(['Spring', 'Implants', 'Whitening']);
  if (rng.chance(0.3)) body.estimatedValue = rng.int(0, 20000);
  if (rng.chance(0.2) && world.staffIds.length > 0) body.assignedStaffId = rng.pick(world.staffIds);
  if (rng.chance(0.6))
    body.patient = { name: 'Fuzz Patient', phone: rng.pick(PHONES), ...(rng.chance(0.5) ? { email: `p${rng.int(0, 20)}@example.test` } : {}) };
  return mutate(rng, body);
}

function event(rng: Rng, world: World): Record<string, unknown> {
  const type = rng.pick(['responded', 'contact_attempt', 'booked', 'not_booked']);
  const body: Record<string, unknown> = { type, at: isoAround(rng, 10) };
  if (rng.chance(0.3)) body.eventId = `fz-event-${rng.int(0, 300)}`;
  if (rng.chance(0.4) && world.staffIds.length > 0) body.staffId = rng.chance(0.9) ? rng.pick(world.staffIds) : '00000000-0000-4000-8000-000000000000';
  if (type === 'responded') body.via = rng.pick(['call', 'text', 'email', 'chat', 'in_person']);
  if (type === 'contact_attempt')
    Object.assign(body, { kind: rng.pick(['call', 'text', 'email', 'chat']), outcome: rng.pick(['reached', 'no_answer', 'left_message', 'sent', 'failed']) });
  if (type === 'booked') Object.assign(body, rng.chance(0.5) ? { appointmentAt: isoAround(rng, -30), value: rng.int(0, 9000) } : {});
  if (type === 'not_booked') Object.assign(body, { reason: rng.pick(REASONS), ...(rng.chance(0.5) ? { note: 'private note' } : {}) });
  return mutate(rng, body);
}

function call(rng: Rng, world: World): Record<string, unknown> {
  const startedAt = isoAround(rng, 5);
  const body: Record<string, unknown> = {
    externalId: `fz-call-${rng.int(0, 400)}`,
    direction: rng.pick(['inbound', 'inbound', 'outbound']),
    status: rng.pick(STATUSES),
    startedAt,
  };
  if (rng.chance(0.3)) body.answeredAt = shifted(startedAt, rng.int(-60, 120));
  if (rng.chance(0.3)) body.endedAt = shifted(startedAt, rng.int(-60, 900));
  if (rng.chance(0.5)) body.from = rng.pick(PHONES);
  if (rng.chance(0.2) && world.leadIds.length > 0) body.leadId = rng.pick(world.leadIds);
  if (rng.chance(0.2)) body.waitSeconds = rng.int(-5, 100);
  return mutate(rng, body);
}

function csvCell(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function leadCsv(rng: Rng, world: World): string {
  const header = ['external_id', 'created_at', 'channel', 'source', 'status', 'booked_at', 'merged_into_lead_id', 'patient_phone'];
  const lines = [header.join(',')];
  const rows = rng.int(1, 25);
  for (let i = 0; i < rows; i++) {
    const id = `fz-imp-${rng.int(0, 600)}`;
    const booked = rng.chance(0.3);
    const created = isoAround(rng, 30);
    const cells: unknown[] = [
      id,
      created,
      rng.pick(CHANNELS),
      rng.pick(['Google Ads', 'Radio', '']),
      booked ? 'booked' : rng.pick(['open', 'contacted', '']),
      booked ? created : '',
      rng.chance(0.2) ? `fz-imp-${rng.int(0, 600)}` : rng.chance(0.05) && world.leadIds.length > 0 ? rng.pick(world.leadIds) : '',
      rng.chance(0.4) ? rng.pick(PHONES) : '',
    ];
    if (rng.chance(0.15)) cells[rng.int(0, cells.length - 1)] = hostile(rng);
    lines.push(cells.map(csvCell).join(','));
  }
  if (rng.chance(0.1)) lines.push(rng.pick(['"unterminated,quote', 'too,many,cells,in,this,row,for,the,header,really', '\u0000,\u0000']));
  return lines.join(rng.chance(0.2) ? '\r\n' : '\n');
}

function callCsv(rng: Rng): string {
  const lines = ['external_id,status,started_at,direction,from'];
  for (let i = rng.int(1, 15); i > 0; i--) {
    const cells: unknown[] = [`fz-call-${rng.int(0, 400)}`, rng.pick(STATUSES), isoAround(rng, 5), rng.pick(['inbound', 'outbound']), rng.pick(PHONES)];
    if (rng.chance(0.15)) cells[rng.int(0, cells.length - 1)] = hostile(rng);
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n');
}

interface PlannedRequest {
  route: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One request, built from the generator and what earlier answers created. */
function plan(rng: Rng, world: World, keys: { ingestKey: string; webhookId: string; webhookSecret: string }): PlannedRequest {
  const json = (body: unknown) => (rng.chance(0.03) ? rng.pick(['{', '{"channel":', '[]', 'null', '"text"', '{"a":1}{"b":2}']) : JSON.stringify(body));
  const bearer = rng.chance(0.02) ? 'Bearer lwk_not_a_key' : `Bearer ${keys.ingestKey}`;
  const kind = rng.next();
  if (kind < 0.3) {
    return {
      route: 'POST /leads',
      path: '/api/v1/leads',
      headers: { authorization: bearer, 'content-type': rng.chance(0.02) ? 'text/plain' : 'application/json' },
      body: json(lead(rng, world)),
    };
  }
  if (kind < 0.5) {
    const id =
      world.leadIds.length > 0 && rng.chance(0.85)
        ? rng.pick(world.leadIds)
        : rng.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%00', '..%2f..%2fetc']);
    return {
      route: 'POST /leads/:id/events',
      path: `/api/v1/leads/${id}/events`,
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: json(event(rng, world)),
    };
  }
  if (kind < 0.72)
    return {
      route: 'POST /calls',
      path: '/api/v1/calls',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: json(call(rng, world)),
    };
  if (kind < 0.9) {
    const envelope = rng.chance(0.6)
      ? { type: 'lead', deliveryId: `fz-delivery-${rng.int(0, 800)}`, data: lead(rng, world) }
      : { type: 'call', deliveryId: `fz-delivery-${rng.int(0, 800)}`, data: call(rng, world) };
    const body = json(rng.chance(0.1) ? mutate(rng, envelope) : envelope);
    const timestamp = String(Math.floor(Date.now() / 1000) - (rng.chance(0.03) ? 3600 : 0));
    const signature = rng.chance(0.05)
      ? 'sha256=' + '0'.repeat(64)
      : 'sha256=' + createHmac('sha256', keys.webhookSecret).update(`${timestamp}.${body}`).digest('hex');
    return {
      route: 'POST /integrations/webhook/:id',
      path: `/api/v1/integrations/webhook/${keys.webhookId}`,
      headers: { 'content-type': 'application/json', 'x-signature-timestamp': timestamp, 'x-signature': signature },
      body,
    };
  }
  const dryRun = rng.chance(0.5) ? '?dryRun=true' : '';
  if (rng.chance(0.6))
    return {
      route: 'POST /imports/leads',
      path: `/api/v1/imports/leads${dryRun}`,
      headers: { authorization: bearer, 'content-type': 'text/csv' },
      body: leadCsv(rng, world),
    };
  return {
    route: 'POST /imports/calls',
    path: `/api/v1/imports/calls${dryRun}`,
    headers: { authorization: bearer, 'content-type': 'text/csv' },
    body: callCsv(rng),
  };
}

/** Every domain table logs its row changes into fuzz_change; the log rolls back with its transaction. */
const WATCHED_TABLES = [
  'lead',
  'patient',
  'lead_event',
  'contact_attempt',
  'call',
  'lead_merge',
  'marketing_source',
  'campaign',
  'marketing_spend',
  'staff',
  'practice',
];

async function watchChanges(client: pg.Client): Promise<void> {
  await client.query(`CREATE TABLE fuzz_change (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`);
  await client.query(`CREATE FUNCTION fuzz_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO fuzz_change (tbl, op) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$`);
  for (const table of WATCHED_TABLES) {
    await client.query(`CREATE TRIGGER fuzz_log_change AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION fuzz_log_change()`);
  }
}

async function waitForHealth(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log.slice(-20).join('\n')}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(200);
  }
  throw new Error(`the server did not become healthy:\n${log.slice(-20).join('\n')}`);
}

/** One POST on a connection of its own (no keep-alive: a reused connection that the server closes at
 * that moment would fail a request it never received). Rejects with a TimeoutError when unanswered. */
function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      error.name = 'TimeoutError';
      request.destroy(error);
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzResult> {
  const requests = options.requests ?? 10_000;
  const seed = options.seed ?? 11;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const adminUrl = options.adminUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const log = options.log ?? ((line: string) => console.log(line));

  const name = `lw_fuzz_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    PORT: String(port),
    PUBLIC_URL: url,
    DEMO: 'off',
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    // The limits are tested elsewhere; here they would only turn most requests into 429s.
    INGEST_RATE_PER_SECOND: '100000',
    INGEST_BURST: '100000',
  };
  const serverLog: string[] = [];
  let server: ChildProcess | null = null;
  const watcher = new pg.Client({ connectionString: dbUrl.toString() });
  try {
    const cli = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, ['dist/server/cli/main.js', ...args, '--json'], { cwd: ROOT, env });
      return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, string>;
    };
    const practice = await cli('practice:create', '--name', 'Fuzz Dental', '--timezone', 'America/New_York');
    const staffIds = [
      (await cli('staff:add', '--practice', practice.practiceId!, '--name', 'Maya')).staffId!,
      (await cli('staff:add', '--practice', practice.practiceId!, '--name', 'Sam')).staffId!,
    ];
    const webhook = await cli('integration:create', '--practice', practice.practiceId!, '--kind', 'webhook');

    server = spawn(process.execPath, ['dist/server/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => serverLog.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    server.stdout!.on('data', keep);
    server.stderr!.on('data', keep);
    await waitForHealth(url, server, serverLog);
    await watcher.connect();
    await watchChanges(watcher);
    const changes = async () => Number((await watcher.query(`SELECT coalesce(max(id), 0) AS n FROM fuzz_change`)).rows[0].n);

    const rng = generator(seed);
    const world: World = { leadIds: [], staffIds };
    const keys = { ingestKey: practice.ingestKey!, webhookId: webhook.integrationId!, webhookSecret: webhook.secret! };
    const result: FuzzResult = {
      seed,
      requests,
      byRoute: {},
      byStatus: {},
      serverErrors: [],
      hung: 0,
      changedWithoutSuccess: [],
      rowChangesBy2xx: 0,
      p50Ms: 0,
      p99Ms: 0,
      maxMs: 0,
      seconds: 0,
      load: loadAverage(),
    };
    const durations: number[] = [];
    const started = Date.now();
    let before = await changes();
    for (let i = 0; i < requests; i++) {
      const request = plan(rng, world, keys);
      result.byRoute[request.route] = (result.byRoute[request.route] ?? 0) + 1;
      const sent = performance.now();
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await post(url + request.path, request.headers, request.body, timeoutMs));
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') result.hung++;
        else
          throw new Error(
            `request ${i} (${request.route}) failed: ${(error as Error).message}; server exit ${server.exitCode}; server log:\n${serverLog.slice(-15).join('\n')}`,
            { cause: error },
          );
      }
      durations.push(performance.now() - sent);
      result.byStatus[String(status)] = (result.byStatus[String(status)] ?? 0) + 1;
      if (status >= 500) result.serverErrors.push({ route: request.route, status, body: text.slice(0, 300) });
      const after = await changes();
      if (status >= 200 && status < 300) {
        result.rowChangesBy2xx += after - before;
        if (request.route === 'POST /leads' || request.route.startsWith('POST /integrations')) {
          const id = (JSON.parse(text) as { id?: unknown }).id;
          if (typeof id === 'string' && world.leadIds.length < 2000) world.leadIds.push(id);
        }
      } else if (after !== before) {
        result.changedWithoutSuccess.push({ route: request.route, status, changes: after - before });
      }
      before = after;
      if ((i + 1) % 1000 === 0) log(`  ${i + 1}/${requests} sent; statuses so far ${JSON.stringify(result.byStatus)}`);
    }
    result.seconds = (Date.now() - started) / 1000;
    result.p50Ms = percentile(durations, 0.5);
    result.p99Ms = percentile(durations, 0.99);
    result.maxMs = Math.max(...durations);
    return result;
  } finally {
    await watcher.end().catch(() => undefined);
    server?.kill('SIGTERM');
    await sleep(500);
    server?.kill('SIGKILL');
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** The part of `npm run bench:faults` (its runner calls every part's default export). */
export default async function fuzzBench(): Promise<void> {
  const requests = Number(process.env.BENCH_FUZZ_REQUESTS ?? 10_000);
  const seed = Number(process.env.BENCH_FUZZ_SEED ?? 11);
  console.log(`\n== fuzz: ${requests} requests, seed ${seed}, load ${loadAverage()}`);
  const result = await runFuzz({ requests, seed });
  console.log(
    JSON.stringify({ ...result, serverErrors: result.serverErrors.slice(0, 10), changedWithoutSuccess: result.changedWithoutSuccess.slice(0, 10) }, null, 2),
  );
  const ok = result.serverErrors.length === 0 && result.hung === 0 && result.changedWithoutSuccess.length === 0;
  console.log(ok ? 'fuzz: PASS (0 answers >= 500, 0 hung, rows changed only by 2xx answers)' : 'fuzz: FAIL');
  if (!ok) throw new Error('fuzz: answers >= 500, hung requests or rows changed without a 2xx');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await fuzzBench().catch(() => {
    process.exitCode = 1;
  });
}
