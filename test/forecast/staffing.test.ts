// GET /api/v1/staffing end to end: forecast calls per interval of the week from the call history,
// staff needed inside opening hours only, after-hours calls apart, and expected missed calls at the
// staffing entered against the recommended one. The test practices keep the default opening hours:
// Mon-Thu 08:00-18:00, Fri 08:00-17:00, Sat 09:00-13:00, closed Sunday (America/Chicago).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { holidayDates } from '../../server/forecast/practice-closures.js';
import { seedLeadHistory } from './seed-history.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let body: any;
const TARGET = 'ahtSeconds=240&targetSeconds=20&serviceLevel=0.8&patienceSeconds=60&shrinkage=0.3';

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  await seedLeadHistory(t, a.practiceId, { days: 120, calls: true });
  // Stray calls: one at 21:xx on some weekdays, as happens (a wrong number, a late voicemail).
  await t.query(
    `INSERT INTO call (practice_id, external_id, direction, status, started_at, after_hours, is_new_patient)
     SELECT $1, 'stray-' || d::date, 'inbound', 'voicemail', (d::date + time '21:10') AT TIME ZONE 'America/Chicago', true, true
       FROM generate_series((now() AT TIME ZONE 'America/Chicago')::date - 80, (now() AT TIME ZONE 'America/Chicago')::date - 1, interval '1 day') d
      WHERE extract(isodow FROM d) BETWEEN 1 AND 5 AND extract(day FROM d)::int % 3 = 0`,
    [a.practiceId],
  );
  const response = await t.get(`/api/v1/staffing?${TARGET}&interval=60`, a.ingestKey);
  expect(response.status).toBe(200);
  body = response.body;
});
afterAll(() => t.close());

describe('GET /api/v1/staffing', () => {
  it('forecasts calls for each of the 168 hours of the week (interval=60), where the history has them', () => {
    expect(body.status).toBe('ok');
    expect(body.target).toMatchObject({ ahtSeconds: 240, serviceLevel: 0.8, patienceSeconds: 60, shrinkage: 0.3, model: 'erlang-a' });
    expect(body.intervals).toHaveLength(168);
    expect(body.intervals[0]).toMatchObject({ weekday: 'mon', hour: 0, minute: 0, start: '00:00', end: '01:00' });
    expect(body.intervals[167]).toMatchObject({ weekday: 'sun', hour: 23, start: '23:00', end: '24:00' });
    expect(body.interval).toMatchObject({ minutes: 60, requested: 60 });
    for (const hour of body.intervals) {
      expect(hour.calls).toBeGreaterThanOrEqual(0);
      expect(hour.missedCalls).toBeGreaterThanOrEqual(0);
      expect(hour.recommendedStaff).toBeGreaterThanOrEqual(hour.agentsNeeded);
    }
    // Seeded: 20-27 calls a day Monday to Saturday between 08:00 and 17:00, none on Sunday.
    const monday = body.intervals.filter((h: any) => h.weekday === 'mon');
    const mondayCalls = monday.reduce((s: number, h: any) => s + h.calls + h.afterHoursCalls, 0);
    expect(mondayCalls).toBeGreaterThan(17);
    expect(mondayCalls).toBeLessThan(30);
    expect(monday.find((h: any) => h.hour === 10).calls).toBeGreaterThan(1);
    expect(monday.find((h: any) => h.hour === 3).afterHoursCalls).toBeLessThan(0.5);
    const sunday = body.intervals.filter((h: any) => h.weekday === 'sun');
    expect(sunday.every((h: any) => h.calls === 0 && h.recommendedStaff === 0)).toBe(true);
    expect(body.forecast.accuracy).toMatchObject({ mase: expect.any(Number) });
  });

  it('meets the target at the recommended staffing', () => {
    for (const hour of body.intervals.filter((h: any) => h.open && h.calls > 0)) {
      expect(hour.agentsNeeded).toBeGreaterThanOrEqual(1);
      expect(hour.serviceLevel).toBeGreaterThanOrEqual(0.8);
    }
    expect(body.totals.missedAtEntered).toBeNull();
  });

  it('expects more missed calls with one person on shift than at the recommended staffing', async () => {
    const response = await t.get(`/api/v1/staffing?${TARGET}&staff=1`, a.ingestKey);
    expect(response.status).toBe(200);
    const { totals, intervals: hours } = response.body;
    // One number means that many whenever the practice is open: Mon-Thu 10 h, Fri 9 h, Sat 4 h.
    expect(hours.every((h: any) => h.staff === (h.open ? 1 : 0))).toBe(true);
    expect(totals.enteredStaffHours).toBe(4 * 10 + 9 + 4);
    expect(totals.missedAtEntered).toBeGreaterThan(totals.missedAtRecommended);
    const busy = hours.find((h: any) => h.weekday === 'mon' && h.hour === 10);
    expect(busy.staffMissedCalls).toBeGreaterThan(busy.missedCalls);
    expect(busy.staffServiceLevel).toBeLessThan(busy.serviceLevel);
  });

  it('takes 168 staff counts, one per hour of the week', async () => {
    const staff = Array.from({ length: 168 }, (_, i) => (i % 24 >= 8 && i % 24 < 18 ? 6 : 0)).join(',');
    const response = await t.get(`/api/v1/staffing?${TARGET}&interval=60&staff=${staff}`, a.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body.intervals[10].staff).toBe(6);
    expect(response.body.intervals[3].staff).toBe(0);
    expect(response.body.totals.missedAtEntered).toBeLessThan(response.body.totals.missedAtRecommended + 1);
  });

  it('uses Erlang C without patience: nobody hangs up', async () => {
    const response = await t.get('/api/v1/staffing?ahtSeconds=240&targetSeconds=20&serviceLevel=0.8&shrinkage=0.3&interval=60', a.ingestKey);
    expect(response.body.target.model).toBe('erlang-c');
    expect(response.body.totals.missedAtRecommended).toBe(0);
  });

  it.each([
    ['serviceLevel=1', /serviceLevel: must be below 1/],
    ['serviceLevel=abc', /serviceLevel: must be a number/],
    ['ahtSeconds=0', /ahtSeconds: must be at least 1/],
    ['shrinkage=1.5', /shrinkage/],
    ['staff=1,2,3', /staff: must be one whole number, or 168/],
    ['interval=20', /interval/],
    ['staff=-1', /staff/],
    ['agents=3', /agents/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const response = await t.get(`/api/v1/staffing?${query}`, a.ingestKey);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('refuses half-hourly staff counts with interval=60, naming both', async () => {
    const response = await t.get(`/api/v1/staffing?interval=60&staff=${new Array(336).fill(1).join(',')}`, a.ingestKey);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/staff: 336 counts are half-hour intervals, but interval=60/);
  });

  it('staffs opening hours only: nobody at Saturday 15:00 or weekday 21:00, however many stray calls', () => {
    const at = (weekday: string, hour: number) => body.intervals.find((h: any) => h.weekday === weekday && h.hour === hour);
    // The seeded calls run 08:00-16:59 on Saturdays too, but the practice is open 09:00-13:00.
    expect(at('sat', 15)).toMatchObject({ open: false, agentsNeeded: 0, recommendedStaff: 0, calls: 0, serviceLevel: null, missedCalls: 0 });
    expect(at('sat', 15).afterHoursCalls).toBeGreaterThan(1);
    for (const weekday of ['mon', 'tue', 'wed', 'thu', 'fri']) {
      expect(at(weekday, 21)).toMatchObject({ open: false, recommendedStaff: 0 });
      expect(at(weekday, 21).afterHoursCalls).toBeGreaterThan(0);
    }
    expect(at('sat', 10)).toMatchObject({ open: true });
    // Open but quiet (the seeded calls stop at 17:00; Monday opens until 18:00): one person still.
    expect(at('mon', 17)).toMatchObject({ open: true, calls: 0, agentsNeeded: 0, recommendedStaff: 1 });
    expect(at('sat', 10).recommendedStaff).toBeGreaterThan(0);
    // Every staffed hour is inside the opening hours listed with the plan.
    const hours = Object.fromEntries(body.openingHours.map((d: any) => [d.weekday, d.ranges]));
    expect(hours.sat).toEqual([['09:00', '13:00']]);
    for (const h of body.intervals.filter((x: any) => x.recommendedStaff > 0)) {
      expect(hours[h.weekday].some(([open, close]: [string, string]) => h.start >= `${open.slice(0, 2)}:00` && h.start < close)).toBe(true);
    }
    const staffHours = body.intervals.reduce((s: number, h: any) => s + h.recommendedStaff, 0);
    expect(body.totals.recommendedStaffHours).toBeCloseTo(staffHours, 6);
    // Calls in and out of hours add up to the week's forecast; after-hours ones are shown apart.
    expect(body.totals.afterHoursCalls).toBeCloseTo(
      body.intervals.reduce((s: number, h: any) => s + h.afterHoursCalls, 0),
      2,
    );
    expect(body.afterHours.forecastCallsPerWeek).toBe(body.totals.afterHoursCalls);
  });

  it('counts the calls that came in after hours exactly as an independent count does', async () => {
    const [expected] = await t.query(
      `WITH c AS (
         SELECT started_at AT TIME ZONE 'America/Chicago' AS local, is_new_patient, status
           FROM call WHERE practice_id = $1 AND direction = 'inbound'
            AND started_at >= ((now() AT TIME ZONE 'America/Chicago')::date - 84)::timestamp AT TIME ZONE 'America/Chicago'
            AND started_at < ((now() AT TIME ZONE 'America/Chicago')::date)::timestamp AT TIME ZONE 'America/Chicago'
       )
       SELECT count(*)::int AS calls, count(*) FILTER (WHERE is_new_patient)::int AS new_patient,
              count(*) FILTER (WHERE status = 'voicemail')::int AS voicemails
         FROM c
        WHERE NOT ((extract(isodow FROM local) BETWEEN 1 AND 4 AND local::time >= '08:00' AND local::time < '18:00')
                OR (extract(isodow FROM local) = 5 AND local::time >= '08:00' AND local::time < '17:00')
                OR (extract(isodow FROM local) = 6 AND local::time >= '09:00' AND local::time < '13:00'))`,
      [a.practiceId],
    );
    expect(expected.calls).toBeGreaterThan(100);
    expect(body.afterHours.history).toMatchObject({ weeks: 12, calls: expected.calls, newPatientCalls: expected.new_patient, voicemails: expected.voicemails });
  });

  it('counts every call on a public holiday the practice closes for as after hours', async () => {
    const d = await t.createPractice({ name: 'Practice D' });
    await t.query(`UPDATE practice SET holiday_region = 'US' WHERE id = $1`, [d.practiceId]);
    await seedLeadHistory(t, d.practiceId, { days: 120, calls: true });
    const [{ today }] = await t.query(`SELECT (now() AT TIME ZONE 'America/Chicago')::date::text AS today`);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 84 * 86_400_000).toISOString().slice(0, 10);
    const holidays = [...holidayDates('US', 2026, 2027)].filter((day) => day < today);
    expect(holidays.filter((day) => day >= from).length).toBeGreaterThan(0); // Thanksgiving at least
    // The practice is closed on holidays (the history says so: a couple of calls each, which reach
    // voicemail, as on any closed day).
    await t.query(
      `DELETE FROM call WHERE practice_id = $1 AND (started_at AT TIME ZONE 'America/Chicago')::date = ANY($2::date[])
          AND split_part(external_id, '-', 5)::int > 2`,
      [d.practiceId, holidays],
    );
    const response = await t.get(`/api/v1/staffing?${TARGET}&interval=60`, d.ingestKey);
    expect(response.status).toBe(200);
    const [expected] = await t.query(
      `SELECT count(*)::int AS calls FROM (
         SELECT started_at AT TIME ZONE 'America/Chicago' AS local FROM call
          WHERE practice_id = $1 AND started_at >= ($2::date)::timestamp AT TIME ZONE 'America/Chicago'
            AND started_at < ($3::date)::timestamp AT TIME ZONE 'America/Chicago') c
        WHERE local::date = ANY($4::date[])
           OR NOT ((extract(isodow FROM local) BETWEEN 1 AND 4 AND local::time >= '08:00' AND local::time < '18:00')
                OR (extract(isodow FROM local) = 5 AND local::time >= '08:00' AND local::time < '17:00')
                OR (extract(isodow FROM local) = 6 AND local::time >= '09:00' AND local::time < '13:00'))`,
      [d.practiceId, from, today, holidays],
    );
    const [onHolidays] = await t.query(
      `SELECT count(*)::int AS calls FROM call WHERE practice_id = $1 AND (started_at AT TIME ZONE 'America/Chicago')::date = ANY($2::date[])
          AND (started_at AT TIME ZONE 'America/Chicago')::time BETWEEN '09:00' AND '12:59'`,
      [d.practiceId, holidays],
    );
    expect(onHolidays.calls).toBeGreaterThan(0); // inside the usual hours, yet after hours that day
    expect(response.body.afterHours.history.calls).toBe(expected.calls);
  });

  it('keeps local wall-clock hours across the change from daylight saving time', () => {
    // The 120 days of history span 1 November 2026 (America/Chicago leaves DST). Calls were seeded
    // at local 08:00-16:59 on both sides: none may slide to 07:00 or 17:00.
    expect(body.intervals.length).toBe(168);
    for (const h of body.intervals.filter((x: any) => x.weekday !== 'sun' && (x.hour === 7 || x.hour === 17 || x.hour === 18))) {
      expect(h.calls + h.afterHoursCalls).toBe(0);
    }
    expect(body.intervals.find((x: any) => x.weekday === 'tue' && x.hour === 8).calls).toBeGreaterThan(1);
    expect(body.intervals.find((x: any) => x.weekday === 'tue' && x.hour === 16).calls).toBeGreaterThan(1);
  });

  it.each([
    ['Erlang C (no patience)', 'ahtSeconds=240&targetSeconds=20&serviceLevel=0.8&shrinkage=0.3'],
    ['Erlang A (patience 60 s)', TARGET],
  ])('with nobody on shift every call in opening hours is missed: %s', async (_name, target) => {
    const response = await t.get(`/api/v1/staffing?${target}&interval=60&staff=0`, a.ingestKey);
    expect(response.status).toBe(200);
    const { intervals, totals } = response.body;
    for (const h of intervals.filter((x: any) => x.open && x.calls > 0)) {
      expect(h.staffServiceLevel).toBe(0);
      expect(h.staffMissedCalls).toBeCloseTo(h.calls, 2);
    }
    expect(totals.missedAtEntered).toBeCloseTo(totals.calls, 1);
    expect(totals.calls).toBeGreaterThan(100);
  });

  it('plans by the half hour where the history supports it, and says why not by the quarter hour', async () => {
    const response = await t.get(`/api/v1/staffing?${TARGET}`, a.ingestKey);
    expect(response.status).toBe(200);
    const { interval, intervals } = response.body;
    // ~24 calls a day over 9 hours, 12 weeks: ~16 per open half hour, ~8 per quarter hour.
    expect(interval).toMatchObject({ requested: 'auto', minutes: 30, supported: true, minimumCalls: 10 });
    expect(interval.options.find((o: any) => o.minutes === 15)).toMatchObject({ supported: false });
    expect(interval.note).toMatch(/Half-hour intervals/);
    expect(intervals).toHaveLength(336);
    expect(intervals[21]).toMatchObject({ weekday: 'mon', hour: 10, minute: 30, start: '10:30', end: '11:00' });
    // Two half hours hold the hour's calls.
    const hourly = body.intervals.find((h: any) => h.weekday === 'mon' && h.hour === 10);
    expect(intervals[20].calls + intervals[21].calls).toBeCloseTo(hourly.calls, 2);
    expect(response.body.totals.calls).toBeCloseTo(body.totals.calls, 1);

    const quarter = await t.get(`/api/v1/staffing?${TARGET}&interval=15`, a.ingestKey);
    expect(quarter.body.intervals).toHaveLength(672);
    expect(quarter.body.interval).toMatchObject({ minutes: 15, requested: 15, supported: false });
    expect(quarter.body.interval.note).toMatch(/thin/);
  });

  it('plans hourly, and says why, when the history is too thin for half hours', async () => {
    const c = await t.createPractice({ name: 'Practice C' });
    await seedLeadHistory(t, c.practiceId, { days: 70, calls: true });
    await t.query(`DELETE FROM call WHERE practice_id = $1 AND abs(hashtext(external_id)) % 4 <> 0`, [c.practiceId]);
    const response = await t.get(`/api/v1/staffing?${TARGET}`, c.ingestKey);
    expect(response.body.interval).toMatchObject({ requested: 'auto', minutes: 60 });
    expect(response.body.interval.note).toMatch(/^Hourly intervals: half-hours would need at least 10 calls/);
    expect(response.body.intervals).toHaveLength(168);
  });

  it('plans as soon as history arrives, even when asked the same day before it had any', async () => {
    // A new practice (or the demo while its history loads) asks first; the history is imported later
    // that day: the next request plans, without a refresh and without waiting for midnight.
    const d = await t.createPractice({ name: 'Practice D' });
    const before = await t.get(`/api/v1/staffing?${TARGET}`, d.ingestKey);
    expect(before.body.status).toBe('insufficient_history');
    await seedLeadHistory(t, d.practiceId, { days: 70, calls: true });
    const after = await t.get(`/api/v1/staffing?${TARGET}`, d.ingestKey);
    expect(after.body.status).toBe('ok');
    expect(after.body.totals.calls).toBeGreaterThan(0);
  });

  it("never shows practice B practice A's calls", async () => {
    const response = await t.get(`/api/v1/staffing?${TARGET}`, b.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'insufficient_history', intervals: [], totals: null, afterHours: null });
    expect(response.body.message).toMatch(/56 days/);
  });
});
