// A domain-event listener that throws after the commit never turns the committed write into a 500
// (issue #11, item 11): the request answers 2xx, the write stays, the other listeners still hear the
// event, and the error is logged (without the event's payload).

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { DomainEvents, type LeadCreatedV1 } from '../../server/events/domain-events.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
const lines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await startTestApp({ logger: pino({ level: 'info' }, sink) });
  a = await t.createPractice({ name: 'Listener Dental' });
});
afterAll(() => t.close());

describe('listener errors after commit', () => {
  it('a throwing listener and a rejecting one: the request is 201, the lead is written, the error logged', async () => {
    const events = t.app.get(DomainEvents);
    const heard: LeadCreatedV1[] = [];
    const offs = [
      events.on('LeadCreatedV1', () => {
        throw new Error('listener exploded');
      }),
      events.on('LeadCreatedV1', async () => {
        throw new Error('async listener exploded');
      }),
      events.on('LeadCreatedV1', (payload) => void heard.push(payload)),
    ];
    try {
      const reply = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', patient: { name: 'Lena Listener', phone: '+1 555 010 5151' } });
      expect(reply.status).toBe(201);
      const [row] = await t.query(`SELECT count(*)::int AS n FROM lead WHERE id = $1`, [reply.body.id]);
      expect(row.n).toBe(1);
      expect(heard.map((event) => event.leadId)).toEqual([reply.body.id]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the rejected promise is logged a tick later
      const errors = lines.filter((line) => line.includes('listener failed after commit'));
      expect(errors).toHaveLength(2);
      expect(errors.join('\n')).toMatch(/LeadCreatedV1 listener failed after commit \(the write stands\): listener exploded/);
      expect(errors.join('\n')).toMatch(/async listener exploded/);
      expect(lines.join('\n')).not.toMatch(/Lena|5151/);
      // The board's own listener ran too: it counts the lead.
      const board = await t.get('/api/v1/board', a.ingestKey);
      expect(board.body.state.leads.total).toBe(1);
    } finally {
      for (const off of offs) off();
    }
  });
});
