// The demo is as busy as a real multi-chair practice's desk, and a demo created when it was quieter
// keeps its own traffic after a restart: its live days must match the history it was seeded with
// (forecasts and the on-pace tile read that history), and a restart never rewrites history.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { AppConfig } from '../../server/config/app-config.js';
import { DEMO_SEED, DemoService } from '../../server/demo/demo.service.js';
import { actionsOnDay } from '../../server/simulator/practice-simulator.js';
import { LeadForecastService } from '../../server/forecast/lead-forecast.service.js';
import { PracticeDay } from '../../server/live/practice-day.js';
import { demoPracticeProfile, quietDemoTraffic } from '../../server/simulator/practice-profile.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const configIn = (dataDir: string) => ({ dataDir }) as AppConfig;

it('keeps the quiet traffic of a demo whose credentials file predates busy demos', async () => {
  const old = await t.createPractice({ name: 'Old demo' });
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-traffic-'));
  const { practiceId, ingestKey, displayToken } = { practiceId: old.practiceId, ingestKey: old.ingestKey, displayToken: old.displayToken };
  writeFileSync(join(dataDir, 'demo-credentials.json'), JSON.stringify({ practiceId, ingestKey, displayToken }));
  const demo = t.app.get(DemoService);
  expect((await demo.ensureDemo(configIn(dataDir)))?.practiceId).toBe(practiceId);
  const playing = await demo.profileOf(practiceId);
  const quiet = quietDemoTraffic(demoPracticeProfile());
  expect(playing.leads.basePerOpenDay).toBe(quiet.leads.basePerOpenDay);
  expect(playing.phone.otherCallsPerPhoneLead).toBe(quiet.phone.otherCallsPerPhoneLead);
  expect(playing.leads.basePerOpenDay).toBeLessThan(demoPracticeProfile().leads.basePerOpenDay);
});

it('plays and records the busy traffic for a demo created now', async () => {
  // A database with other practices gets no demo: this one starts empty.
  const fresh = await startTestApp();
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-traffic-'));
    const demo = fresh.app.get(DemoService);
    const created = await demo.ensureDemo(configIn(dataDir));
    expect(created).not.toBeNull();
    expect(JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'))).toMatchObject({ volume: 'busy' });
    expect((await demo.profileOf(created!.practiceId)).leads.basePerOpenDay).toBe(demoPracticeProfile().leads.basePerOpenDay);
  } finally {
    await fresh.close();
  }
});

it('has the on-pace curve today once the history is in, though the board first asked before any history', async () => {
  const fresh = await startTestApp();
  try {
    const demo = fresh.app.get(DemoService);
    const created = (await demo.ensureDemo(configIn(mkdtempSync(join(tmpdir(), 'demo-traffic-')))))!;
    const { timeZone } = await demo.profileOf(created.practiceId);
    const today = () => PracticeDay.containing(timeZone, new Date());
    const forecaster = fresh.app.get(LeadForecastService);
    // What the board sees at start-up, while the history is still loading: no forecast yet.
    expect(await forecaster.todayCurve(created.practiceId, today())).toBeNull();
    await demo.seedHistory(created.practiceId, undefined, 70);
    const curve = await forecaster.todayCurve(created.practiceId, today());
    expect(curve).not.toBeNull();
    // History and the live day come from the same profile: the forecast expects about the new-patient
    // leads the simulator plays today (one day's count: a wide band, which a 3x mismatch still fails).
    const profile = await demo.profileOf(created.practiceId);
    const playedToday = actionsOnDay(profile, today().date, { seed: DEMO_SEED, staffIds: {} }).filter(
      (action) => action.kind === 'lead' && action.input.isNewPatient !== false && action.at >= today().start && action.at < today().end,
    ).length;
    expect(playedToday).toBeGreaterThan(curve!.expectedToday * 0.5);
    expect(playedToday).toBeLessThan(curve!.expectedToday * 1.6);
  } finally {
    await fresh.close();
  }
}, 300_000);
