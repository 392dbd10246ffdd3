// The ingest API end to end on a real PostgreSQL server: happy paths, idempotency, impossible
// transitions, bad input that writes nothing, and the walls between practices and roles.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.createPractice({ name: 'Practice A' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'Europe/London' });
});
afterAll(() => t.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function rowCounts(practiceId: string) {
  const [row] = await t.query(
    `SELECT (SELECT count(*) FROM lead WHERE practice_id = $1)::int AS leads,
            (SELECT count(*) FROM patient WHERE practice_id = $1)::int AS patients,
            (SELECT count(*) FROM lead_event WHERE practice_id = $1)::int AS events,
            (SELECT count(*) FROM call WHERE practice_id = $1)::int AS calls,
            (SELECT count(*) FROM marketing_source WHERE practice_id = $1)::int AS sources`,
    [practiceId],
  );
  return row;
}

describe('POST /api/v1/leads', () => {
  it('creates a lead, stores patient details apart, and returns no patient details', async () => {
    const response = await t.post('/api/v1/leads', a.ingestKey, {
      channel: 'web_form',
      source: 'Google Ads',
      campaign: 'Invisalign spring',
      treatment: 'Invisalign',
      createdAt: minutesAgo(10),
      patient: { name: 'Olive Ingest', phone: '+1 555 0199 001', email: 'olive@example.test' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ channel: 'web_form', status: 'open', isNewPatient: true, treatment: 'Invisalign' });
    expect(JSON.stringify(response.body)).not.toMatch(/Olive|0199|olive@/);
    const [patient] = await t.query(`SELECT name, email FROM patient WHERE lead_id = $1`, [response.body.id]);
    expect(patient).toEqual({ name: 'Olive Ingest', email: 'olive@example.test' });
    const [source] = await t.query(`SELECT s.name FROM lead l JOIN marketing_source s ON s.id = l.source_id WHERE l.id = $1`, [response.body.id]);
    expect(source.name).toBe('Google Ads');
  });

  it('returns the existing lead with 200 for a repeated externalId and changes nothing', async () => {
    const body = { externalId: 'form-123', channel: 'web_form', source: 'Facebook', patient: { name: 'Rita Retry' } };
    const first = await t.post('/api/v1/leads', a.ingestKey, body);
    expect(first.status).toBe(201);
    const before = await rowCounts(a.practiceId);
    const again = await t.post('/api/v1/leads', a.ingestKey, { ...body, channel: 'phone', treatment: 'changed' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.channel).toBe('web_form');
    expect(await rowCounts(a.practiceId)).toEqual(before);
  });

  it('keeps one lead when the same delivery arrives many times at once', async () => {
    const body = { externalId: 'burst-1', channel: 'chat' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.post('/api/v1/leads', a.ingestKey, body)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"channel": "phone",', /malformed JSON/],
    ['a wrong type', { channel: 'phone', isNewPatient: 'yes' }, /isNewPatient/],
    ['an unknown enum value', { channel: 'carrier_pigeon' }, /channel/],
    ['a missing field', { source: 'Google Ads' }, /channel/],
    ['an unknown field', { channel: 'phone', favouriteColour: 'blue' }, /favouriteColour/],
    ['a timestamp in the future', { channel: 'phone', createdAt: '2999-01-01T00:00:00Z' }, /createdAt: is in the future/],
    ['an absurdly old timestamp', { channel: 'phone', createdAt: '1970-01-01T00:00:00Z' }, /createdAt: is before the year 2000/],
    ['a timestamp without zone', { channel: 'phone', createdAt: '2026-03-01T09:00:00' }, /createdAt/],
    ['a bad email', { channel: 'phone', patient: { email: 'not-an-email' } }, /patient\.email/],
    ['a campaign without source', { channel: 'phone', campaign: 'Spring' }, /campaign/],
    ['a foreign staff id', { channel: 'phone', assignedStaffId: '00000000-0000-4000-8000-000000000000' }, /assignedStaffId/],
  ])('rejects %s with a 4xx naming the field and writes nothing', async (_label, body, message) => {
    const before = await rowCounts(a.practiceId);
    const response = await t.post('/api/v1/leads', a.ingestKey, body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.message).toMatch(message);
    expect(await rowCounts(a.practiceId)).toEqual(before);
  });

  it('rejects an oversize body with 413', async () => {
    const response = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', treatment: 'x'.repeat(100_000) });
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/larger than/);
  });
});

describe('POST /api/v1/leads/{id}/events', () => {
  async function newLead(minutes = 30) {
    return (await t.post('/api/v1/leads', a.ingestKey, { channel: 'web_form', createdAt: minutesAgo(minutes) })).body.id as string;
  }

  it('records a response, a contact attempt and a booking', async () => {
    const id = await newLead();
    const responded = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, {
      type: 'responded',
      at: minutesAgo(25),
      staffId: a.staff.Maya,
      via: 'call',
    });
    expect(responded.status).toBe(201);
    expect(responded.body).toMatchObject({ status: 'contacted', firstResponseStaffId: a.staff.Maya });
    const attempt = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, {
      type: 'contact_attempt',
      kind: 'text',
      outcome: 'no_answer',
      staffId: a.staff.Sam,
      at: minutesAgo(20),
    });
    expect(attempt.status).toBe(201);
    // Inside opening hours (practice-local): an appointment at a time the practice is closed is refused.
    const nextWeekTuesdayTenAm = DateTime.now()
      .setZone('America/Chicago')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 10, minute: 0, second: 0, millisecond: 0 })
      .toISO()!;
    const booked = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, {
      type: 'booked',
      at: minutesAgo(10),
      appointmentAt: nextWeekTuesdayTenAm,
      value: 4500,
      staffId: a.staff.Maya,
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'booked', estimatedValue: 4500 });
    const [{ attempts }] = await t.query(`SELECT count(*)::int AS attempts FROM contact_attempt WHERE lead_id = $1`, [id]);
    expect(attempts).toBe(1);
  });

  it('a first contact attempt sets speed to lead', async () => {
    const id = await newLead();
    const response = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, {
      type: 'contact_attempt',
      kind: 'call',
      outcome: 'no_answer',
      staffId: a.staff.Sam,
      at: minutesAgo(28),
    });
    expect(response.body.firstResponseAt).not.toBeNull();
    expect(response.body.status).toBe('open');
  });

  it('records not booked with a reason and keeps the note private', async () => {
    const id = await newLead();
    const response = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, {
      type: 'not_booked',
      reason: 'price',
      note: 'Patient said too expensive; call back in May',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'not_booked', notBookedReason: 'price' });
    expect(JSON.stringify(response.body)).not.toMatch(/expensive/);
    const read = await t.get(`/api/v1/leads/${id}`, a.ingestKey);
    expect(JSON.stringify(read.body)).not.toMatch(/expensive/);
  });

  it('refuses impossible transitions with a reason and changes nothing', async () => {
    const id = await newLead(30);
    const early = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, { type: 'responded', at: minutesAgo(60), via: 'call' });
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/before the lead was created/);

    expect((await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, { type: 'booked', value: 100 })).status).toBe(201);
    const before = await rowCounts(a.practiceId);
    const twice = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, { type: 'booked', value: 999 });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already booked/);
    const lost = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, { type: 'not_booked', reason: 'price' });
    expect(lost.status).toBe(409);
    expect(await rowCounts(a.practiceId)).toEqual(before);
    const [lead] = await t.query(`SELECT estimated_value FROM lead WHERE id = $1`, [id]);
    expect(Number(lead.estimated_value)).toBe(100);
  });

  it('applies an event sent twice with the same eventId once', async () => {
    const id = await newLead();
    const event = { type: 'contact_attempt', eventId: 'attempt-1', kind: 'email', outcome: 'sent' };
    expect((await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, event)).status).toBe(201);
    expect((await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, event)).status).toBe(200);
    const [{ attempts }] = await t.query(`SELECT count(*)::int AS attempts FROM contact_attempt WHERE lead_id = $1`, [id]);
    expect(attempts).toBe(1);
  });

  it('rejects an unknown event type, a bad id and an unknown lead', async () => {
    const id = await newLead();
    const unknown = await t.post(`/api/v1/leads/${id}/events`, a.ingestKey, { type: 'teleported' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/type/);
    expect((await t.post(`/api/v1/leads/not-a-uuid/events`, a.ingestKey, { type: 'booked' })).status).toBe(400);
    const missing = await t.post(`/api/v1/leads/00000000-0000-4000-8000-000000000000/events`, a.ingestKey, { type: 'booked' });
    expect(missing.status).toBe(404);
  });
});

describe('POST /api/v1/calls', () => {
  it('creates a call, then updates the same call from ringing to answered, never duplicating it', async () => {
    const ringing = await t.post('/api/v1/calls', a.ingestKey, { externalId: 'CA-1', status: 'ringing', startedAt: minutesAgo(3), from: '+1 555 0100 777' });
    expect(ringing.status).toBe(201);
    const answered = await t.post('/api/v1/calls', a.ingestKey, {
      externalId: 'CA-1',
      status: 'answered',
      answeredAt: minutesAgo(2),
      staffId: a.staff.Sam,
      waitSeconds: 20,
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id: ringing.body.id, status: 'answered', staffId: a.staff.Sam, waitSeconds: 20 });
    // A late, out-of-order "ringing" and a plain retry change nothing.
    const late = await t.post('/api/v1/calls', a.ingestKey, { externalId: 'CA-1', status: 'ringing' });
    expect(late.body.status).toBe('answered');
    const [{ calls }] = await t.query(`SELECT count(*)::int AS calls FROM call WHERE external_id = 'CA-1'`);
    expect(calls).toBe(1);
    expect(JSON.stringify(answered.body)).not.toMatch(/0100 777/);
  });

  it('rejects a call ending before it started, and an unknown status', async () => {
    const before = await rowCounts(a.practiceId);
    const backwards = await t.post('/api/v1/calls', a.ingestKey, {
      externalId: 'CA-2',
      status: 'missed',
      startedAt: minutesAgo(5),
      endedAt: minutesAgo(10),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/endedAt/);
    expect((await t.post('/api/v1/calls', a.ingestKey, { externalId: 'CA-3', status: 'busy-ish' })).status).toBe(400);
    expect(await rowCounts(a.practiceId)).toEqual(before);
  });
});

describe('authentication and practice isolation', () => {
  it('refuses a missing or bad key with 401', async () => {
    expect((await t.post('/api/v1/leads', null, { channel: 'phone' })).status).toBe(401);
    expect((await t.post('/api/v1/leads', 'lwk_not-a-real-key-at-all-0000000', { channel: 'phone' })).status).toBe(401);
  });

  it('does not let a display token ingest (403: a known token, not allowed here)', async () => {
    const before = await rowCounts(a.practiceId);
    expect((await t.post('/api/v1/leads', a.displayToken, { channel: 'phone' })).status).toBe(403);
    expect((await t.post('/api/v1/calls', a.displayToken, { externalId: 'x', status: 'missed' })).status).toBe(403);
    expect(await rowCounts(a.practiceId)).toEqual(before);
  });

  it("practice B's key can neither read nor write practice A's leads", async () => {
    const lead = await t.post('/api/v1/leads', a.ingestKey, { channel: 'phone', externalId: 'a-only' });
    expect((await t.get(`/api/v1/leads/${lead.body.id}`, b.ingestKey)).status).toBe(404);
    const before = await rowCounts(a.practiceId);
    const event = await t.post(`/api/v1/leads/${lead.body.id}/events`, b.ingestKey, { type: 'booked' });
    expect(event.status).toBe(404);
    // The same external id in B is B's own lead, not A's.
    const mine = await t.post('/api/v1/leads', b.ingestKey, { channel: 'phone', externalId: 'a-only' });
    expect(mine.status).toBe(201);
    expect(mine.body.id).not.toBe(lead.body.id);
    // B cannot attach A's staff or A's lead to its own rows.
    expect((await t.post('/api/v1/calls', b.ingestKey, { externalId: 'b-1', status: 'answered', staffId: a.staff.Maya })).status).toBe(422);
    expect((await t.post('/api/v1/calls', b.ingestKey, { externalId: 'b-2', status: 'answered', leadId: lead.body.id })).status).toBe(422);
    expect(await rowCounts(a.practiceId)).toEqual(before);
  });

  it("each key reads only its own practice's board", async () => {
    const boardA = await t.get('/api/v1/board', a.displayToken);
    const boardB = await t.get('/api/v1/board?token=' + b.displayToken, null);
    expect(boardA.status).toBe(200);
    expect(boardA.body.state.practice.name).toBe('Practice A');
    expect(boardB.body.state.practice.name).toBe('Practice B');
    expect((await t.get('/api/v1/board', b.ingestKey)).body.state.practice.name).toBe('Practice B');
    expect((await t.get('/api/v1/board', null)).status).toBe(401);
  });
});

describe('operations', () => {
  it('serves health and the OpenAPI document', async () => {
    expect((await t.get('/api/health', null)).body).toEqual({ status: 'ok', database: 'ok', eventBus: 'ok' });
    const openapi = await t.get('/api/docs/openapi.json', null);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/v1/leads', '/api/v1/leads/{id}/events', '/api/v1/calls', '/api/v1/board']));
  });
});
