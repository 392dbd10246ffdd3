// One lead per person: a call, a form and a text from the same phone number or email within the
// practice's window are one lead, not three; the later ones are touches of it. Merges are logged and
// can be undone; events sent for a merged lead land on the person's lead; the board and the reports
// count the person once.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Merge Dental', staff: ['Ana'] });
  b = await t.createPractice({ name: 'Other Dental' });
  await createUser(t, a.practiceId, 'manager@merge.test', 'manager');
  manager = await login(t, 'manager@merge.test');
});
afterAll(() => t.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const lead = (practice: TestPractice, body: Record<string, unknown>) => t.post('/api/v1/leads', practice.ingestKey, body);

describe('one lead per person', () => {
  let personLead: string;

  it('merges a call and a text from the same number, however it is written, into the first lead', async () => {
    const form = await lead(a, {
      channel: 'web_form',
      createdAt: minutesAgo(30),
      patient: { name: 'P One', phone: '+1 (555) 010-4242', email: 'one@example.test' },
    });
    expect(form.status).toBe(201);
    expect(form.body.mergedIntoLeadId).toBeNull();
    personLead = form.body.id;

    const call = await lead(a, { channel: 'phone', createdAt: minutesAgo(20), patient: { phone: '555 010 4242' } });
    expect(call.status).toBe(201);
    expect(call.body.mergedIntoLeadId).toBe(personLead);

    const text = await lead(a, { channel: 'chat', createdAt: minutesAgo(10), patient: { email: 'ONE@example.test' } });
    expect(text.body.mergedIntoLeadId).toBe(personLead);

    const log = await t.query(`SELECT lead_id, into_lead_id, matched_on FROM lead_merge WHERE practice_id = $1 ORDER BY merged_at`, [a.practiceId]);
    expect(log).toEqual([
      { lead_id: call.body.id, into_lead_id: personLead, matched_on: 'phone' },
      { lead_id: text.body.id, into_lead_id: personLead, matched_on: 'email' },
    ]);
  });

  it('counts the person once on the board and in the reports, with the touches kept', async () => {
    const board = await t.get('/api/v1/board', a.ingestKey);
    expect(board.body.state.leads.total).toBe(1);
    const roi = await send(t, 'GET', '/api/v1/reports/marketing-roi', { cookie: manager.cookie });
    expect(roi.body.totals.leads).toBe(1);
    const queue = await send(t, 'GET', '/api/v1/follow-ups/queue', { cookie: manager.cookie });
    const items = queue.body.items.filter((item: { leadId: string | null }) => item.leadId !== null);
    expect(items.map((item: { leadId: string; repeatContacts: number }) => [item.leadId, item.repeatContacts])).toEqual([[personLead, 2]]);
  });

  it("sends events for a merged lead to the person's lead; a repeated step changes nothing", async () => {
    const merged = (await t.query(`SELECT id FROM lead WHERE merged_into_lead_id = $1 ORDER BY created_at LIMIT 1`, [personLead]))[0].id;
    const booked = await t.post(`/api/v1/leads/${merged}/events`, a.ingestKey, { type: 'booked', at: minutesAgo(5), value: 900 });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ id: personLead, status: 'booked' });
    const again = await t.post(`/api/v1/leads/${merged}/events`, a.ingestKey, { type: 'booked', at: minutesAgo(4), value: 900 });
    expect(again.status).toBe(200);
    const [row] = await t.query(`SELECT status, booked_at FROM lead WHERE id = $1`, [merged]);
    expect(row).toEqual({ status: 'open', booked_at: null });
    // On the person's own lead the same repeat is the usual 409.
    expect((await t.post(`/api/v1/leads/${personLead}/events`, a.ingestKey, { type: 'booked', at: minutesAgo(3) })).status).toBe(409);
  });

  it('leaves other people, other practices, and leads outside the window alone', async () => {
    const stranger = await lead(a, { channel: 'phone', patient: { phone: '+1 555 010 9999' } });
    expect(stranger.body.mergedIntoLeadId).toBeNull();
    const elsewhere = await lead(b, { channel: 'phone', patient: { phone: '555 010 4242' } });
    expect(elsewhere.body.mergedIntoLeadId).toBeNull();
    const old = await lead(a, { channel: 'web_form', createdAt: minutesAgo(60 * 24 * 45), patient: { email: 'old@example.test' } });
    const back = await lead(a, { channel: 'web_form', patient: { email: 'old@example.test' } });
    expect(old.body.mergedIntoLeadId).toBeNull();
    expect(back.body.mergedIntoLeadId).toBeNull(); // 45 days later: outside the 30-day window
  });

  it('follows the window the practice sets, and 0 turns merging off', async () => {
    await t.query(`UPDATE practice SET lead_merge_window_hours = 0 WHERE id = $1`, [a.practiceId]);
    const again = await lead(a, { channel: 'phone', patient: { phone: '5550104242' } });
    expect(again.body.mergedIntoLeadId).toBeNull();
    await t.query(`UPDATE practice SET lead_merge_window_hours = 720 WHERE id = $1`, [a.practiceId]);
  });

  it('a retried delivery of a merged lead changes nothing', async () => {
    const first = await lead(a, { externalId: 'retry-merge', channel: 'chat', patient: { email: 'one@example.test' } });
    const [{ n: before }] = await t.query(`SELECT count(*)::int AS n FROM lead_merge WHERE practice_id = $1`, [a.practiceId]);
    const retry = await lead(a, { externalId: 'retry-merge', channel: 'chat', patient: { email: 'one@example.test' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, mergedIntoLeadId: personLead });
    const [{ n: after }] = await t.query(`SELECT count(*)::int AS n FROM lead_merge WHERE practice_id = $1`, [a.practiceId]);
    expect(after).toBe(before);
  });

  it('a manager can undo a merge: logged, and the lead counts on the board again', async () => {
    const socket = t.connectBoard(a.displayToken);
    const snapshot = await nextMessage(socket, 'board:snapshot');
    const before = snapshot.state.leads.total;
    const merged = (await t.query(`SELECT id FROM lead WHERE merged_into_lead_id = $1 ORDER BY created_at DESC LIMIT 1`, [personLead]))[0].id;

    expect((await send(t, 'POST', `/api/v1/leads/${merged}/unmerge`, { bearer: a.ingestKey })).status).toBe(403);
    const foreign = await t.createPractice({ name: 'Foreign' });
    await createUser(t, foreign.practiceId, 'boss@foreign.test', 'admin');
    const foreignAdmin = await login(t, 'boss@foreign.test');
    expect((await send(t, 'POST', `/api/v1/leads/${merged}/unmerge`, { cookie: foreignAdmin.cookie, csrf: foreignAdmin.csrfToken })).status).toBe(404);

    const counted = nextMessage(socket, 'board:update', (message) => message.state.leads.total === before + 1);
    const undone = await send(t, 'POST', `/api/v1/leads/${merged}/unmerge`, { cookie: manager.cookie, csrf: manager.csrfToken });
    expect(undone.status).toBe(200);
    expect(undone.body.mergedIntoLeadId).toBeNull();
    const [log] = await t.query(`SELECT undone_at, undone_by_user_id FROM lead_merge WHERE lead_id = $1`, [merged]);
    expect(log.undone_at).toBeInstanceOf(Date);
    expect(log.undone_by_user_id).toBe(manager.user.id);
    await counted;
    socket.close();

    expect((await send(t, 'POST', `/api/v1/leads/${merged}/unmerge`, { cookie: manager.cookie, csrf: manager.csrfToken })).status).toBe(409);
  });
});
