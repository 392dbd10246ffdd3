// One forecast per series and practice-day, whatever the window: the lead API at two horizons, the
// revenue API at two month counts and the Goals view over two ranges give identical figures for the
// same month; the lead total's month in the revenue API is the lead API's. Real PostgreSQL.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';
import { seedLeadHistory } from './seed-history.js';

let t: TestApp;
let a: TestPractice;
let manager: Session;
let thisMonth: string;

const monthAfter = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
};

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A' });
  await seedLeadHistory(t, a.practiceId, { days: 430 });
  await createUser(t, a.practiceId, 'manager@consistency.test', 'manager');
  manager = await login(t, 'manager@consistency.test');
  thisMonth = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' }).slice(0, 7);
});
afterAll(() => t.close());

describe('one forecast per series and day', () => {
  it('gives the revenue API the same months at months=2 and months=12 (and the 2-month total is the sum of its window)', async () => {
    const short = (await t.get('/api/v1/forecasts/revenue?months=2', a.ingestKey)).body;
    const long = (await t.get('/api/v1/forecasts/revenue?months=12', a.ingestKey)).body;
    expect(short.status).toBe('ok');
    expect(long.monthly).toHaveLength(12);
    expect(short.monthly).toEqual(long.monthly.slice(0, 2));
    expect(short.forecastDay).toBe(long.forecastDay);
    expect(short.total.mean).toBeCloseTo(short.monthly[0].revenue.mean + short.monthly[1].revenue.mean, 1);
    expect(short.total.hi80).toBeLessThanOrEqual(long.total.hi80);
  });

  it('gives the lead API the same days, weeks and months at horizon=45 and horizon=300', async () => {
    const short = (await t.get('/api/v1/forecasts/leads?horizon=45&by=channel', a.ingestKey)).body;
    const long = (await t.get('/api/v1/forecasts/leads?horizon=300&by=channel', a.ingestKey)).body;
    expect(short.total.daily).toEqual(long.total.daily.slice(0, 45));
    expect(short.total.monthly.length).toBeGreaterThanOrEqual(1);
    expect(short.total.monthly).toEqual(long.total.monthly.slice(0, short.total.monthly.length));
    expect(short.total.weekly).toEqual(long.total.weekly.slice(0, short.total.weekly.length));
    expect(short.channels).toEqual(
      long.channels.map((channel: any) => ({
        ...channel,
        daily: channel.daily.slice(0, 45),
        weekly: channel.weekly.slice(0, short.channels[0].weekly.length),
        monthly: channel.monthly.slice(0, short.channels[0].monthly.length),
      })),
    );
    // Only months the horizon covers to their end.
    for (const month of long.total.monthly.slice(1))
      expect(month.forecastDays).toBe(new Date(Date.UTC(Number(month.month.slice(0, 4)), Number(month.month.slice(5, 7)), 0)).getUTCDate());
  });

  it("puts the lead API's month total in the revenue API's leads for that month", async () => {
    const leads = (await t.get('/api/v1/forecasts/leads?horizon=365', a.ingestKey)).body;
    const revenue = (await t.get('/api/v1/forecasts/revenue?months=6', a.ingestKey)).body;
    for (let i = 1; i < 6; i++) {
      const month = leads.total.monthly[i];
      expect(revenue.monthly[i].month).toBe(month.month);
      expect(revenue.monthly[i].leads).toEqual({ mean: month.mean, lo80: month.lo80, hi80: month.hi80, lo95: month.lo95, hi95: month.hi95 });
    }
    // The current month: the lead API adds the leads already in; the revenue API reports them apart.
    expect(leads.total.monthly[0].mean).toBeCloseTo(revenue.monthly[0].leads.mean + leads.total.monthly[0].actualToDate, 1);
    expect(revenue.monthlyAccuracy).toEqual(leads.total.monthlyAccuracy);
    expect(revenue.patterns).toEqual(leads.total.patterns);
  });

  it('gives the Goals view the same forecast finish for next month over a 2-month and a 12-month range', async () => {
    const next = monthAfter(thisMonth, 1);
    const get = async (to: string) => (await send(t, 'GET', `/api/v1/reports/goals?from=${thisMonth}&to=${to}`, { cookie: manager.cookie })).body;
    const short = await get(next);
    const long = await get(monthAfter(thisMonth, 11));
    expect(short.forecastStatus).toBe('ok');
    const finish = (report: any, metric: string) => report.rows.find((row: any) => row.month === next && row.metric === metric).forecast;
    for (const metric of ['leads', 'bookings', 'revenue']) {
      expect(finish(short, metric)).not.toBeNull();
      expect(finish(short, metric)).toEqual(finish(long, metric));
    }
  });

  it('recomputes the same figures on refresh (seeded by practice and day)', async () => {
    const before = (await t.get('/api/v1/forecasts/revenue?months=3', a.ingestKey)).body;
    const after = (await t.get('/api/v1/forecasts/revenue?months=3&refresh=true', a.ingestKey)).body;
    expect(after.generatedAt).not.toBe(before.generatedAt);
    expect(after.monthly).toEqual(before.monthly);
  });
});
