// Privacy by construction: over a simulated busy day posted through the real HTTP API, no board
// payload (socket or GET) and no log line contains any patient name, phone, email or free-text note.

import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import type { IngestPort } from '../../server/ingest/ingest.port.js';
import { ActionApplier } from '../../server/simulator/action-applier.js';
import { demoPracticeProfile } from '../../server/simulator/practice-profile.js';
import { simulateDay } from '../../server/simulator/practice-simulator.js';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

const logLines: string[] = [];
let t: TestApp;
let p: TestPractice;

// A zone where it is now late evening, so that a whole simulated day fits into "today so far".
const hourNowUtc = new Date().getUTCHours();
const offset = ((23 - hourNowUtc + 36) % 24) - 12; // local = UTC + offset, aiming at 23:xx
const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
const profile = { ...demoPracticeProfile(), timeZone: zone };

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  // A whole simulated day of the (busy) demo practice goes through the API at once: above the default burst.
  t = await startTestApp({ logger: pino({ level: 'trace' }, sink), config: { ingestRateLimits: { perSecond: 1000, burst: 2000 } } });
  p = await t.createPractice({ name: 'Privacy Practice', timeZone: zone, staff: profile.staff.map((s) => s.name) });
  // The simulated Monday is moved onto today by whole days, so its appointments (inside the profile's
  // hours) can land on a weekend; appointments outside the practice's opening hours are refused, so the
  // practice here is open 08:00-18:00 every day.
  const everyDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['08:00', '18:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(everyDay), p.practiceId]);
});
afterAll(() => t.close());

/** The ingest port over the public HTTP API, so requests, validation and request logs are all real. */
function httpPort(key: string): IngestPort {
  const send = async (path: string, body: unknown) => {
    const response = await t.post(path, key, JSON.parse(JSON.stringify(body)));
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${response.body.message}`);
    return { created: response.status === 201, value: response.body };
  };
  const port: IngestPort = {
    createLead: (_practiceId, input) => send('/api/v1/leads', input),
    applyLeadEvent: (_practiceId, leadId, input) => send(`/api/v1/leads/${leadId}/events`, input),
    upsertCall: (_practiceId, input) => send('/api/v1/calls', input),
    batch: (work) => work(port),
  };
  return port;
}

it('never puts patient details or notes on a board or in a log line over a simulated day', async () => {
  const tv = t.connectBoard(p.displayToken);
  const payloads: string[] = [JSON.stringify(await nextMessage(tv, 'board:snapshot'))];
  tv.on('board:update', (message) => payloads.push(JSON.stringify(message)));

  // A busy Monday of the demo practice, moved onto today in the practice's zone.
  const today = DateTime.now().setZone(zone).startOf('day');
  const simulated = today.minus({ weeks: 2 }).set({ weekday: 1 });
  const shiftMs = today.toMillis() - simulated.toMillis();
  const now = Date.now() - 1000;
  const staffIds = p.staff;
  const actions = simulateDay(profile, simulated.toISODate()!, { seed: 'privacy', staffIds }).filter((action) => action.at.getTime() + shiftMs <= now);
  expect(actions.length).toBeGreaterThan(40);

  const secrets = new Set<string>();
  for (const action of actions) {
    if (action.kind === 'lead') for (const value of Object.values(action.input.patient ?? {})) if (value) secrets.add(value);
    if (action.kind === 'call' && action.input.from) secrets.add(action.input.from);
    if (action.kind === 'lead_event' && action.input.type === 'not_booked' && action.input.note) secrets.add(action.input.note);
  }
  expect(secrets.size).toBeGreaterThan(20);

  const applier = new ActionApplier(p.practiceId);
  const port = httpPort(p.ingestKey);
  for (const action of actions) await applier.apply(port, action, shiftMs);

  const leadsPosted = actions.filter((a) => a.kind === 'lead').length;
  await nextMessage(tv, 'board:update', (m) => m.state.leads.total === leadsPosted, 10_000);
  payloads.push(JSON.stringify((await t.get('/api/v1/board', p.displayToken)).body));
  tv.disconnect();

  const boardText = payloads.join('\n');
  const logText = logLines.join('');
  expect(logText.length).toBeGreaterThan(1000); // the requests really were logged
  for (const secret of secrets) {
    expect(boardText).not.toContain(secret);
    expect(logText).not.toContain(secret);
  }
  // Credentials stay out of the logs too.
  expect(logText).not.toContain(p.ingestKey);
  expect(logText).not.toContain(p.displayToken);
});
