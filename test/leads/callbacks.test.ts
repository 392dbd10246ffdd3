// "Missed calls with no callback": a missed inbound call is called back by the first outbound call to
// the same number (however written), an outbound call about its lead, or a call attempt logged on its
// lead, within 7 days. Ingest records it on the missed call, once.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Callback Dental' });
  b = await t.createPractice({ name: 'Other Dental' });
});
afterAll(() => t.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const call = (practice: TestPractice, body: Record<string, unknown>) => t.post('/api/v1/calls', practice.ingestKey, body);
const callbackOf = async (callId: string) =>
  (await t.query(`SELECT callback_at, callback_call_id FROM call WHERE id = $1`, [callId]))[0] as { callback_at: Date | null; callback_call_id: string | null };

describe('call backs of missed calls', () => {
  it('an outbound call to the same number marks the missed call, once; other numbers and practices stay uncalled', async () => {
    const missed = await call(a, {
      externalId: 'in-1',
      direction: 'inbound',
      status: 'missed',
      startedAt: minutesAgo(60),
      from: '+1 555 010 7000',
      isNewPatient: true,
    });
    const other = await call(a, { externalId: 'in-2', direction: 'inbound', status: 'voicemail', startedAt: minutesAgo(50), from: '+1 555 010 7001' });
    const foreign = await call(b, { externalId: 'in-1', direction: 'inbound', status: 'missed', startedAt: minutesAgo(60), from: '+1 555 010 7000' });
    const back = await call(a, { externalId: 'out-1', direction: 'outbound', status: 'answered', startedAt: minutesAgo(40), from: '(555) 010-7000' });
    expect(back.status).toBe(201);

    expect(await callbackOf(missed.body.id)).toEqual({ callback_at: new Date(back.body.startedAt), callback_call_id: back.body.id });
    expect((await callbackOf(other.body.id)).callback_at).toBeNull();
    expect((await callbackOf(foreign.body.id)).callback_at).toBeNull();

    // A second call back later does not move the first.
    await call(a, { externalId: 'out-2', direction: 'outbound', status: 'missed', startedAt: minutesAgo(30), from: '+15550107000' });
    expect((await callbackOf(missed.body.id)).callback_call_id).toBe(back.body.id);
  });

  it('answered calls and calls before the miss are not call backs', async () => {
    const early = await call(a, { externalId: 'out-early', direction: 'outbound', status: 'answered', startedAt: minutesAgo(200), from: '+1 555 010 7100' });
    const missed = await call(a, { externalId: 'in-3', direction: 'inbound', status: 'abandoned', startedAt: minutesAgo(100), from: '+1 555 010 7100' });
    const answered = await call(a, { externalId: 'in-4', direction: 'inbound', status: 'answered', startedAt: minutesAgo(100), from: '+1 555 010 7200' });
    await call(a, { externalId: 'out-3', direction: 'outbound', status: 'answered', startedAt: minutesAgo(90), from: '+1 555 010 7200' });
    expect(early.status).toBe(201);
    expect((await callbackOf(missed.body.id)).callback_at).toBeNull();
    expect((await callbackOf(answered.body.id)).callback_at).toBeNull();
  });

  it('a call attempt logged on the lead of a missed call is its call back', async () => {
    const created = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', createdAt: minutesAgo(30), patient: { phone: '+1 555 010 7300' } });
    const missed = await call(a, { externalId: 'in-5', direction: 'inbound', status: 'missed', startedAt: minutesAgo(30), leadId: created.body.id });
    const text = await t.post(`/api/v1/leads/${created.body.id}/events`, a.ingestKey, {
      type: 'contact_attempt',
      kind: 'text',
      outcome: 'sent',
      at: minutesAgo(25),
    });
    expect(text.status).toBe(201);
    expect((await callbackOf(missed.body.id)).callback_at).toBeNull(); // a text is not a call back
    const attempt = await t.post(`/api/v1/leads/${created.body.id}/events`, a.ingestKey, {
      type: 'contact_attempt',
      kind: 'call',
      outcome: 'no_answer',
      at: minutesAgo(20),
    });
    expect(attempt.status).toBe(201);
    const marked = await callbackOf(missed.body.id);
    expect(marked.callback_call_id).toBeNull(); // no phone-system call: a logged attempt
    expect(Math.abs(marked.callback_at!.getTime() - (Date.now() - 20 * 60_000))).toBeLessThan(60_000);
  });

  it("matches by the calls' own times whatever order they arrive in: both orders give the same row", async () => {
    // Order 1: the missed call first, then its call back. Order 2 (another number): the call back first.
    const first = await call(a, { externalId: 'ord-in-1', direction: 'inbound', status: 'missed', startedAt: minutesAgo(50), from: '+1 555 010 7500' });
    const firstBack = await call(a, { externalId: 'ord-out-1', direction: 'outbound', status: 'answered', startedAt: minutesAgo(40), from: '555 010 7500' });
    const secondBack = await call(a, { externalId: 'ord-out-2', direction: 'outbound', status: 'answered', startedAt: minutesAgo(40), from: '555 010 7600' });
    const second = await call(a, { externalId: 'ord-in-2', direction: 'inbound', status: 'missed', startedAt: minutesAgo(50), from: '+1 555 010 7600' });
    expect(await callbackOf(first.body.id)).toEqual({ callback_at: new Date(firstBack.body.startedAt), callback_call_id: firstBack.body.id });
    expect(await callbackOf(second.body.id)).toEqual({ callback_at: new Date(secondBack.body.startedAt), callback_call_id: secondBack.body.id });

    // Two call backs delivered latest first: the earlier one (by its own start) is the call back.
    const third = await call(a, { externalId: 'ord-in-3', direction: 'inbound', status: 'voicemail', startedAt: minutesAgo(50), from: '+1 555 010 7700' });
    const late = await call(a, { externalId: 'ord-out-3b', direction: 'outbound', status: 'answered', startedAt: minutesAgo(20), from: '555 010 7700' });
    expect((await callbackOf(third.body.id)).callback_call_id).toBe(late.body.id);
    const early = await call(a, { externalId: 'ord-out-3a', direction: 'outbound', status: 'missed', startedAt: minutesAgo(45), from: '555 010 7700' });
    expect(await callbackOf(third.body.id)).toEqual({ callback_at: new Date(early.body.startedAt), callback_call_id: early.body.id });

    // A call attempt logged on the lead before the missed call (about that lead) was delivered.
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', createdAt: minutesAgo(60), patient: { phone: '+1 555 010 7800' } });
    await t.post(`/api/v1/leads/${lead.body.id}/events`, a.ingestKey, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer', at: minutesAgo(30) });
    const fourth = await call(a, { externalId: 'ord-in-4', direction: 'inbound', status: 'missed', startedAt: minutesAgo(59), from: '+1 555 010 7800' });
    const marked = await callbackOf(fourth.body.id);
    expect(marked.callback_call_id).toBeNull();
    expect(Math.abs(marked.callback_at!.getTime() - (Date.now() - 30 * 60_000))).toBeLessThan(60_000);

    // A ringing call reported before its call back and marked missed after it is found too.
    const ringingBack = await call(a, { externalId: 'ord-out-5', direction: 'outbound', status: 'answered', startedAt: minutesAgo(10), from: '555 010 7900' });
    const ringing = await call(a, { externalId: 'ord-in-5', direction: 'inbound', status: 'ringing', startedAt: minutesAgo(15), from: '+1 555 010 7900' });
    expect((await callbackOf(ringing.body.id)).callback_at).toBeNull();
    await call(a, { externalId: 'ord-in-5', direction: 'inbound', status: 'abandoned' });
    expect((await callbackOf(ringing.body.id)).callback_call_id).toBe(ringingBack.body.id);
    // ... and a start corrected to after the call back drops it instead of failing the update.
    const moved = await call(a, { externalId: 'ord-in-5', direction: 'inbound', status: 'abandoned', startedAt: minutesAgo(5) });
    expect(moved.status).toBe(200);
    expect(await callbackOf(ringing.body.id)).toEqual({ callback_at: null, callback_call_id: null });
  });

  it('a call back more than 7 days later is a new conversation', async () => {
    const missed = await call(a, { externalId: 'in-6', direction: 'inbound', status: 'missed', startedAt: minutesAgo(60 * 24 * 8), from: '+1 555 010 7400' });
    await call(a, { externalId: 'out-6', direction: 'outbound', status: 'answered', from: '+1 555 010 7400' });
    expect((await callbackOf(missed.body.id)).callback_at).toBeNull();
  });
});
