// One definition per metric on the board (issue #10 items 7, 8, 17): the TV's response time equals the
// speed-to-lead and staff reports for the same day and person, and an independent SQL; after-hours calls
// stay out of the missed rate; the board's numbers add up. Checked on the live path (events applied to a
// board already built) and on the rebuild from the database (board-loader.ts): both must agree.
//
// The practice's zone is chosen so that it is early afternoon there whenever the test runs (an Etc/GMT
// zone), and it is open 08:00-18:00 every day: so "today" has a night and a morning behind it.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { LiveBoardService } from '../../server/live/live-board.service.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let manager: Session;
let zone: string;

/** An Etc/GMT zone where it is now between 13:00 and 15:00 (Etc/GMT signs are inverted). */
function afternoonZone(): string {
  const offset = ((14 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

const localToday = (hour: number, minute = 0) => DateTime.now().setZone(zone).set({ hour, minute, second: 0, millisecond: 0 });
const hoursAgo = (hours: number) => DateTime.now().minus({ hours });
const iso = (time: DateTime) => time.toUTC().toISO()!;

beforeAll(async () => {
  zone = afternoonZone();
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Metrics Dental', timeZone: zone, staff: ['Maya', 'Sam'] });
  const hours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['08:00', '18:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(hours), a.practiceId]);
  await createUser(t, a.practiceId, 'manager@metrics.test', 'manager');
  manager = await login(t, 'manager@metrics.test');
});
afterAll(() => t.close());

const board = async () => {
  const reply = await t.get('/api/v1/board', a.ingestKey);
  expect(reply.status).toBe(200);
  return reply.body.state;
};
/** The board rebuilt from the database (what a restart or the practice's midnight does). */
const rebuiltBoard = async () => {
  await t.app.get(LiveBoardService).rebuild(a.practiceId);
  return board();
};
const report = async (path: string) => {
  const reply = await send(t, 'GET', path, { cookie: manager.cookie });
  expect(reply.status).toBe(200);
  return reply.body;
};

async function lead(body: Record<string, unknown>): Promise<string> {
  const reply = await t.post('/api/v1/leads', a.ingestKey, body);
  expect(reply.status).toBe(201);
  return reply.body.id;
}
async function attempt(leadId: string, at: DateTime, staff: string) {
  const reply = await t.post(`/api/v1/leads/${leadId}/events`, a.ingestKey, {
    type: 'contact_attempt',
    kind: 'call',
    outcome: 'reached',
    at: iso(at),
    staffId: a.staff[staff],
  });
  expect(reply.status).toBe(201);
}
async function call(externalId: string, status: string, at: DateTime) {
  const reply = await t.post('/api/v1/calls', a.ingestKey, { externalId, status, startedAt: iso(at), isNewPatient: true });
  expect(reply.status).toBe(201);
}

describe('calls on the board: opening hours and after hours apart', () => {
  it('overnight voicemails before opening leave the rate empty and show as after hours; the counts add up', async () => {
    await board(); // built now: what follows is applied live
    await call('night-1', 'voicemail', localToday(2));
    await call('night-2', 'abandoned', localToday(3, 30));
    let calls = (await board()).calls;
    expect(calls).toMatchObject({ inbound: 0, answered: 0, unanswered: 0, missedRate: null });
    expect(calls.afterHours).toEqual({ inbound: 2, answered: 0, missed: 0, voicemail: 1, abandoned: 1, unanswered: 2 });

    await call('day-1', 'answered', localToday(9));
    await call('day-2', 'missed', localToday(10));
    await call('day-3', 'voicemail', localToday(11));
    for (const state of [await board(), await rebuiltBoard()]) {
      calls = state.calls;
      expect(calls).toMatchObject({ inbound: 3, answered: 1, missed: 1, voicemail: 1, abandoned: 0, unanswered: 2 });
      expect(calls.missedRate).toBeCloseTo(2 / 3, 10);
      expect(calls.answered + calls.missed + calls.voicemail + calls.abandoned).toBe(calls.inbound);
      expect(calls.afterHours.inbound).toBe(2);
      expect(state.labels.missedRate).toMatch(/opening hours/);
    }
    // The missed-calls report splits the same way: 3 calls in opening hours, 2 missed; 2 after hours.
    const today = localToday(12).toISODate();
    const missed = await report(`/api/v1/reports/missed-calls?from=${today}&to=${today}`);
    expect(missed.duringHours).toMatchObject({ calls: 3, missed: 2 });
    expect(missed.afterHours).toMatchObject({ calls: 2, missed: 2 });
  });
});

describe('response time: one definition on the TV, in the reports and in plain SQL', () => {
  it('gives the same median and p90 for the day and for each person everywhere', async () => {
    await board();
    // Arrival and first contact (seconds later), by whom. Phone leads, yesterday's lead answered today and
    // a booking without a reply do not count; an existing patient's web form does.
    const plan: Array<[Record<string, unknown>, number, string] | [Record<string, unknown>]> = [
      [{ channel: 'web_form', createdAt: iso(hoursAgo(4)) }, 120, 'Maya'],
      [{ channel: 'chat', createdAt: iso(hoursAgo(3)) }, 600, 'Maya'],
      [{ channel: 'email', createdAt: iso(hoursAgo(3)) }, 30, 'Sam'],
      [{ channel: 'web_form', createdAt: iso(hoursAgo(2)) }, 3000, 'Sam'],
      [{ channel: 'web_form', createdAt: iso(hoursAgo(1)), isNewPatient: false }, 90, 'Sam'],
      [{ channel: 'phone', createdAt: iso(hoursAgo(2)) }, 5, 'Maya'],
      [{ channel: 'web_form', createdAt: iso(hoursAgo(2)) }],
    ];
    const ids: string[] = [];
    for (const [body, seconds, staff] of plan) {
      const id = await lead(body);
      ids.push(id);
      if (seconds !== undefined) await attempt(id, DateTime.fromISO(body.createdAt as string).plus({ seconds }), staff!);
    }
    const booked = await t.post(`/api/v1/leads/${ids[6]}/events`, a.ingestKey, { type: 'booked', value: 700 });
    expect(booked.status).toBe(201);
    const yesterday = await lead({ channel: 'web_form', createdAt: iso(localToday(0).minus({ hours: 4 })) });
    await attempt(yesterday, hoursAgo(1), 'Maya');

    // By hand: today's waiting-channel responses 30, 90, 120, 600, 3000 -> median 120; p90 at position
    // 3.6 -> 600 + 0.6 x 2400 = 2040. Maya 120, 600 -> 360; Sam 30, 90, 3000 -> 90.
    const expected = { median: 120, p90: 2040, Maya: 360, Sam: 90 };

    // Independent SQL: the plain words of the glossary, not the server's fragments.
    const [sql] = await t.query<{ median: number; p90: number }>(
      `SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))::numeric)::int AS median,
              round(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))::numeric)::int AS p90
         FROM lead
        WHERE practice_id = $1 AND merged_into_lead_id IS NULL AND first_response_at IS NOT NULL
          AND channel NOT IN ('phone', 'walk_in')
          AND (created_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date`,
      [a.practiceId, zone],
    );
    const perStaff = await t.query<{ name: string; median: number }>(
      `SELECT s.display_name AS name,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.first_response_at - l.created_at))::numeric)::int AS median
         FROM lead l JOIN staff s ON s.id = l.first_response_staff_id
        WHERE l.practice_id = $1 AND l.merged_into_lead_id IS NULL AND l.channel NOT IN ('phone', 'walk_in')
          AND (l.created_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date
        GROUP BY 1 ORDER BY 1`,
      [a.practiceId, zone],
    );
    expect(sql).toEqual({ median: expected.median, p90: expected.p90 });
    expect(perStaff).toEqual([
      { name: 'Maya', median: expected.Maya },
      { name: 'Sam', median: expected.Sam },
    ]);

    const today = localToday(12).toISODate();
    const speed = await report(`/api/v1/reports/speed-to-lead?from=${today}&to=${today}`);
    expect([speed.totals.medianSeconds, speed.totals.p90Seconds]).toEqual([expected.median, expected.p90]);
    const staff = await report(`/api/v1/reports/staff-performance?from=${today}&to=${today}`);
    expect(staff.totals.medianResponseSeconds).toBe(expected.median);
    const staffMedian = (name: string) => staff.rows.find((row: { displayName: string }) => row.displayName === name).medianResponseSeconds;
    expect([staffMedian('Maya'), staffMedian('Sam')]).toEqual([expected.Maya, expected.Sam]);

    for (const state of [await board(), await rebuiltBoard()]) {
      expect(state.speedToLead).toMatchObject({ medianSeconds: expected.median, p90Seconds: expected.p90, responded: 5, notYetResponded: 1 });
      const person = (name: string) => state.leaderboard.find((row: { displayName: string }) => row.displayName === name);
      expect(person('Maya')).toMatchObject({ medianResponseSeconds: expected.Maya, responses: 2 });
      expect(person('Sam')).toMatchObject({ medianResponseSeconds: expected.Sam, responses: 3 });
      expect(state.labels.responseTime).toMatch(/^Median first reply/);

      // Numbers that explain each other: the hourly chart sums to the headline (new patients), and the
      // bookings split adds up to "booked", the first part being the conversion's numerator.
      const hourly = state.hourly.reduce((sum: number, hour: { leads: number | null }) => sum + (hour.leads ?? 0), 0);
      expect(hourly).toBe(state.leads.newPatients);
      const split = state.bookings.breakdown;
      expect(split.fromTodaysNewPatientLeads + split.fromEarlierNewPatientLeads + split.existingPatients).toBe(state.bookings.booked);
      expect(state.bookings.conversionRate).toBeCloseTo(state.bookings.bookedFromTodaysLeads / state.leads.newPatients, 10);
      expect(split).toMatchObject({ fromTodaysNewPatientLeads: 1, newPatientBookedValue: 700 });
    }
  });
});
