// The outcome views against independent SQL (and an independent Shapley computation) on a simulated
// year: leads counted by their local calendar date (`created_at AT TIME ZONE time_zone`), lost values
// worked out lead by lead with correlated subqueries, the bridge effects by enumerating the six orders
// of change instead of the closed form, and goal actuals by local month of booked_at.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedLeadHistory } from '../forecast/seed-history.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const TZ = 'America/Denver';
let t: TestApp;
let p: TestPractice;
let manager: Session;
let from: string;
let to: string;
let baseFrom: string;
let baseTo: string;

const get = (path: string) => send(t, 'GET', path, { cookie: manager.cookie });

beforeAll(async () => {
  t = await startTestApp();
  p = await t.createPractice({ name: 'Year', timeZone: TZ });
  await seedLeadHistory(t, p.practiceId, { days: 365, timeZone: TZ });
  // Treatments, staff, existing patients, lost leads with reasons (some with an estimate), a few merged leads.
  await t.query(
    `UPDATE lead SET treatment = (ARRAY['Implants', 'implants', 'Invisalign', 'Whitening', NULL])[1 + abs(hashtext(id::text)) % 5],
                     assigned_staff_id = ($2::uuid[])[1 + abs(hashtext(id::text || 's')) % 3],
                     is_new_patient = abs(hashtext(id::text || 'n')) % 7 <> 0
      WHERE practice_id = $1`,
    [p.practiceId, [p.staff.Maya, p.staff.Sam, null]],
  );
  await t.query(
    `UPDATE lead SET status = 'not_booked',
                     not_booked_reason = (ARRAY['price', 'scheduling', 'insurance_out_of_network', 'treatment_not_offered', 'no_response', 'other'])[1 + abs(hashtext(id::text || 'r')) % 6],
                     estimated_value = CASE WHEN abs(hashtext(id::text || 'e')) % 3 = 0 THEN 700 + abs(hashtext(id::text)) % 3000 END,
                     first_response_staff_id = CASE WHEN abs(hashtext(id::text || 'f')) % 4 = 0 THEN $2::uuid END,
                     first_response_at = CASE WHEN abs(hashtext(id::text || 'f')) % 4 = 0 THEN created_at + interval '3 minutes' END
      WHERE practice_id = $1 AND status = 'open' AND abs(hashtext(id::text || 'o')) % 2 = 0`,
    [p.practiceId, p.staff.Sam],
  );
  await t.query(
    `UPDATE lead SET merged_into_lead_id = (SELECT id FROM lead WHERE practice_id = $1 ORDER BY created_at LIMIT 1)
      WHERE practice_id = $1 AND abs(hashtext(id::text || 'm')) % 40 = 0
        AND id <> (SELECT id FROM lead WHERE practice_id = $1 ORDER BY created_at LIMIT 1)`,
    [p.practiceId],
  );
  const [range] = await t.query<{ from: string; to: string; base_from: string; base_to: string }>(
    `SELECT ((now() AT TIME ZONE $1)::date - 120)::text AS from, ((now() AT TIME ZONE $1)::date - 31)::text AS to,
            ((now() AT TIME ZONE $1)::date - 300)::text AS base_from, ((now() AT TIME ZONE $1)::date - 200)::text AS base_to`,
    [TZ],
  );
  ({ from, to, base_from: baseFrom, base_to: baseTo } = range!);
  await createUser(t, p.practiceId, 'manager@year.test', 'manager');
  manager = await login(t, 'manager@year.test');
});
afterAll(() => t.close());

/** Revenue = L x c x v split by enumerating the 3! orders of change (independent of the closed form). */
function shapleyByOrders(base: { l: number; c: number; v: number }, current: { l: number; c: number; v: number }) {
  const orders = [
    ['l', 'c', 'v'],
    ['l', 'v', 'c'],
    ['c', 'l', 'v'],
    ['c', 'v', 'l'],
    ['v', 'l', 'c'],
    ['v', 'c', 'l'],
  ] as const;
  const effect = { l: 0, c: 0, v: 0 };
  for (const order of orders) {
    const state = { ...base };
    for (const key of order) {
      const before = state.l * state.c * state.v;
      state[key] = current[key];
      effect[key] += (state.l * state.c * state.v - before) / orders.length;
    }
  }
  return effect;
}

describe('outcome views cross-check on a simulated year', () => {
  it('lost opportunities match lead-by-lead SQL', async () => {
    const response = await get(`/api/v1/reports/lost-opportunities?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const report = response.body;
    const rows: Array<{ reason: string; leads: number; lost: string }> = await t.query(
      `WITH r AS (
         SELECT * FROM lead WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
       ), valued AS (
         SELECT r.not_booked_reason,
                coalesce(r.estimated_value,
                         (SELECT round(avg(x.estimated_value), 2) FROM r x WHERE x.status = 'booked' AND lower(x.treatment) = lower(r.treatment)),
                         (SELECT round(avg(x.estimated_value), 2) FROM r x WHERE x.status = 'booked'),
                         0) AS value
           FROM r WHERE r.status = 'not_booked'
       )
       SELECT not_booked_reason AS reason, count(*)::int AS leads, round(sum(value), 2)::text AS lost FROM valued GROUP BY 1`,
      [p.practiceId, TZ, from, to],
    );
    expect(rows.length).toBe(6);
    let total = 0;
    for (const expected of rows) {
      const row = report.reasons.find((r: any) => r.reason === expected.reason);
      expect(row).toMatchObject({ leads: expected.leads, estimatedRevenueLost: Number(expected.lost) });
      total += expected.leads;
    }
    expect(report.lostLeads).toBe(total);
    const [all] = await t.query(
      `SELECT count(*)::int AS n FROM lead WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date`,
      [p.practiceId, TZ, from, to],
    );
    expect(report.leads).toBe(all.n);
    const staff: Array<{ staff: string | null; leads: number; lost: number }> = await t.query(
      `SELECT coalesce(first_response_staff_id, assigned_staff_id) AS staff, count(*)::int AS leads, count(*) FILTER (WHERE status = 'not_booked')::int AS lost
         FROM lead WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
        GROUP BY 1`,
      [p.practiceId, TZ, from, to],
    );
    expect(report.byStaff).toHaveLength(3);
    for (const expected of staff)
      expect(report.byStaff.find((s: any) => s.key === expected.staff)).toMatchObject({ leads: expected.leads, lostLeads: expected.lost });
    const sum = (rows: any[]) => Math.round(rows.reduce((s, r) => s + r.estimatedRevenueLost * 100, 0));
    expect(Math.abs(sum(report.byStaff) - Math.round(report.estimatedRevenueLost * 100))).toBeLessThanOrEqual(report.byStaff.length);
  });

  it('growth trends, year over year and the bridge match independent SQL and an independent Shapley', async () => {
    const response = await get(`/api/v1/reports/growth?from=${from}&to=${to}&compareFrom=${baseFrom}&compareTo=${baseTo}&patient=new`);
    expect(response.status).toBe(200);
    const report = response.body;
    const monthly: Array<{ month: string; leads: number; bookings: number; revenue: string }> = await t.query(
      `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM') AS month, count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS bookings,
              coalesce(sum(estimated_value) FILTER (WHERE status = 'booked'), 0)::text AS revenue
         FROM lead WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND is_new_patient AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
        GROUP BY 1 ORDER BY 1`,
      [p.practiceId, TZ, from, to],
    );
    expect(report.monthly.map((m: any) => [m.period, m.leads, m.bookings, m.bookedRevenue])).toEqual(
      monthly.map((m) => [m.month, m.leads, m.bookings, Number(m.revenue)]),
    );
    const weeklyLeads = report.weekly.reduce((s: number, w: any) => s + w.leads, 0);
    expect(weeklyLeads).toBe(monthly.reduce((s, m) => s + m.leads, 0));

    const perChannel = (a: string, b: string) =>
      t.query<{ channel: string; leads: number; bookings: number; revenue: string }>(
        `SELECT channel, count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS bookings,
                coalesce(sum(estimated_value) FILTER (WHERE status = 'booked'), 0)::text AS revenue
           FROM lead WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND is_new_patient AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
          GROUP BY 1`,
        [p.practiceId, TZ, a, b],
      );
    const [current, base] = await Promise.all([perChannel(from, to), perChannel(baseFrom, baseTo)]);
    expect(report.bridge.channels.map((c: any) => c.channel)).toEqual(['phone', 'referral', 'web_form']);
    for (const row of report.bridge.channels) {
      const c = current.find((x) => x.channel === row.channel)!;
      const b = base.find((x) => x.channel === row.channel)!;
      expect(row.current).toMatchObject({ leads: c.leads, bookings: c.bookings, revenue: Number(c.revenue) });
      expect(row.base).toMatchObject({ leads: b.leads, bookings: b.bookings, revenue: Number(b.revenue) });
      expect(row.change).toBeCloseTo(Number(c.revenue) - Number(b.revenue), 2);
      const effects = shapleyByOrders(
        { l: b.leads, c: b.bookings / b.leads, v: Number(b.revenue) / b.bookings },
        { l: c.leads, c: c.bookings / c.leads, v: Number(c.revenue) / c.bookings },
      );
      expect(Math.abs(row.volumeEffect - effects.l)).toBeLessThanOrEqual(0.021);
      expect(Math.abs(row.conversionEffect - effects.c)).toBeLessThanOrEqual(0.021);
      expect(Math.abs(row.valueEffect - effects.v)).toBeLessThanOrEqual(0.021);
      expect(Math.round(row.volumeEffect * 100) + Math.round(row.conversionEffect * 100) + Math.round(row.valueEffect * 100)).toBe(
        Math.round(row.change * 100),
      );
    }
    const total = report.bridge.total;
    expect(Math.round(total.volumeEffect * 100) + Math.round(total.conversionEffect * 100) + Math.round(total.valueEffect * 100)).toBe(
      Math.round(total.change * 100),
    );
    const revenue = (rows: Array<{ revenue: string }>) => rows.reduce((s, r) => s + Math.round(Number(r.revenue) * 100), 0) / 100;
    expect(total.change).toBeCloseTo(revenue(current) - revenue(base), 2);
  });

  it('goal actuals match SQL by local month (leads created, bookings by booked_at)', async () => {
    const [months] = await t.query<{ from: string; to: string }>(
      `SELECT to_char((now() AT TIME ZONE $1) - interval '6 months', 'YYYY-MM') AS from, to_char((now() AT TIME ZONE $1) - interval '1 month', 'YYYY-MM') AS to`,
      [TZ],
    );
    const report = (await get(`/api/v1/reports/goals?from=${months!.from}&to=${months!.to}`)).body;
    const leads: Array<{ month: string; n: number }> = await t.query(
      `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM') AS month, count(*)::int AS n FROM lead
        WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND is_new_patient GROUP BY 1`,
      [p.practiceId, TZ],
    );
    const bookings: Array<{ month: string; n: number; revenue: string }> = await t.query(
      `SELECT to_char(booked_at AT TIME ZONE $2, 'YYYY-MM') AS month, count(*)::int AS n, coalesce(sum(estimated_value), 0)::text AS revenue FROM lead
        WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND is_new_patient AND booked_at IS NOT NULL GROUP BY 1`,
      [p.practiceId, TZ],
    );
    expect(report.rows).toHaveLength(18);
    for (const row of report.rows) {
      const expected =
        row.metric === 'leads'
          ? (leads.find((l) => l.month === row.month)?.n ?? 0)
          : row.metric === 'bookings'
            ? (bookings.find((b) => b.month === row.month)?.n ?? 0)
            : Number(bookings.find((b) => b.month === row.month)?.revenue ?? 0);
      expect([row.month, row.metric, row.actual]).toEqual([row.month, row.metric, expected]);
    }
  });
});
