// The funnel, speed-to-lead, missed-calls and staff-performance views against independent computations
// on a simulated year (America/New_York, so two daylight-saving changes): leads picked by their local
// calendar date (`(created_at AT TIME ZONE tz)::date BETWEEN from AND to`, not the views' instant bounds),
// weeks and months labelled with to_char, weekdays and hours with to_char too, and the medians,
// percentiles and bands worked out here in TypeScript from the raw rows rather than by PostgreSQL.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { seedLeadHistory } from '../forecast/seed-history.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const TZ = 'America/New_York';
let t: TestApp;
let p: TestPractice;
let manager: Session;
let from: string;
let to: string;

/** Continuous percentile (linear interpolation between the closest ranks), as a spreadsheet's PERCENTILE. */
function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const value = sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
  return Math.round(value);
}
const rate4 = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

beforeAll(async () => {
  t = await startTestApp();
  p = await t.createPractice({ name: 'Year', timeZone: TZ, staff: ['Ana', 'Ben', 'Cy'] });
  await seedLeadHistory(t, p.practiceId, { days: 365, timeZone: TZ, scale: 2, calls: true });
  const staff = Object.values(p.staff);
  // Spread the seeded leads over channels, staff, responses, outcomes and treatments, deterministically.
  await t.query(
    `UPDATE lead SET
        channel = (ARRAY['phone','web_form','chat','social','referral','walk_in','email','other'])[1 + abs(hashtext(id::text || 'c')) % 8],
        is_new_patient = abs(hashtext(id::text || 'n')) % 5 <> 0,
        treatment = (ARRAY['Implants','implants','Whitening',NULL])[1 + abs(hashtext(id::text || 't')) % 4],
        first_response_at = CASE WHEN abs(hashtext(id::text || 'r')) % 7 = 0 THEN NULL
                                 ELSE created_at + make_interval(secs => (abs(hashtext(id::text || 's')) % 30000) * (abs(hashtext(id::text || 'x')) % 3) / 2.0) END,
        first_response_staff_id = CASE WHEN abs(hashtext(id::text || 'r')) % 7 = 0 THEN NULL ELSE ($2::uuid[])[1 + abs(hashtext(id::text || 'f')) % 3] END,
        assigned_staff_id = CASE WHEN abs(hashtext(id::text || 'a')) % 2 = 0 THEN ($2::uuid[])[1 + abs(hashtext(id::text || 'g')) % 3] END
      WHERE practice_id = $1`,
    [p.practiceId, staff],
  );
  // Some of the open leads lost (with a reason), some contacted, and the bookings keep their status.
  await t.query(
    `UPDATE lead SET status = 'not_booked',
            not_booked_reason = (ARRAY['price','scheduling','insurance_out_of_network','treatment_not_offered','no_response','other'])[1 + abs(hashtext(id::text || 'w')) % 6]
      WHERE practice_id = $1 AND status = 'open' AND abs(hashtext(id::text || 'o')) % 2 = 0`,
    [p.practiceId],
  );
  await t.query(
    `UPDATE lead SET status = 'contacted' WHERE practice_id = $1 AND status = 'open' AND first_response_at IS NOT NULL AND abs(hashtext(id::text || 'k')) % 2 = 0`,
    [p.practiceId],
  );
  // A few leads merged into another (not leads any more).
  await t.query(
    `UPDATE lead l SET merged_into_lead_id = (SELECT id FROM lead m WHERE m.practice_id = l.practice_id AND m.id <> l.id ORDER BY m.created_at LIMIT 1)
      WHERE practice_id = $1 AND abs(hashtext(id::text || 'm')) % 40 = 0`,
    [p.practiceId],
  );
  // Calls: some voicemail/abandoned, the new-patient flag, after hours in the evening, staff on the
  // answered ones, and call backs for two thirds of the missed ones (minutes to a day later).
  await t.query(
    `UPDATE call SET
        status = CASE WHEN status = 'missed' THEN (ARRAY['missed','voicemail','abandoned'])[1 + abs(hashtext(id::text || 'v')) % 3] ELSE status END,
        is_new_patient = (ARRAY[true, false, NULL])[1 + abs(hashtext(id::text || 'n')) % 3],
        after_hours = extract(hour FROM started_at AT TIME ZONE $3) >= 16,
        staff_id = CASE WHEN status = 'answered' THEN ($2::uuid[])[1 + abs(hashtext(id::text || 's')) % 3] END,
        callback_at = CASE WHEN status <> 'answered' AND abs(hashtext(id::text || 'b')) % 3 <> 0
                           THEN started_at + make_interval(secs => abs(hashtext(id::text || 'd')) % 90000) END
      WHERE practice_id = $1`,
    [p.practiceId, staff, TZ],
  );
  const [range] = await t.query<{ from: string; to: string }>(
    `SELECT ((now() AT TIME ZONE $1)::date - 300)::text AS from, ((now() AT TIME ZONE $1)::date - 10)::text AS to`,
    [TZ],
  );
  ({ from, to } = range!);
  await createUser(t, p.practiceId, 'manager@year.test', 'manager');
  manager = await login(t, 'manager@year.test');
});
afterAll(() => t.close());

const get = async (path: string) => {
  const response = await send(t, 'GET', path, { cookie: manager.cookie });
  expect(response.status).toBe(200);
  return response.body;
};

interface RawLead {
  channel: string;
  status: string;
  staff: string | null;
  /** Who made the first response (not the assigned staff member). */
  responder: string | null;
  isNew: boolean;
  secs: number | null;
  week: string;
  month: string;
  reason: string | null;
  value: string | null;
}

async function rawLeads(): Promise<RawLead[]> {
  return t.query(
    `SELECT channel, status, coalesce(first_response_staff_id, assigned_staff_id)::text AS staff, first_response_staff_id::text AS responder, is_new_patient AS "isNew",
            extract(epoch FROM first_response_at)::float8 - extract(epoch FROM created_at)::float8 AS secs,
            to_char((created_at AT TIME ZONE $2)::date, 'IYYY-"W"IW') AS week,
            to_char((created_at AT TIME ZONE $2)::date, 'YYYY-MM') AS month,
            not_booked_reason AS reason, estimated_value::text AS value
       FROM lead
      WHERE practice_id = $1 AND merged_into_lead_id IS NULL
        AND (created_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date`,
    [p.practiceId, TZ, from, to],
  );
}

describe('operational views cross-check on a simulated year', () => {
  it('funnel: channel rows and every week match independent counts', async () => {
    const leads = await rawLeads();
    expect(leads.length).toBeGreaterThan(2000);
    const report = await get(`/api/v1/reports/funnel?from=${from}&to=${to}`);
    expect(report.totals.leads).toBe(leads.length);
    expect(report.totals.booked).toBe(leads.filter((l) => l.status === 'booked').length);
    expect(report.totals.contacted).toBe(leads.filter((l) => l.secs !== null).length);
    for (const row of report.rows) {
      const mine = leads.filter((l) => l.channel === row.key);
      expect([row.leads, row.contacted, row.booked, row.notBooked, row.open]).toEqual([
        mine.length,
        mine.filter((l) => l.secs !== null).length,
        mine.filter((l) => l.status === 'booked').length,
        mine.filter((l) => l.status === 'not_booked').length,
        mine.filter((l) => l.status === 'open' || l.status === 'contacted').length,
      ]);
      expect(row.bookingRate).toBe(rate4(row.booked, row.leads));
    }
    expect(report.rows.reduce((sum: number, r: any) => sum + r.leads, 0)).toBe(leads.length);
    const weeks = new Map<string, RawLead[]>();
    for (const lead of leads) weeks.set(lead.week, [...(weeks.get(lead.week) ?? []), lead]);
    expect(report.trend.length).toBeGreaterThanOrEqual(weeks.size);
    for (const row of report.trend) {
      const mine = weeks.get(row.period) ?? [];
      expect([row.period, row.leads, row.booked, row.contacted]).toEqual([
        row.period,
        mine.length,
        mine.filter((l) => l.status === 'booked').length,
        mine.filter((l) => l.secs !== null).length,
      ]);
    }
    const monthly = await get(`/api/v1/reports/funnel?from=${from}&to=${to}&interval=month&by=staff`);
    for (const row of monthly.trend) expect(row.leads).toBe(leads.filter((l) => l.month === row.period).length);
    for (const row of monthly.rows) expect(row.leads).toBe(leads.filter((l) => l.staff === row.key).length);
  });

  it('speed-to-lead: medians, p90, bands and the slow-response cost match a TypeScript computation', async () => {
    const channels = ['web_form', 'chat', 'social', 'referral', 'email', 'other'];
    const leads = (await rawLeads()).filter((l) => channels.includes(l.channel));
    const report = await get(`/api/v1/reports/speed-to-lead?from=${from}&to=${to}`);
    const times = (list: RawLead[]) => list.filter((l) => l.secs !== null).map((l) => l.secs!);
    for (const row of report.byChannel) {
      const mine = row.channel === 'all' ? leads : leads.filter((l) => l.channel === row.channel);
      expect([row.leads, row.responded, row.medianSeconds, row.p90Seconds, row.within5Min]).toEqual([
        mine.length,
        times(mine).length,
        percentile(times(mine), 0.5),
        percentile(times(mine), 0.9),
        times(mine).filter((s) => s < 300).length,
      ]);
    }
    const edges = [60, 300, 1800, 3600, 14400];
    const bandOf = (secs: number | null) => (secs === null ? 6 : edges.filter((edge) => secs >= edge).length);
    report.bands.forEach((band: any, index: number) => {
      const mine = leads.filter((l) => bandOf(l.secs) === index);
      expect([band.leads, band.booked]).toEqual([mine.length, mine.filter((l) => l.status === 'booked').length]);
    });
    const fast = leads.filter((l) => l.secs !== null && l.secs < 300);
    const slow = leads.filter((l) => !(l.secs !== null && l.secs < 300));
    const fastRate = rate4(fast.filter((l) => l.status === 'booked').length, fast.length)!;
    const booked = leads.filter((l) => l.status === 'booked' && l.value !== null);
    const average = Math.round((booked.reduce((sum, l) => sum + Number(l.value), 0) / booked.length) * 100) / 100;
    const missed = Math.max(0, Math.round((slow.length * fastRate - slow.filter((l) => l.status === 'booked').length) * 100) / 100);
    expect(fast.length).toBeGreaterThanOrEqual(10);
    expect(report.slowResponseCost).toMatchObject({
      fastLeads: fast.length,
      slowLeads: slow.length,
      fastBookingRate: fastRate,
      averageBookedValue: average,
      missedBookings: missed,
    });
    expect(report.slowResponseCost.revenueLost).toBeCloseTo(missed * average, 2);
  });

  it('missed calls: every heatmap cell, the split, the callbacks and the revenue estimate match', async () => {
    const calls: Array<{
      id: string;
      leadId: string | null;
      dow: string;
      hour: string;
      missed: boolean;
      after: boolean;
      isNew: boolean | null;
      cb: number | null;
      sameDay: boolean | null;
    }> = await t.query(
      `SELECT id, lead_id AS "leadId", to_char(started_at AT TIME ZONE $2, 'ID') AS dow, to_char(started_at AT TIME ZONE $2, 'HH24') AS hour,
              status <> 'answered' AS missed, after_hours AS after, is_new_patient AS "isNew",
              extract(epoch FROM callback_at)::float8 - extract(epoch FROM started_at)::float8 AS cb,
              to_char(callback_at AT TIME ZONE $2, 'YYYY-MM-DD') = to_char(started_at AT TIME ZONE $2, 'YYYY-MM-DD') AS "sameDay"
         FROM call
        WHERE practice_id = $1 AND direction = 'inbound' AND status <> 'ringing'
          AND (started_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date`,
      [p.practiceId, TZ, from, to],
    );
    expect(calls.length).toBeGreaterThan(3000);
    const report = await get(`/api/v1/reports/missed-calls?from=${from}&to=${to}`);
    expect(report.totals.calls).toBe(calls.length);
    for (const cell of report.heatmap) {
      const mine = calls.filter((c) => Number(c.dow) === cell.weekday && Number(c.hour) === cell.hour);
      expect([cell.weekday, cell.hour, cell.calls, cell.missed]).toEqual([cell.weekday, cell.hour, mine.length, mine.filter((c) => c.missed).length]);
    }
    expect(report.afterHours.calls).toBe(calls.filter((c) => c.after).length);
    expect(report.duringHours.missed).toBe(calls.filter((c) => !c.after && c.missed).length);
    const missed = calls.filter((c) => c.missed);
    const back = missed.filter((c) => c.cb !== null).map((c) => c.cb!);
    expect(report.callbacks).toMatchObject({
      missed: missed.length,
      calledBack: back.length,
      medianSeconds: percentile(back, 0.5),
      p90Seconds: percentile(back, 0.9),
      within15Min: back.filter((s) => s < 900).length,
      within1Hour: back.filter((s) => s < 3600).length,
      sameDay: missed.filter((c) => c.sameDay === true).length,
    });
    // Revenue lost: new-patient phone leads' booking rate, and only the missed new-patient calls really lost,
    // each with one outcome (booked, called back, lost to a reason, unrecovered), worked out here from the rows.
    const phone = (await rawLeads()).filter((l) => l.channel === 'phone' && l.isNew);
    const phoneBooked = phone.filter((l) => l.status === 'booked');
    const leadRows: Array<{ id: string; into: string | null; status: string }> = await t.query(
      `SELECT id, merged_into_lead_id AS into, status FROM lead WHERE practice_id = $1`,
      [p.practiceId],
    );
    const leadById = new Map(leadRows.map((l) => [l.id, l]));
    const patients: Array<{ leadId: string | null; callId: string | null; key: string | null }> = await t.query(
      `SELECT lead_id AS "leadId", call_id AS "callId", phone_key AS key FROM patient WHERE practice_id = $1`,
      [p.practiceId],
    );
    const outcomes = { booked: 0, calledBack: 0, reason: 0, unrecovered: 0 };
    const missedNewCalls = missed.filter((c) => c.isNew === true);
    for (const c of missedNewCalls) {
      const key = patients.find((pt) => pt.callId === c.id && pt.key !== null)?.key ?? null;
      const ids = new Set<string>();
      if (c.leadId) ids.add(c.leadId);
      if (key) for (const pt of patients) if (pt.leadId && pt.key === key) ids.add(pt.leadId);
      const statuses = [...ids]
        .map((id) => leadById.get(id))
        .filter((l) => l !== undefined)
        .map((l) => leadById.get(l.into ?? l.id)!.status);
      if (statuses.includes('booked')) outcomes.booked++;
      else if (c.cb !== null) outcomes.calledBack++;
      else if (statuses.includes('not_booked')) outcomes.reason++;
      else outcomes.unrecovered++;
    }
    const missedNew = missedNewCalls.length;
    expect(outcomes.calledBack).toBeGreaterThan(0);
    expect(outcomes.unrecovered).toBeGreaterThan(0);
    expect(report.revenueLost).toMatchObject({
      missedNewPatientCalls: missedNew,
      laterBooked: outcomes.booked,
      calledBack: outcomes.calledBack,
      lostToReason: outcomes.reason,
      unrecoveredCalls: outcomes.unrecovered,
      phoneLeads: phone.length,
      phoneBooked: phoneBooked.length,
    });
    const average = Math.round((phoneBooked.reduce((sum, l) => sum + Number(l.value), 0) / phoneBooked.length) * 100) / 100;
    expect(report.revenueLost.averageBookedValue).toBe(average);
    const expected = Math.round(outcomes.unrecovered * rate4(phoneBooked.length, phone.length)! * 100) / 100;
    expect(report.revenueLost.expectedBookingsLost).toBe(expected);
    expect(report.revenueLost.estimatedRevenueLost).toBeCloseTo(expected * average, 2);
  });

  it('staff performance: each person, the reasons mix, the median and the monthly trend match', async () => {
    const leads = await rawLeads();
    const report = await get(`/api/v1/reports/staff-performance?from=${from}&to=${to}`);
    expect(report.rows).toHaveLength(4);
    expect(report.rows[3].displayName).toBe('(unassigned)');
    // Response time by its one definition: the speed-to-lead channels, credited to the first responder.
    const waitingChannels = ['web_form', 'chat', 'social', 'referral', 'email', 'other'];
    const responseTimes = (responder: string | null) =>
      leads.filter((l) => l.responder === responder && l.secs !== null && waitingChannels.includes(l.channel)).map((l) => l.secs!);
    for (const row of report.rows) {
      const mine = leads.filter((l) => l.staff === row.staffId);
      const times = responseTimes(row.staffId);
      expect([row.leads, row.contacted, row.booked, row.notBooked, row.medianResponseSeconds]).toEqual([
        mine.length,
        mine.filter((l) => l.secs !== null).length,
        mine.filter((l) => l.status === 'booked').length,
        mine.filter((l) => l.status === 'not_booked').length,
        percentile(times, 0.5),
      ]);
      for (const [reason, count] of Object.entries(row.reasons)) expect(count).toBe(mine.filter((l) => l.reason === reason).length);
      for (const point of row.trend) {
        const month = mine.filter((l) => l.month === point.month);
        expect([point.month, point.leads, point.booked]).toEqual([point.month, month.length, month.filter((l) => l.status === 'booked').length]);
      }
    }
    expect(report.totals.leads).toBe(leads.length);
    // One definition: the staff report's overall median is the speed-to-lead report's.
    const all = leads.filter((l) => l.secs !== null && waitingChannels.includes(l.channel)).map((l) => l.secs!);
    expect(report.totals.medianResponseSeconds).toBe(percentile(all, 0.5));
    const speed = await get(`/api/v1/reports/speed-to-lead?from=${from}&to=${to}`);
    expect(report.totals.medianResponseSeconds).toBe(speed.totals.medianSeconds);
  });
});
