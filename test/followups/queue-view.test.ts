// The follow-up page's plain helpers: timers, defaults, labels.

import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CADENCE } from '../../server/followups/cadence.js';
import type { CadencesV1, CadenceViewV1, FollowUpItemV1 } from '../../server/followups/followups.contract.js';
import {
  attemptsText,
  cadenceLines,
  describeCadence,
  detailText,
  defaultKind,
  defaultOutcome,
  formatElapsed,
  itemKey,
  itemsOf,
  newEventId,
  nextStepText,
  originText,
  secondsSince,
  telHref,
  timerText,
  urgency,
} from '../../wallboard/src/manage/followups/queue.js';
import { defaultStaff, practiceTime, showMoreText } from '../../wallboard/src/manage/followups/queue.js';

const item = (extra: Partial<FollowUpItemV1>): FollowUpItemV1 => ({
  kind: 'first_contact',
  leadId: 'lead-1',
  callId: null,
  channel: 'web_form',
  source: 'Google Ads',
  treatment: 'Invisalign',
  createdAt: '2026-06-02T14:00:00.000Z',
  dueAt: '2026-06-02T14:00:00.000Z',
  waitingSeconds: 0,
  overdueSeconds: null,
  attempts: 0,
  lastAttemptAt: null,
  nextStep: 'call',
  stepNumber: 1,
  status: 'open',
  notBookedReason: null,
  lostAt: null,
  callStatus: null,
  afterHours: null,
  missedCallIds: [],
  repeatContacts: 0,
  patient: null,
  ...extra,
});
const at = (iso: string) => Date.parse(iso);

describe('timers', () => {
  it('formats elapsed time for a glance', () => {
    expect(formatElapsed(-3)).toBe('0 s');
    expect(formatElapsed(Number.NaN)).toBe('0 s');
    expect(formatElapsed(45.9)).toBe('45 s');
    expect(formatElapsed(12 * 60 + 5)).toBe('12 min');
    expect(formatElapsed(10 * 60 + 27, true)).toBe('10 min 27 s');
    expect(formatElapsed(45, true)).toBe('45 s');
    expect(formatElapsed(3600 + 5 * 60 + 59)).toBe('1 h 05 min');
    expect(formatElapsed(2 * 86_400 + 3 * 3600)).toBe('2 d 3 h');
  });
  it('ticks from the arrival, corrected for the server clock', () => {
    const waiting = item({});
    expect(secondsSince(waiting.createdAt, at('2026-06-02T14:10:00Z'))).toBe(600);
    expect(secondsSince(waiting.createdAt, at('2026-06-02T14:10:00Z'), 30_000)).toBe(630);
    expect(secondsSince(null, at('2026-06-02T14:10:00Z'))).toBe(0);
    expect(timerText(waiting, at('2026-06-02T14:10:01Z'))).toBe('waiting 10 min 01 s');
    expect(timerText(item({ kind: 'next_attempt', dueAt: '2026-06-02T13:00:00.000Z' }), at('2026-06-02T14:10:00Z'))).toBe('due 1 h 10 min ago');
    expect(timerText(item({ kind: 'missed_call' }), at('2026-06-02T14:00:30Z'))).toBe('missed 30 s ago');
    expect(timerText(item({ kind: 'lost_lead', lostAt: '2026-06-01T14:00:00.000Z' }), at('2026-06-02T14:00:00Z'))).toBe('lost 1 d 0 h ago');
  });
  it('turns amber after 5 minutes and red after 15 for waiting leads and missed calls', () => {
    expect(urgency(item({}), at('2026-06-02T14:04:59Z'))).toBe('ok');
    expect(urgency(item({}), at('2026-06-02T14:05:00Z'))).toBe('amber');
    expect(urgency(item({ kind: 'missed_call' }), at('2026-06-02T14:15:00Z'))).toBe('red');
    expect(urgency(item({ kind: 'next_attempt' }), at('2026-06-02T18:00:00Z'))).toBe('ok');
  });
});

describe('labels and defaults', () => {
  it('offers the cadence step and a likely outcome', () => {
    expect(defaultKind(item({ nextStep: 'text' }))).toBe('text');
    expect(defaultKind(item({ kind: 'lost_lead', nextStep: null }))).toBe('call');
    expect(defaultOutcome('call')).toBe('no_answer');
    expect(defaultOutcome('email')).toBe('sent');
  });
  it('describes the item', () => {
    expect(nextStepText(item({ kind: 'next_attempt', nextStep: 'text', stepNumber: 2 }))).toBe('Next: text (step 2)');
    expect(nextStepText(item({ kind: 'missed_call' }))).toBe('Call back');
    expect(nextStepText(item({ kind: 'lost_lead', notBookedReason: 'scheduling' }))).toBe('Lost to scheduling');
    expect(detailText(item({ kind: 'missed_call', leadId: null, afterHours: true }))).toBe('Call back · after hours');
    expect(detailText(item({ kind: 'next_attempt', nextStep: 'email', stepNumber: 4, attempts: 3, missedCallIds: ['c1', 'c2'] }))).toBe(
      'Next: email (step 4) · 3 attempts · 2 missed calls',
    );
    expect(attemptsText(0)).toBe('no attempts yet');
    expect(attemptsText(1)).toBe('1 attempt');
    expect(attemptsText(3)).toBe('3 attempts');
    expect(originText(item({}))).toBe('Web form · Google Ads · Invisalign');
    expect(originText(item({ channel: 'phone', source: null, treatment: null }))).toBe('Phone');
    expect(originText(item({ repeatContacts: 2 }))).toBe('Web form · Google Ads · Invisalign · contacted us 3 times');
    expect(telHref('+1 (555) 010-0199')).toBe('tel:+15550100199');
    expect(newEventId(() => 'abc')).toBe('followup-abc');
    expect(newEventId()).toMatch(/^followup-[0-9a-f-]{36}$/);
  });
  it('groups and keys items', () => {
    const queue = { items: [item({}), item({ kind: 'missed_call', leadId: null, callId: 'call-1' })] } as never;
    expect(itemsOf(queue, 'missed_call').map(itemKey)).toEqual(['missed_call::call-1']);
    expect(itemsOf(null, 'first_contact')).toEqual([]);
  });
});

describe('cadences in words', () => {
  it('reads the default cadence as the issue says it', () => {
    expect(describeCadence(DEFAULT_CADENCE)).toBe('call now → text after 1 h → call the next morning → email on day 3 · stop after 5 attempts or on booking');
    expect(
      describeCadence({
        steps: [
          { kind: 'text', after: { minutes: 90 } },
          { kind: 'call', after: { minutes: 2880 } },
        ],
        maxAttempts: 1,
      }),
    ).toBe('text after 90 min → call after 2 d · stop after 1 attempt or on booking');
  });
  it('lists the default and the channels with an override of their own', () => {
    const fallback: CadenceViewV1 = { ...DEFAULT_CADENCE, origin: 'built_in' };
    const chat: CadenceViewV1 = { steps: [{ kind: 'text', after: { minutes: 0 } }], maxAttempts: 2, origin: 'channel' };
    const channels = Object.fromEntries(
      ['phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other'].map((c) => [c, c === 'chat' ? chat : fallback]),
    );
    const lines = cadenceLines({ default: fallback, channels } as CadencesV1);
    expect(lines.map((line) => line.label)).toEqual(['Every channel (built-in)', 'Chat']);
    expect(lines[1]!.text).toBe('text now · stop after 2 attempts or on booking');
  });
});

describe('the long queue and who makes the attempts', () => {
  it('shows ten at a time, then the rest', () => {
    expect(showMoreText(10, 10)).toBeNull();
    expect(showMoreText(10, 17)).toBe('Show the other 7');
    expect(showMoreText(10, 157)).toBe('Show 10 more (147 not shown)');
  });
  const staff = [
    { id: 's1', displayName: 'Priya Shah' },
    { id: 's2', displayName: 'Tom' },
    { id: 's3', displayName: 'Tom' },
  ];
  it('starts with the last choice on this browser, else the signed-in person, else nobody', () => {
    expect(defaultStaff(staff, 's2', 'Priya Shah')).toBe('s2');
    expect(defaultStaff(staff, 'gone', ' priya  shah ')).toBe('s1');
    expect(defaultStaff(staff, '', 'Tom')).toBe(''); // two Toms: do not guess
    expect(defaultStaff(staff, '', null)).toBe('');
  });
  it('says clock times in the practice zone, with the zone', () => {
    const at = Date.parse('2026-12-03T14:16:00Z');
    expect(practiceTime(at, 'America/Chicago')).toBe('8:16 AM CST');
    expect(practiceTime(at, 'Europe/London')).toBe('2:16 PM GMT');
  });
});
