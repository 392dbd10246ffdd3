import { callSchema } from '../calls/call.schema.js';
import { createLeadSchema, leadEventSchema } from '../leads/lead.schemas.js';
import { FAKE_EMAIL_DOMAIN, FAKE_FIRST_NAMES, FAKE_LAST_NAMES, FAKE_PHONE_PREFIX } from './fake-patients.js';
import { addDays } from '../common/local-date.js';
import { PracticeCalendar } from './practice-calendar.js';
import { demoPracticeProfile, type PracticeProfile } from './practice-profile.js';
import { actionsOnDay, simulateDay, simulateDays, simulatedStaffId, speedToLeadFactor, type LeadAction, type SimulatedAction } from './practice-simulator.js';

const profile = demoPracticeProfile();
const calendar = new PracticeCalendar(profile);
const MINUTE = 60_000;

function range(from: string, to: string, seed: number | string = 42, practice: PracticeProfile = profile): SimulatedAction[] {
  return [...simulateDays(practice, { from, to }, { seed })].flatMap((day) => day.actions);
}

const leadsOf = (actions: SimulatedAction[]) => actions.filter((action): action is LeadAction => action.kind === 'lead');

/** Per lead: minutes to first response (if any) and whether it booked. */
function outcomes(actions: SimulatedAction[]) {
  const byRef = new Map<string, { channel: string; arrivedAt: number; firstResponse?: number; booked: boolean }>();
  for (const action of actions) {
    if (action.kind === 'lead') {
      byRef.set(action.ref, { channel: action.input.channel, arrivedAt: action.at.getTime(), booked: false });
    } else if (action.kind === 'lead_event') {
      const lead = byRef.get(action.ref);
      if (!lead) continue;
      if (action.input.type === 'responded' && lead.firstResponse === undefined) {
        lead.firstResponse = (action.at.getTime() - lead.arrivedAt) / MINUTE;
      }
      if (action.input.type === 'booked') lead.booked = true;
    }
  }
  return [...byRef.values()];
}

function bookingRate(leads: ReturnType<typeof outcomes>): number {
  return leads.filter((lead) => lead.booked).length / leads.length;
}

/** Final status per call id (the last message wins, as in the API). */
function finalCalls(actions: SimulatedAction[]) {
  const calls = new Map<string, { status: string; startedAt: number }>();
  for (const action of actions) {
    if (action.kind === 'call') calls.set(action.input.externalId, { status: action.input.status, startedAt: Date.parse(action.input.startedAt!) });
  }
  return [...calls.values()];
}

describe('simulateDay', () => {
  it('tells the same story for the same seed, another for another seed', () => {
    const day = '2026-10-05';
    expect(simulateDay(profile, day, { seed: 1 })).toEqual(simulateDay(profile, day, { seed: 1 }));
    expect(simulateDay(profile, day, { seed: 1 })).not.toEqual(simulateDay(profile, day, { seed: 2 }));
    expect(simulateDay(demoPracticeProfile(), day, { seed: 1 })).toEqual(simulateDay(profile, day, { seed: 1 }));
  });

  it('gives the same day whether generated alone or inside a longer range', () => {
    const day = '2026-10-14';
    const inRange = [...simulateDays(profile, { from: '2026-09-01', to: '2026-10-20' }, { seed: 9 })].find((d) => d.day === day);
    expect(actionsOnDay(profile, day, { seed: 9 })).toEqual(inRange?.actions);
  });

  it('produces requests that the API schemas accept, in time order, with unique ids', () => {
    const actions = range('2026-09-01', '2026-10-01');
    const eventIds = new Set<string>();
    const leadRefs = new Set<string>();
    let previous = 0;
    for (const action of actions) {
      expect(action.at.getTime()).toBeGreaterThanOrEqual(previous);
      previous = action.at.getTime();
      if (action.kind === 'lead') {
        expect(createLeadSchema.parse(action.input).createdAt).toEqual(action.at);
        expect(action.input.externalId).toBe(action.ref);
        expect(leadRefs.has(action.ref)).toBe(false);
        leadRefs.add(action.ref);
      } else if (action.kind === 'lead_event') {
        expect(leadRefs.has(action.ref)).toBe(true); // created before its events
        expect(leadEventSchema.parse(action.input).at).toEqual(action.at);
        expect(eventIds.has(action.input.eventId!)).toBe(false);
        eventIds.add(action.input.eventId!);
      } else {
        const leadId = action.leadRef ? '4f9c2d1e-3b7a-4c8e-9f10-2a3b4c5d6e7f' : undefined;
        expect(() => callSchema.parse({ ...action.input, leadId })).not.toThrow();
        if (action.leadRef) expect(leadRefs.has(action.leadRef)).toBe(true);
      }
    }
    expect(leadRefs.size).toBeGreaterThan(200);
  });

  it('sends a ringing message before the outcome of the same call, for some calls', () => {
    const messages = new Map<string, string[]>();
    for (const action of range('2026-09-01', '2026-09-15')) {
      if (action.kind === 'call') messages.set(action.input.externalId, [...(messages.get(action.input.externalId) ?? []), action.input.status]);
    }
    const sequences = [...messages.values()];
    expect(sequences.every((statuses) => statuses.length <= 2 && statuses.at(-1) !== 'ringing')).toBe(true);
    expect(sequences.filter((statuses) => statuses[0] === 'ringing').length).toBeGreaterThan(sequences.length / 4);
  });

  it('carries distinctive fake patient details for privacy tests to look for', () => {
    const leads = leadsOf(range('2026-09-01', '2026-09-15'));
    const names = new RegExp(`^(${FAKE_FIRST_NAMES.join('|')}) (${FAKE_LAST_NAMES.join('|')})$`);
    expect(leads.every((lead) => names.test(lead.input.patient?.name ?? ''))).toBe(true);
    expect(leads.filter((lead) => lead.input.patient?.phone?.startsWith(FAKE_PHONE_PREFIX)).length).toBeGreaterThan(leads.length * 0.8);
    expect(leads.some((lead) => lead.input.patient?.email?.endsWith(`@${FAKE_EMAIL_DOMAIN}`))).toBe(true);
  });

  it('generates two years of the demo practice', () => {
    // How fast is a benchmark's question, not a test's: a timed assertion fails on a busy machine.
    const actions = range('2024-11-27', '2026-11-27', 'two-years');
    expect(actions.length).toBeGreaterThan(25_000);
  });

  it('uses the given staff ids, and stable valid ones otherwise', () => {
    const staffIds = { Maya: '11111111-1111-4111-8111-111111111111' };
    const actions = simulateDay(profile, '2026-10-05', { seed: 3, staffIds });
    const used = new Set(actions.flatMap((action) => ('staffId' in action.input && action.input.staffId ? [action.input.staffId] : [])));
    expect(used).toContain(staffIds.Maya);
    expect(used).toContain(simulatedStaffId('Sam'));
    expect(simulatedStaffId('Sam')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the demand model', () => {
  const countLeads = (day: string, seed: number) => leadsOf(simulateDay(profile, day, { seed })).length;
  const meanOver = (days: string[], seeds = 1) =>
    days.reduce((sum, day) => sum + Array.from({ length: seeds }, (_, seed) => countLeads(day, seed)).reduce((a, b) => a + b, 0), 0) / (days.length * seeds);

  it("is as busy as a busy multi-chair practice's new-patient desk: 35-60 calls and 15-30 web and chat leads a weekday, fewer on Saturday", () => {
    const days = Array.from({ length: 70 }, (_, i) => addDays('2026-01-05', i)).filter((day) => calendar.day(day).holiday === undefined);
    const onWeekdays = (names: string[]) => days.filter((day) => names.includes(calendar.day(day).weekday));
    const perDay = (list: string[]) => {
      let calls = 0;
      let webAndChat = 0;
      let callsOpen = 0;
      for (const day of list) {
        const { start, end } = calendar.day(day);
        const actions = simulateDay(profile, day, { seed: 7 });
        const started = finalCalls(actions).filter((call) => call.startedAt >= start && call.startedAt < end);
        calls += started.length;
        callsOpen += started.filter((call) => calendar.isOpen(call.startedAt)).length;
        webAndChat += leadsOf(actions).filter((lead) => ['web_form', 'chat'].includes(lead.input.channel)).length;
      }
      return { calls: calls / list.length, webAndChat: webAndChat / list.length, openShare: callsOpen / calls };
    };
    const weekday = perDay(onWeekdays(['mon', 'tue', 'wed', 'thu', 'fri']));
    expect(weekday.calls).toBeGreaterThanOrEqual(35);
    expect(weekday.calls).toBeLessThanOrEqual(60);
    expect(weekday.webAndChat).toBeGreaterThanOrEqual(15);
    expect(weekday.webAndChat).toBeLessThanOrEqual(30);
    // The phones ring in opening hours, as a real desk's do.
    expect(weekday.openShare).toBeGreaterThan(0.95);
    const saturday = perDay(onWeekdays(['sat']));
    expect(saturday.calls).toBeLessThan(weekday.calls / 2);
    expect(saturday.webAndChat).toBeLessThan(weekday.webAndChat);
  });

  it('is much quieter on a public holiday and on Sunday, and the phones nearly silent', () => {
    const thanksgiving = meanOver(['2026-11-26'], 30);
    const thursdayBefore = meanOver(['2026-11-19'], 30);
    expect(thanksgiving).toBeLessThan(thursdayBefore * 0.5);
    const sundays = Array.from({ length: 8 }, (_, i) => addDays('2026-09-06', 7 * i));
    const mondays = sundays.map((day) => addDays(day, 1));
    expect(meanOver(sundays)).toBeLessThan(meanOver(mondays) * 0.4);
    const sundayCalls = sundays.flatMap((day) => finalCalls(simulateDay(profile, day, { seed: 1 })));
    const mondayCalls = mondays.flatMap((day) => finalCalls(simulateDay(profile, day, { seed: 1 })));
    expect(sundayCalls.length).toBeLessThan(mondayCalls.length * 0.15);
  });

  it('shows the weekly shape over 8 weeks: Monday busiest, Sunday quietest', () => {
    const byWeekday = new Map<string, number>();
    const days = new Map<string, number>();
    for (let day = '2026-09-14'; day < '2026-11-09'; day = addDays(day, 1)) {
      const { weekday, holiday } = calendar.day(day);
      if (holiday === undefined) days.set(weekday, (days.get(weekday) ?? 0) + 1);
    }
    for (const lead of leadsOf(range('2026-09-14', '2026-11-09'))) {
      // Public holidays (Columbus Day is a Monday) have their own, lower demand: not the weekly shape.
      const { weekday, holiday } = calendar.day(calendar.dayOf(lead.at.getTime()));
      if (holiday !== undefined) continue;
      byWeekday.set(weekday, (byWeekday.get(weekday) ?? 0) + 1);
    }
    // Per day of that weekday: a holiday takes one Monday out of the eight.
    const count = (weekday: string) => (byWeekday.get(weekday) ?? 0) / days.get(weekday)!;
    for (const weekday of ['tue', 'wed', 'thu', 'fri', 'sat', 'sun']) expect(count('mon')).toBeGreaterThan(count(weekday));
    for (const weekday of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']) expect(count('sun')).toBeLessThan(count(weekday));
  });

  it('follows the season: January busier than December', () => {
    const days = (month: string) => Array.from({ length: 28 }, (_, i) => addDays(`${month}-01`, i));
    expect(meanOver(days('2026-01'))).toBeGreaterThan(meanOver(days('2025-12')) * 1.3);
  });
});

describe('the desk', () => {
  it('books leads answered within 5 minutes far more often than leads answered after an hour (a quarter)', () => {
    const leads = outcomes(range('2026-04-01', '2026-07-01'));
    const fast = leads.filter((lead) => lead.firstResponse !== undefined && lead.firstResponse < 5);
    const slow = leads.filter((lead) => lead.firstResponse !== undefined && lead.firstResponse > 60);
    expect(fast.length).toBeGreaterThan(300);
    expect(slow.length).toBeGreaterThan(100);
    expect(bookingRate(fast)).toBeGreaterThan(bookingRate(slow) * 1.8);
    // Not only the live phone effect: among leads that wait (web, chat ...) too.
    const waiting = leads.filter((lead) => lead.channel !== 'phone' && lead.channel !== 'walk_in');
    const fastWaiting = waiting.filter((lead) => lead.firstResponse !== undefined && lead.firstResponse < 5);
    const slowWaiting = waiting.filter((lead) => lead.firstResponse !== undefined && lead.firstResponse > 60);
    expect(bookingRate(fastWaiting)).toBeGreaterThan(bookingRate(slowWaiting) * 1.5);
  });

  it('answers most leads that arrive while open within minutes, and leaves a few waiting', () => {
    const leads = outcomes(range('2026-09-01', '2026-10-01')).filter((lead) => lead.channel !== 'phone' && lead.channel !== 'walk_in');
    const arrivedOpen = leads.filter((lead) => calendar.isOpen(lead.arrivedAt));
    const quick = arrivedOpen.filter((lead) => lead.firstResponse !== undefined && lead.firstResponse <= 15);
    expect(quick.length / arrivedOpen.length).toBeGreaterThan(0.6);
    expect(leads.some((lead) => lead.firstResponse === undefined)).toBe(true);
  });

  it('misses a larger share of calls when calls overlap more', () => {
    const busy: PracticeProfile = { ...profile, leads: { ...profile.leads, basePerOpenDay: profile.leads.basePerOpenDay * 3 } };
    const missedShare = (practice: PracticeProfile) => {
      const open = finalCalls(range('2026-09-01', '2026-09-29', 42, practice)).filter((call) => calendar.isOpen(call.startedAt));
      return open.filter((call) => call.status !== 'answered').length / open.length;
    };
    const normal = missedShare(profile);
    expect(normal).toBeGreaterThan(0.05);
    expect(normal).toBeLessThan(0.3);
    expect(missedShare(busy)).toBeGreaterThan(normal * 1.5);
  });

  it('books values inside the treatment range, for appointments later and within opening hours', () => {
    const actions = range('2026-09-01', '2026-09-15');
    const treatments = new Map(leadsOf(actions).map((lead) => [lead.ref, profile.treatments.find((t) => t.name === lead.input.treatment)!]));
    const bookings = actions.flatMap((action) =>
      action.kind === 'lead_event' && action.input.type === 'booked' ? [{ ...action.input, ref: action.ref, at: action.at }] : [],
    );
    expect(bookings.length).toBeGreaterThan(50);
    for (const booking of bookings) {
      const [min, max] = treatments.get(booking.ref)!.value;
      expect(booking.value).toBeGreaterThanOrEqual(min);
      expect(booking.value).toBeLessThanOrEqual(max);
      const appointment = Date.parse(booking.appointmentAt!);
      expect(appointment).toBeGreaterThan(booking.at.getTime());
      expect(calendar.isOpen(appointment)).toBe(true);
    }
  });

  it('falls from 1 within a minute to the floor after a few hours, monotonically', () => {
    const factors = [0.5, 1, 5, 30, 60, 180, 600].map((minutes) => speedToLeadFactor(profile.booking.speed, minutes));
    expect(factors[0]).toBe(1);
    expect(factors[1]).toBe(1);
    expect(factors.at(-1)).toBe(profile.booking.speed.floor);
    for (let i = 1; i < factors.length; i++) expect(factors[i]).toBeLessThanOrEqual(factors[i - 1]!);
  });
});

describe('clock changes (America/Chicago)', () => {
  it.each(['2026-03-08', '2026-11-01'])('keeps every action of %s on that local day, with sensible hours', (day) => {
    const { start, end } = calendar.day(day);
    const hours = new Array<number>(24).fill(0);
    let outside = 0;
    for (let seed = 0; seed < 40; seed++) {
      if (seed < 10) {
        const actions = actionsOnDay(profile, day, { seed });
        outside += actions.filter((action) => action.at.getTime() < start || action.at.getTime() >= end).length;
      }
      for (const lead of leadsOf(simulateDay(profile, day, { seed }))) {
        if (calendar.dayOf(lead.at.getTime()) !== day) outside++;
        hours[Math.floor(calendar.localMinutes(lead.at.getTime()) / 60)]! += 1;
      }
    }
    expect(outside).toBe(0);
    if (day === '2026-03-08') expect(hours[2]).toBe(0); // 02:00-02:59 does not exist that day
    const evening = hours.slice(18, 22).reduce((a, b) => a + b, 0);
    const night = hours.slice(2, 6).reduce((a, b) => a + b, 0);
    expect(evening).toBeGreaterThan(night * 3);
  });

  it('opens the phones at local 08:00 the day after spring-forward', () => {
    const leads = Array.from({ length: 20 }, (_, seed) => leadsOf(simulateDay(profile, '2026-03-09', { seed }))).flat();
    const phone = leads.filter((lead) => lead.input.channel === 'phone');
    const inHours = phone.filter((lead) => calendar.isOpen(lead.at.getTime()));
    expect(inHours.length / phone.length).toBeGreaterThan(0.85);
  });
});
