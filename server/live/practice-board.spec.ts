import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BOARD_THRESHOLDS, type CallStatus } from '../domain/domain.contract.js';
import type { LeadCreatedV1 } from '../events/domain-events.js';
import { PracticeBoard, countAtOrBefore } from './practice-board.js';
import { PracticeDay } from './practice-day.js';

const zone = 'America/Chicago';
const day = PracticeDay.of(zone, '2026-06-10'); // starts 05:00Z
const at = (hhmm: string) => new Date(`2026-06-10T${hhmm}:00Z`);
const practiceId = 'p1';

function board(lastWeek: number[] = []) {
  return new PracticeBoard({ id: practiceId, name: 'Test', timeZone: zone, currency: 'USD', thresholds: DEFAULT_BOARD_THRESHOLDS }, day, {
    lastWeekNewLeadTimes: lastWeek,
    typicalByHour: day.hours.map(() => ({ low: 0, median: 1, high: 2 })),
  });
}

function created(leadId: string, time: string, extra: Partial<LeadCreatedV1> = {}): LeadCreatedV1 {
  return { practiceId, leadId, createdAt: at(time), channel: 'web_form', source: 'Google Ads', isNewPatient: true, ...extra };
}

function respond(b: PracticeBoard, leadId: string, createdTime: string, time: string, staff = 's1', name = 'Maya') {
  b.applyLeadResponded({
    practiceId,
    leadId,
    leadCreatedAt: at(createdTime),
    channel: 'web_form',
    isNewPatient: true,
    at: at(time),
    staffId: staff,
    staffName: name,
  });
}

describe('PracticeBoard', () => {
  it('counts new and existing patients by channel and source, and ignores a replayed event', () => {
    const b = board();
    b.applyLeadCreated(created('l1', '14:00'));
    b.applyLeadCreated(created('l1', '14:00'));
    b.applyLeadCreated(created('l2', '14:10', { channel: 'phone', source: null, isNewPatient: false }));
    const state = b.toState(at('15:00'));
    expect(state.leads).toMatchObject({ total: 2, newPatients: 1, existingPatients: 1 });
    expect(state.leads.byChannel).toEqual([
      { channel: 'phone', newPatients: 0, existingPatients: 1 },
      { channel: 'web_form', newPatients: 1, existingPatients: 0 },
    ]);
    expect(state.leads.bySource.map((s) => s.source)).toEqual(['Google Ads', '(none)']);
    // The hourly chart counts new-patient leads, the headline's population (it counted all leads before,
    // so "So far" beside the headline disagreed with it).
    expect(state.hourly.find((h) => h.label === '09:00')!.leads).toBe(1);
    expect(state.hourly.reduce((sum, h) => sum + (h.leads ?? 0), 0)).toBe(state.leads.newPatients);
  });

  it("computes speed to lead (median, p90) over today's leads on the waiting channels", () => {
    const b = board();
    const responses = [60, 120, 180, 240, 600];
    responses.forEach((seconds, i) => {
      b.applyLeadCreated(created(`l${i}`, '14:00'));
      b.applyLeadResponded({
        practiceId,
        leadId: `l${i}`,
        leadCreatedAt: at('14:00'),
        channel: 'web_form',
        isNewPatient: true,
        at: new Date(at('14:00').getTime() + seconds * 1000),
        staffId: 's1',
        staffName: 'Maya',
      });
    });
    // A phone lead answered live does not count toward speed to lead.
    b.applyLeadCreated(created('phone', '14:00', { channel: 'phone' }));
    b.applyLeadResponded({
      practiceId,
      leadId: 'phone',
      leadCreatedAt: at('14:00'),
      channel: 'phone',
      isNewPatient: true,
      at: at('14:00'),
      staffId: 's1',
      staffName: 'Maya',
    });
    // A response today to yesterday evening's web lead belongs to yesterday's figure (the lead's arrival
    // day, as in the reports), and a web lead not yet answered is counted as waiting.
    b.applyLeadCreated(created('yesterday', '02:00'));
    respond(b, 'yesterday', '02:00', '14:30');
    b.applyLeadCreated(created('unanswered', '14:20'));
    const { speedToLead, leaderboard, labels } = b.toState(at('15:00'));
    expect(speedToLead.responded).toBe(5);
    expect(speedToLead.notYetResponded).toBe(1);
    expect(speedToLead.medianSeconds).toBe(180);
    // Continuous percentile, as the reports' percentile_cont: position 0.9 x 4 = 3.6 -> 240 + 0.6 x 360.
    // (It was the nearest rank, 600, so the TV and the speed-to-lead report disagreed on the same leads.)
    expect(speedToLead.p90Seconds).toBe(456);
    expect(leaderboard[0]).toMatchObject({ displayName: 'Maya', medianResponseSeconds: 180, responses: 5 });
    expect(labels?.responseTime).toMatch(/Median first reply/);
  });

  it("tracks leads waiting for a first contact, oldest first, including yesterday evening's", () => {
    const b = board();
    b.applyLeadCreated(created('yesterday', '02:00')); // 9 June 21:00 local
    b.applyLeadCreated(created('today', '14:00'));
    b.applyLeadCreated(created('answered', '14:05'));
    respond(b, 'answered', '14:05', '14:06');
    const { waiting, leads } = b.toState(at('15:00'));
    expect(leads.total).toBe(2);
    expect(waiting.count).toBe(2);
    expect(waiting.oldestCreatedAt).toBe(at('02:00').toISOString());
    expect(waiting.oldest.map((w) => w.leadId)).toEqual(['yesterday', 'today']);
  });

  it("counts bookings, conversion of today's new leads, and staff leaderboard credit", () => {
    const b = board();
    for (const id of ['a', 'b', 'c', 'd']) b.applyLeadCreated(created(id, '14:00'));
    respond(b, 'a', '14:00', '14:01', 's1', 'Maya');
    respond(b, 'b', '14:00', '14:02', 's1', 'Maya');
    respond(b, 'c', '14:00', '14:03', 's2', 'Sam');
    const booked = { practiceId, leadCreatedAt: at('14:00'), channel: 'web_form' as const, isNewPatient: true, at: at('14:30'), value: 500 };
    b.applyLeadBooked({ ...booked, leadId: 'a', staffId: 's1', staffName: 'Maya', firstResponseStaffId: 's1' });
    b.applyLeadBooked({ ...booked, leadId: 'a', staffId: 's1', staffName: 'Maya', firstResponseStaffId: 's1' });
    b.applyLeadBooked({ ...booked, leadId: 'c', staffId: 's2', staffName: 'Sam', firstResponseStaffId: 's2', value: 1500 });
    const state = b.toState(at('15:00'));
    expect(state.bookings).toMatchObject({ booked: 2, bookedValue: 2000, bookedFromTodaysLeads: 2, conversionRate: 0.5 });
    expect(state.leaderboard.map((r) => [r.displayName, r.bookings, r.leadsHandled, r.handledBooked, r.conversionRate])).toEqual([
      ['Maya', 1, 2, 1, 0.5],
      ['Sam', 1, 1, 1, 1],
    ]);
  });

  it('moves call counts by the difference when a call changes, and ignores a repeat', () => {
    const b = board();
    const call = (status: 'ringing' | 'answered' | 'missed', when = '14:00') => ({
      practiceId,
      callId: 'c1',
      call: { status, direction: 'inbound' as const, startedAt: at(when), afterHours: false },
      at: at(when),
      staffName: null,
    });
    b.applyCallChanged(call('ringing'));
    expect(b.toState(at('14:00')).calls).toMatchObject({ ringing: 1, inbound: 0, missedRate: null });
    b.applyCallChanged(call('missed'));
    b.applyCallChanged(call('missed'));
    expect(b.toState(at('14:01')).calls).toMatchObject({ ringing: 0, inbound: 1, missed: 1, missedRate: 1 });
    b.applyCallChanged(call('answered'));
    expect(b.toState(at('14:02')).calls).toMatchObject({ inbound: 1, answered: 1, missed: 0, missedRate: 0 });
  });

  it('keeps after-hours calls out of the missed rate: overnight voicemails before opening leave it empty', () => {
    const b = board();
    const call = (callId: string, status: CallStatus, when: string, afterHours: boolean) => ({
      practiceId,
      callId,
      call: { status, direction: 'inbound' as const, startedAt: at(when), afterHours },
      at: at(when),
      staffName: null,
    });
    // 02:00 to 06:00 local (07:00Z-11:00Z): closed; two voicemails and a hang-up.
    b.applyCallChanged(call('n1', 'voicemail', '07:00', true));
    b.applyCallChanged(call('n2', 'voicemail', '08:00', true));
    b.applyCallChanged(call('n3', 'abandoned', '11:00', true));
    let calls = b.toState(at('12:00')).calls;
    expect(calls).toMatchObject({ inbound: 0, unanswered: 0, missedRate: null });
    expect(calls.afterHours).toEqual({ inbound: 3, answered: 0, missed: 0, voicemail: 2, abandoned: 1, unanswered: 3 });
    // Open: three answered, one missed, one voicemail; a call in progress is in neither total.
    for (const [id, status] of [
      ['d1', 'answered'],
      ['d2', 'answered'],
      ['d3', 'answered'],
      ['d4', 'missed'],
      ['d5', 'voicemail'],
      ['d6', 'ringing'],
    ] as const) {
      b.applyCallChanged(call(id, status, '14:00', false));
    }
    calls = b.toState(at('14:30')).calls;
    expect(calls).toMatchObject({ inbound: 5, answered: 3, missed: 1, voicemail: 1, abandoned: 0, unanswered: 2, ringing: 1, missedRate: 0.4 });
    expect(calls.answered + calls.missed + calls.voicemail + calls.abandoned).toBe(calls.inbound);
    expect(calls.afterHours!.inbound).toBe(3);
  });

  it("splits today's bookings so they add up: today's new leads, earlier new leads, existing patients", () => {
    const b = board();
    b.applyLeadCreated(created('today-new', '14:00'));
    b.applyLeadCreated(created('today-new-2', '14:00'));
    b.applyLeadCreated(created('today-existing', '14:00', { isNewPatient: false }));
    const booking = { practiceId, channel: 'web_form' as const, at: at('15:00'), staffId: null, staffName: null, firstResponseStaffId: null };
    b.applyLeadBooked({ ...booking, leadId: 'today-new', leadCreatedAt: at('14:00'), isNewPatient: true, value: 100 });
    b.applyLeadBooked({ ...booking, leadId: 'earlier-new', leadCreatedAt: new Date('2026-06-08T15:00:00Z'), isNewPatient: true, value: 200 });
    b.applyLeadBooked({ ...booking, leadId: 'today-existing', leadCreatedAt: at('14:00'), isNewPatient: false, value: 50 });
    const { bookings, leads } = b.toState(at('16:00'));
    expect(bookings).toEqual({
      booked: 3,
      bookedValue: 350,
      bookedFromTodaysLeads: 1,
      conversionRate: 0.5,
      breakdown: { fromTodaysNewPatientLeads: 1, fromEarlierNewPatientLeads: 1, existingPatients: 1, newPatientBookedValue: 300 },
    });
    expect(bookings.conversionRate).toBe(bookings.bookedFromTodaysLeads / leads.newPatients);
  });

  it('compares with the same weekday last week up to the same time', () => {
    const lastWeek = ['2026-06-03T13:00:00Z', '2026-06-03T14:59:00Z', '2026-06-03T15:01:00Z'].map((t) => Date.parse(t));
    expect(board(lastWeek).toState(at('15:00')).leads.newPatientsSameTimeLastWeek).toBe(2);
  });

  it('keeps the activity feed bounded', () => {
    const b = board();
    for (let i = 0; i < 100; i++) b.applyLeadCreated(created(`l${i}`, '14:00'));
    const { activity } = b.toState(at('15:00'));
    expect(activity).toHaveLength(15);
    expect(activity[0]!.kind).toBe('lead_created');
  });
});

describe('countAtOrBefore', () => {
  it('counts with a binary search, including ties and the empty case', () => {
    expect(countAtOrBefore([], 5)).toBe(0);
    expect(countAtOrBefore([1, 2, 2, 3], 2)).toBe(3);
    expect(countAtOrBefore([1, 2, 3], 0)).toBe(0);
    expect(countAtOrBefore([1, 2, 3], 9)).toBe(3);
  });
});
