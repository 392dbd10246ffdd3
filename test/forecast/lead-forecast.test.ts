// GET /api/v1/forecasts/leads end to end on a real PostgreSQL: a practice with a year of history
// gets daily and monthly forecasts with ordered, non-negative intervals and accuracy beside them;
// bad parameters are a 400 naming the parameter; a practice never sees another's forecast; too
// little history is said plainly.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { seedLeadHistory } from './seed-history.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let c: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'Europe/London' });
  c = await t.createPractice({ name: 'Practice C' });
  await seedLeadHistory(t, a.practiceId, { days: 400 });
  await seedLeadHistory(t, c.practiceId, { days: 30 });
});
afterAll(() => t.close());

function expectOrdered(interval: { mean: number; lo80: number; hi80: number; lo95: number; hi95: number }) {
  expect(interval.lo95).toBeGreaterThanOrEqual(0);
  expect(interval.lo95).toBeLessThanOrEqual(interval.lo80);
  expect(interval.lo80).toBeLessThanOrEqual(interval.mean);
  expect(interval.mean).toBeLessThanOrEqual(interval.hi80);
  expect(interval.hi80).toBeLessThanOrEqual(interval.hi95);
}

describe('GET /api/v1/forecasts/leads', () => {
  let body: any;

  beforeAll(async () => {
    const response = await t.get('/api/v1/forecasts/leads?horizon=90&by=channel', a.ingestKey);
    expect(response.status).toBe(200);
    body = response.body;
  });

  it('forecasts 90 days from today with ordered, non-negative count intervals', () => {
    expect(body.status).toBe('ok');
    expect(body.total.daily).toHaveLength(90);
    for (const point of body.total.daily) {
      expectOrdered(point);
      for (const bound of [point.lo80, point.hi80, point.lo95, point.hi95]) expect(Number.isInteger(bound)).toBe(true);
    }
    expect(body.total.daily[0].date).toBe(new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' }));
  });

  it('treats Sundays as closed (no hours, no leads in the history) and forecasts 0 for them', () => {
    expect(body.closedDays.weekdays).toEqual(['sun']);
    const sundays = body.total.daily.filter((p: any) => new Date(`${p.date}T12:00:00Z`).getUTCDay() === 0);
    expect(sundays.length).toBeGreaterThanOrEqual(12);
    for (const sunday of sundays) expect(sunday).toMatchObject({ closed: true, mean: 0, hi95: 0 });
  });

  it('shows the backtest accuracy beside the forecast, with the seasonal naive baseline', () => {
    const accuracy = body.total.accuracy;
    expect(typeof accuracy.model).toBe('string');
    for (const field of ['mase', 'smape', 'coverage80', 'coverage95', 'seasonalNaiveMase']) expect(typeof accuracy[field]).toBe('number');
    expect(accuracy.coverage80).toBeGreaterThanOrEqual(0);
    expect(accuracy.coverage95).toBeLessThanOrEqual(1);
    expect(accuracy.mase).toBeLessThanOrEqual(accuracy.seasonalNaiveMase + 1e-9);
  });

  it('gives monthly totals with simulated intervals, sensible against the history', () => {
    const monthly = body.total.monthly;
    expect(monthly.length).toBeGreaterThanOrEqual(3);
    for (const month of monthly) expectOrdered(month);
    // A whole month ahead against the average of the last three whole months of history.
    const full = body.history.monthly.filter((m: any) => m.days >= 28).slice(-3);
    const average = full.reduce((s: number, m: any) => s + m.leads, 0) / full.length;
    const next = monthly[1];
    expect(next.forecastDays).toBeGreaterThanOrEqual(28);
    expect(next.mean).toBeGreaterThan(0.8 * average);
    expect(next.mean).toBeLessThan(1.2 * average);
    // The current month counts the leads already in before today.
    expect(monthly[0].actualToDate).toBeGreaterThanOrEqual(0);
    expect(monthly[0].mean).toBeGreaterThanOrEqual(monthly[0].actualToDate);
  });

  it('with by=channel forecasts each channel, and the channels add up to about the total', () => {
    expect(body.channels.map((ch: any) => ch.series)).toEqual(['phone', 'referral', 'web_form']);
    const sum = body.channels.reduce((s: number, ch: any) => s + ch.monthly[1].mean, 0);
    expect(sum / body.total.monthly[1].mean).toBeGreaterThan(0.85);
    expect(sum / body.total.monthly[1].mean).toBeLessThan(1.15);
    for (const channel of body.channels) {
      expect(channel.accuracy).not.toBeNull();
      for (const point of channel.daily) expectOrdered(point);
    }
  });

  it('answers from the cache until refresh=true', async () => {
    const started = Date.now();
    const again = await t.get('/api/v1/forecasts/leads?horizon=90&by=channel', a.ingestKey);
    expect(Date.now() - started).toBeLessThan(500);
    expect(again.body.generatedAt).toBe(body.generatedAt);
    const refreshed = await t.get('/api/v1/forecasts/leads?horizon=90&by=channel&refresh=true', a.ingestKey);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.generatedAt).not.toBe(body.generatedAt);
    expect(refreshed.body.total.daily).toEqual(body.total.daily);
  });

  it('defaults to 90 days and the total only', async () => {
    const response = await t.get('/api/v1/forecasts/leads', a.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body.horizon).toBe(90);
    expect(response.body.channels).toBeNull();
  });

  it.each([
    ['horizon=0', /horizon: must be at least 1/],
    ['horizon=abc', /horizon: must be a whole number/],
    ['horizon=1000', /horizon: must be at most 365/],
    ['horizon=7.5', /horizon/],
    ['by=source', /by:/],
    ['refresh=maybe', /refresh:/],
    ['horizen=30', /horizen/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const response = await t.get(`/api/v1/forecasts/leads?${query}`, a.ingestKey);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('needs an ingest key or a login; a display token is refused', async () => {
    expect((await t.get('/api/v1/forecasts/leads', null)).status).toBe(401);
    expect((await t.get('/api/v1/forecasts/leads', b.displayToken)).status).toBe(403);
  });

  it("never shows practice B practice A's forecast", async () => {
    const response = await t.get('/api/v1/forecasts/leads?horizon=90&by=channel', b.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('insufficient_history');
    expect(response.body.history.days).toBe(0);
    expect(response.body.total).toBeNull();
    expect(response.body.practice.timeZone).toBe('Europe/London');
  });

  it('says plainly when there is too little history', async () => {
    const response = await t.get('/api/v1/forecasts/leads', c.ingestKey);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'insufficient_history', total: null, channels: null });
    expect(response.body.history.days).toBeGreaterThan(0);
    expect(response.body.history.days).toBeLessThan(56);
    expect(response.body.message).toMatch(/at least 56 days/);
  });
});
