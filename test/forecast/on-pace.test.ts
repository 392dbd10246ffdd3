// The TV board's on-pace tile: a practice with months of history gets today's expected new-patient
// leads by now with an 80% band at board rebuild; a practice without (enough) history gets null.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { seedLeadHistory } from './seed-history.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let c: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'With history' });
  b = await t.createPractice({ name: 'New practice' });
  c = await t.createPractice({ name: 'Six weeks old' });
  await seedLeadHistory(t, a.practiceId, { days: 120 });
  await seedLeadHistory(t, c.practiceId, { days: 42 });
});
afterAll(() => t.close());

describe('onPace on GET /api/v1/board', () => {
  it('is filled for a practice with history, and counts a lead posted today', async () => {
    const before = await t.get('/api/v1/board', a.displayToken);
    expect(before.status).toBe(200);
    const onPace = before.body.state.onPace;
    expect(onPace).not.toBeNull();
    expect(onPace.actual).toBe(before.body.state.leads.newPatients);
    expect(onPace.low).toBeGreaterThanOrEqual(0);
    expect(onPace.low).toBeLessThanOrEqual(onPace.high);
    expect(onPace.expectedByNow).toBeGreaterThanOrEqual(0);
    expect(onPace.expectedByNow).toBeLessThanOrEqual(onPace.expectedToday + 1e-9);
    // Expected for the day in line with this weekday's history (Sunday: closed, 0).
    const weekday = new Date(`${before.body.state.day}T12:00:00Z`).getUTCDay();
    if (weekday === 0) expect(onPace.expectedToday).toBe(0);
    else {
      expect(onPace.expectedToday).toBeGreaterThan(0.5);
      expect(onPace.expectedToday).toBeLessThan(12);
    }
    const expectedStatus = onPace.actual > onPace.high ? 'ahead' : onPace.actual < onPace.low ? 'behind' : 'on_pace';
    expect(onPace.status).toBe(expectedStatus);

    const posted = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form' });
    expect(posted.status).toBe(201);
    let after: any;
    for (let attempt = 0; attempt < 20; attempt++) {
      after = (await t.get('/api/v1/board', a.displayToken)).body.state;
      if (after.onPace.actual === onPace.actual + 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(after.onPace.actual).toBe(onPace.actual + 1);
    expect(after.onPace.expectedToday).toBe(onPace.expectedToday);
  });

  it('is null for a practice without history', async () => {
    const response = await t.get('/api/v1/board', b.displayToken);
    expect(response.status).toBe(200);
    expect(response.body.state.onPace).toBeNull();
  });

  it('is null with less than 8 weeks of history', async () => {
    const response = await t.get('/api/v1/board', c.displayToken);
    expect(response.status).toBe(200);
    expect(response.body.state.onPace).toBeNull();
  });
});
