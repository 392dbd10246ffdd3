// GET /metrics on the real app (PostgreSQL server): the figures the README lists, counted from
// requests this test makes and checked against them one by one.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let practice: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  practice = await t.createPractice({ name: 'Metrics Practice' });
});
afterAll(() => t.close());

async function scrape(): Promise<{ type: string | null; text: string }> {
  const response = await fetch(`${t.url}/metrics`);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one series (exact name and label set as prom-client prints them), or undefined. */
function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, ingest latency, TVs, board and bus latencies and the pool', async () => {
    const tv = t.connectBoard(practice.displayToken);
    await nextMessage(tv, 'board:snapshot');

    const update = nextMessage(tv, 'board:update', (m) => m.state.leads.total === 2);
    const first = await t.post('/api/v1/leads', practice.ingestKey, { channel: 'phone' });
    expect(first.status).toBe(201);
    expect((await t.post('/api/v1/leads', practice.ingestKey, { channel: 'web_form' })).status).toBe(201);
    expect((await t.post('/api/v1/leads', 'lwk_not-a-key', { channel: 'phone' })).status).toBe(401);
    expect(
      (await t.post(`/api/v1/leads/${first.body.id}/events`, practice.ingestKey, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer' })).status,
    ).toBe(201);
    await update;

    const { type, text } = await scrape();
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(series(text, 'lw_http_request_duration_seconds_count{method="POST",route="/api/v1/leads",status="201"}')).toBe(2);
    expect(series(text, 'lw_http_request_duration_seconds_count{method="POST",route="/api/v1/leads",status="401"}')).toBe(1);
    expect(series(text, 'lw_http_request_duration_seconds_count{method="POST",route="/api/v1/leads/:id/events",status="201"}')).toBe(1);
    expect(series(text, 'lw_ingest_duration_seconds_count{kind="lead",outcome="2xx"}')).toBe(2);
    expect(series(text, 'lw_ingest_duration_seconds_count{kind="lead",outcome="4xx"}')).toBe(1);
    expect(series(text, 'lw_ingest_duration_seconds_count{kind="lead_event",outcome="2xx"}')).toBe(1);
    expect(series(text, 'lw_connected_tvs')).toBe(1);
    expect(series(text, 'lw_board_commit_to_emit_seconds_count')).toBeGreaterThanOrEqual(1);
    // Three committed transactions with events (two leads, one attempt), each heard back by this process.
    expect(series(text, 'lw_event_bus_lag_seconds_count{origin="self"}')).toBe(3);
    expect(series(text, 'lw_event_bus_gaps_total')).toBe(0);
    expect(series(text, 'lw_db_pool_connections{state="max"}')).toBe(10);
    expect(series(text, 'lw_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'lw_cluster_leader')).toBe(0); // nobody asked this process to compete: main.ts does
    expect(text).toMatch(/^lw_process_cpu_seconds_total /m);
    // Route patterns only: no id reaches a label.
    expect(text).not.toContain(first.body.id);
    expect(text).not.toContain(practice.practiceId);

    tv.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(series((await scrape()).text, 'lw_connected_tvs')).toBe(0);
  });

  it('is open without credentials, like the health routes', async () => {
    expect((await t.get('/api/health/live', null)).body).toEqual({ status: 'ok' });
    expect((await t.get('/api/health/ready', null)).body).toEqual({ status: 'ok', database: 'ok', eventBus: 'ok' });
  });
});
