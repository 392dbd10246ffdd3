// The forecast endpoints cannot be made to compute without limit (issue #11, item 8). Forecasts are
// computed once per practice-day and every window is a slice of them, so any number of different
// queries costs nothing more; refresh=true recomputes and spends a per-practice budget; past it the
// answer is 429 with Retry-After and nothing is computed. Another practice has its own budget.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FORECAST_REFRESHES_PER_HOUR } from '../../server/forecast/forecast-limits.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Forecast A' });
  b = await t.createPractice({ name: 'Forecast B' });
});
afterAll(() => t.close());

const ask = (practice: TestPractice, query: string) =>
  fetch(`${t.url}/api/v1/forecasts/${query}`, { headers: { authorization: `Bearer ${practice.ingestKey}` } });

describe('forecast limits', () => {
  it('answers any number of different windows: each is a slice of the one daily forecast', async () => {
    for (let horizon = 1; horizon <= 40; horizon++) expect((await ask(a, `leads?horizon=${horizon}`)).status).toBe(200);
    for (let months = 1; months <= 12; months++) expect((await ask(a, `revenue?months=${months}`)).status).toBe(200);
  });

  it(`allows ${FORECAST_REFRESHES_PER_HOUR} refreshes per hour per practice`, async () => {
    for (let i = 0; i < FORECAST_REFRESHES_PER_HOUR; i++) expect((await ask(b, 'revenue?months=6&refresh=true')).status).toBe(200);
    const refused = await ask(b, 'leads?horizon=30&refresh=true');
    expect(refused.status).toBe(429);
    expect((await refused.json()).message).toMatch(/refresh=true/);
    const staffing = await fetch(`${t.url}/api/v1/staffing?refresh=true`, { headers: { authorization: `Bearer ${b.ingestKey}` } });
    expect(staffing.status).toBe(429);
    expect((await ask(b, 'revenue?months=6')).status).toBe(200); // the cached answer is still there
  });
});
