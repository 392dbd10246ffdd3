// The forecast endpoints cannot be made to compute without limit (issue #11, item 8): refresh=true and
// queries not asked before (every horizon is a cache entry) spend a per-practice budget; past it the
// answer is 429 with Retry-After and nothing is computed. A query asked before is answered from the
// cache and costs nothing; another practice has its own budget.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FORECAST_NEW_QUERIES_PER_HOUR, FORECAST_REFRESHES_PER_HOUR } from '../../server/forecast/forecast-limits.js';
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
  it('counts distinct queries per practice: past the budget 429 with Retry-After; asked-before queries stay free', async () => {
    for (let horizon = 1; horizon <= FORECAST_NEW_QUERIES_PER_HOUR; horizon++) {
      expect((await ask(a, `leads?horizon=${horizon}`)).status).toBe(200);
    }
    const refused = await ask(a, `leads?horizon=${FORECAST_NEW_QUERIES_PER_HOUR + 1}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).message).toMatch(/different forecast queries per hour/);
    expect((await ask(a, 'revenue?months=3')).status).toBe(429); // the same practice's budget
    // Asked before: cached, free.
    expect((await ask(a, 'leads?horizon=7')).status).toBe(200);
    // Another practice is not held back by this one.
    expect((await ask(b, `leads?horizon=${FORECAST_NEW_QUERIES_PER_HOUR + 1}`)).status).toBe(200);
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
