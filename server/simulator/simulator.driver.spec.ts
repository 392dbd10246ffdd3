import { jest } from '@jest/globals';
import type { IngestPort } from '../ingest/ingest.port.js';
import type { ActionFailure } from './action-applier.js';
import { InMemoryIngestPort } from './in-memory-ingest.port.js';
import { PracticeCalendar } from './practice-calendar.js';
import { demoPracticeProfile } from './practice-profile.js';
import { actionsOnDay, simulateDays } from './practice-simulator.js';
import { LiveSimulator, seedHistory } from './simulator.driver.js';

const profile = demoPracticeProfile();
const calendar = new PracticeCalendar(profile);
const staffIds = Object.fromEntries(profile.staff.map((member, i) => [member.name, `00000000-0000-4000-8000-00000000000${i}`]));
const HOUR = 3_600_000;
/** Monday 2026-03-09, 12:00 in Chicago (the day after the clocks went forward). */
const MONDAY_NOON = new Date('2026-03-09T17:00:00Z');

function useClock(now: Date): void {
  jest.useFakeTimers({ now, doNotFake: ['nextTick', 'queueMicrotask'] });
}

/** Latest timestamp stored anywhere in the port. */
function latestStored(port: InMemoryIngestPort): number {
  const times = [
    ...[...port.leads.values()].flatMap((lead) => [lead.input.createdAt, ...lead.events.map((event) => event.at)]),
    ...[...port.calls.values()].flatMap((call) => [call.startedAt, call.answeredAt, call.endedAt]),
  ];
  return Math.max(...times.map((time) => time?.getTime() ?? 0));
}

afterEach(() => jest.useRealTimers());

describe('seedHistory', () => {
  it('loads every past action through the port, one batch per day, and stops at now', async () => {
    useClock(MONDAY_NOON);
    const port = new InMemoryIngestPort();
    const progress: string[] = [];
    const report = await seedHistory(port, 'practice-1', profile, {
      from: '2026-02-01',
      to: '2026-03-20',
      seed: 5,
      staffIds,
      onProgress: ({ day }) => progress.push(day),
    });
    expect(report.failed).toBe(0);
    expect(report.days).toBe(37); // Feb 1 .. Mar 9: nothing after today
    expect(port.batches).toHaveLength(37);
    expect(progress.at(-1)).toBe('2026-03-09');
    expect(report.skippedFuture).toBeGreaterThan(0);
    expect(latestStored(port)).toBeLessThanOrEqual(MONDAY_NOON.getTime());

    // Each day's actions up to now, less the "ringing" messages of calls whose outcome is in the same day.
    const expected = [...simulateDays(profile, { from: '2026-02-01', to: '2026-03-10' }, { seed: 5, staffIds })].flatMap((day) => {
      const due = day.actions.filter((action) => action.at <= MONDAY_NOON);
      const ended = new Set(due.flatMap((action) => (action.kind === 'call' && action.input.status !== 'ringing' ? [action.input.externalId] : [])));
      return due.filter((action) => !(action.kind === 'call' && action.input.status === 'ringing' && ended.has(action.input.externalId)));
    });
    expect(report.applied).toBe(expected.length);
    expect([...port.calls.values()].filter((call) => call.status === 'ringing')).toEqual([]);
    expect(port.leads.size).toBe(expected.filter((action) => action.kind === 'lead').length);
    // Refs became real ids: every linked call and every event points at a stored lead.
    const linked = [...port.calls.values()].filter((call) => call.leadId);
    expect(linked.length).toBeGreaterThan(50);
    expect(linked.every((call) => port.leads.has(call.leadId!))).toBe(true);
    const events = [...port.leads.values()].reduce((sum, lead) => sum + lead.events.length, 0);
    expect(events).toBe(expected.filter((action) => action.kind === 'lead_event').length);
  });

  it('changes nothing when run twice (idempotent by external ids)', async () => {
    useClock(MONDAY_NOON);
    const port = new InMemoryIngestPort();
    const options = { from: '2026-03-01', to: '2026-03-10', seed: 5, staffIds };
    await seedHistory(port, 'practice-1', profile, options);
    const leads = port.leads.size;
    const again = await seedHistory(port, 'practice-1', profile, options);
    expect(again.failed).toBe(0);
    expect(port.leads.size).toBe(leads);
  });

  it('counts and reports failures without stopping, including a batch that fails to commit', async () => {
    useClock(MONDAY_NOON);
    const inner = new InMemoryIngestPort();
    let batches = 0;
    const port: IngestPort = {
      createLead: (practiceId, input) => inner.createLead(practiceId, input),
      applyLeadEvent: (practiceId, leadId, input) => inner.applyLeadEvent(practiceId, leadId, input),
      upsertCall: async () => {
        throw new Error('phone system offline');
      },
      batch: async (work) => {
        const result = await work(port);
        if (++batches === 2) throw new Error('commit failed');
        return result;
      },
    };
    const seen: ActionFailure[] = [];
    const report = await seedHistory(port, 'practice-1', profile, { from: '2026-03-02', to: '2026-03-06', seed: 5, staffIds, onError: (f) => seen.push(f) });
    expect(report.days).toBe(4);
    expect(report.failed).toBe(seen.length);
    expect(seen.some((failure) => failure.kind === 'call' && failure.message === 'phone system offline')).toBe(true);
    expect(seen.some((failure) => failure.message === 'commit failed')).toBe(true);
    expect(report.applied).toBeGreaterThan(0);
    expect(report.failures.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(report.failures)).not.toMatch(/Quimby|Zelda|555 01|example\.test/);
  });

  it('refuses to start without an id for every staff member', async () => {
    await expect(seedHistory(new InMemoryIngestPort(), 'p', profile, { from: '2026-03-01', to: '2026-03-02', seed: 1, staffIds: {} })).rejects.toThrow(
      /no staff id for Maya/,
    );
  });
});

describe('LiveSimulator', () => {
  it('applies what already happened today in one batch, then plays the rest on time, then stops cleanly', async () => {
    useClock(MONDAY_NOON);
    const port = new InMemoryIngestPort();
    const live = new LiveSimulator(port, { practiceId: 'practice-1', profile, seed: 5, staffIds });
    const today = actionsOnDay(profile, '2026-03-09', { seed: 5, staffIds });
    const past = today.filter((action) => action.at <= MONDAY_NOON).length;
    const dueAfterNoon = (until: number) => today.filter((action) => action.at > MONDAY_NOON && action.at.getTime() <= until).length;

    await live.start();
    expect(port.batches).toEqual([expect.any(Number)]);
    expect(live.stats).toMatchObject({ running: true, day: '2026-03-09', failed: 0 });
    // Everything past was applied, except "ringing" messages of calls that had already ended.
    expect(live.stats.applied).toBeLessThan(past);
    expect(live.stats.applied).toBeGreaterThan(past * 0.8);
    expect([...port.calls.values()].some((call) => call.status === 'ringing' && call.endedAt)).toBe(false);
    expect(jest.getTimerCount()).toBe(1);

    const atStart = live.stats.applied;
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    const byThree = atStart + dueAfterNoon(MONDAY_NOON.getTime() + 3 * HOUR);
    expect(live.stats.applied).toBe(byThree);
    expect(port.batches).toHaveLength(1); // live actions go one by one
    expect(latestStored(port)).toBeLessThanOrEqual(Date.now());
    expect(jest.getTimerCount()).toBe(1);

    await live.stop();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(live.stats).toMatchObject({ running: false, applied: byThree });
  });

  it("moves on to the next day at the practice's midnight", async () => {
    useClock(new Date('2026-03-10T04:30:00Z')); // 23:30 in Chicago
    const port = new InMemoryIngestPort();
    const live = new LiveSimulator(port, { practiceId: 'practice-1', profile, seed: 5, staffIds });
    await live.start();
    expect(live.stats.day).toBe('2026-03-09');
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(live.stats.day).toBe('2026-03-10');
    expect(live.stats.failed).toBe(0);
    await live.stop();
  });

  it('with speed > 1 replays the day since opening quickly with its own times, then runs on the real clock', async () => {
    useClock(MONDAY_NOON);
    const port = new InMemoryIngestPort();
    const live = new LiveSimulator(port, { practiceId: 'practice-1', profile, seed: 5, staffIds, speed: 60 });
    const today = actionsOnDay(profile, '2026-03-09', { seed: 5, staffIds });
    const opening = calendar.day('2026-03-09').open[0]!.start; // 08:00
    await live.start();
    // At once: the night before 08:00; the four open hours since replay at 60x, about four minutes.
    expect(live.stats.applied).toBeLessThanOrEqual(today.filter((action) => action.at.getTime() <= opening).length);
    expect(latestStored(port)).toBeLessThanOrEqual(opening);
    const atStart = live.stats.applied;
    await jest.advanceTimersByTimeAsync(60_000); // one real minute: 08:00-09:00 replayed
    expect(live.stats.applied).toBe(atStart + today.filter((action) => action.at.getTime() > opening && action.at.getTime() <= opening + HOUR).length);
    expect(latestStored(port)).toBeLessThanOrEqual(opening + HOUR);
    await jest.advanceTimersByTimeAsync(4 * 60_000);
    // Caught up (after 4 h / 59 ≈ 4.07 min): from here one action at a time, at its own time.
    const caughtUp = today.filter((action) => action.at.getTime() <= Date.now()).length;
    expect(live.stats.applied).toBeGreaterThan(caughtUp * 0.8);
    expect(latestStored(port)).toBeLessThanOrEqual(Date.now());
    await jest.advanceTimersByTimeAsync(2 * HOUR);
    expect(latestStored(port)).toBeLessThanOrEqual(Date.now());
    expect(live.stats.failed).toBe(0);
    // Nothing was re-stamped: every call is stored with the simulation's own times.
    const simulated = new Map(
      today.flatMap((action) => (action.kind === 'call' && action.input.status !== 'ringing' ? [[action.input.externalId, action.input]] : [])),
    );
    let checked = 0;
    for (const call of port.calls.values()) {
      const own = simulated.get(call.externalId);
      if (own) {
        expect(call.startedAt?.toISOString()).toBe(own.startedAt);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    await live.stop();
  });

  it('plays a night at its real, quiet pace: after-hours calls and leads only as the practice gets them', async () => {
    // Friday 16:00 in Chicago to Monday 10:00 (nights, a closed Saturday afternoon and Sunday, and
    // the spring DST change), at 60x: the old fast-forward played a simulated day every few real
    // minutes here, stamping each event with the real time, nights included.
    const start = new Date('2026-03-06T22:00:00Z');
    useClock(start);
    const port = new InMemoryIngestPort();
    const live = new LiveSimulator(port, { practiceId: 'p', profile, seed: 5, staffIds, speed: 60 });
    await live.start();
    await jest.advanceTimersByTimeAsync(65 * HOUR);
    expect(live.stats).toMatchObject({ day: '2026-03-09', failed: 0 });
    await live.stop();
    const end = Date.now();

    const stored = [...port.calls.values()].filter((call) => call.startedAt!.getTime() >= start.getTime() - HOUR);
    const afterHours = stored.filter((call) => !calendar.isOpen(call.startedAt!.getTime()));
    const leadsAfterHours = [...port.leads.values()].filter(
      (lead) => lead.input.createdAt!.getTime() >= start.getTime() && !calendar.isOpen(lead.input.createdAt!.getTime()),
    );
    // An independent count from the simulation itself: the night's calls and leads, one each.
    const simulated = [...simulateDays(profile, { from: '2026-03-06', to: '2026-03-10' }, { seed: 5, staffIds })].flatMap((day) => day.actions);
    const inStretch = (at: number) => at >= start.getTime() - HOUR && at <= end;
    const simulatedCalls = new Map<string, number>();
    for (const action of simulated) if (action.kind === 'call') simulatedCalls.set(action.input.externalId, Date.parse(action.input.startedAt as string));
    const simulatedAfterHours = [...simulatedCalls.values()].filter((at) => inStretch(at) && at <= end && !calendar.isOpen(at));
    const sentBy = (at: number) => at <= end;
    expect(afterHours.length).toBe(simulatedAfterHours.filter(sentBy).length);
    expect(leadsAfterHours.length).toBe(
      simulated.filter(
        (action) => action.kind === 'lead' && action.at.getTime() >= start.getTime() && action.at.getTime() <= end && !calendar.isOpen(action.at.getTime()),
      ).length,
    );
    // A realistic weekend night: a handful of voicemails, and web forms well under one open day's leads.
    const mondayLeads = simulated.filter((action) => action.kind === 'lead' && calendar.dayOf(action.at.getTime()) === '2026-03-09').length;
    expect(afterHours.length).toBeLessThanOrEqual(6);
    expect(leadsAfterHours.length).toBeLessThan(mondayLeads / 1.5);
    expect(stored.length).toBeGreaterThan(3);
    for (const call of afterHours) expect(['voicemail', 'missed', 'abandoned']).toContain(call.status);
  });

  it('holds events of history leads until the history is seeded, then sends them', async () => {
    useClock(MONDAY_NOON);
    const unheld = new LiveSimulator(new InMemoryIngestPort(), { practiceId: 'p', profile, seed: 5, staffIds });
    await unheld.start();
    let seeded!: () => void;
    const history = new Promise<void>((resolve) => (seeded = resolve));
    const port = new InMemoryIngestPort();
    const held = new LiveSimulator(port, { practiceId: 'p', profile, seed: 5, staffIds, holdHistoryUntil: history });
    await held.start();
    const dayStart = calendar.day('2026-03-09').start;
    const earlier = [...port.leads.values()].filter((lead) => lead.input.createdAt!.getTime() < dayStart);
    // Nothing happened to a lead from before today while its history was still loading.
    expect(earlier.every((lead) => lead.events.length === 0)).toBe(true);
    expect(held.stats.applied).toBeLessThan(unheld.stats.applied);
    seeded();
    await jest.advanceTimersByTimeAsync(0);
    await held.stop();
    expect(held.stats.applied).toBe(unheld.stats.applied);
    expect(held.stats.failed).toBe(0);
    await unheld.stop();
  });

  it('reports a failing action and keeps going', async () => {
    useClock(MONDAY_NOON);
    const inner = new InMemoryIngestPort();
    const port: IngestPort = Object.assign(Object.create(inner) as InMemoryIngestPort, {
      upsertCall: async () => {
        throw new Error('phone system offline');
      },
    });
    const failures: ActionFailure[] = [];
    const live = new LiveSimulator(port, { practiceId: 'practice-1', profile, seed: 5, staffIds, onError: (f) => failures.push(f) });
    await live.start();
    await jest.advanceTimersByTimeAsync(4 * HOUR);
    expect(failures.length).toBeGreaterThan(0);
    expect(live.stats.failed).toBe(failures.length);
    expect(inner.leads.size).toBeGreaterThan(5);
    expect(jest.getTimerCount()).toBe(1);
    await live.stop();
  });
});
