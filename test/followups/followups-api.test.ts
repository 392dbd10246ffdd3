// The follow-up queue and its actions through the real app on PostgreSQL: the queue's order with one
// item of each kind, attempts that become the lead's first response, do-not-contact and booking ending
// the cadence, called-back calls, the PHI access log, cadence configuration, the board counts, and a
// foreign practice that sees none of it.
//
// The practice is open around the clock in UTC, so due times computed from "now" do not depend on when
// the test runs (the opening-hours maths has its own unit tests in cadence.test.ts).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { FollowUpCountsService } from '../../server/followups/follow-up-counts.service.js';
import type { FollowUpItemV1, FollowUpQueueV1 } from '../../server/followups/followups.contract.js';
import { nextMessage, startTestApp, type TestApp } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '23:59']]]));

let t: TestApp;
let key: string;
let foreignKey: string;
let maya: string;
let desk: Session;
let deskId: string;
let manager: Session;
let foreignAdmin: Session;
let practiceId: string;
let displayToken: string;
type Named = 'waitingOld' | 'waiting' | 'due' | 'notDue' | 'missed' | 'answered' | 'lost' | 'insurance' | 'merged' | 'dnc' | 'booked' | 'old';
const ids = {} as Record<Named, string>;

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
let phone = 100;
const patient = (name: string) => ({ name, phone: `+1 555 0${++phone} 4${phone}`, email: `${name.toLowerCase().replace(/\W/g, '')}@example.test` });

async function lead(name: string, createdMinutesAgo: number, channel = 'web_form'): Promise<string> {
  const reply = await t.post('/api/v1/leads', key, {
    channel,
    source: 'Google Ads',
    treatment: 'Invisalign',
    createdAt: ago(createdMinutesAgo),
    patient: patient(name),
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}
async function event(leadId: string, body: Record<string, unknown>) {
  const reply = await t.post(`/api/v1/leads/${leadId}/events`, key, body);
  expect([200, 201]).toContain(reply.status);
  return reply.body;
}
const queue = async (session: Session = desk): Promise<FollowUpQueueV1> => {
  const reply = await send(t, 'GET', '/api/v1/follow-ups/queue', { cookie: session.cookie });
  expect(reply.status).toBe(200);
  return reply.body;
};
const post = (session: Session, path: string, body?: unknown) => send(t, 'POST', path, { cookie: session.cookie, csrf: session.csrfToken, body });
const byLead = (q: FollowUpQueueV1, leadId: string): FollowUpItemV1 | undefined =>
  q.items.find((item) => item.leadId === leadId && item.kind !== 'missed_call');

beforeAll(async () => {
  t = await startTestApp();
  const a = await t.createPractice({ name: 'Follow-up Dental', timeZone: 'UTC', staff: ['Maya'] });
  const b = await t.createPractice({ name: 'Other Dental' });
  practiceId = a.practiceId;
  displayToken = a.displayToken;
  key = a.ingestKey;
  foreignKey = b.ingestKey;
  maya = a.staff.Maya!;
  await t.query(`UPDATE practice SET opening_hours = $2 WHERE id = $1`, [a.practiceId, JSON.stringify(ALL_DAY)]);
  deskId = (await createUser(t, a.practiceId, 'desk@followup.test', 'front_desk')).id;
  await createUser(t, a.practiceId, 'manager@followup.test', 'manager');
  await createUser(t, b.practiceId, 'admin@other.test', 'admin');
  desk = await login(t, 'desk@followup.test');
  manager = await login(t, 'manager@followup.test');
  foreignAdmin = await login(t, 'admin@other.test');

  // (a) two leads waiting for a first contact
  ids.waitingOld = await lead('Olivia Older', 20);
  ids.waiting = await lead('Wendy Waiting', 10);
  // (b) tried 2 h ago: the text (1 h after the call) is an hour overdue
  ids.due = await lead('Dana Due', 180);
  await event(ids.due, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer', at: ago(120), staffId: maya });
  // tried 20 min ago: the text is due in 40 min, not yet in the queue
  ids.notDue = await lead('Nora Notyet', 30);
  await event(ids.notDue, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer', at: ago(20) });
  // (c) a missed call from an unknown number, 5 minutes ago; an answered one (never in the queue)
  ids.missed = (await t.post('/api/v1/calls', key, { externalId: 'missed-1', status: 'missed', startedAt: ago(5), from: '+1 555 0999 001' })).body.id;
  ids.answered = (
    await t.post('/api/v1/calls', key, { externalId: 'answered-1', status: 'answered', startedAt: ago(6), answeredAt: ago(6), from: '+1 555 0999 002' })
  ).body.id;
  // (d) lost to price; lost to insurance (no campaign for that: never in the queue)
  ids.lost = await lead('Lola Lost', 2 * 24 * 60);
  await event(ids.lost, { type: 'not_booked', reason: 'price', at: ago(24 * 60) });
  ids.insurance = await lead('Ian Insurance', 2 * 24 * 60);
  await event(ids.insurance, { type: 'not_booked', reason: 'insurance_out_of_network' });
  // excluded: merged into another lead, asked not to be contacted, booked, older than the window
  ids.merged = await lead('Mia Merged', 15);
  await t.query(`UPDATE lead SET merged_into_lead_id = $2 WHERE id = $1`, [ids.merged, ids.lost]);
  ids.dnc = await lead('Dan Nocontact', 25);
  await t.query(`UPDATE lead SET do_not_contact_at = now() WHERE id = $1`, [ids.dnc]);
  ids.booked = await lead('Bea Booked', 40);
  await event(ids.booked, { type: 'booked', staffId: maya });
  ids.old = await lead('Otto Old', 40 * 24 * 60);
}, 60_000);
afterAll(() => t.close());

describe('the queue', () => {
  it('lists one item of each kind in the order of what to do now, with patient details', async () => {
    const q = await queue();
    const order = q.items.map((item) => [item.kind, item.leadId ?? item.callId]);
    expect(order).toEqual([
      ['first_contact', ids.waitingOld],
      ['first_contact', ids.waiting],
      ['next_attempt', ids.due],
      ['missed_call', ids.missed],
      ['lost_lead', ids.lost],
    ]);
    expect(q.counts).toEqual({ first_contact: 2, next_attempt: 1, missed_call: 1, lost_lead: 1 });
    expect(q).toMatchObject({ windowDays: 30, limit: 200, truncated: false, phiAccessLogged: true });
    expect(q.staff).toEqual([{ id: maya, displayName: 'Maya' }]);

    const [older, waiting, due, missed, lost] = q.items as [FollowUpItemV1, FollowUpItemV1, FollowUpItemV1, FollowUpItemV1, FollowUpItemV1];
    expect(older.waitingSeconds).toBeGreaterThanOrEqual(20 * 60 - 5);
    expect(waiting).toMatchObject({ channel: 'web_form', source: 'Google Ads', treatment: 'Invisalign', attempts: 0, nextStep: 'call', stepNumber: 1 });
    expect(waiting.patient?.name).toBe('Wendy Waiting');
    expect(waiting.patient?.phone).toMatch(/^\+1 555/);
    expect(due).toMatchObject({ attempts: 1, nextStep: 'text', stepNumber: 2 });
    expect(due.overdueSeconds).toBeGreaterThanOrEqual(3600 - 10);
    expect(due.overdueSeconds).toBeLessThan(3600 + 60);
    expect(missed).toMatchObject({ kind: 'missed_call', callId: ids.missed, leadId: null, channel: 'phone', callStatus: 'missed', nextStep: 'call' });
    expect(missed.patient?.phone).toBe('+1 555 0999 001');
    expect(lost).toMatchObject({ notBookedReason: 'price', status: 'not_booked', nextStep: null });
    const shown = JSON.stringify(q);
    for (const excluded of ['notDue', 'answered', 'insurance', 'merged', 'dnc', 'booked', 'old'] as const) expect(shown).not.toContain(ids[excluded]);
  });

  it('writes one PHI access log row per view, naming the user and the leads and calls shown', async () => {
    const before = await t.query(`SELECT count(*)::int AS n FROM phi_access_log WHERE practice_id = $1`, [practiceId]);
    await queue();
    const rows = await t.query(`SELECT * FROM phi_access_log WHERE practice_id = $1 ORDER BY at DESC`, [practiceId]);
    expect(rows.length).toBe(before[0].n + 1);
    expect(rows[0]).toMatchObject({ user_id: deskId, action: 'follow_up_queue' });
    expect(rows[0].lead_ids).toEqual(expect.arrayContaining([ids.waiting, ids.waitingOld, ids.due, ids.lost]));
    expect(rows[0].call_ids).toEqual([ids.missed]);
    expect(JSON.stringify(rows[0].detail)).not.toMatch(/Wendy|\+1 555/); // the phones, not a UUID that happens to hold 555
  });

  it('is not for ingest keys or TVs, and shows a foreign practice nothing', async () => {
    expect((await t.get('/api/v1/follow-ups/queue', key)).status).toBe(403);
    const foreign = await queue(foreignAdmin);
    expect(foreign.items).toEqual([]);
    expect(foreign.phiAccessLogged).toBe(false);
    expect(JSON.stringify(foreign)).not.toMatch(/Wendy|Dana|\+1 555/); // the phones, not a UUID that happens to hold 555
  });
});

describe('actions', () => {
  it("an attempt logged from the queue is the lead's first response, and the item moves on", async () => {
    const reply = await post(desk, `/api/v1/follow-ups/leads/${ids.waiting}/attempts`, {
      kind: 'call',
      outcome: 'left_message',
      staffId: maya,
      eventId: 'desk-1',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ leadId: ids.waiting, created: true, attempts: 1, next: { kind: 'text', stepNumber: 2 } });
    const stored = await t.get(`/api/v1/leads/${ids.waiting}`, key);
    expect(stored.body.firstResponseStaffId).toBe(maya);
    expect(Date.now() - Date.parse(stored.body.firstResponseAt)).toBeLessThan(60_000);
    // the same press again (a retry) changes nothing
    const again = await post(desk, `/api/v1/follow-ups/leads/${ids.waiting}/attempts`, {
      kind: 'call',
      outcome: 'left_message',
      staffId: maya,
      eventId: 'desk-1',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, attempts: 1 });
    const q = await queue();
    expect(byLead(q, ids.waiting)).toBeUndefined(); // the text is due in an hour
    expect(q.counts.first_contact).toBe(1);
  });

  it('an attempt on the due lead moves it to its next step', async () => {
    const reply = await post(desk, `/api/v1/follow-ups/leads/${ids.due}/attempts`, { kind: 'text', outcome: 'sent' });
    expect(reply.status).toBe(201);
    expect(reply.body.next).toMatchObject({ kind: 'call', stepNumber: 3 }); // the next morning
    expect(byLead(await queue(), ids.due)).toBeUndefined();
  });

  it('refuses bad attempts with a reason', async () => {
    expect((await post(desk, `/api/v1/follow-ups/leads/${ids.due}/attempts`, { kind: 'fax', outcome: 'sent' })).body.message).toMatch(/^kind:/);
    expect((await post(desk, `/api/v1/follow-ups/leads/${ids.due}/attempts`, { kind: 'call', outcome: 'sent', at: ago(-60) })).status).toBe(400);
    expect((await post(desk, `/api/v1/follow-ups/leads/not-a-uuid/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(400);
    expect((await post(desk, `/api/v1/follow-ups/leads/${ids.merged}/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(409);
    expect((await post(desk, `/api/v1/follow-ups/leads/${ids.dnc}/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(409);
    const staffOfB = (await t.query(`SELECT id FROM staff WHERE practice_id <> $1 LIMIT 1`, [practiceId]))[0].id;
    const foreignStaff = await post(desk, `/api/v1/follow-ups/leads/${ids.waitingOld}/attempts`, { kind: 'call', outcome: 'sent', staffId: staffOfB });
    expect(foreignStaff.status).toBe(422);
    // without the CSRF token a cookie write is refused
    expect(
      (await send(t, 'POST', `/api/v1/follow-ups/leads/${ids.waitingOld}/attempts`, { cookie: desk.cookie, body: { kind: 'call', outcome: 'sent' } })).status,
    ).toBe(403);
  });

  it('do-not-contact ends the cadence, idempotently, and can be undone', async () => {
    const lead = await lead_('Carl Cadence', 180, 120);
    expect(byLead(await queue(), lead)).toBeDefined();
    const first = await post(desk, `/api/v1/follow-ups/leads/${lead}/do-not-contact`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ leadId: lead, changed: true });
    const second = await post(desk, `/api/v1/follow-ups/leads/${lead}/do-not-contact`, {});
    expect(second.body).toMatchObject({ changed: false, doNotContactAt: first.body.doNotContactAt });
    expect(byLead(await queue(), lead)).toBeUndefined();
    expect((await post(desk, `/api/v1/follow-ups/leads/${lead}/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(409);
    const undo = await post(desk, `/api/v1/follow-ups/leads/${lead}/do-not-contact`, { undo: true });
    expect(undo.body).toMatchObject({ changed: true, doNotContactAt: null });
    expect(byLead(await queue(), lead)).toBeDefined();
    expect((await post(desk, `/api/v1/follow-ups/leads/${lead}/do-not-contact`, { bogus: 1 })).status).toBe(400);
  });

  it('booking ends the cadence', async () => {
    const lead = await lead_('Bob Booking', 180, 120);
    expect(byLead(await queue(), lead)).toBeDefined();
    await event(lead, { type: 'booked', staffId: maya });
    expect(byLead(await queue(), lead)).toBeUndefined();
  });

  it('marks a missed call called back, once; refuses other calls', async () => {
    const reply = await post(desk, `/api/v1/follow-ups/calls/${ids.missed}/called-back`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ callId: ids.missed, changed: true });
    const [row] = await t.query(`SELECT callback_at FROM call WHERE id = $1`, [ids.missed]);
    expect(row.callback_at.toISOString()).toBe(reply.body.callbackAt);
    const again = await post(desk, `/api/v1/follow-ups/calls/${ids.missed}/called-back`, { at: ago(1) });
    expect(again.body).toMatchObject({ changed: false, callbackAt: reply.body.callbackAt });
    expect((await queue()).items.find((item) => item.callId === ids.missed)).toBeUndefined();

    expect((await post(desk, `/api/v1/follow-ups/calls/${ids.answered}/called-back`)).status).toBe(409);
    const early = (await t.post('/api/v1/calls', key, { externalId: 'missed-2', status: 'voicemail', startedAt: ago(3), from: '+1 555 0999 003' })).body.id;
    const before = await post(desk, `/api/v1/follow-ups/calls/${early}/called-back`, { at: ago(10) });
    expect(before.status).toBe(422);
    expect(before.body.message).toMatch(/^at: .*before the call started/);
    expect((await post(desk, `/api/v1/follow-ups/calls/${early}/called-back`, { at: ago(1) })).body.changed).toBe(true);
  });

  it('a lost lead tried again leaves the queue', async () => {
    expect(byLead(await queue(), ids.lost)?.kind).toBe('lost_lead');
    expect((await post(desk, `/api/v1/follow-ups/leads/${ids.lost}/attempts`, { kind: 'call', outcome: 'reached' })).status).toBe(201);
    expect(byLead(await queue(), ids.lost)).toBeUndefined();
  });

  it("a missed call of a lead in the queue is listed on the lead's item, not on its own", async () => {
    const leadId = await lead('Cara Caller', 4, 'phone');
    const callId = (await t.post('/api/v1/calls', key, { externalId: 'missed-lead-1', status: 'missed', startedAt: ago(4), leadId, from: '+1 555 0999 010' }))
      .body.id;
    const q = await queue();
    expect(byLead(q, leadId)).toMatchObject({ kind: 'first_contact', missedCallIds: [callId] });
    expect(q.items.find((item) => item.callId === callId)).toBeUndefined();
    await post(desk, `/api/v1/follow-ups/leads/${leadId}/do-not-contact`);
    // asked not to be contacted: neither the lead nor its call
    expect(JSON.stringify(await queue())).not.toContain(callId);
  });

  it("a foreign practice's ids are 404 and unchanged", async () => {
    const foreignLead = (await t.post('/api/v1/leads', foreignKey, { channel: 'web_form', patient: { name: 'Far Away' } })).body.id;
    expect((await post(desk, `/api/v1/follow-ups/leads/${foreignLead}/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(404);
    expect((await post(desk, `/api/v1/follow-ups/leads/${foreignLead}/do-not-contact`)).status).toBe(404);
    expect((await post(foreignAdmin, `/api/v1/follow-ups/leads/${ids.waitingOld}/attempts`, { kind: 'call', outcome: 'sent' })).status).toBe(404);
    expect((await post(foreignAdmin, `/api/v1/follow-ups/leads/${ids.waitingOld}/do-not-contact`)).status).toBe(404);
    const foreignCall = (await t.post('/api/v1/calls', foreignKey, { externalId: 'f-1', status: 'missed', startedAt: ago(2) })).body.id;
    expect((await post(desk, `/api/v1/follow-ups/calls/${foreignCall}/called-back`)).status).toBe(404);
    const [lead] = await t.query(`SELECT first_response_at, do_not_contact_at FROM lead WHERE id = $1`, [ids.waitingOld]);
    expect(lead).toEqual({ first_response_at: null, do_not_contact_at: null });
  });
});

describe('cadences', () => {
  it('has the built-in default until configured; managers set a channel override; 400 names the field', async () => {
    const initial = await send(t, 'GET', '/api/v1/follow-ups/cadences', { cookie: desk.cookie });
    expect(initial.status).toBe(200);
    expect(initial.body.default).toMatchObject({ origin: 'built_in', maxAttempts: 5 });
    expect(initial.body.channels.web_form.origin).toBe('built_in');

    const put = (session: Session, channel: string, body: unknown) =>
      send(t, 'PUT', `/api/v1/follow-ups/cadences/${channel}`, { cookie: session.cookie, csrf: session.csrfToken, body });
    const bad = await put(manager, 'web_form', { steps: [{ kind: 'call', after: { minutes: 'soon' } }], maxAttempts: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/steps\.0\.after/);
    expect((await put(manager, 'fax', { useDefault: true })).body.message).toMatch(/^channel:/);
    expect((await put(desk, 'web_form', { useDefault: true })).status).toBe(403);

    // web forms: call now, call again after 10 minutes: the lead tried 20 minutes ago is due now
    expect(byLead(await queue(), ids.notDue)).toBeUndefined();
    const set = await put(manager, 'web_form', {
      steps: [
        { kind: 'call', after: { minutes: 0 } },
        { kind: 'call', after: { minutes: 10 } },
      ],
      maxAttempts: 2,
    });
    expect(set.status).toBe(200);
    expect(set.body.channels.web_form).toMatchObject({ origin: 'channel', maxAttempts: 2 });
    expect(set.body.channels.phone.origin).toBe('built_in');
    expect(byLead(await queue(), ids.notDue)).toMatchObject({ kind: 'next_attempt', nextStep: 'call', stepNumber: 2 });
    // the foreign practice's cadences are its own
    expect((await send(t, 'GET', '/api/v1/follow-ups/cadences', { cookie: foreignAdmin.cookie })).body.channels.web_form.origin).toBe('built_in');

    const reset = await put(manager, 'web_form', { useDefault: true });
    expect(reset.body.channels.web_form.origin).toBe('built_in');
    expect(byLead(await queue(), ids.notDue)).toBeUndefined();
    const practiceDefault = await put(manager, 'default', { steps: [{ kind: 'email', after: { days: 1 } }], maxAttempts: 1 });
    expect(practiceDefault.body.default.origin).toBe('practice');
    expect(practiceDefault.body.channels.chat).toMatchObject({ origin: 'practice', maxAttempts: 1 });
    await put(manager, 'default', { useDefault: true });
  });
});

describe('board counts', () => {
  it("counts what the queue counts, and today's missed calls without a callback", async () => {
    const service = t.app.get(FollowUpCountsService);
    const q = await queue();
    const counts = await service.counts(practiceId, new Date());
    expect(counts.followUpsDue).toBe(q.counts.first_contact + q.counts.next_attempt);
    const todayStart = DateTime.utc().startOf('day').toJSDate();
    const [missedToday] = await t.query(
      `SELECT count(*)::int AS n FROM call WHERE practice_id = $1 AND direction = 'inbound' AND status IN ('missed', 'voicemail', 'abandoned')
          AND callback_at IS NULL AND started_at >= $2
          AND NOT EXISTS (SELECT 1 FROM lead l WHERE l.id = call.lead_id AND l.do_not_contact_at IS NOT NULL)`,
      [practiceId, todayStart],
    );
    expect(counts.missedCallsNoCallback).toBe(missedToday.n);
    // a new missed call counts at once: its domain event drops the reused answer
    expect((await service.counts(practiceId, new Date())).missedCallsNoCallback).toBe(missedToday.n);
    const call = (await t.post('/api/v1/calls', key, { externalId: 'missed-3', status: 'abandoned', startedAt: ago(0), from: '+1 555 0999 004' })).body.id;
    expect((await service.counts(practiceId, new Date())).missedCallsNoCallback).toBe(missedToday.n + 1);
    await post(desk, `/api/v1/follow-ups/calls/${call}/called-back`);
    expect((await service.counts(practiceId, new Date())).missedCallsNoCallback).toBe(missedToday.n);
    expect(await service.counts((await t.query(`SELECT id FROM practice WHERE id <> $1 LIMIT 1`, [practiceId]))[0].id, new Date())).toEqual({
      followUpsDue: 1, // the foreign practice's own waiting lead (from the 404 test)
      missedCallsNoCallback: 1,
    });
  });
});

/** A lead created `createdMinutesAgo`, with a call attempt `attemptMinutesAgo`: its text is due an hour after. */
async function lead_(name: string, createdMinutesAgo: number, attemptMinutesAgo: number): Promise<string> {
  const id = await lead(name, createdMinutesAgo);
  await event(id, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer', at: ago(attemptMinutesAgo) });
  return id;
}

describe('the TV board', () => {
  it('hears of a call marked called back here', async () => {
    const callId = (await t.post('/api/v1/calls', key, { externalId: 'board-missed', status: 'missed', startedAt: ago(1), from: '+1 555 0999 020' })).body.id;
    const socket = t.connectBoard(displayToken);
    const snapshot = await nextMessage(socket, 'board:snapshot');
    const before = snapshot.state.followUps?.missedCallsNoCallback ?? 0;
    expect(before).toBeGreaterThan(0);
    const update = nextMessage(socket, 'board:update', (m) => m.state.followUps?.missedCallsNoCallback === before - 1, 5_000); // the debounced recount (1 s), not the 15 s refresh
    expect((await post(desk, `/api/v1/follow-ups/calls/${callId}/called-back`)).body.changed).toBe(true);
    const message = await update;
    expect(JSON.stringify(message)).not.toMatch(/555 0999/);
    socket.close();
  }, 30_000);
});
