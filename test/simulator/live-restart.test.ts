// The live simulator on a real database, restarted: the second start continues the day and never
// rewrites it. Every call keeps the times it was first stored with (they are the simulation's own),
// nothing is refused (no `call_callback_after_start`), and nothing is stamped ahead of the clock.
// The practice sits in a fixed-offset zone where it is 13:00 now and opens every day, so the day
// so far has traffic whenever the test runs.
// (The simulator that stamped events with the time they were sent fails it: its calls moved on restart.)

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import type { ActionFailure } from '../../server/simulator/action-applier.js';
import { IngestService } from '../../server/ingest/ingest.service.js';
import { PracticeCalendar } from '../../server/simulator/practice-calendar.js';
import { demoPracticeProfile, type PracticeProfile } from '../../server/simulator/practice-profile.js';
import { actionsOnDay } from '../../server/simulator/practice-simulator.js';
import { LiveSimulator } from '../../server/simulator/simulator.driver.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let p: TestPractice;
let profile: PracticeProfile;
const SEED = 'restart';

/** 'Etc/GMT-N' is UTC+N (POSIX sign): the whole-hour zone where it is about 13:00 now. */
function zoneAtOneOClock(now: Date): string {
  const offset = 13 - now.getUTCHours();
  const hours = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
  return hours === 0 ? 'Etc/UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

beforeAll(async () => {
  t = await startTestApp();
  const base = demoPracticeProfile();
  const everyDay = [['08:00', '18:00']] as Array<[string, string]>;
  const openingHours = { mon: everyDay, tue: everyDay, wed: everyDay, thu: everyDay, fri: everyDay, sat: everyDay, sun: everyDay };
  // Busy (100 enquiries a day instead of 14), so that the seconds each run lasts hold calls.
  profile = {
    ...base,
    timeZone: zoneAtOneOClock(new Date()),
    openingHours,
    holidays: { country: 'US', closedOn: [] },
    leads: { ...base.leads, basePerOpenDay: 100 },
  };
  p = await t.createPractice({ name: 'Restart', timeZone: profile.timeZone, staff: profile.staff.map((member) => member.name) });
  await t.query(`UPDATE practice SET opening_hours = $2 WHERE id = $1`, [p.practiceId, JSON.stringify(openingHours)]);
});
afterAll(() => t.close());

async function run(seconds: number): Promise<{ failures: ActionFailure[]; applied: number }> {
  const failures: ActionFailure[] = [];
  const live = new LiveSimulator(t.app.get(IngestService), {
    practiceId: p.practiceId,
    profile,
    seed: SEED,
    staffIds: p.staff,
    // The fastest catch-up allowed (SIMULATOR_SPEED <= 3600): the day since 08:00 replays in seconds.
    speed: 3600,
    onError: (failure) => failures.push(failure),
  });
  await live.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await live.stop();
  return { failures, applied: live.stats.applied };
}

type CallRow = { external_id: string; status: string; started_at: Date; answered_at: Date | null; ended_at: Date | null };
const calls = () =>
  t.query<CallRow>(`SELECT external_id, status, started_at, answered_at, ended_at FROM call WHERE practice_id = $1 ORDER BY external_id`, [p.practiceId]);

it('continues the day after a restart: nothing moves, nothing is refused, nothing is ahead of the clock', async () => {
  const first = await run(4);
  expect(first.failures).toEqual([]);
  const before = await calls();
  expect(before.length).toBeGreaterThan(3);

  const second = await run(4);
  expect(second.failures).toEqual([]);
  const after = await calls();
  const byId = new Map(after.map((row) => [row.external_id, row]));
  for (const row of before) {
    const again = byId.get(row.external_id);
    expect(again).toBeDefined();
    expect(again!.started_at.toISOString()).toBe(row.started_at.toISOString());
    if (row.status !== 'ringing') {
      expect(again!.status).toBe(row.status);
      expect(again!.ended_at?.toISOString()).toBe(row.ended_at?.toISOString());
    }
  }

  // Every stored call carries the simulation's own times for it, and none is in the future.
  const today = DateTime.now().setZone(profile.timeZone).toISODate()!;
  const simulated = new Map<string, string>();
  for (const action of actionsOnDay(profile, today, { seed: SEED, staffIds: p.staff })) {
    if (action.kind === 'call') simulated.set(action.input.externalId, action.input.startedAt as string);
  }
  const now = Date.now();
  for (const row of after) {
    expect(row.started_at.toISOString()).toBe(simulated.get(row.external_id));
    expect(row.started_at.getTime()).toBeLessThanOrEqual(now);
    if (row.ended_at) expect(row.ended_at.getTime()).toBeLessThanOrEqual(now);
  }
  // What the database calls after hours is exactly the simulation's own night calls (a few
  // voicemails before 08:00), not traffic stamped at the hour it happened to be sent.
  const calendar = new PracticeCalendar(profile);
  const [{ after_hours: afterHours }] = await t.query(`SELECT count(*)::int AS after_hours FROM call WHERE practice_id = $1 AND after_hours`, [p.practiceId]);
  const expectedAfterHours = after.filter((row) => !calendar.isOpen(Date.parse(simulated.get(row.external_id)!))).length;
  expect(afterHours).toBe(expectedAfterHours);
  expect(afterHours).toBeLessThan(after.length * 0.2);
  const [{ future }] = await t.query(`SELECT count(*)::int AS future FROM lead WHERE practice_id = $1 AND (created_at > now() OR first_response_at > now())`, [
    p.practiceId,
  ]);
  expect(future).toBe(0);
});
