// One practice calendar (opening hours AND public holidays) decides whether the practice was open: a
// call's after-hours flag (what the TV's missed rate leaves out), the appointment-time check, and the
// staffing plan's count of after-hours calls. A call on Thanksgiving at 10:00 is after hours in all
// three; an appointment on a public holiday is refused like one at 03:00.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { addDays } from '../../server/common/local-date.js';
import { holidayDates } from '../../server/forecast/practice-closures.js';
import { practiceCalendar } from '../../server/practices/practice-calendar.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

const ZONE = 'America/Chicago';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

let t: TestApp;
let p: TestPractice;
let today: string;
let holidays: string[];

beforeAll(async () => {
  // The staffing test posts 70 days of calls through the API, faster than an integration would.
  t = await startTestApp({ config: { ingestRateLimits: { perSecond: 1000, burst: 1000 } } });
  p = await t.createPractice({ name: 'Holiday Dental', timeZone: ZONE });
  // Open 08:00-18:00 Monday to Saturday, closed on US public holidays.
  const hours = Object.fromEntries(WEEKDAYS.map((day) => [day, [['08:00', '18:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1, holiday_region = 'US' WHERE id = $2`, [JSON.stringify(hours), p.practiceId]);
  today = DateTime.now().setZone(ZONE).toISODate()!;
  const year = Number(today.slice(0, 4));
  holidays = [...holidayDates('US', year - 1, year + 1)].sort();
});
afterAll(() => t.close());

const at = (day: string, time: string) => DateTime.fromISO(`${day}T${time}`, { zone: ZONE }).toUTC().toISO()!;
const isSunday = (day: string) => DateTime.fromISO(day).weekday === 7;

describe('the practice calendar', () => {
  it('flags a call on a public holiday, inside the usual hours, as after hours; the same hour on a working day is not', async () => {
    const holiday = holidays.filter((day) => day < today && !isSunday(day)).at(-1)!;
    let working = addDays(holiday, -1);
    while (isSunday(working) || holidays.includes(working)) working = addDays(working, -1);
    await t.post('/api/v1/calls', p.ingestKey, { externalId: 'on-holiday', status: 'voicemail', startedAt: at(holiday, '10:00') });
    await t.post('/api/v1/calls', p.ingestKey, { externalId: 'on-working-day', status: 'missed', startedAt: at(working, '10:00') });
    const rows = await t.query(`SELECT external_id, after_hours FROM call WHERE practice_id = $1 ORDER BY external_id`, [p.practiceId]);
    expect(rows).toEqual([
      { external_id: 'on-holiday', after_hours: true },
      { external_id: 'on-working-day', after_hours: false },
    ]);
  });

  it('refuses an appointment on a public holiday, saying why, and takes the next working day at the same time', async () => {
    const holiday = holidays.find((day) => day > today && !isSunday(day))!;
    let working = addDays(holiday, 1);
    while (isSunday(working) || holidays.includes(working)) working = addDays(working, 1);
    const lead = await t.post('/api/v1/leads', p.ingestKey, { channel: 'web_form' });
    const refused = await t.post(`/api/v1/leads/${lead.body.id}/events`, p.ingestKey, { type: 'booked', appointmentAt: at(holiday, '10:00') });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toMatch(/public holiday/);
    const booked = await t.post(`/api/v1/leads/${lead.body.id}/events`, p.ingestKey, { type: 'booked', appointmentAt: at(working, '10:00') });
    expect(booked.status).toBeLessThan(300);
  });

  it("counts after-hours calls in the staffing plan exactly as the calls' own after-hours flags, holidays included", async () => {
    const s = await t.createPractice({ name: 'Staffing Holiday Dental', timeZone: ZONE });
    const hours = Object.fromEntries(WEEKDAYS.map((day) => [day, [['08:00', '18:00']]]));
    await t.query(`UPDATE practice SET opening_hours = $1, holiday_region = 'US' WHERE id = $2`, [JSON.stringify(hours), s.practiceId]);
    // 70 days of calls, posted through the API so that ingest sets each flag: four on a working day
    // (one at 20:00, after hours), one at 10:00 on each public holiday (a quiet day, as holidays are).
    for (let day = addDays(today, -70); day < today; day = addDays(day, 1)) {
      if (isSunday(day)) continue;
      const times = holidays.includes(day) ? ['10:00'] : ['09:30', '11:00', '14:00', '20:00'];
      for (const time of times) {
        const posted = await t.post('/api/v1/calls', s.ingestKey, { externalId: `${day}-${time}`, status: 'answered', startedAt: at(day, time) });
        expect(posted.status).toBe(201);
      }
    }
    const onHolidays = holidays.filter((day) => day >= addDays(today, -70) && day < today && !isSunday(day));
    expect(onHolidays.length).toBeGreaterThan(0);
    const response = await t.get('/api/v1/staffing?ahtSeconds=240&targetSeconds=20&serviceLevel=0.8&interval=60', s.ingestKey);
    expect(response.status).toBe(200);
    const { from, to, calls } = response.body.afterHours.history;
    const [flagged] = await t.query(
      `SELECT count(*) FILTER (WHERE after_hours)::int AS after_hours,
              count(*) FILTER (WHERE after_hours AND (started_at AT TIME ZONE $2)::date = ANY($5::date[]))::int AS on_holidays
         FROM call WHERE practice_id = $1 AND direction = 'inbound'
          AND started_at >= ($3::date)::timestamp AT TIME ZONE $2 AND started_at < ($4::date + 1)::timestamp AT TIME ZONE $2`,
      [s.practiceId, ZONE, from, to, onHolidays],
    );
    expect(flagged.on_holidays).toBe(onHolidays.length);
    expect(calls).toBe(flagged.after_hours);
  }, 120_000);
});

describe('when the practice next opens (the TV\'s "Closed · opens ..." notice)', () => {
  const calendar = practiceCalendar({
    timeZone: ZONE,
    holidayRegion: 'US',
    openingHours: {
      mon: [['08:00', '18:00']],
      tue: [['08:00', '18:00']],
      wed: [['08:00', '18:00']],
      thu: [['08:00', '18:00']],
      fri: [
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ],
    },
  });
  const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();

  it('is now while open, later today before opening, and after lunch at lunch', () => {
    expect(calendar.nextOpening(local('2026-11-24T10:00'))).toEqual(local('2026-11-24T10:00'));
    expect(calendar.nextOpening(local('2026-11-24T06:30'))).toEqual(local('2026-11-24T08:00'));
    expect(calendar.nextOpening(local('2026-11-20T12:15'))).toEqual(local('2026-11-20T13:00'));
  });

  it('skips the weekend, and a public holiday: Wednesday night before Thanksgiving opens on Friday', () => {
    expect(calendar.nextOpening(local('2026-11-21T02:00'))).toEqual(local('2026-11-23T08:00'));
    expect(calendar.nextOpening(local('2026-11-25T22:00'))).toEqual(local('2026-11-27T08:00'));
  });

  it('is null for a practice without opening hours', () => {
    expect(practiceCalendar({ timeZone: ZONE, holidayRegion: null, openingHours: {} }).nextOpening(local('2026-11-24T10:00'))).toBeNull();
  });
});
