// The imports on the embedded database (PGlite: one session, transactions take turns; savepoints per
// row), and what the live board hears: nothing from a dry run or a rejected file, everything (once)
// from an import that commits.

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let p: TestPractice;

beforeAll(async () => {
  t = await startTestApp({ embedded: true });
  p = await t.createPractice({ name: 'Embedded Practice' });
}, 120_000);
afterAll(() => t?.close());

const upload = async (path: string, csv: string) => {
  const response = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.ingestKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  return { status: response.status, body: await response.json() };
};

it('imports leads and calls in one transaction, tells the board only after a real import', async () => {
  const tv = t.connectBoard(p.displayToken);
  const snapshot = await nextMessage(tv, 'board:snapshot');
  expect(snapshot.state.leads.newPatients).toBe(0);
  const updates: number[] = [];
  tv.on('board:update', (message) => updates.push(message.state.leads.newPatients));

  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const leads = ['external_id,created_at,channel,source', `e-1,${at(30)},web_form,Google Ads`, `e-2,${at(20)},phone,`].join('\n');
  const calls = ['external_id,status,started_at,lead_external_id', `c-1,missed,${at(20)},e-2`, `c-2,answered,${at(10)},e-404`].join('\n');

  expect((await upload('/api/v1/imports/leads?dryRun=true', leads)).body).toMatchObject({ dryRun: true, imported: 2 });
  // A write-time problem on the second row: the first row's write is rolled back too.
  // (the leads are not there yet: c-1's lead e-2 is unknown, as is c-2's)
  const rejected = await upload(
    '/api/v1/imports/calls',
    [...calls.split('\n').slice(0, 1), `c-0,missed,${at(5)},`, `c-0b,missed,${at(5)},`, ...calls.split('\n').slice(1)].join('\n'),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.body.errors.map((e: any) => e.line)).toEqual([4, 5]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(updates).toEqual([]);
  expect(await t.query(`SELECT count(*)::int AS n FROM lead WHERE practice_id = $1`, [p.practiceId])).toEqual([{ n: 0 }]);

  const update = nextMessage(tv, 'board:update', (m) => m.state.leads.newPatients === 2);
  expect((await upload('/api/v1/imports/leads', leads)).body).toMatchObject({ imported: 2 });
  await update;
  const callsOk = await upload('/api/v1/imports/calls', calls.split('\n').slice(0, 2).join('\n'));
  expect(callsOk.body).toMatchObject({ imported: 1 });
  expect((await upload('/api/v1/imports/leads', leads)).body).toMatchObject({ imported: 0, unchanged: 2 });
  expect(await t.query(`SELECT count(*)::int AS n FROM call WHERE practice_id = $1`, [p.practiceId])).toEqual([{ n: 1 }]);
  tv.disconnect();
});
