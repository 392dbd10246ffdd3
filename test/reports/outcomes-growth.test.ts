// Growth on a small hand-computed fixture (practice in America/Chicago, CDT = UTC-5 in September and
// October). Leads are written straight into the lead table.
//
// Base period 2026-09-01..2026-09-30 (all on Monday 14 September):
//   phone 10 leads, 4 booked at 1000 (revenue 4000); web_form 4 leads, 2 booked at 500 (1000);
//   social 2 leads, 1 booked at 250; referral 3 leads, none booked.
// Current period 2026-10-01..2026-10-31 (Monday 5 October, except chat):
//   phone 12 leads, 6 booked at 1200 (7200); web_form 4 leads, 1 booked at 700; referral 3 leads, 1 booked
//   at 600; chat 3 leads at 23:30 local on Saturday 31 October, 1 booked at 900. A merged phone lead
//   (booked 5000) is not a lead.
// A year earlier (Wednesday 15 October 2025): phone 5 leads, 2 booked at 1000.
//
// Bridge (Shapley; L leads, c conversion, v average value; volume = dL[(c0v0 + c1v1)/3 + (c0v1 + c1v0)/6] ...):
//   phone: dL 2, dc 0.1, dv 200. volume = 2 x [(400 + 600)/3 + (480 + 500)/6] = 993.333;
//     conversion = 0.1 x [(10000 + 14400)/3 + (12000 + 12000)/6] = 1213.333; value = 200 x [(4 + 6)/3 +
//     (5 + 4.8)/6] = 993.333; sum 3200 = 7200 - 4000. Rounded 993.33 + 1213.33 + 993.33 = 3199.99: the
//     cent left goes into the largest effect, conversion: 1213.34 (roundingAdjustment 0.01).
//   web_form: dL 0 -> volume 0; conversion = -0.25 x [(2000 + 2800)/3 + (2800 + 2000)/6] = -600;
//     value = 200 x [(2 + 1)/3 + (1 + 2)/6] = 300; sum -300 = 700 - 1000.
//   chat (absent in the base): c0, v0 take the current 1/3, 900: volume = 3 x [300/3 + 300/6] = 900, others 0.
//   social (absent now): volume = -2 x [125/3 + 125/6] = -250, others 0.
//   referral (no bookings in the base): v0 takes 600; conversion = 1/3 x [3600/3 + 3600/6] = 600, others 0.
//   total = sum of the channels: change 9400 - 5250 = 4150; volume 993.33 + 900 - 250 = 1643.33;
//     conversion 1213.34 - 600 + 600 = 1213.34; value 993.33 + 300 = 1293.33; 1643.33 + 1213.34 + 1293.33 = 4150.
// Trends (current range): week of 28 Sep (1-4 Oct, 4 days) empty; week of 5 Oct: 19 leads, 8 booked
//   (0.4211), 8500; weeks of 12 and 19 Oct empty; week of 26 Oct (26-31 Oct, 6 days): 3 leads, 1 booked, 900.
//   Month 2026-10: 22 leads, 9 booked (0.4091), 9400.
// Year over year: 22 vs 5 leads (+17, 3.4), 9 vs 2 bookings (+7, 3.5), revenue 9400 vs 2000 (+7400, 3.7).
// Seasonality: history from the first lead, 2025-10-15, to 2026-10-31: whole months Nov 2025..Oct 2026
//   (one year each; October 2025 is partial and left out): October 22, September 19, others 0; mean of
//   the twelve = 41/12, so October's index 264/41 = 6.439, September's 228/41 = 5.561. Weekdays: 382
//   days from a Wednesday: Wed..Sat 55 each, Sun..Tue 54 each; Monday 38 leads / 54 = 0.70, Wednesday
//   5/55 = 0.09, Saturday 3/55 = 0.05.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { shapleyBridge } from '../../server/reports/growth-bridge.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const CURRENT = 'from=2026-10-01&to=2026-10-31';
const BASE = 'compareFrom=2026-09-01&compareTo=2026-09-30';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;
let adminB: Session;

async function leads(practice: TestPractice, at: string, channel: string, count: number, booked: number[], mergedInto?: string): Promise<string[]> {
  const rows = await t.query<{ id: string }>(
    `INSERT INTO lead (practice_id, channel, is_new_patient, created_at, status, booked_at, estimated_value, merged_into_lead_id)
     SELECT $1, $3, true, $2::timestamptz, CASE WHEN n <= cardinality($5::numeric[]) THEN 'booked' ELSE 'open' END,
            CASE WHEN n <= cardinality($5::numeric[]) THEN $2::timestamptz + interval '1 hour' END, ($5::numeric[])[n], $6::uuid
       FROM generate_series(1, $4::int) n
     RETURNING id`,
    [practice.practiceId, at, channel, count, booked, mergedInto ?? null],
  );
  return rows.map((row) => row.id);
}

const get = (session: Session, path: string) => send(t, 'GET', path, { cookie: session.cookie });
const factors = (leads: number, bookings: number, conversion: number | null, averageValue: number | null, revenue: number) => ({
  leads,
  bookings,
  conversion,
  averageValue,
  revenue,
});

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: 'America/Chicago' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'America/Chicago' });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  manager = await login(t, 'manager@a.test');
  adminB = await login(t, 'admin@b.test');

  const base = '2026-09-14T10:00:00-05:00';
  await leads(a, base, 'phone', 10, [1000, 1000, 1000, 1000]);
  await leads(a, base, 'web_form', 4, [500, 500]);
  await leads(a, base, 'social', 2, [250]);
  await leads(a, base, 'referral', 3, []);
  const current = '2026-10-05T10:00:00-05:00';
  const [phone] = await leads(a, current, 'phone', 12, [1200, 1200, 1200, 1200, 1200, 1200]);
  await leads(a, current, 'phone', 1, [5000], phone);
  await leads(a, current, 'web_form', 4, [700]);
  await leads(a, current, 'referral', 3, [600]);
  await leads(a, '2026-10-31T23:30:00-05:00', 'chat', 3, [900]);
  await leads(a, '2025-10-15T10:00:00-05:00', 'phone', 5, [1000, 1000]);
  await leads(b, current, 'phone', 7, [99999]);
});
afterAll(() => t.close());

describe('growth bridge', () => {
  it('splits the revenue change per channel into effects that add up exactly, channels absent in one period included', async () => {
    const response = await get(manager, `/api/v1/reports/growth?${CURRENT}&${BASE}`);
    expect(response.status).toBe(200);
    const bridge = response.body.bridge;
    expect(bridge).toMatchObject({ compare: 'custom', base: { from: '2026-09-01', to: '2026-09-30' }, current: { from: '2026-10-01', to: '2026-10-31' } });
    expect(bridge.method).toMatch(/Shapley/);
    expect(bridge.channels).toEqual([
      {
        channel: 'chat',
        base: factors(0, 0, null, null, 0),
        current: factors(3, 1, 0.3333, 900, 900),
        change: 900,
        volumeEffect: 900,
        conversionEffect: 0,
        valueEffect: 0,
        roundingAdjustment: 0,
      },
      {
        channel: 'phone',
        base: factors(10, 4, 0.4, 1000, 4000),
        current: factors(12, 6, 0.5, 1200, 7200),
        change: 3200,
        volumeEffect: 993.33,
        conversionEffect: 1213.34,
        valueEffect: 993.33,
        roundingAdjustment: 0.01,
      },
      {
        channel: 'referral',
        base: factors(3, 0, 0, null, 0),
        current: factors(3, 1, 0.3333, 600, 600),
        change: 600,
        volumeEffect: 0,
        conversionEffect: 600,
        valueEffect: 0,
        roundingAdjustment: 0,
      },
      {
        channel: 'social',
        base: factors(2, 1, 0.5, 250, 250),
        current: factors(0, 0, null, null, 0),
        change: -250,
        volumeEffect: -250,
        conversionEffect: 0,
        valueEffect: 0,
        roundingAdjustment: 0,
      },
      {
        channel: 'web_form',
        base: factors(4, 2, 0.5, 500, 1000),
        current: factors(4, 1, 0.25, 700, 700),
        change: -300,
        volumeEffect: 0,
        conversionEffect: -600,
        valueEffect: 300,
        roundingAdjustment: 0,
      },
    ]);
    expect(bridge.total).toEqual({
      channel: 'total',
      base: factors(19, 7, 0.3684, 750, 5250),
      current: factors(22, 9, 0.4091, 1044.44, 9400),
      change: 4150,
      volumeEffect: 1643.33,
      conversionEffect: 1213.34,
      valueEffect: 1293.33,
      roundingAdjustment: 0.01,
    });
    for (const row of [...bridge.channels, bridge.total]) {
      expect(Math.round(row.volumeEffect * 100) + Math.round(row.conversionEffect * 100) + Math.round(row.valueEffect * 100)).toBe(
        Math.round(row.change * 100),
      );
    }
  });

  it('defaults the base to the same length just before, or a year earlier with compare=year', async () => {
    const previous = (await get(manager, `/api/v1/reports/growth?${CURRENT}`)).body.bridge;
    expect(previous).toMatchObject({ compare: 'previous', base: { from: '2026-08-31', to: '2026-09-30' } });
    expect(previous.total).toMatchObject({ change: 4150, volumeEffect: 1643.33, conversionEffect: 1213.34, valueEffect: 1293.33 });
    const year = (await get(manager, `/api/v1/reports/growth?${CURRENT}&compare=year`)).body.bridge;
    expect(year).toMatchObject({ compare: 'year', base: { from: '2025-10-01', to: '2025-10-31' } });
    expect(year.total).toMatchObject({ base: factors(5, 2, 0.4, 1000, 2000), change: 7400 });
    for (const row of [...year.channels, year.total]) {
      expect(Math.round(row.volumeEffect * 100) + Math.round(row.conversionEffect * 100) + Math.round(row.valueEffect * 100)).toBe(
        Math.round(row.change * 100),
      );
    }
  });

  it('adds up to the cent on random periods, zeros included, never NaN', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const period = () => {
        const leads = random(4) === 0 ? 0 : random(500);
        const bookings = leads === 0 ? 0 : random(leads + 1);
        return { leads, bookings, cents: bookings === 0 ? 0 : bookings * (1 + random(500_000)) + random(bookings) };
      };
      const base = period();
      const current = period();
      const split = shapleyBridge(base, current);
      expect([split.volume, split.conversion, split.value].every(Number.isInteger)).toBe(true);
      expect(split.volume + split.conversion + split.value).toBe(current.cents - base.cents);
      expect(Math.abs(split.adjustment)).toBeLessThanOrEqual(2);
    }
  });
});

describe('growth trends, year over year, seasonality', () => {
  it('has the hand-computed weekly and monthly points, empty periods labelled', async () => {
    const r = (await get(manager, `/api/v1/reports/growth?${CURRENT}`)).body;
    expect(r).toMatchObject({ from: '2026-10-01', to: '2026-10-31', timeZone: 'America/Chicago', currency: expect.any(String), segment: { patient: 'all' } });
    const empty = (period: string, start: string, end: string, days: number) => ({
      period,
      start,
      end,
      days,
      leads: 0,
      bookings: 0,
      conversion: null,
      sample: 'none',
      bookedRevenue: 0,
    });
    expect(r.weekly).toEqual([
      empty('2026-09-28', '2026-10-01', '2026-10-04', 4),
      { period: '2026-10-05', start: '2026-10-05', end: '2026-10-11', days: 7, leads: 19, bookings: 8, conversion: 0.4211, sample: 'ok', bookedRevenue: 8500 },
      empty('2026-10-12', '2026-10-12', '2026-10-18', 7),
      empty('2026-10-19', '2026-10-19', '2026-10-25', 7),
      { period: '2026-10-26', start: '2026-10-26', end: '2026-10-31', days: 6, leads: 3, bookings: 1, conversion: 0.3333, sample: 'small', bookedRevenue: 900 },
    ]);
    expect(r.monthly).toEqual([
      { period: '2026-10', start: '2026-10-01', end: '2026-10-31', days: 31, leads: 22, bookings: 9, conversion: 0.4091, sample: 'ok', bookedRevenue: 9400 },
    ]);
  });

  it('compares with the same period a year earlier', async () => {
    const y = (await get(manager, `/api/v1/reports/growth?${CURRENT}`)).body.yearOverYear;
    expect(y).toMatchObject({
      current: { from: '2026-10-01', to: '2026-10-31' },
      previous: { from: '2025-10-01', to: '2025-10-31' },
      leads: { current: 22, previous: 5, change: 17, changeRate: 3.4 },
      bookings: { current: 9, previous: 2, change: 7, changeRate: 3.5 },
      bookedRevenue: { current: 9400, previous: 2000, change: 7400, changeRate: 3.7 },
      conversion: { current: 0.4091, previous: 0.4, change: 0.0091 },
      sample: { current: 'ok', previous: 'small' },
    });
    expect(y.conversion.changeRate).toBeCloseTo(0.02275, 3);
  });

  it('averages leads per calendar month and weekday, saying how much history backs each', async () => {
    const s = (await get(manager, `/api/v1/reports/growth?${CURRENT}`)).body.seasonality;
    expect(s).toMatchObject({ historyFrom: '2025-10-15', historyTo: '2026-10-31' });
    expect(s.byMonth.map((m: any) => m.years)).toEqual(Array(12).fill(1));
    expect(s.byMonth[9]).toEqual({ month: 10, name: 'October', years: 1, averageLeads: 22, index: 6.439 });
    expect(s.byMonth[8]).toEqual({ month: 9, name: 'September', years: 1, averageLeads: 19, index: 5.561 });
    expect(s.byMonth[10]).toEqual({ month: 11, name: 'November', years: 1, averageLeads: 0, index: 0 });
    expect(s.byWeekday.map((w: any) => w.weeks)).toEqual([54, 54, 55, 55, 55, 55, 54]);
    expect(s.byWeekday.map((w: any) => w.averageLeads)).toEqual([0.7, 0, 0.09, 0, 0, 0.05, 0]);
    expect(s.byWeekday[0].index).toBeCloseTo(0.7 / 0.12, 3);
  });

  it('keeps practices apart and follows the segment', async () => {
    const other = (await get(adminB, `/api/v1/reports/growth?${CURRENT}&${BASE}`)).body;
    expect(other.monthly[0]).toMatchObject({ leads: 7, bookings: 1, bookedRevenue: 99999 });
    expect(other.bridge.channels.map((c: any) => c.channel)).toEqual(['phone']);
    const phone = (await get(manager, `/api/v1/reports/growth?${CURRENT}&${BASE}&channel=phone`)).body;
    expect(phone.bridge.channels.map((c: any) => c.channel)).toEqual(['phone']);
    expect(phone.bridge.total).toMatchObject({ change: 3200, volumeEffect: 993.33, conversionEffect: 1213.34, valueEffect: 993.33 });
    expect(phone.segment.channel).toBe('phone');
  });

  it('CSV tables carry the JSON numbers', async () => {
    const json = (await get(manager, `/api/v1/reports/growth?${CURRENT}&${BASE}`)).body;
    const bridgeCsv = await get(manager, `/api/v1/reports/growth.csv?${CURRENT}&${BASE}`);
    expect(bridgeCsv.status).toBe(200);
    const rows: Array<Record<string, string>> = parse(bridgeCsv.body, { columns: true, bom: true });
    expect(rows.map((row) => row.Channel)).toEqual([...json.bridge.channels.map((c: any) => c.channel), 'total']);
    for (const row of rows) {
      const expected = row.Channel === 'total' ? json.bridge.total : json.bridge.channels.find((c: any) => c.channel === row.Channel);
      expect(
        ['Change', 'Volume effect', 'Conversion effect', 'Value effect', 'Rounding adjustment', 'Base revenue', 'Current revenue'].map((k) => Number(row[k])),
      ).toEqual([
        expected.change,
        expected.volumeEffect,
        expected.conversionEffect,
        expected.valueEffect,
        expected.roundingAdjustment,
        expected.base.revenue,
        expected.current.revenue,
      ]);
      expect(row['Base average value'] === '' ? null : Number(row['Base average value'])).toBe(expected.base.averageValue);
    }
    const weekly: Array<Record<string, string>> = parse((await get(manager, `/api/v1/reports/growth.csv?${CURRENT}&table=weekly`)).body, {
      columns: true,
      bom: true,
    });
    expect(weekly.map((w) => [w.Period, Number(w.Leads), w.Conversion === '' ? null : Number(w.Conversion), Number(w['Booked revenue'])])).toEqual(
      json.weekly.map((w: any) => [w.period, w.leads, w.conversion, w.bookedRevenue]),
    );
    const months: Array<Record<string, string>> = parse((await get(manager, `/api/v1/reports/growth.csv?${CURRENT}&table=seasonality-months`)).body, {
      columns: true,
      bom: true,
    });
    expect(months.map((m) => Number(m.Index))).toEqual(json.seasonality.byMonth.map((m: any) => m.index));
    const yoy: Array<Record<string, string>> = parse((await get(manager, `/api/v1/reports/growth.csv?${CURRENT}&table=yoy`)).body, {
      columns: true,
      bom: true,
    });
    expect(yoy.find((m) => m.Metric === 'bookedRevenue')).toMatchObject({ Current: '9400', Previous: '2000', Change: '7400', 'Change rate': '3.7' });
  });

  it('refuses bad parameters naming the field', async () => {
    const half = await get(manager, `/api/v1/reports/growth?${CURRENT}&compareFrom=2026-09-01`);
    expect(half.status).toBe(400);
    expect(half.body.message).toMatch(/compareTo/);
    const reversed = await get(manager, `/api/v1/reports/growth?${CURRENT}&compareFrom=2026-09-30&compareTo=2026-09-01`);
    expect(reversed.body.message).toMatch(/compareTo: is before compareFrom/);
    expect((await get(manager, `/api/v1/reports/growth.csv?${CURRENT}&table=pie`)).body.message).toMatch(/table/);
  });
});
