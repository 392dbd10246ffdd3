// Goals: entry (PUT /api/v1/goals), progress on a hand-computed past fixture, and the forecast finish of
// the current and next month from the forecasting engine (against the revenue forecast API).
//
// Practice A (America/Chicago), March 2025 (DST starts on 9 March: CST -06:00 before, CDT -05:00 after):
//   L1 created 1 March 00:30, booked 2 March, 1000 -> a March lead and a March booking (1000)
//   L2 created 28 February 23:30, booked 1 March 08:00, 500 -> a February lead, a March booking (500)
//   L3 created 31 March 23:30, open -> a March lead
//   L4 created 15 March, booked 1 April 00:30, 700 -> a March lead, an April booking (700)
//   L5 existing patient, March, booked 9999; L6 merged, March: not counted. Practice B: a March lead.
// March: leads 3, bookings 2, revenue 1500. Targets leads 4 (0.75), bookings 2 (1), revenue 2000 (0.75).
// April: leads 0, bookings 1, revenue 700; target revenue 1000 (0.7); no lead or booking target (null).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { seedLeadHistory } from '../forecast/seed-history.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let c: TestPractice;
let manager: Session;
let adminB: Session;
let managerC: Session;
let thisMonth: string;
let nextMonth: string;

async function lead(practice: TestPractice, at: string, bookedAt: string | null, value: number | null, options: { existing?: boolean; merged?: boolean } = {}) {
  await t.query(
    `INSERT INTO lead (practice_id, channel, is_new_patient, created_at, status, booked_at, estimated_value, merged_into_lead_id)
     VALUES ($1, 'phone', $2, $3::timestamptz, CASE WHEN $4::timestamptz IS NULL THEN 'open' ELSE 'booked' END, $4::timestamptz, $5,
             CASE WHEN $6 THEN (SELECT id FROM lead WHERE practice_id = $1 ORDER BY created_at LIMIT 1) END)`,
    [practice.practiceId, !options.existing, at, bookedAt, value, options.merged ?? false],
  );
}

const get = (session: Session, path: string) => send(t, 'GET', path, { cookie: session.cookie });
const put = (session: Session, body: unknown) => send(t, 'PUT', '/api/v1/goals', { body, cookie: session.cookie, csrf: session.csrfToken });

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: 'America/Chicago' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'America/Chicago' });
  c = await t.createPractice({ name: 'Practice C', timeZone: 'America/Chicago' });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  await createUser(t, c.practiceId, 'manager@c.test', 'manager');
  manager = await login(t, 'manager@a.test');
  adminB = await login(t, 'admin@b.test');
  managerC = await login(t, 'manager@c.test');

  await lead(a, '2025-03-01T00:30:00-06:00', '2025-03-02T10:00:00-06:00', 1000);
  await lead(a, '2025-02-28T23:30:00-06:00', '2025-03-01T08:00:00-06:00', 500);
  await lead(a, '2025-03-31T23:30:00-05:00', null, null);
  await lead(a, '2025-03-15T10:00:00-05:00', '2025-04-01T00:30:00-05:00', 700);
  await lead(a, '2025-03-10T10:00:00-05:00', '2025-03-10T11:00:00-05:00', 9999, { existing: true });
  await lead(a, '2025-03-11T10:00:00-05:00', null, null, { merged: true });
  await lead(b, '2025-03-11T10:00:00-05:00', '2025-03-11T11:00:00-05:00', 4242);

  await seedLeadHistory(t, c.practiceId, { days: 200, timeZone: 'America/Chicago' });
  const [months] = await t.query<{ this_month: string; next_month: string }>(
    `SELECT to_char(now() AT TIME ZONE 'America/Chicago', 'YYYY-MM') AS this_month,
            to_char((now() AT TIME ZONE 'America/Chicago') + interval '1 month', 'YYYY-MM') AS next_month`,
  );
  ({ this_month: thisMonth, next_month: nextMonth } = months!);
});
afterAll(() => t.close());

describe('goal entry', () => {
  it('sets, replaces and removes a goal', async () => {
    expect((await put(manager, { month: '2025-03', metric: 'leads', target: 5 })).body).toEqual({ month: '2025-03', metric: 'leads', target: 5 });
    expect((await put(manager, { month: '2025-03', metric: 'leads', target: 4 })).body).toEqual({ month: '2025-03', metric: 'leads', target: 4 });
    expect((await put(manager, { month: '2025-03', metric: 'bookings', target: 2 })).status).toBe(200);
    expect((await put(manager, { month: '2025-03', metric: 'revenue', target: 2000 })).status).toBe(200);
    expect((await put(manager, { month: '2025-04', metric: 'revenue', target: 1000 })).status).toBe(200);
    expect((await put(manager, { month: '2025-04', metric: 'leads', target: 10 })).status).toBe(200);
    expect((await put(manager, { month: '2025-04', metric: 'leads', target: null })).body).toEqual({ month: '2025-04', metric: 'leads', target: null });
    const goals = await t.query(`SELECT to_char(month, 'YYYY-MM') AS month, metric, target::float8 AS target FROM goal WHERE practice_id = $1 ORDER BY 1, 2`, [
      a.practiceId,
    ]);
    expect(goals).toEqual([
      { month: '2025-03', metric: 'bookings', target: 2 },
      { month: '2025-03', metric: 'leads', target: 4 },
      { month: '2025-03', metric: 'revenue', target: 2000 },
      { month: '2025-04', metric: 'revenue', target: 1000 },
    ]);
  });

  it.each([
    [{ month: '2025-13', metric: 'leads', target: 1 }, /month: must be a month YYYY-MM/],
    [{ month: '2025-03', metric: 'calls', target: 1 }, /metric/],
    [{ month: '2025-03', metric: 'revenue', target: -1 }, /target: must be at least 0/],
    [{ month: '2025-03', metric: 'revenue', target: 1.234 }, /target: must have at most 2 decimals/],
    [{ month: '2025-03', metric: 'leads', target: 1.5 }, /target: must be a whole number for leads/],
    [{ month: '2025-03', metric: 'leads' }, /target/],
  ])('refuses %j', async (body, message) => {
    const response = await put(manager, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });
});

describe('goals report', () => {
  it('has the hand-computed actuals and percentages of past months, with no forecast', async () => {
    const response = await get(manager, '/api/v1/reports/goals?from=2025-03&to=2025-04');
    expect(response.status).toBe(200);
    const r = response.body;
    expect(r).toMatchObject({
      from: '2025-03',
      to: '2025-04',
      timeZone: 'America/Chicago',
      currency: expect.any(String),
      forecastStatus: 'not_needed',
      forecastMessage: null,
    });
    expect(r.segment).toEqual({ channel: null, sourceId: null, campaignId: null, staffId: null, treatment: null, patient: 'new' });
    expect(r.definitions.bookings).toMatch(/booked_at/);
    const row = (month: string, metric: string, target: number | null, actual: number, percentOfTarget: number | null) => ({
      month,
      metric,
      status: 'past',
      target,
      actual,
      percentOfTarget,
      forecast: null,
      forecastNote: null,
    });
    expect(r.rows).toEqual([
      row('2025-03', 'leads', 4, 3, 0.75),
      row('2025-03', 'bookings', 2, 2, 1),
      row('2025-03', 'revenue', 2000, 1500, 0.75),
      row('2025-04', 'leads', null, 0, null),
      row('2025-04', 'bookings', null, 1, null),
      row('2025-04', 'revenue', 1000, 700, 0.7),
    ]);
    const csv = await get(manager, '/api/v1/reports/goals.csv?from=2025-03&to=2025-04');
    const lines: Array<Record<string, string>> = parse(csv.body, { columns: true, bom: true });
    expect(
      lines.map((l) => [
        l.Month,
        l.Metric,
        l.Target === '' ? null : Number(l.Target),
        Number(l.Actual),
        l['Percent of target'] === '' ? null : Number(l['Percent of target']),
      ]),
    ).toEqual(r.rows.map((x: any) => [x.month, x.metric, x.target, x.actual, x.percentOfTarget]));
  });

  it('keeps practices apart', async () => {
    const r = (await get(adminB, '/api/v1/reports/goals?from=2025-03&to=2025-03')).body;
    expect(r.rows.map((x: any) => [x.metric, x.target, x.actual])).toEqual([
      ['leads', null, 1],
      ['bookings', null, 1],
      ['revenue', null, 4242],
    ]);
  });

  it('says why there is no forecast finish when the history is too short', async () => {
    const d = await t.createPractice({ name: 'Practice D', timeZone: 'America/Chicago' });
    await t.query(`INSERT INTO lead (practice_id, channel, is_new_patient, created_at, status) VALUES ($1, 'phone', true, now() - interval '3 days', 'open')`, [
      d.practiceId,
    ]);
    await createUser(t, d.practiceId, 'manager@d.test', 'manager');
    const r = (await get(await login(t, 'manager@d.test'), `/api/v1/reports/goals?from=${thisMonth}&to=${thisMonth}`)).body;
    expect(r.forecastStatus).toBe('insufficient_history');
    expect(r.forecastMessage).toMatch(/at least 56 days/);
    expect(r.rows.every((x: any) => x.status === 'current' && x.forecast === null && /at least 56 days/.test(x.forecastNote))).toBe(true);
  });

  it("gives the current and next month a forecast finish: actual before today + the engine's remainder, with its range", async () => {
    expect(
      (await send(t, 'PUT', '/api/v1/goals', { body: { month: thisMonth, metric: 'leads', target: 100 }, cookie: managerC.cookie, csrf: managerC.csrfToken }))
        .status,
    ).toBe(200);
    const response = await get(managerC, `/api/v1/reports/goals?from=${thisMonth}&to=${nextMonth}`);
    expect(response.status).toBe(200);
    const r = response.body;
    expect(r.forecastStatus).toBe('ok');
    const engine = (await get(managerC, '/api/v1/forecasts/revenue?months=2')).body;
    expect(engine.status).toBe('ok');
    const [actual] = await t.query<{ leads: number; bookings: number; revenue: string }>(
      `SELECT count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS bookings,
              coalesce(sum(estimated_value) FILTER (WHERE status = 'booked'), 0)::text AS revenue
         FROM lead
        WHERE practice_id = $1 AND to_char(created_at AT TIME ZONE 'America/Chicago', 'YYYY-MM') = $2
          AND (created_at AT TIME ZONE 'America/Chicago')::date < (now() AT TIME ZONE 'America/Chicago')::date`,
      [c.practiceId, thisMonth],
    );
    const current = (metric: string) => r.rows.find((x: any) => x.month === thisMonth && x.metric === metric);
    const next = (metric: string) => r.rows.find((x: any) => x.month === nextMonth && x.metric === metric);
    // The seeded history ends yesterday and books each lead two hours after it came in: the month's
    // bookings so far are its leads' bookings.
    expect(current('leads')).toMatchObject({ status: 'current', target: 100, actual: actual!.leads, percentOfTarget: actual!.leads / 100 });
    expect(current('bookings').actual).toBe(actual!.bookings);
    expect(current('revenue').actual).toBe(Number(actual!.revenue));
    const [m0, m1] = engine.monthly;
    const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(0.011);
    close(current('leads').forecast.expected, actual!.leads + m0.leads.mean);
    close(current('leads').forecast.lo80, actual!.leads + m0.leads.lo80);
    close(current('leads').forecast.hi95, actual!.leads + m0.leads.hi95);
    expect(current('leads').forecast.percentOfTarget).toBeCloseTo(current('leads').forecast.expected / 100, 3);
    close(current('revenue').forecast.expected, Number(actual!.revenue) + m0.revenue.mean);
    close(current('revenue').forecast.hi80, Number(actual!.revenue) + m0.revenue.hi80);
    close(current('bookings').forecast.expected, actual!.bookings + m0.bookings);
    expect(current('bookings').forecast).toMatchObject({ lo80: null, hi80: null });
    expect(next('leads')).toMatchObject({ status: 'future', actual: 0, target: null, percentOfTarget: null });
    close(next('leads').forecast.expected, m1.leads.mean);
    close(next('revenue').forecast.lo95, m1.revenue.lo95);
    for (const row of r.rows) {
      if (row.forecast?.lo80 != null) {
        expect(row.forecast.lo80).toBeLessThanOrEqual(row.forecast.expected);
        expect(row.forecast.hi80).toBeGreaterThanOrEqual(row.forecast.expected);
      }
    }
  });

  it('takes a date as its month, and refuses bad ranges naming the field', async () => {
    expect((await get(manager, '/api/v1/reports/goals?from=2025-03-15&to=2025-04-30')).body).toMatchObject({ from: '2025-03', to: '2025-04' });
    expect((await get(manager, '/api/v1/reports/goals?from=2025-05&to=2025-04')).body.message).toMatch(/to: is before from/);
    expect((await get(manager, '/api/v1/reports/goals?from=2025-1')).body.message).toMatch(/from: must be a month/);
    expect((await get(manager, '/api/v1/reports/goals?from=2020-01&to=2025-01')).body.message).toMatch(/to: spans more than 36 months/);
  });
});
