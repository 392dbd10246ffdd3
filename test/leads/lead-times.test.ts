// Times on leads that must not mislead: a booking is not a response (issue #10 item 10), a lead stamped
// a little ahead of the server's clock does not block its events, and an appointment at 03:00 practice
// time is refused with a message that says why (item 14).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const TZ = 'America/Chicago';
let t: TestApp;
let a: TestPractice;
let manager: Session;

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Times Dental', timeZone: TZ });
  await createUser(t, a.practiceId, 'manager@times.test', 'manager');
  manager = await login(t, 'manager@times.test');
});
afterAll(() => t.close());

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const event = (leadId: string, body: Record<string, unknown>) => t.post(`/api/v1/leads/${leadId}/events`, a.ingestKey, body);
const leadRow = async (id: string) =>
  (
    await t.query<{ first_response_at: Date | null; status: string; created_at: Date; appointment_at: Date | null }>(
      `SELECT first_response_at, status, created_at, appointment_at FROM lead WHERE id = $1`,
      [id],
    )
  )[0]!;

/** The next Tuesday (practice-local, at least 2 days ahead) at hh:mm, as an ISO instant with its offset. */
function nextTuesdayAt(hour: number, minute = 0): string {
  let day = DateTime.now().setZone(TZ).plus({ days: 2 }).startOf('day');
  while (day.weekday !== 2) day = day.plus({ days: 1 });
  return day.set({ hour, minute }).toISO()!;
}

describe('a booking is not a response', () => {
  it('booking a web-form lead nobody replied to records no first response; speed to lead is unchanged', async () => {
    const today = DateTime.now().setZone(TZ).toISODate()!;
    const before = (await send(t, 'GET', `/api/v1/reports/speed-to-lead?from=${today}&to=${today}`, { cookie: manager.cookie })).body;
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', createdAt: secondsFromNow(-10) });
    const booked = await event(lead.body.id, { type: 'booked', value: 500 });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'booked', firstResponseAt: null, firstResponseStaffId: null });
    expect((await leadRow(lead.body.id)).first_response_at).toBeNull();

    const after = (await send(t, 'GET', `/api/v1/reports/speed-to-lead?from=${today}&to=${today}`, { cookie: manager.cookie })).body;
    expect(after.totals.responded).toBe(before.totals.responded);
    expect(after.totals.medianSeconds).toBe(before.totals.medianSeconds);
    expect(after.totals.neverResponded).toBe(before.totals.neverResponded + 1);
    const board = (await t.get('/api/v1/board', a.ingestKey)).body.state;
    expect(board.speedToLead).toMatchObject({ responded: 0, medianSeconds: null, notYetResponded: 1 });
    expect(board.activity.some((line: { kind: string }) => line.kind === 'lead_responded')).toBe(false);
  });

  it('a walk-in booked on the spot is still its first contact (walk-ins are not in response time)', async () => {
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'walk_in', createdAt: secondsFromNow(-60) });
    const booked = await event(lead.body.id, { type: 'booked' });
    expect(booked.status).toBe(201);
    expect(booked.body.firstResponseAt).not.toBeNull();
  });
});

describe('clock skew and implausible times', () => {
  it("a lead stamped 3 minutes ahead is stored at the server's now, says so, and takes events at once", async () => {
    const sent = secondsFromNow(180);
    const created = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', createdAt: sent });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(created.body.adjusted).toEqual([
      expect.objectContaining({ field: 'createdAt', sent: new Date(sent).toISOString(), stored: created.body.createdAt }),
    ]);
    expect(created.body.adjusted[0].reason).toMatch(/ahead of the server's clock/);
    // The front desk logs an attempt now: before, this was refused as "before the lead was created".
    const attempt = await event(created.body.id, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer' });
    expect(attempt.status).toBe(201);
    expect(attempt.body.adjusted).toBeUndefined();
    // A lead on time carries no note.
    const onTime = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form' });
    expect(onTime.body.adjusted).toBeUndefined();
  });

  it('a lead stamped 10 minutes ahead is refused (400), naming the field, and nothing is written', async () => {
    const count = async () => (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [a.practiceId]))[0]!.n;
    const before = await count();
    const refused = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', createdAt: secondsFromNow(600) });
    expect(refused.status).toBe(400); // the request schema's refusal, before anything is read or written
    expect(JSON.stringify(refused.body)).toMatch(/createdAt.*future/);
    expect(await count()).toBe(before);
  });

  it('an appointment at 03:00 practice time is refused with a clear 422; 10:30 on an open day is booked', async () => {
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', createdAt: secondsFromNow(-30) });
    const night = await event(lead.body.id, { type: 'booked', appointmentAt: nextTuesdayAt(3) });
    expect(night.status).toBe(422);
    expect(night.body.message).toMatch(
      /^appointmentAt: Tue \d{4}-\d\d-\d\d 03:00 \(America\/Chicago\) is outside the practice's opening hours \(Tue 08:00-18:00\)/,
    );
    expect(await leadRow(lead.body.id)).toMatchObject({ status: 'open', first_response_at: null, appointment_at: null });

    const morning = await event(lead.body.id, { type: 'booked', appointmentAt: nextTuesdayAt(10, 30) });
    expect(morning.status).toBe(201);
    expect(morning.body.appointmentAt).toBe(new Date(nextTuesdayAt(10, 30)).toISOString());
  });

  it('a practice with no opening hours set accepts any appointment time', async () => {
    const open = await t.createPractice({ name: 'No Hours Dental', timeZone: TZ });
    await t.query(`UPDATE practice SET opening_hours = '{}'::jsonb WHERE id = $1`, [open.practiceId]);
    const lead = await t.post('/api/v1/leads', open.ingestKey, { channel: 'phone' });
    const booked = await t.post(`/api/v1/leads/${lead.body.id}/events`, open.ingestKey, { type: 'booked', appointmentAt: nextTuesdayAt(3) });
    expect(booked.status).toBe(201);
  });
});
