// POST /api/v1/imports/leads: a CSV of past leads, with column mapping, a row-by-row error report,
// and all-or-nothing writes through the ingest services.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
});
afterAll(() => t.close());

async function upload(key: string, csv: string, query = '') {
  const response = await fetch(`${t.url}/api/v1/imports/leads${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body: csv,
  });
  return { status: response.status, body: await response.json() };
}

const count = async (practiceId: string) => (await t.query(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [practiceId]))[0].n as number;

describe('POST /api/v1/imports/leads', () => {
  const good = [
    'Date,Source,How,Value,Booked',
    '2025-03-03T09:15:00Z,Google Ads,Web Form,1200,2025-03-04T10:00:00Z',
    '2025-03-03T11:00:00-06:00,Dr Smith,referral,,',
    '2025-03-04T15:30:00Z,,phone,,',
  ].join('\n');
  const map = '?map=createdAt=Date,channel=How,estimatedValue=Value,bookedAt=Booked';

  it('validates without writing on a dry run', async () => {
    const response = await upload(a.ingestKey, good, `${map}&dryRun=true`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ dryRun: true, rows: 3, imported: 3, booked: 1, errors: [] });
    expect(await count(a.practiceId)).toBe(0);
  });

  it('imports every row with the mapping, bookings included', async () => {
    const response = await upload(a.ingestKey, good, map);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ dryRun: false, rows: 3, imported: 3, booked: 1 });
    expect(response.body.columns).toMatchObject({ createdAt: 'Date', channel: 'How', source: 'Source' });
    const rows = await t.query(
      `SELECT l.channel, l.status, l.created_at, s.name AS source FROM lead l LEFT JOIN marketing_source s ON s.id = l.source_id
        WHERE l.practice_id = $1 ORDER BY l.created_at`,
      [a.practiceId],
    );
    expect(rows.map((r) => [r.channel, r.status, r.source])).toEqual([
      ['web_form', 'booked', 'Google Ads'],
      ['referral', 'open', 'Dr Smith'],
      ['phone', 'open', null],
    ]);
    expect(await count(b.practiceId)).toBe(0);
  });

  it('reports every bad row by line and field, and imports nothing', async () => {
    const before = await count(a.practiceId);
    const csv = [
      'created_at,channel,source',
      '2025-04-01T09:00:00Z,phone,Google Ads',
      'yesterday,phone,',
      '2025-04-02T09:00:00Z,carrier pigeon,',
      '2999-01-01T00:00:00Z,web_form,',
      ',chat,',
    ].join('\n');
    const response = await upload(a.ingestKey, csv);
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/nothing was imported/);
    expect(response.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'createdAt'],
      [4, 'channel'],
      [5, 'createdAt'],
      [6, 'createdAt'],
    ]);
    expect(response.body.errors[2].message).toMatch(/future/);
    expect(await count(a.practiceId)).toBe(before);
  });

  it('rolls the whole file back when a row fails while writing', async () => {
    const before = await count(a.practiceId);
    const csv = ['created_at,channel,external_id', '2025-05-01T09:00:00Z,phone,x-1', '2025-05-01T10:00:00Z,phone,x-1'].join('\n');
    const response = await upload(a.ingestKey, csv);
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/line 3/);
    expect(await count(a.practiceId)).toBe(before);
  });

  it('says which mapped column is missing, and refuses unknown fields and non-CSV bodies', async () => {
    const missing = await upload(a.ingestKey, good, '?map=createdAt=When');
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ line: 1, field: 'createdAt' });
    const unknown = await upload(a.ingestKey, good, '?map=colour=Date');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/map/);
    const json = await t.post('/api/v1/imports/leads', a.ingestKey, { createdAt: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/text\/csv/);
    const bad = await upload(a.ingestKey, 'a,b\n"unclosed,1\n');
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/CSV/);
  });

  it("needs an ingest key and writes to the key's practice only", async () => {
    expect((await upload('nope', good)).status).toBe(401);
    const response = await upload(b.ingestKey, good, map);
    expect(response.status).toBe(200);
    expect(await count(b.practiceId)).toBe(3);
  });
});
