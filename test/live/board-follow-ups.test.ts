// The TV board's follow-up numbers: how many follow-ups are due and how many missed new-patient callers
// nobody has called back yet. They are counted in the database and follow the changes that move them
// (a new lead, a first contact, a missed call, its call back) without patient details.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Follow-up Dental', staff: ['Ana'] });
  b = await t.createPractice({ name: 'Other Dental' });
  // Open around the clock, so that "due" does not depend on when the test runs.
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id IN ($2, $3)`, [JSON.stringify(allDay), a.practiceId, b.practiceId]);
});
afterAll(() => t.close());

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const UPDATE_WAIT_MS = 20_000; // a debounced recount, at worst after the counter's 5 s reuse and a 15 s refresh tick

describe('follow-up counts on the board', () => {
  it('counts due follow-ups and uncalled-back missed callers, and follows the changes', async () => {
    const socket = t.connectBoard(a.displayToken);
    const snapshot = await nextMessage(socket, 'board:snapshot');
    expect(snapshot.state.followUps).toEqual({ due: 0, missedCallsNoCallback: 0 });

    let update = nextMessage(socket, 'board:update', (m) => m.state.followUps?.due === 1, UPDATE_WAIT_MS);
    const lead = await t.post('/api/v1/leads', a.ingestKey, {
      channel: 'web_form',
      createdAt: secondsAgo(60),
      patient: { name: 'Fay Follow', phone: '+1 555 010 8100' },
    });
    await update;

    update = nextMessage(socket, 'board:update', (m) => m.state.followUps?.missedCallsNoCallback === 1, UPDATE_WAIT_MS);
    await t.post('/api/v1/calls', a.ingestKey, {
      externalId: 'missed-1',
      status: 'missed',
      startedAt: secondsAgo(30),
      from: '+1 555 010 8200',
      isNewPatient: true,
    });
    await t.post('/api/v1/calls', b.ingestKey, {
      externalId: 'missed-1',
      status: 'missed',
      startedAt: secondsAgo(30),
      from: '+1 555 010 8200',
      isNewPatient: true,
    });
    const counted = await update;
    expect(JSON.stringify(counted)).not.toMatch(/Fay|8100|8200/);

    update = nextMessage(socket, 'board:update', (m) => m.state.followUps?.missedCallsNoCallback === 0, UPDATE_WAIT_MS);
    await t.post('/api/v1/calls', a.ingestKey, {
      externalId: 'back-1',
      direction: 'outbound',
      status: 'answered',
      startedAt: secondsAgo(10),
      from: '555-010-8200',
    });
    await update;

    // The first contact takes the lead off the "due now" list (its next step is an hour away).
    update = nextMessage(socket, 'board:update', (m) => m.state.followUps?.due === 0, UPDATE_WAIT_MS);
    await t.post(`/api/v1/leads/${lead.body.id}/events`, a.ingestKey, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer' });
    await update;
    socket.close();

    const other = await t.get('/api/v1/board', b.ingestKey);
    expect(other.body.state.followUps).toEqual({ due: 0, missedCallsNoCallback: 1 });
  }, 90_000);

  it('GET /api/v1/board is fresh for every reader with no TV connected: a voicemail shows at once', async () => {
    const c = await t.createPractice({ name: 'Unwatched Dental' });
    const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
    await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(allDay), c.practiceId]);
    const before = await t.get('/api/v1/board', c.ingestKey);
    expect(before.body.state.followUps).toEqual({ due: 0, missedCallsNoCallback: 0 });
    await t.post('/api/v1/calls', c.ingestKey, {
      externalId: 'vm-1',
      status: 'voicemail',
      startedAt: secondsAgo(20),
      from: '+1 555 010 8300',
      isNewPatient: true,
    });
    // No wait: the board this process already holds recounts for the reader (it used to keep 0 until a TV
    // connected or the board was rebuilt).
    const after = await t.get('/api/v1/board', c.ingestKey);
    expect(after.body.state.followUps).toEqual({ due: 0, missedCallsNoCallback: 1 });
    expect(after.body.state.calls).toMatchObject({ inbound: 1, voicemail: 1, unanswered: 1, missedRate: 1 });
  }, 60_000);

  it('counts waiting leads and follow-ups due over one window: a lead nobody replied to for 10 days is in both', async () => {
    const d = await t.createPractice({ name: 'Window Dental' });
    const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
    await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(allDay), d.practiceId]);
    const days = (n: number) => secondsAgo(n * 86_400);
    await t.post('/api/v1/leads', d.ingestKey, { channel: 'web_form', createdAt: days(10), patient: { phone: '+1 555 010 8410' } });
    await t.post('/api/v1/leads', d.ingestKey, { channel: 'email', createdAt: days(2), patient: { phone: '+1 555 010 8420' } });
    // Older than the window (31 days back from today's midnight, whatever the hour): in neither.
    await t.post('/api/v1/leads', d.ingestKey, { channel: 'web_form', createdAt: days(32), patient: { phone: '+1 555 010 8430' } });
    const { state } = (await t.get('/api/v1/board', d.ingestKey)).body;
    expect(state.waiting).toMatchObject({ count: 2, windowDays: 30 });
    expect(state.followUps.due).toBe(2);
    expect(state.labels.waiting).toMatch(/last 30 days/);
    expect(state.labels.followUpsDue).toMatch(/same 30 days/);
  }, 60_000);

  it('takes a lead marked "do not contact" off the waiting list at once, and puts it back when lifted', async () => {
    await createUser(t, a.practiceId, 'desk@followups.test', 'front_desk');
    const desk = await login(t, 'desk@followups.test');
    const socket = t.connectBoard(a.displayToken);
    const before = (await nextMessage(socket, 'board:snapshot')).state;
    let update = nextMessage(socket, 'board:update', (m) => m.state.waiting.count === before.waiting.count + 1, UPDATE_WAIT_MS);
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', createdAt: secondsAgo(90) });
    await update;

    update = nextMessage(
      socket,
      'board:update',
      (m) => m.state.waiting.count === before.waiting.count && m.state.followUps?.due === before.followUps?.due,
      UPDATE_WAIT_MS,
    );
    const marked = await send(t, 'POST', `/api/v1/follow-ups/leads/${lead.body.id}/do-not-contact`, { cookie: desk.cookie, csrf: desk.csrfToken, body: {} });
    expect(marked.status).toBeLessThan(300);
    await update;

    update = nextMessage(socket, 'board:update', (m) => m.state.waiting.count === before.waiting.count + 1, UPDATE_WAIT_MS);
    const lifted = await send(t, 'POST', `/api/v1/follow-ups/leads/${lead.body.id}/do-not-contact`, {
      cookie: desk.cookie,
      csrf: desk.csrfToken,
      body: { undo: true },
    });
    expect(lifted.status).toBeLessThan(300);
    await update;
    socket.close();
  }, 90_000);
});
