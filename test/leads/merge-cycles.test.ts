// Merges can never go round (issue #11, item 1). An import merging A into B, B into C and C into A is
// refused with the cycle as the reason and writes nothing; merges stay one level deep; and an event on
// a lead whose merges go round (bad data written by hand) is refused at once instead of looping
// inside its transaction.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

let t: TestApp;
let a: TestPractice;
let manager: Session;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Cycle Dental' });
  await createUser(t, a.practiceId, 'manager@cycle.test', 'manager');
  manager = await login(t, 'manager@cycle.test');
});
afterAll(() => t.close());

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const importLeads = (csv: string) =>
  send(t, 'POST', '/api/v1/imports/leads', { body: csv, contentType: 'text/csv', cookie: manager.cookie, csrf: manager.csrfToken });
const leadCount = async () => (await t.query(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [a.practiceId]))[0].n as number;
/** Leads merged into a lead that is itself merged: never allowed (merges are one level deep). */
const chains = async () =>
  (
    await t.query(
      `SELECT count(*)::int AS n FROM lead l JOIN lead t ON t.id = l.merged_into_lead_id
        WHERE l.practice_id = $1 AND t.merged_into_lead_id IS NOT NULL`,
      [a.practiceId],
    )
  )[0].n as number;

/** A POST that must answer within a few seconds: a loop on the server would otherwise hang the test. */
async function postEvent(leadId: string, body: object): Promise<{ status: number; body: any }> {
  const response = await fetch(`${t.url}/api/v1/leads/${leadId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${a.ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.json() };
}

describe('merge cycles', () => {
  it('refuses an import merging A into B, B into C and C into A, naming the cycle, and writes nothing', async () => {
    const before = await leadCount();
    const csv = [
      'external_id,created_at,channel,merged_into_lead_id',
      `cyc-a,${hoursAgo(3)},phone,cyc-b`,
      `cyc-b,${hoursAgo(2)},web_form,cyc-c`,
      `cyc-c,${hoursAgo(1)},chat,cyc-a`,
    ].join('\n');
    const reply = await importLeads(csv);
    expect(reply.status).toBe(422);
    expect(reply.body.errors).toHaveLength(3);
    for (const error of reply.body.errors) {
      expect(error).toMatchObject({ field: 'mergedIntoLeadId', column: 'merged_into_lead_id' });
      expect(error.message).toMatch(/cycle \(cyc-\w -> cyc-\w -> cyc-\w -> cyc-\w\)/);
    }
    expect(reply.body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3, 4]);
    expect(await leadCount()).toBe(before);
  });

  it('refuses a two-lead cycle too, and accepts the same file without it (merges one level deep)', async () => {
    const cycle = ['external_id,created_at,channel,merged_into_lead_id', `two-a,${hoursAgo(3)},phone,two-b`, `two-b,${hoursAgo(2)},phone,two-a`].join('\n');
    expect((await importLeads(cycle)).status).toBe(422);

    // A into B and B into C: B is a touch of C, and A follows B to C (never a chain A -> B -> C).
    const chain = [
      'external_id,created_at,channel,merged_into_lead_id',
      `chain-a,${hoursAgo(3)},phone,chain-b`,
      `chain-b,${hoursAgo(2)},phone,chain-c`,
      `chain-c,${hoursAgo(1)},phone,`,
    ].join('\n');
    const reply = await importLeads(chain);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ imported: 3, merged: 2 });
    const rows: Array<{ external_id: string; into: string | null }> = await t.query(
      `SELECT l.external_id, t.external_id AS into FROM lead l LEFT JOIN lead t ON t.id = l.merged_into_lead_id
        WHERE l.practice_id = $1 AND l.external_id LIKE 'chain-%' ORDER BY l.external_id`,
      [a.practiceId],
    );
    expect(rows).toEqual([
      { external_id: 'chain-a', into: 'chain-c' },
      { external_id: 'chain-b', into: 'chain-c' },
      { external_id: 'chain-c', into: null },
    ]);
    expect(await chains()).toBe(0);
  });

  it('an event on a lead whose merges go round (bad data) is refused at once, and changes nothing', async () => {
    const first = (await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', createdAt: hoursAgo(5) })).body.id as string;
    const second = (await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', createdAt: hoursAgo(4) })).body.id as string;
    // Written by hand, as a broken import of an older version could have left them.
    await t.query(`UPDATE lead SET merged_into_lead_id = $2 WHERE id = $1`, [first, second]);
    await t.query(`UPDATE lead SET merged_into_lead_id = $2 WHERE id = $1`, [second, first]);

    const reply = await postEvent(first, { type: 'responded', via: 'call', at: hoursAgo(1) });
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(/itself merged.*unmerge/);
    const events = await t.query(`SELECT count(*)::int AS n FROM lead_event WHERE lead_id = ANY($1::uuid[])`, [[first, second]]);
    expect(events[0].n).toBe(0);
    // The server still answers.
    expect((await t.get('/api/health', null)).status).toBe(200);

    // Unmerging one end breaks the loop; events then land on the person's lead as usual.
    const unmerged = await send(t, 'POST', `/api/v1/leads/${second}/unmerge`, { cookie: manager.cookie, csrf: manager.csrfToken });
    expect(unmerged.status).toBe(200);
    const again = await postEvent(first, { type: 'responded', via: 'call', at: hoursAgo(1) });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(second);
  });
});
