// "Today" is the practice's today: the board rebuilt from PostgreSQL on both daylight-saving days of
// a practice in America/Chicago counts the right leads in the right wall-clock hours.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BoardLoader } from '../../server/live/board-loader.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let p: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  p = await t.createPractice({ name: 'Chicago Dental', timeZone: 'America/Chicago' });
});
afterAll(() => t.close());

async function postLeadsAt(times: string[]) {
  for (const createdAt of times) {
    const response = await t.post('/api/v1/leads', p.ingestKey, { channel: 'phone', createdAt });
    expect(response.status).toBe(201);
  }
}

async function boardAt(now: string) {
  const board = await t.app.get(BoardLoader).load(p.practiceId, new Date(now));
  return board.toState(new Date(now));
}

describe('board on daylight-saving days', () => {
  it('fall back (1 Nov 2026): a 25-hour day with 01:00 twice', async () => {
    await postLeadsAt([
      '2026-11-01T04:59:00Z', // 31 Oct 23:59 CDT: yesterday
      '2026-11-01T05:30:00Z', // 00:30 CDT
      '2026-11-01T06:30:00Z', // 01:30 CDT (first 01:00)
      '2026-11-01T07:30:00Z', // 01:30 CST (second 01:00)
      '2026-11-01T15:30:00Z', // 09:30 CST
      '2026-11-02T05:59:00Z', // 23:59 CST: still 1 Nov
      '2026-11-02T06:00:00Z', // 2 Nov 00:00 CST: tomorrow
    ]);
    const state = await boardAt('2026-11-02T05:59:30Z');
    expect(state.day).toBe('2026-11-01');
    expect(state.leads.newPatients).toBe(5);
    expect(state.hourly).toHaveLength(25);
    expect(state.hourly.map((h) => `${h.label}=${h.leads}`).filter((h) => !h.endsWith('=0'))).toEqual(['00:00=1', '01:00=1', '01:00=1', '09:00=1', '23:00=1']);
  });

  it('spring forward (8 Mar 2026): a 23-hour day without 02:00', async () => {
    await postLeadsAt([
      '2026-03-08T05:59:00Z', // 7 Mar 23:59 CST: yesterday
      '2026-03-08T07:30:00Z', // 01:30 CST
      '2026-03-08T08:30:00Z', // 03:30 CDT
      '2026-03-09T04:30:00Z', // 23:30 CDT: still 8 Mar
      '2026-03-09T05:00:00Z', // 9 Mar 00:00 CDT: tomorrow
    ]);
    const state = await boardAt('2026-03-08T20:00:00Z');
    expect(state.day).toBe('2026-03-08');
    expect(state.hourly).toHaveLength(23);
    expect(state.hourly.map((h) => h.label)).not.toContain('02:00');
    // At 15:00 CDT the 23:30 lead has not happened yet on the board's clock: hours to come are null.
    expect(state.hourly.find((h) => h.label === '23:00')!.leads).toBeNull();
    const late = await boardAt('2026-03-09T04:59:00Z');
    expect(late.leads.newPatients).toBe(3);
    expect(late.hourly.map((h) => `${h.label}=${h.leads}`).filter((h) => !h.endsWith('=0'))).toEqual(['01:00=1', '03:00=1', '23:00=1']);
  });
});
