// GET /api/v1/staffing end to end: forecast calls per hour of week from the call history, staff
// needed per hour, and expected missed calls at the staffing entered against the recommended one.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
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
  const response = await t.get(`/api/v1/staffing?${TARGET}`, a.ingestKey);
  expect(response.status).toBe(200);
  body = response.body;
});
afterAll(() => t.close());

describe('GET /api/v1/staffing', () => {
  it('forecasts calls for each of the 168 hours of the week, where the history has them', () => {
    expect(body.status).toBe('ok');
    expect(body.target).toMatchObject({ ahtSeconds: 240, serviceLevel: 0.8, patienceSeconds: 60, shrinkage: 0.3, model: 'erlang-a' });
    expect(body.hours).toHaveLength(168);
    expect(body.hours[0]).toMatchObject({ weekday: 'mon', hour: 0 });
    expect(body.hours[167]).toMatchObject({ weekday: 'sun', hour: 23 });
    for (const hour of body.hours) {
      expect(hour.calls).toBeGreaterThanOrEqual(0);
      expect(hour.missedCalls).toBeGreaterThanOrEqual(0);
      expect(hour.recommendedStaff).toBeGreaterThanOrEqual(hour.agentsNeeded);
    }
    // Seeded: 20-27 calls a day Monday to Saturday between 08:00 and 17:00, none on Sunday.
    const monday = body.hours.filter((h: any) => h.weekday === 'mon');
    const mondayCalls = monday.reduce((s: number, h: any) => s + h.calls, 0);
    expect(mondayCalls).toBeGreaterThan(17);
    expect(mondayCalls).toBeLessThan(30);
    expect(monday.find((h: any) => h.hour === 10).calls).toBeGreaterThan(1);
    expect(monday.find((h: any) => h.hour === 3).calls).toBeLessThan(0.5);
    const sunday = body.hours.filter((h: any) => h.weekday === 'sun');
    expect(sunday.every((h: any) => h.calls === 0 && h.recommendedStaff === 0)).toBe(true);
    expect(body.forecast.accuracy).toMatchObject({ mase: expect.any(Number) });
  });

  it('meets the target at the recommended staffing', () => {
    for (const hour of body.hours.filter((h: any) => h.calls > 0)) {
      expect(hour.agentsNeeded).toBeGreaterThanOrEqual(1);
      expect(hour.serviceLevel).toBeGreaterThanOrEqual(0.8);
    }
    expect(body.totals.missedAtEntered).toBeNull();
  });

  it('expects more missed calls with one person on shift than at the recommended staffing', async () => {
    const response = await t.get(`/api/v1/staffing?${TARGET}&staff=1`, a.ingestKey);
    expect(response.status).toBe(200);
    const { totals, hours } = response.body;
    expect(hours.every((h: any) => h.staff === 1)).toBe(true);
    expect(totals.enteredStaffHours).toBe(168);
    expect(totals.missedAtEntered).toBeGreaterThan(totals.missedAtRecommended);
    const busy = hours.find((h: any) => h.weekday === 'mon' && h.hour === 10);
    expect(busy.staffMissedCalls).toBeGreaterThan(busy.missedCalls);
    expect(busy.staffServiceLevel).toBeLessThan(busy.serviceLevel);
  });

  it('takes 168 staff counts, one per hour of the week', async () => {
    const staff = Array.from({ length: 168 }, (_, i) => (i % 24 >= 8 && i % 24 < 18 ? 6 : 0)).join(',');
    const response = await t.get(`/api/v1/staffing?${TARGET}&staff=${staff}`, a.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body.hours[10].staff).toBe(6);
    expect(response.body.hours[3].staff).toBe(0);
    expect(response.body.totals.missedAtEntered).toBeLessThan(response.body.totals.missedAtRecommended + 1);
  });

  it('uses Erlang C without patience: nobody hangs up', async () => {
    const response = await t.get('/api/v1/staffing?ahtSeconds=240&targetSeconds=20&serviceLevel=0.8&shrinkage=0.3', a.ingestKey);
    expect(response.body.target.model).toBe('erlang-c');
    expect(response.body.totals.missedAtRecommended).toBe(0);
  });

  it.each([
    ['serviceLevel=1', /serviceLevel: must be below 1/],
    ['serviceLevel=abc', /serviceLevel: must be a number/],
    ['ahtSeconds=0', /ahtSeconds: must be at least 1/],
    ['shrinkage=1.5', /shrinkage/],
    ['staff=1,2,3', /staff: must be one whole number, or 168/],
    ['staff=-1', /staff/],
    ['agents=3', /agents/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const response = await t.get(`/api/v1/staffing?${query}`, a.ingestKey);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it("never shows practice B practice A's calls", async () => {
    const response = await t.get(`/api/v1/staffing?${TARGET}`, b.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'insufficient_history', hours: [], totals: null });
    expect(response.body.message).toMatch(/56 days/);
  });
});
