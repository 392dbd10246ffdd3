// Actual values: one lead at a time (PUT /api/v1/leads/:id/actual-value) and by CSV
// (POST /api/v1/reports/actual-values/import), scoped by practice, all-or-nothing, read by Marketing ROI.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;
let admin: Session;
let adminB: Session;
const ids: Record<string, string> = {};

async function lead(practice: TestPractice, externalId: string, options: { merged?: string; value?: number } = {}) {
  const [row] = await t.query<{ id: string }>(
    `INSERT INTO lead (practice_id, external_id, channel, is_new_patient, created_at, status, booked_at, estimated_value, merged_into_lead_id)
     VALUES ($1, $2, 'phone', true, '2026-10-05T10:00:00-05:00', 'booked', '2026-10-05T11:00:00-05:00', 1000, $3) RETURNING id`,
    [practice.practiceId, externalId, options.merged ? ids[options.merged] : null],
  );
  ids[externalId] = row!.id;
}

const putValue = (session: Session, id: string, body: unknown) =>
  send(t, 'PUT', `/api/v1/leads/${id}/actual-value`, { body, cookie: session.cookie, csrf: session.csrfToken });
const importCsv = (session: Session, csv: string, dryRun = false) =>
  send(t, 'POST', `/api/v1/reports/actual-values/import?dryRun=${dryRun}`, {
    body: csv,
    contentType: 'text/csv',
    cookie: session.cookie,
    csrf: session.csrfToken,
  });
const values = async () =>
  Object.fromEntries(
    (await t.query<{ external_id: string; v: string | null }>(`SELECT external_id, actual_value::text AS v FROM lead WHERE external_id IS NOT NULL`)).map(
      (r) => [r.external_id, r.v],
    ),
  );

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: 'America/Chicago' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'America/Chicago' });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, a.practiceId, 'admin@a.test', 'admin');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  manager = await login(t, 'manager@a.test');
  admin = await login(t, 'admin@a.test');
  adminB = await login(t, 'admin@b.test');
  for (const name of ['A1', 'A2', 'A3', 'A4']) await lead(a, name);
  await lead(a, 'AM', { merged: 'A1' });
  await lead(b, 'B1');
});
afterAll(() => t.close());

describe('PUT /api/v1/leads/:id/actual-value', () => {
  it('sets and clears the actual value, changing nothing else, and Marketing ROI reads it', async () => {
    const before = (await t.query(`SELECT * FROM lead WHERE id = $1`, [ids.A1]))[0];
    const response = await putValue(manager, ids.A1!, { actualValue: 1234.5 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ leadId: ids.A1, actualValue: 1234.5 });
    const after = (await t.query(`SELECT * FROM lead WHERE id = $1`, [ids.A1]))[0];
    const { actual_value: _a, updated_at: _u, ...rest } = after;
    const { actual_value: _b, updated_at: _v, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(after.actual_value).toBe('1234.50');
    const roi = (await send(t, 'GET', '/api/v1/reports/marketing-roi?from=2026-10-01&to=2026-10-31', { cookie: manager.cookie })).body;
    expect(roi.totals.actualRevenue).toBe(1234.5);
    expect((await putValue(admin, ids.A1!, { actualValue: null })).body).toEqual({ leadId: ids.A1, actualValue: null });
    expect((await values()).A1).toBeNull();
  });

  it.each([
    [{ actualValue: -1 }, /actualValue: must be at least 0/],
    [{ actualValue: 1.234 }, /actualValue: must have at most 2 decimals/],
    [{ actualValue: '12' }, /actualValue/],
    [{}, /actualValue/],
    [{ actualValue: 1, estimatedValue: 2 }, /estimatedValue|Unrecognized/i],
  ])('refuses %j naming the field', async (body, message) => {
    const response = await putValue(manager, ids.A2!, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it("answers 404 for another practice's lead and 400 for a bad id, 422 for a merged lead", async () => {
    expect((await putValue(adminB, ids.A2!, { actualValue: 5 })).status).toBe(404);
    expect((await putValue(manager, ids.B1!, { actualValue: 5 })).status).toBe(404);
    expect((await putValue(manager, 'not-a-uuid', { actualValue: 5 })).body.message).toMatch(/id: must be a lead id/);
    const merged = await putValue(manager, ids.AM!, { actualValue: 5 });
    expect(merged.status).toBe(422);
    expect(merged.body.message).toMatch(/merged into lead/);
    const all = await values();
    expect([all.A2, all.B1, all.AM]).toEqual([null, null, null]);
  });
});

describe('POST /api/v1/reports/actual-values/import', () => {
  it('checks a good file on a dry run without writing, then writes it', async () => {
    const csv = `lead_id,external_id,actual_value\r\n${ids.A2},,1500.25\r\n,A3,800\r\n${ids.A4},A4,0\r\n`;
    const dry = await importCsv(manager, csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: 3,
      updated: 3,
      unchanged: 0,
      columns: { leadId: 'lead_id', externalId: 'external_id', actualValue: 'actual_value' },
      errors: [],
    });
    expect((await values()).A2).toBeNull();
    const real = await importCsv(manager, csv);
    expect(real.body).toMatchObject({ dryRun: false, rows: 3, updated: 3, unchanged: 0, errors: [] });
    const all = await values();
    expect([all.A2, all.A3, all.A4]).toEqual(['1500.25', '800.00', '0.00']);
    const again = await importCsv(manager, 'External ID,Value\nA3,800.00\nA2,\n');
    expect(again.body).toMatchObject({ rows: 2, updated: 1, unchanged: 1, columns: { leadId: null, externalId: 'External ID', actualValue: 'Value' } });
    expect((await values()).A2).toBeNull(); // an empty value clears
  });

  it('refuses a file with any bad row, listing every problem by line, and writes nothing', async () => {
    const before = await values();
    const csv = [
      'lead_id,external_id,actual_value',
      `${ids.A2},,10`, // fine
      ',A3,1.234', // 3: too many decimals
      ',NOPE,5', // 4: unknown
      ',B1,5', // 5: another practice's lead
      `${ids.A3},A4,5`, // 6: two different leads
      ',AM,5', // 7: merged
      `${ids.A2},,11`, // 8: duplicate of line 2
      'not-a-uuid,,5', // 9: bad id
      ',,5', // 10: no lead
      ',A3,"1,000"', // 11: separator
    ].join('\n');
    const response = await importCsv(manager, csv);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'actualValue'],
      [4, 'externalId'],
      [5, 'externalId'],
      [6, 'externalId'],
      [7, 'leadId'],
      [8, 'leadId'],
      [9, 'leadId'],
      [10, 'leadId'],
      [11, 'actualValue'],
    ]);
    expect(response.body.message).toMatch(/nothing was changed/);
    expect(response.body.updated).toBe(0);
    expect(await values()).toEqual(before);
  });

  it("refuses a file without the needed columns, a body that is not CSV, and another practice's lead ids", async () => {
    const noColumns = await importCsv(manager, 'name,amount\nx,1\n');
    expect(noColumns.status).toBe(422);
    expect(noColumns.body.errors.map((e: any) => e.field)).toEqual(['leadId', 'actualValue']);
    const json = await send(t, 'POST', '/api/v1/reports/actual-values/import', { body: { not: 'csv' }, cookie: manager.cookie, csrf: manager.csrfToken });
    expect(json.status).toBe(400);
    const foreign = await importCsv(adminB, `lead_id,actual_value\n${ids.A2},99\n`);
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0]).toMatchObject({ line: 2, field: 'leadId' });
    expect((await values()).A2).toBeNull();
  });
});
