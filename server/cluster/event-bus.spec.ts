import { describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '../events/domain-events.js';
import { decodeNotification, SequenceTracker } from './event-bus.js';

const at = new Date('2026-03-08T08:30:00.000Z');
const practiceId = '00000000-0000-4000-8000-000000000001';

/** One event of each kind with every Date field filled: what travels must come back equal. */
const SAMPLES: DomainEvent[] = [
  { name: 'LeadCreatedV1', payload: { practiceId, leadId: 'l1', createdAt: at, channel: 'phone', source: '2026-01-01T00:00:00.000Z', isNewPatient: true } },
  {
    name: 'LeadRespondedV1',
    payload: { practiceId, leadId: 'l1', leadCreatedAt: at, channel: 'phone', isNewPatient: true, at, staffId: 's', staffName: 'Maya' },
  },
  {
    name: 'LeadBookedV1',
    payload: {
      practiceId,
      leadId: 'l1',
      leadCreatedAt: at,
      channel: 'chat',
      isNewPatient: true,
      at,
      value: 1200.5,
      staffId: null,
      staffName: null,
      firstResponseStaffId: null,
    },
  },
  { name: 'LeadNotBookedV1', payload: { practiceId, leadId: 'l1', channel: 'chat', at, reason: 'price', staffName: 'Sam' } },
  {
    name: 'CallChangedV1',
    payload: { practiceId, callId: 'c1', call: { status: 'missed', direction: 'inbound', startedAt: at, afterHours: false }, at, staffName: null },
  },
  { name: 'LeadMergedV1', payload: { practiceId, leadId: 'l2', intoLeadId: 'l1', at } },
  { name: 'LeadUnmergedV1', payload: { practiceId, leadId: 'l2', createdAt: at, channel: 'email', source: null, isNewPatient: false } },
  { name: 'ContactAttemptedV1', payload: { practiceId, leadId: 'l1', at } },
  { name: 'LeadDoNotContactV1', payload: { practiceId, leadId: 'l1', doNotContact: true } },
  { name: 'CallbacksMadeV1', payload: { practiceId, callIds: ['c1', 'c2'], at } },
  { name: 'PracticeSettingsChangedV1', payload: { practiceId } },
  { name: 'DisplayRevokedV1', payload: { practiceId, displayTokenId: 'd1' } },
  { name: 'IngestKeyRevokedV1', payload: { practiceId, ingestKeyId: 'k1' } },
];

describe('event bus payloads', () => {
  it('round-trip every event kind, dates as dates, other strings (even date-looking ones) as strings', () => {
    const payload = JSON.stringify({ p: practiceId, s: 7, t: 123, o: 'x', e: SAMPLES });
    const decoded = decodeNotification(payload);
    expect(decoded).toEqual({ practiceId, seq: 7, committedAt: 123, origin: 'x', events: SAMPLES });
    expect(decoded!.events![0]!.payload).toMatchObject({ source: '2026-01-01T00:00:00.000Z' });
  });

  it('reads a notification without events (too large to carry) as "rebuild", and refuses malformed ones', () => {
    expect(decodeNotification(JSON.stringify({ p: practiceId, s: 2, t: 1, o: 'x', e: null }))?.events).toBeNull();
    expect(decodeNotification('not json')).toBeNull();
    expect(decodeNotification(JSON.stringify({ p: practiceId, s: '2', t: 1 }))).toBeNull();
    expect(decodeNotification(undefined)).toBeNull();
  });
});

describe('SequenceTracker', () => {
  it('applies each number once, in order; a skipped number is reported as missed', () => {
    const tracker = new SequenceTracker();
    expect(tracker.accept('p', 5)).toEqual({ apply: true, missed: false }); // first seen: no history to compare
    expect(tracker.accept('p', 6)).toEqual({ apply: true, missed: false });
    expect(tracker.accept('p', 6)).toEqual({ apply: false, missed: false }); // delivered twice
    expect(tracker.accept('p', 4)).toEqual({ apply: false, missed: false }); // older
    expect(tracker.accept('p', 8)).toEqual({ apply: true, missed: true }); // 7 never came
    expect(tracker.accept('q', 1)).toEqual({ apply: true, missed: false }); // practices are independent
    tracker.reset();
    expect(tracker.accept('p', 20)).toEqual({ apply: true, missed: false });
  });
});
