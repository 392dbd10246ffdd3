// The embedded path (PGlite, no DATABASE_URL): start, ingest, see it on a board. One PGlite for the file.

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { UnitOfWork } from '../../server/database/unit-of-work.js';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let p: TestPractice;

beforeAll(async () => {
  t = await startTestApp({ embedded: true });
  p = await t.createPractice({ name: 'Embedded Practice' });
  // Open around the clock: the board's missed rate counts calls in opening hours only, and the call
  // below is stamped with the time the test runs.
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(allDay), p.practiceId]);
}, 120_000);
afterAll(() => t?.close());

it('starts on PGlite, ingests a lead and a call, and shows them on the board', async () => {
  const tv = t.connectBoard(p.displayToken);
  const snapshot = await nextMessage(tv, 'board:snapshot');
  expect(snapshot.state.practice.name).toBe('Embedded Practice');
  expect(snapshot.state.leads.newPatients).toBe(0);

  const update = nextMessage(tv, 'board:update', (m) => m.state.leads.newPatients === 1 && m.state.calls.missed === 1);
  expect((await t.post('/api/v1/leads', p.ingestKey, { channel: 'web_form', externalId: 'e-1' })).status).toBe(201);
  expect((await t.post('/api/v1/leads', p.ingestKey, { channel: 'web_form', externalId: 'e-1' })).status).toBe(200);
  expect((await t.post('/api/v1/calls', p.ingestKey, { externalId: 'c-1', status: 'missed' })).status).toBe(201);
  const state = (await update).state;
  expect(state.calls.missedRate).toBe(1);
  expect(state.waiting.count).toBe(1);
  tv.disconnect();
});

it('keeps concurrent transactions apart on the single PGlite session', async () => {
  // Without the unit of work taking turns, the failing transaction's ROLLBACK would also undo the
  // first transaction's write (they would share PGlite's one session).
  const unitOfWork = t.app.get(UnitOfWork);
  await t.query(`CREATE TABLE turn_check (v int)`);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = unitOfWork.run(async ({ manager }) => {
    await manager.query(`INSERT INTO turn_check VALUES (1)`);
    await gate;
    await manager.query(`INSERT INTO turn_check VALUES (2)`);
  });
  const second = unitOfWork.run(async ({ manager }) => {
    await manager.query(`INSERT INTO turn_check VALUES (3)`);
    throw new Error('this one fails');
  });
  setTimeout(release, 50);
  await first;
  await expect(second).rejects.toThrow('this one fails');
  expect(await t.query(`SELECT v FROM turn_check ORDER BY v`)).toEqual([{ v: 1 }, { v: 2 }]);
});
