// The live board over a real socket.io connection to the real app on PostgreSQL.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CredentialsService } from '../../server/auth/credentials.service.js';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import type { BoardUpdateV1 } from '../../server/live/board.contract.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B' });
  // Open around the clock: the board counts calls in opening hours apart from after-hours ones, and
  // these calls are stamped with the time the test runs.
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id IN ($2, $3)`, [JSON.stringify(allDay), a.practiceId, b.practiceId]);
});
afterAll(() => t.close());

function connected(socket: ReturnType<TestApp['connectBoard']>) {
  return nextMessage(socket, 'board:snapshot');
}

function refusal(socket: ReturnType<TestApp['connectBoard']>): Promise<{ message: string; data?: { code: string; message: string } }> {
  return new Promise((resolve) => socket.once('connect_error', (error) => resolve(error as never)));
}

describe('board socket', () => {
  it('sends a snapshot at once, then an update showing a lead posted through the API', async () => {
    const tv = t.connectBoard(a.displayToken);
    const snapshot = await connected(tv);
    expect(snapshot.state.practice.name).toBe('Practice A');
    const before = snapshot.state.leads.newPatients;

    const update = nextMessage(tv, 'board:update', (m) => m.state.leads.newPatients === before + 1);
    const posted = await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', source: 'Google Ads' });
    expect(posted.status).toBe(201);
    const message = await update;
    expect(message.seq).toBeGreaterThan(snapshot.seq);
    expect(message.state.leads.byChannel).toContainEqual({ channel: 'web_form', newPatients: expect.any(Number), existingPatients: 0 });
    expect(message.state.leads.bySource.map((s) => s.source)).toContain('Google Ads');
    expect(message.state.waiting.count).toBeGreaterThanOrEqual(1);
    tv.disconnect();
  });

  it('coalesces a burst of events into at most 4 updates a second, ending at the right count', async () => {
    const tv = t.connectBoard(a.displayToken);
    const snapshot = await connected(tv);
    const updates: BoardUpdateV1[] = [];
    tv.on('board:update', (m) => updates.push(m));
    const burst = 40;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: burst }, (_, i) => t.post('/api/v1/calls', a.ingestKey, { externalId: `burst-${i}`, status: i % 4 === 0 ? 'missed' : 'answered' })),
    );
    const final = await nextMessage(tv, 'board:update', (m) => m.state.calls.inbound === snapshot.state.calls.inbound + burst, 5000).catch(() =>
      updates.at(-1),
    );
    const elapsed = Math.max(Date.now() - started, 1);
    expect(final?.state.calls.inbound).toBe(snapshot.state.calls.inbound + burst);
    expect(final?.state.calls.missed).toBe(snapshot.state.calls.missed + burst / 4);
    // At most one update per 250 ms window, plus the leading edge.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(updates.length).toBeLessThan(burst);
    const seqs = updates.map((u) => u.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    tv.disconnect();
  });

  it('refuses a missing, wrong or revoked token with a reason', async () => {
    expect((await refusal(t.connectBoard(undefined))).message).toBe('token_missing');
    const wrong = await refusal(t.connectBoard('lwd_this-is-not-a-real-token-000000000'));
    expect(wrong.message).toBe('token_invalid');
    expect(wrong.data?.message).toMatch(/not valid/);
    expect((await refusal(t.connectBoard(a.ingestKey))).message).toBe('token_invalid');
  });

  it('disconnects a connected TV whose token is revoked, and refuses it after', async () => {
    const display = await t.practices.createDisplayToken(a.practiceId, 'Doomed TV');
    const tv = t.connectBoard(display.secret);
    await connected(tv);
    const revoked = nextMessage(tv, 'board:revoked');
    const disconnected = new Promise<string>((resolve) => tv.once('disconnect', resolve));
    await t.app.get(CredentialsService).revokeDisplayToken(display.id);
    expect((await revoked).code).toBe('token_revoked');
    expect(await disconnected).toBe('io server disconnect');
    expect((await refusal(t.connectBoard(display.secret))).message).toBe('token_revoked');
  });

  it("never sends practice A's updates to practice B's TV", async () => {
    const tvB = t.connectBoard(b.displayToken);
    const snapshotB = await connected(tvB);
    const received: BoardUpdateV1[] = [];
    tvB.on('board:update', (m) => received.push(m));
    const tvA = t.connectBoard(a.displayToken);
    await connected(tvA);
    const seenByA = nextMessage(tvA, 'board:update', (m) => m.state.leads.bySource.some((s) => s.source === 'Only A'));
    await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', source: 'Only A' });
    await seenByA;
    await new Promise((resolve) => setTimeout(resolve, 400));
    for (const message of received) {
      expect(message.state.practice.name).toBe('Practice B');
      expect(message.state.leads.newPatients).toBe(snapshotB.state.leads.newPatients);
    }
    tvA.disconnect();
    tvB.disconnect();
  });

  it('a TV that reconnects ends in exactly the state of a freshly connected one', async () => {
    const tv = t.connectBoard(a.displayToken, { reconnection: true });
    await connected(tv);
    // Drop the connection from the server side, then change the board while the TV is away.
    const resync = nextMessage(tv, 'board:snapshot', () => true, 5000);
    tv.io.engine.close();
    await t.post('/api/v1/leads', a.ingestKey, { channel: 'email', source: 'While away' });
    const after = await resync;
    const fresh = t.connectBoard(a.displayToken);
    const freshSnapshot = await connected(fresh);
    const { generatedAt: _a, ...resynced } = after.state;
    const { generatedAt: _b, ...freshState } = freshSnapshot.state;
    expect(resynced).toEqual(freshState);
    expect(resynced.leads.bySource.map((s) => s.source)).toContain('While away');
    tv.disconnect();
    fresh.disconnect();
  });
});
