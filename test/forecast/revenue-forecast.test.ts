// GET /api/v1/forecasts/revenue end to end: monthly expected new-patient revenue with ordered
// ranges, booking rates and values from the history, goals beside each month, 400 on bad params,
// practice isolation and the too-little-history answer.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { seedLeadHistory } from './seed-history.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let body: any;

const monthOffset = (n: number) => {
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
  const [y, m] = today.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  await seedLeadHistory(t, a.practiceId, { days: 400 });
  await t.query(`INSERT INTO goal (practice_id, month, metric, target) VALUES ($1, $2, 'revenue', 50000), ($1, $2, 'leads', 120), ($1, $3, 'revenue', 55000)`, [
    a.practiceId,
    monthOffset(1),
    monthOffset(2),
  ]);
  // B's goal must never show up in A's answer, and the other way round.
  await t.query(`INSERT INTO goal (practice_id, month, metric, target) VALUES ($1, $2, 'revenue', 999)`, [b.practiceId, monthOffset(1)]);
  const response = await t.get('/api/v1/forecasts/revenue?months=6', a.ingestKey);
  expect(response.status).toBe(200);
  body = response.body;
});
afterAll(() => t.close());

describe('GET /api/v1/forecasts/revenue', () => {
  it('projects each month with ordered, non-negative ranges', () => {
    expect(body.status).toBe('ok');
    expect(body.currency).toBe('USD');
    expect(body.monthly).toHaveLength(6);
    expect(body.monthly[0].month).toBe(monthOffset(0).slice(0, 7));
    for (const month of body.monthly) {
      const r = month.revenue;
      expect(r.lo95).toBeGreaterThanOrEqual(0);
      expect(r.lo95).toBeLessThanOrEqual(r.lo80);
      expect(r.lo80).toBeLessThanOrEqual(r.mean);
      expect(r.mean).toBeLessThanOrEqual(r.hi80);
      expect(r.hi80).toBeLessThanOrEqual(r.hi95);
    }
    expect(body.total.mean).toBeCloseTo(
      body.monthly.reduce((s: number, m: any) => s + m.revenue.mean, 0),
      -1,
    );
  });

  it('is leads x booking rate x value per booked patient, in line with the history', () => {
    // The seeded history books every third lead at 1000-2500.
    for (const channel of body.assumptions.channels) {
      expect(channel.bookingRate).toBeGreaterThan(0.2);
      expect(channel.bookingRate).toBeLessThan(0.5);
      expect(channel.valuePerBooked).toBeGreaterThanOrEqual(1000);
      expect(channel.valuePerBooked).toBeLessThanOrEqual(2500);
    }
    const next = body.monthly[1];
    const recent = body.history.filter((m: any) => m.month < monthOffset(0).slice(0, 7)).slice(-3);
    const historyRevenue = recent.reduce((s: number, m: any) => s + m.revenue, 0) / recent.length;
    expect(next.revenue.mean).toBeGreaterThan(0.7 * historyRevenue);
    expect(next.revenue.mean).toBeLessThan(1.3 * historyRevenue);
    expect(next.bookings).toBeGreaterThan(0.25 * next.leads.mean);
    expect(next.bookings).toBeLessThan(0.45 * next.leads.mean);
    expect(body.accuracy).toMatchObject({ mase: expect.any(Number), coverage80: expect.any(Number) });
  });

  it('puts the practice goals beside the months they belong to', () => {
    expect(body.monthly[1].goals).toEqual({ leads: 120, bookings: null, revenue: 50000 });
    expect(body.monthly[2].goals).toEqual({ leads: null, bookings: null, revenue: 55000 });
    expect(body.monthly[3].goals).toEqual({ leads: null, bookings: null, revenue: null });
    expect(body.monthly[0].actualToDate).not.toBeNull();
  });

  it.each([
    ['months=0', /months: must be at least 1/],
    ['months=25', /months: must be at most 24/],
    ['months=x', /months: must be a whole number/],
    ['month=3', /month/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const response = await t.get(`/api/v1/forecasts/revenue?${query}`, a.ingestKey);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it("shows practice B neither A's projection nor A's goals", async () => {
    const response = await t.get('/api/v1/forecasts/revenue?months=6', b.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('insufficient_history');
    expect(response.body.monthly).toEqual([]);
    expect(response.body.history).toEqual([]);
    expect(JSON.stringify(response.body.monthly)).not.toMatch(/50000|55000/);
    expect(body.monthly.concat(body.history).some((m: any) => m.goals.revenue === 999)).toBe(false);
  });
});
