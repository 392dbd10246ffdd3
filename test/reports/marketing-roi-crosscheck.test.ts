// The Marketing ROI report against independent SQL on a simulated year: leads counted by their local
// calendar date (`created_at AT TIME ZONE time_zone`), and spend prorated day by day (each day of the
// range carries 1/days-in-month of its month's spend) rather than month by month as the report does.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { seedLeadHistory } from '../forecast/seed-history.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const TZ = 'America/Denver';
let t: TestApp;
let p: TestPractice;
let manager: Session;
let from: string;
let to: string;

beforeAll(async () => {
  t = await startTestApp();
  p = await t.createPractice({ name: 'Year', timeZone: TZ });
  await seedLeadHistory(t, p.practiceId, { days: 365, timeZone: TZ });
  const sources = [];
  for (const name of ['Google Ads', 'Facebook', 'Radio']) sources.push((await t.practices.addSource(p.practiceId, name)).id);
  // A quarter of the leads keep no source; a third of the booked ones get an actual value.
  await t.query(
    `UPDATE lead SET source_id = ($2::uuid[])[1 + abs(hashtext(id::text)) % 4],
                     actual_value = CASE WHEN status = 'booked' AND abs(hashtext(id::text || 'a')) % 3 = 0 THEN 900 + abs(hashtext(id::text)) % 500 END
      WHERE practice_id = $1`,
    [p.practiceId, sources],
  );
  await t.query(
    `INSERT INTO marketing_spend (practice_id, source_id, month, amount)
     SELECT $1, s, m::date, 100 + abs(hashtext(s::text || m::text)) % 90000 / 100.0
       FROM unnest($2::uuid[]) s, generate_series(date_trunc('month', now() - interval '13 months'), now(), interval '1 month') m
      WHERE s <> $2[3] OR extract(month FROM m) % 2 = 0`,
    [p.practiceId, sources],
  );
  const [range] = await t.query<{ from: string; to: string }>(
    `SELECT ((now() AT TIME ZONE $1)::date - 250)::text AS from, ((now() AT TIME ZONE $1)::date - 17)::text AS to`,
    [TZ],
  );
  ({ from, to } = range!);
  await createUser(t, p.practiceId, 'manager@year.test', 'manager');
  manager = await login(t, 'manager@year.test');
});
afterAll(() => t.close());

describe('Marketing ROI cross-check', () => {
  it('matches independent SQL for leads, bookings, revenue and prorated spend', async () => {
    const response = await send(t, 'GET', `/api/v1/reports/marketing-roi?from=${from}&to=${to}`, { cookie: manager.cookie });
    expect(response.status).toBe(200);
    const report = response.body;
    const leads: Array<{ name: string; leads: number; bookings: number; estimated: string; actual: string | null }> = await t.query(
      `SELECT coalesce(s.name, '(no source)') AS name, count(*)::int AS leads, count(*) FILTER (WHERE l.status = 'booked')::int AS bookings,
              coalesce(sum(l.estimated_value) FILTER (WHERE l.status = 'booked'), 0)::text AS estimated, sum(l.actual_value)::text AS actual
         FROM lead l LEFT JOIN marketing_source s ON s.id = l.source_id
        WHERE l.practice_id = $1 AND (l.created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
        GROUP BY 1`,
      [p.practiceId, TZ, from, to],
    );
    const spend: Array<{ name: string; spend: string }> = await t.query(
      `SELECT s.name, round(sum(ms.amount / extract(day FROM (date_trunc('month', d) + interval '1 month' - interval '1 day'))::numeric), 2)::text AS spend
         FROM generate_series($2::date, $3::date, interval '1 day') d
         JOIN marketing_spend ms ON ms.practice_id = $1 AND ms.month = date_trunc('month', d)::date
         JOIN marketing_source s ON s.id = ms.source_id
        GROUP BY 1`,
      [p.practiceId, from, to],
    );
    expect(leads.length).toBe(4);
    expect(report.rows.filter((r: any) => r.level === 'source')).toHaveLength(4);
    let totalLeads = 0;
    for (const expected of leads) {
      const row = report.rows.find((r: any) => r.sourceName === expected.name);
      expect(row).toMatchObject({
        leads: expected.leads,
        bookings: expected.bookings,
        estimatedRevenue: Number(expected.estimated),
        actualRevenue: expected.actual === null ? null : Number(expected.actual),
      });
      const paid = spend.find((s) => s.name === expected.name);
      if (paid) {
        expect(Math.abs(row.spend - Number(paid.spend))).toBeLessThanOrEqual(0.01);
        expect(row.roi).toBeCloseTo((row.estimatedRevenue - row.spend) / row.spend, 4);
        expect(row.costPerLead).toBeCloseTo(row.spend / row.leads, 2);
      } else {
        expect(row).toMatchObject({ spend: null, spendEntered: false, roi: null, costPerLead: null });
      }
      totalLeads += expected.leads;
    }
    expect(report.totals.leads).toBe(totalLeads);
    expect(totalLeads).toBeGreaterThan(500);
  });
});
