// The funnel, speed-to-lead, missed-calls and staff-performance views on a small hand-computed fixture,
// through the real API, on PostgreSQL. Leads and calls are written straight into the tables (every field
// under control). Practice in America/New_York; the range 2026-10-28..2026-11-22 crosses the end of
// daylight saving time (Sunday 2026-11-01 02:00 EDT -> 01:00 EST), so ISO week 2026-W44 (Mon 26 Oct ..
// Sun 1 Nov) is 169 hours long.
//
// Leads (local time; resp = seconds to first response, by whom; A = assigned; value = estimated value):
//   L1  web_form Wed 10-28 10:00 EDT  resp 30 Maya      booked 1000       new  Implants
//   L2  web_form Thu 10-29 11:00 EDT  resp 60 Maya      not_booked price  new  implants   (60 s: band 1-5 min)
//   L3  chat     Sat 10-31 23:30 EDT  resp 300 Sam      booked 2000       new  Whitening  (local Oct 31, UTC Nov 1: October, W44; 300 s: band 5-30 min)
//   L4  web_form Sun 11-01 12:00 EST  never, A Sam      open              new             (after the DST change, still W44)
//   L5  web_form Tue 11-03 09:00 EST  resp 2000 Sam     contacted         existing Implants
//   L6  email    Thu 11-05 14:00 EST  resp 5000 Maya    not_booked scheduling, value 500
//   L7  web_form Sun 11-08 23:30 EST  resp 20000 Sam    booked 1500       (local Sun W45; UTC Mon Nov 9, W46)
//   L8  phone    Tue 11-10 10:00 EST  resp 0 Maya       booked 3000
//   L9  phone    Wed 11-11 10:00 EST  resp 10 Sam       not_booked insurance_out_of_network
//   L10 walk_in  Thu 11-12 10:00 EST  never, nobody     booked 400        (booked without a recorded response)
//   L11 web_form Fri 11-13 10:00 EST  never, nobody     open
//   Out: L0 Tue 10-27 23:30 EDT (UTC Oct 28), L12 Mon 11-23 00:30 EST; M1 merged into L1 (in range, booked);
//   and practice B's lead (in range).
//
// Funnel totals: 11 leads; contacted (a first response) L1 L2 L3 L5 L6 L7 L8 L9 = 8; booked L1 L3 L7 L8
//   L10 = 5; not booked L2 L6 L9 = 3; open L4 L5 L11 = 3. Contact rate 8/11 = 0.7273, booking rate 5/11 =
//   0.4545 (ok), booked of contacted 5/8 = 0.625 (small).
// By channel: web_form L1 L2 L4 L5 L7 L11: 6 leads, contacted 4, booked 2, lost 1, open 3 -> 0.6667,
//   0.3333, 0.5; phone L8 L9: 2, 2, 1, 1, 0 -> 1, 0.5, 0.5; chat L3: 1,1,1,0,0 -> 1,1,1; email L6: 1,1,0,1,0
//   -> 1, 0, 0; walk_in L10: 1, 0, 1, 0, 0 -> 0, 1, null (none).
// Weeks: W44 (clipped 10-28..11-01, partial) L1-L4: 4, 3, 2, 1, 1 -> 0.75, 0.5, 0.6667; W45 L5 L6 L7: 3, 3,
//   1, 1, 1 -> 1, 0.3333, 0.3333; W46 L8-L11: 4, 2, 2, 1, 1 -> 0.5, 0.5, 1; W47 (11-16..11-22): no leads,
//   null rates, sample none.
// Months: 2026-10 (10-28..10-31) L1 L2 L3: 3, 3, 2, 1, 0; 2026-11 (11-01..11-22) L4-L11: 8, 5, 3, 2, 3.
//
// Staff (first responder, else assigned): Maya L1 L2 L6 L8: 4 leads, contacted 4, booked 2, lost 2
//   (price 1, scheduling 1), conversion 0.5; Oct 2 leads 1 booked, Nov 2 leads 1 booked. Sam L3 L4 L5
//   L7 L9: 5, 4, 2, 1 (insurance 1), 0.4; Oct 1/1, Nov 4 leads 1 booked (0.25). (unassigned) L10 L11: 2, 0,
//   1, 0, 0.5; Oct none, Nov 2/1. Totals 11, 8, 5, 3, 0.4545.
//   Medians by the one definition of response time (the speed-to-lead channels, the first responder; not
//   the phone leads L8 L9): Maya 30, 60, 5000 = 60 s; Sam 300, 2000, 20000 = 2000 s; (unassigned) null;
//   total 30, 60, 300, 2000, 5000, 20000 = 1150 s = the speed-to-lead report's median. (They were 45,
//   1150 and 180 with the phone leads in, which is how a person's median disagreed with the report.)
//
// Speed-to-lead (web_form, chat, email ... ; not phone or walk-in): L1 L2 L3 L4 L5 L6 L7 L11 = 8 leads.
//   web_form: 6 leads, responded 4 (30, 60, 2000, 20000), never 2, median 1030, p90 (continuous, position
//   0.9 x 3 = 2.7) 2000 + 0.7 x 18000 = 14600, under 5 min 2 -> 0.3333. chat: 1, 1, 0, 300, 300, under 5
//   min 0 (300 s is not under 300 s). email: 1, 1, 0, 5000, 5000, 0. all: 8, 6, 2, median of 30, 60, 300,
//   2000, 5000, 20000 = 1150, p90 (position 4.5) 5000 + 0.5 x 15000 = 12500, under 5 min 2 -> 0.25.
//   Bands: under-1m L1 1/1; 1-5m L2 1/0; 5-30m L3 1/1; 30-60m L5 1/0; 1-4h L6 1/0; over-4h L7 1/1; never
//   L4 L11 2/0. Fast (under 5 min): 2 leads 1 booked (0.5, small) -> missed bookings and revenue null;
//   slow: 6 leads, 2 booked (0.3333). Average booked value (L1 1000, L3 2000, L7 1500) = 1500.
//
// Calls (inbound unless said; local):
//   C1 Mon 11-02 09:15 answered, new, Maya     C2 Mon 11-02 09:40 missed, new, called back 09:50 (600 s)
//   C3 Mon 11-02 09:55 voicemail, new unknown, called back 11:25 (5400 s, same day)
//   C4 Sat 10-31 23:30 EDT abandoned, after hours, new, called back Sun 11-01 09:00 EST (10.5 h = 37800 s,
//      not the same local day; local Saturday 23h, though UTC says Sunday 03h)
//   C5 Tue 11-03 14:00 missed, existing, never called back     C6 Tue 11-03 14:10 answered, existing, Sam
//   Out: a ringing call, an outbound call, a missed call Tue 10-27 23:30 EDT, practice B's missed call.
// Totals: 6 calls, 4 missed -> 0.6667 (small). During hours 5 calls 3 missed -> 0.6; after hours 1/1.
// Heatmap: (Mon=1, 9h) 3 calls 2 missed 0.6667; (Sat=6, 23h) 1/1 -> 1; (Tue=2, 14h) 2/1 -> 0.5; the other
//   165 cells 0 calls, null rate, sample none.
// Revenue lost: missed new-patient calls C2 C4 = 2 (C3 unknown is not counted), both called back, so
//   none unrecovered: 0 bookings, 0 lost (it said 2 x 0.5 = 1 booking, 3000, counting the calls that were
//   called back). New-patient phone leads L8 L9: 2 leads, 1 booked -> 0.5; average booked value 3000.
//   test/reports/revenue-lost.test.ts has a fixture for each outcome.
// Callbacks: 4 missed, 3 called back (0.75), never 1; median of 600, 5400, 37800 = 5400; p90 (position 1.8)
//   5400 + 0.8 x 32400 = 31320; under 15 min 1 (0.25), under 1 h 1 (0.25), same day C2 C3 = 2 (0.5).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { RESPONSE_BANDS, slowResponseCost } from '../../server/reports/speed-to-lead.service.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const TZ = 'America/New_York';
const RANGE = 'from=2026-10-28&to=2026-11-22';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;
let adminB: Session;
const leadIds: Record<string, string> = {};

interface LeadSpec {
  channel: string;
  at: string;
  resp?: number;
  by?: 'Maya' | 'Sam';
  assigned?: 'Maya' | 'Sam';
  status: 'open' | 'contacted' | 'booked' | 'not_booked';
  reason?: string;
  value?: number;
  existing?: boolean;
  treatment?: string;
  mergedInto?: string;
}

const LEADS: Record<string, LeadSpec> = {
  L0: { channel: 'web_form', at: '2026-10-27T23:30:00-04:00', resp: 5, by: 'Maya', status: 'booked', value: 9999 },
  L1: { channel: 'web_form', at: '2026-10-28T10:00:00-04:00', resp: 30, by: 'Maya', status: 'booked', value: 1000, treatment: 'Implants' },
  L2: { channel: 'web_form', at: '2026-10-29T11:00:00-04:00', resp: 60, by: 'Maya', status: 'not_booked', reason: 'price', value: 800, treatment: 'implants' },
  L3: { channel: 'chat', at: '2026-10-31T23:30:00-04:00', resp: 300, by: 'Sam', status: 'booked', value: 2000, treatment: 'Whitening' },
  L4: { channel: 'web_form', at: '2026-11-01T12:00:00-05:00', assigned: 'Sam', status: 'open' },
  L5: { channel: 'web_form', at: '2026-11-03T09:00:00-05:00', resp: 2000, by: 'Sam', status: 'contacted', existing: true, treatment: 'Implants' },
  L6: { channel: 'email', at: '2026-11-05T14:00:00-05:00', resp: 5000, by: 'Maya', status: 'not_booked', reason: 'scheduling', value: 500 },
  L7: { channel: 'web_form', at: '2026-11-08T23:30:00-05:00', resp: 20000, by: 'Sam', status: 'booked', value: 1500 },
  L8: { channel: 'phone', at: '2026-11-10T10:00:00-05:00', resp: 0, by: 'Maya', status: 'booked', value: 3000 },
  L9: { channel: 'phone', at: '2026-11-11T10:00:00-05:00', resp: 10, by: 'Sam', status: 'not_booked', reason: 'insurance_out_of_network' },
  L10: { channel: 'walk_in', at: '2026-11-12T10:00:00-05:00', status: 'booked', value: 400 },
  L11: { channel: 'web_form', at: '2026-11-13T10:00:00-05:00', status: 'open' },
  L12: { channel: 'web_form', at: '2026-11-23T00:30:00-05:00', resp: 5, by: 'Sam', status: 'booked', value: 9999 },
  M1: { channel: 'web_form', at: '2026-11-04T10:00:00-05:00', resp: 5, by: 'Maya', status: 'booked', value: 9999, mergedInto: 'L1' },
};

async function insertLead(practice: TestPractice, spec: LeadSpec): Promise<string> {
  const staff = (name?: string) => (name ? practice.staff[name]! : null);
  const [row] = await t.query<{ id: string }>(
    `INSERT INTO lead (practice_id, channel, is_new_patient, created_at, first_response_at, first_response_staff_id, first_response_via,
                       status, not_booked_reason, booked_at, assigned_staff_id, estimated_value, treatment, merged_into_lead_id)
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + make_interval(secs => $5::int), $6, CASE WHEN $5::int IS NULL THEN NULL ELSE 'call' END,
             $7, $8, CASE WHEN $7 = 'booked' THEN $4::timestamptz + interval '1 day' END, $9, $10, $11, $12)
     RETURNING id`,
    [
      practice.practiceId,
      spec.channel,
      !spec.existing,
      spec.at,
      spec.resp ?? null,
      staff(spec.by),
      spec.status,
      spec.reason ?? null,
      staff(spec.assigned),
      spec.value ?? null,
      spec.treatment ?? null,
      spec.mergedInto ? leadIds[spec.mergedInto]! : null,
    ],
  );
  return row!.id;
}

interface CallSpec {
  at: string;
  status: string;
  direction?: 'inbound' | 'outbound';
  isNew?: boolean | null;
  afterHours?: boolean;
  staff?: 'Maya' | 'Sam';
  callbackAt?: string;
}

const CALLS: Record<string, CallSpec> = {
  C1: { at: '2026-11-02T09:15:00-05:00', status: 'answered', isNew: true, staff: 'Maya' },
  C2: { at: '2026-11-02T09:40:00-05:00', status: 'missed', isNew: true, callbackAt: '2026-11-02T09:50:00-05:00' },
  C3: { at: '2026-11-02T09:55:00-05:00', status: 'voicemail', isNew: null, callbackAt: '2026-11-02T11:25:00-05:00' },
  C4: { at: '2026-10-31T23:30:00-04:00', status: 'abandoned', isNew: true, afterHours: true, callbackAt: '2026-11-01T09:00:00-05:00' },
  C5: { at: '2026-11-03T14:00:00-05:00', status: 'missed', isNew: false },
  C6: { at: '2026-11-03T14:10:00-05:00', status: 'answered', isNew: false, staff: 'Sam' },
  X1: { at: '2026-11-04T10:00:00-05:00', status: 'ringing', isNew: true },
  X2: { at: '2026-11-02T09:50:00-05:00', status: 'answered', direction: 'outbound', staff: 'Maya' },
  X3: { at: '2026-10-27T23:30:00-04:00', status: 'missed', isNew: true, afterHours: true },
};

async function insertCall(practice: TestPractice, externalId: string, spec: CallSpec): Promise<void> {
  await t.query(
    `INSERT INTO call (practice_id, external_id, direction, status, started_at, staff_id, is_new_patient, after_hours, callback_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      practice.practiceId,
      externalId,
      spec.direction ?? 'inbound',
      spec.status,
      spec.at,
      spec.staff ? practice.staff[spec.staff]! : null,
      spec.isNew ?? null,
      spec.afterHours ?? false,
      spec.callbackAt ?? null,
    ],
  );
}

const get = (session: Session, path: string) => send(t, 'GET', path, { cookie: session.cookie });

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: TZ });
  b = await t.createPractice({ name: 'Practice B', timeZone: TZ });
  for (const [name, spec] of Object.entries(LEADS)) leadIds[name] = await insertLead(a, spec);
  for (const [name, spec] of Object.entries(CALLS)) await insertCall(a, name, spec);
  await insertLead(b, { channel: 'web_form', at: '2026-11-02T10:00:00-05:00', resp: 30, by: 'Maya', status: 'booked', value: 777 });
  await insertCall(b, 'B1', { at: '2026-11-02T10:00:00-05:00', status: 'missed', isNew: true });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  manager = await login(t, 'manager@a.test');
  adminB = await login(t, 'admin@b.test');
});
afterAll(() => t.close());

/** Counts and rates in the funnel's order: leads, contacted, booked, notBooked, open, 3 rates, 3 samples. */
const funnel = (r: any) => [
  r.leads,
  r.contacted,
  r.booked,
  r.notBooked,
  r.open,
  r.contactRate,
  r.bookingRate,
  r.contactedBookingRate,
  r.contactRateSample,
  r.bookingRateSample,
  r.contactedBookingRateSample,
];

describe('conversion funnel', () => {
  it('has the hand-computed totals, channel rows and ISO weeks across the DST change', async () => {
    const response = await get(manager, `/api/v1/reports/funnel?${RANGE}`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ from: '2026-10-28', to: '2026-11-22', timeZone: TZ, by: 'channel', interval: 'week' });
    expect(report.segment).toEqual({ channel: null, sourceId: null, campaignId: null, staffId: null, treatment: null, patient: 'all' });
    expect(funnel(report.totals)).toEqual([11, 8, 5, 3, 3, 0.7273, 0.4545, 0.625, 'ok', 'ok', 'small']);
    expect(report.rows.map((r: any) => [r.key, r.label, ...funnel(r)])).toEqual([
      ['web_form', 'web_form', 6, 4, 2, 1, 3, 0.6667, 0.3333, 0.5, 'small', 'small', 'small'],
      ['phone', 'phone', 2, 2, 1, 1, 0, 1, 0.5, 0.5, 'small', 'small', 'small'],
      ['chat', 'chat', 1, 1, 1, 0, 0, 1, 1, 1, 'small', 'small', 'small'],
      ['email', 'email', 1, 1, 0, 1, 0, 1, 0, 0, 'small', 'small', 'small'],
      ['walk_in', 'walk_in', 1, 0, 1, 0, 0, 0, 1, null, 'small', 'small', 'none'],
    ]);
    expect(report.trend.map((r: any) => [r.period, r.start, r.end, r.partial, ...funnel(r)])).toEqual([
      ['2026-W44', '2026-10-28', '2026-11-01', true, 4, 3, 2, 1, 1, 0.75, 0.5, 0.6667, 'small', 'small', 'small'],
      ['2026-W45', '2026-11-02', '2026-11-08', false, 3, 3, 1, 1, 1, 1, 0.3333, 0.3333, 'small', 'small', 'small'],
      ['2026-W46', '2026-11-09', '2026-11-15', false, 4, 2, 2, 1, 1, 0.5, 0.5, 1, 'small', 'small', 'small'],
      ['2026-W47', '2026-11-16', '2026-11-22', false, 0, 0, 0, 0, 0, null, null, null, 'none', 'none', 'none'],
    ]);
  });

  it('trends by practice-local month (a lead at 23:30 on 31 October is October)', async () => {
    const report = (await get(manager, `/api/v1/reports/funnel?${RANGE}&interval=month`)).body;
    expect(report.trend.map((r: any) => [r.period, r.start, r.end, r.partial, r.leads, r.contacted, r.booked, r.notBooked, r.open])).toEqual([
      ['2026-10', '2026-10-28', '2026-10-31', true, 3, 3, 2, 1, 0],
      ['2026-11', '2026-11-01', '2026-11-22', true, 8, 5, 3, 2, 3],
    ]);
  });

  it('groups by staff, treatment and patient, and takes the segments', async () => {
    const byStaff = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=staff`)).body;
    expect(byStaff.rows.map((r: any) => [r.key, r.label, r.leads, r.booked])).toEqual([
      [a.staff.Sam, 'Sam', 5, 2],
      [a.staff.Maya, 'Maya', 4, 2],
      [null, '(unassigned)', 2, 1],
    ]);
    const byTreatment = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=treatment`)).body;
    expect(byTreatment.rows.map((r: any) => [r.key, r.leads])).toEqual([
      ['implants', 3],
      ['whitening', 1],
      [null, 7],
    ]);
    const byPatient = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=patient`)).body;
    expect(byPatient.rows.map((r: any) => [r.key, r.label, r.leads])).toEqual([
      ['new', 'New patients', 10],
      ['existing', 'Existing patients', 1],
    ]);
    const samNew = (await get(manager, `/api/v1/reports/funnel?${RANGE}&staffId=${a.staff.Sam}&patient=new`)).body;
    expect(funnel(samNew.totals).slice(0, 5)).toEqual([4, 3, 2, 1, 1]);
    expect(samNew.segment).toMatchObject({ staffId: a.staff.Sam, patient: 'new' });
  });

  it('labels leads without a source or campaign as such', async () => {
    const bySource = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=source`)).body;
    expect(bySource.rows.map((r: any) => [r.key, r.label, r.leads])).toEqual([[null, '(no source)', 11]]);
    const byCampaign = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=campaign&interval=month`)).body;
    expect(byCampaign.rows.map((r: any) => [r.key, r.label, r.leads])).toEqual([[null, '(no campaign)', 11]]);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const bad = await get(manager, `/api/v1/reports/funnel?${RANGE}&by=weather`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^by: /);
    expect((await get(manager, `/api/v1/reports/funnel?${RANGE}&interval=day`)).body.message).toMatch(/^interval: /);
  });
});

describe('speed-to-lead', () => {
  it('has the hand-computed channel rows, bands (half-open edges) and slow-response figures', async () => {
    const response = await get(manager, `/api/v1/reports/speed-to-lead?${RANGE}`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ from: '2026-10-28', to: '2026-11-22', timeZone: TZ, currency: 'USD' });
    const row = (r: any) => [
      r.channel,
      r.leads,
      r.responded,
      r.neverResponded,
      r.medianSeconds,
      r.p90Seconds,
      r.within5Min,
      r.within5MinRate,
      r.within5MinSample,
    ];
    expect(report.byChannel.map(row)).toEqual([
      ['web_form', 6, 4, 2, 1030, 14600, 2, 0.3333, 'small'],
      ['chat', 1, 1, 0, 300, 300, 0, 0, 'small'],
      ['email', 1, 1, 0, 5000, 5000, 0, 0, 'small'],
      ['all', 8, 6, 2, 1150, 12500, 2, 0.25, 'small'],
    ]);
    expect(row(report.totals)).toEqual(['all', 8, 6, 2, 1150, 12500, 2, 0.25, 'small']);
    expect(report.bands.map((r: any) => [r.band, r.minSeconds, r.maxSeconds, r.leads, r.booked, r.bookingRate, r.sample])).toEqual([
      ['under-1m', 0, 60, 1, 1, 1, 'small'],
      ['1-5m', 60, 300, 1, 0, 0, 'small'],
      ['5-30m', 300, 1800, 1, 1, 1, 'small'],
      ['30-60m', 1800, 3600, 1, 0, 0, 'small'],
      ['1-4h', 3600, 14400, 1, 0, 0, 'small'],
      ['over-4h', 14400, null, 1, 1, 1, 'small'],
      ['never', null, null, 2, 0, 0, 'small'],
    ]);
    expect(report.slowResponseCost).toMatchObject({
      fastLeads: 2,
      fastBooked: 1,
      fastBookingRate: 0.5,
      fastSample: 'small',
      slowLeads: 6,
      slowBooked: 2,
      slowBookingRate: 0.3333,
      slowSample: 'small',
      missedBookings: null,
      averageBookedValue: 1500,
      revenueLost: null,
    });
    expect(report.slowResponseCost.method).toMatch(/under 5 minutes/);
  });

  it('takes a channel segment, and refuses phone and walk-in leads with a 400', async () => {
    const chat = (await get(manager, `/api/v1/reports/speed-to-lead?${RANGE}&channel=chat`)).body;
    expect(chat.byChannel.map((r: any) => [r.channel, r.leads])).toEqual([
      ['chat', 1],
      ['all', 1],
    ]);
    const refused = await get(manager, `/api/v1/reports/speed-to-lead?${RANGE}&channel=phone`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^channel: /);
  });

  it('works out the revenue slow responses cost when the fast sample is big enough', () => {
    // Fast: 12 + 8 = 20 leads, 10 booked -> 0.5. Slow: 30 leads, 6 booked. 30 x 0.5 - 6 = 9 bookings x 1500 = 13500.
    const counts: Record<string, [number, number]> = {
      'under-1m': [12, 7],
      '1-5m': [8, 3],
      '5-30m': [10, 3],
      '30-60m': [5, 1],
      '1-4h': [5, 1],
      'over-4h': [4, 1],
      never: [6, 0],
    };
    const bands = RESPONSE_BANDS.map((band) => ({
      ...band,
      leads: counts[band.band]![0],
      booked: counts[band.band]![1],
      bookingRate: null,
      sample: 'ok' as const,
    }));
    expect(slowResponseCost(bands, 1500)).toMatchObject({
      fastLeads: 20,
      fastBooked: 10,
      fastBookingRate: 0.5,
      fastSample: 'ok',
      slowLeads: 30,
      slowBooked: 6,
      slowBookingRate: 0.2,
      missedBookings: 9,
      revenueLost: 13500,
    });
    // Slow leads that book better than the fast ones cost nothing (not a negative cost).
    const better = bands.map((band) => (band.band === 'never' ? { ...band, booked: 20 } : band));
    expect(slowResponseCost(better, 1500)).toMatchObject({ missedBookings: 0, revenueLost: 0 });
  });
});

describe('missed calls', () => {
  it('has the hand-computed totals, heatmap (local weekday and hour), revenue lost and callbacks', async () => {
    const response = await get(manager, `/api/v1/reports/missed-calls?${RANGE}`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ from: '2026-10-28', to: '2026-11-22', timeZone: TZ, currency: 'USD' });
    expect(report.totals).toEqual({ calls: 6, missed: 4, missedRate: 0.6667, sample: 'small' });
    expect(report.duringHours).toEqual({ calls: 5, missed: 3, missedRate: 0.6, sample: 'small' });
    expect(report.afterHours).toEqual({ calls: 1, missed: 1, missedRate: 1, sample: 'small' });
    expect(report.heatmap).toHaveLength(168);
    expect(report.heatmap.filter((cell: any) => cell.calls > 0)).toEqual([
      { weekday: 1, hour: 9, calls: 3, missed: 2, missedRate: 0.6667, sample: 'small' },
      { weekday: 2, hour: 14, calls: 2, missed: 1, missedRate: 0.5, sample: 'small' },
      { weekday: 6, hour: 23, calls: 1, missed: 1, missedRate: 1, sample: 'small' },
    ]);
    expect(report.heatmap[0]).toEqual({ weekday: 1, hour: 0, calls: 0, missed: 0, missedRate: null, sample: 'none' });
    expect(report.revenueLost).toMatchObject({
      missedNewPatientCalls: 2,
      laterBooked: 0,
      calledBack: 2,
      lostToReason: 0,
      unrecoveredCalls: 0,
      phoneLeads: 2,
      phoneBooked: 1,
      phoneBookingRate: 0.5,
      phoneBookingRateSample: 'small',
      averageBookedValue: 3000,
      expectedBookingsLost: 0,
      estimatedRevenueLost: 0,
    });
    expect(report.callbacks).toEqual({
      missed: 4,
      calledBack: 3,
      neverCalledBack: 1,
      calledBackRate: 0.75,
      calledBackSample: 'small',
      medianSeconds: 5400,
      p90Seconds: 31320,
      within15Min: 1,
      within15MinRate: 0.25,
      within1Hour: 1,
      within1HourRate: 0.25,
      sameDay: 2,
      sameDayRate: 0.5,
      sample: 'small',
    });
  });

  it('takes the patient and staff segments, and refuses the ones a call does not carry', async () => {
    const onlyNew = (await get(manager, `/api/v1/reports/missed-calls?${RANGE}&patient=new`)).body;
    expect(onlyNew.totals).toEqual({ calls: 3, missed: 2, missedRate: 0.6667, sample: 'small' }); // C1 C2 C4
    const sam = (await get(manager, `/api/v1/reports/missed-calls?${RANGE}&staffId=${a.staff.Sam}&channel=phone`)).body;
    expect(sam.totals).toEqual({ calls: 1, missed: 0, missedRate: 0, sample: 'small' }); // C6
    expect(sam.revenueLost).toMatchObject({ phoneLeads: 1, phoneBooked: 0 }); // L9
    for (const param of ['sourceId=00000000-0000-4000-8000-000000000000', 'treatment=Implants', 'channel=web_form']) {
      const refused = await get(manager, `/api/v1/reports/missed-calls?${RANGE}&${param}`);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain(param.split('=')[0]);
    }
  });
});

describe('staff performance', () => {
  it('has the hand-computed rows, reasons mix, medians and monthly trend', async () => {
    const response = await get(manager, `/api/v1/reports/staff-performance?${RANGE}`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report.months).toEqual(['2026-10', '2026-11']);
    const row = (r: any) => [r.staffId, r.displayName, r.leads, r.contacted, r.booked, r.notBooked, r.conversion, r.sample, r.medianResponseSeconds];
    expect(report.rows.map(row)).toEqual([
      [a.staff.Maya, 'Maya', 4, 4, 2, 2, 0.5, 'small', 60],
      [a.staff.Sam, 'Sam', 5, 4, 2, 1, 0.4, 'small', 2000],
      [null, '(unassigned)', 2, 0, 1, 0, 0.5, 'small', null],
    ]);
    expect(row(report.totals)).toEqual([null, 'Total', 11, 8, 5, 3, 0.4545, 'ok', 1150]);
    const none = { price: 0, scheduling: 0, insurance_out_of_network: 0, treatment_not_offered: 0, no_response: 0, other: 0 };
    expect(report.rows.map((r: any) => r.reasons)).toEqual([{ ...none, price: 1, scheduling: 1 }, { ...none, insurance_out_of_network: 1 }, none]);
    expect(report.totals.reasons).toEqual({ ...none, price: 1, scheduling: 1, insurance_out_of_network: 1 });
    const trend = (r: any) => r.trend.map((p: any) => [p.month, p.leads, p.booked, p.conversion, p.sample]);
    expect(report.rows.map(trend)).toEqual([
      [
        ['2026-10', 2, 1, 0.5, 'small'],
        ['2026-11', 2, 1, 0.5, 'small'],
      ],
      [
        ['2026-10', 1, 1, 1, 'small'],
        ['2026-11', 4, 1, 0.25, 'small'],
      ],
      [
        ['2026-10', 0, 0, null, 'none'],
        ['2026-11', 2, 1, 0.5, 'small'],
      ],
    ]);
    expect(trend(report.totals)).toEqual([
      ['2026-10', 3, 2, 0.6667, 'small'],
      ['2026-11', 8, 3, 0.375, 'small'],
    ]);
    // Aggregates only: no lead ids, no patient fields, no timelines.
    expect(JSON.stringify(report)).not.toMatch(/leadId|patient_|phone|email|created_at/i);
  });
});

describe('the views agree with one another', () => {
  it('funnel by staff = staff performance rows; funnel totals = staff totals', async () => {
    const byStaff = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=staff`)).body;
    const staff = (await get(manager, `/api/v1/reports/staff-performance?${RANGE}`)).body;
    for (const row of staff.rows) {
      const match = byStaff.rows.find((r: any) => r.key === row.staffId);
      expect([match.leads, match.contacted, match.booked, match.notBooked, match.bookingRate]).toEqual([
        row.leads,
        row.contacted,
        row.booked,
        row.notBooked,
        row.conversion,
      ]);
    }
    expect(byStaff.totals.leads).toBe(staff.totals.leads);
  });
});

/** The CSV's data rows as objects (header -> cell), the byte-order mark stripped. */
async function csvOf(path: string): Promise<Array<Record<string, string>>> {
  const response = await fetch(t.url + path, { headers: { cookie: manager.cookie } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
  const text = (await response.text()).replace(/^\uFEFF/, '');
  return parse<Record<string, string>>(text, { columns: true });
}
/** A value of the JSON reports, as the CSV writes it. */
type JsonCell = string | number | boolean | null;
const cell = (value: JsonCell | undefined) => (value === null || value === undefined ? '' : String(value));

describe('CSV exports carry the very numbers of the JSON', () => {
  it('funnel', async () => {
    const json = (await get(manager, `/api/v1/reports/funnel?${RANGE}&by=staff`)).body;
    const csv = await csvOf(`/api/v1/reports/funnel.csv?${RANGE}&by=staff`);
    const expected = [
      { Section: 'total', Label: 'Total', ...json.totals },
      ...json.rows.map((r: any) => ({ Section: 'staff', Key: r.key, Label: r.label, ...r })),
      ...json.trend.map((r: any) => ({ Section: 'week', Period: r.period, Start: r.start, End: r.end, Partial: r.partial, ...r })),
    ];
    expect(csv).toHaveLength(expected.length);
    csv.forEach((line, i) => {
      const e = expected[i]!;
      expect([
        line.Section,
        line.Label,
        line.Leads,
        line.Contacted,
        line.Booked,
        line['Not booked'],
        line.Open,
        line['Contact rate'],
        line['Booking rate'],
        line['Booked of contacted'],
        line['Booked of contacted sample'],
      ]).toEqual(
        [
          e.Section,
          cell(e.Label),
          e.leads,
          e.contacted,
          e.booked,
          e.notBooked,
          e.open,
          e.contactRate,
          e.bookingRate,
          e.contactedBookingRate,
          e.contactedBookingRateSample,
        ].map(cell),
      );
      if (e.Section === 'week') expect([line.Period, line.Start, line.End, line.Partial]).toEqual([e.Period, e.Start, e.End, String(e.Partial)]);
    });
  });

  it('speed-to-lead', async () => {
    const json = (await get(manager, `/api/v1/reports/speed-to-lead?${RANGE}`)).body;
    const csv = await csvOf(`/api/v1/reports/speed-to-lead.csv?${RANGE}`);
    const channels = csv.filter((line) => line.Section === 'channel');
    expect(
      channels.map((l) => [
        l['Channel or band'],
        l.Leads,
        l.Responded,
        l['Never responded'],
        l['Median seconds'],
        l['P90 seconds'],
        l['Within 5 min'],
        l['Within 5 min rate'],
      ]),
    ).toEqual(
      json.byChannel.map((r: any) =>
        [r.channel, r.leads, r.responded, r.neverResponded, r.medianSeconds, r.p90Seconds, r.within5Min, r.within5MinRate].map(cell),
      ),
    );
    const bands = csv.filter((line) => line.Section === 'band');
    expect(bands.map((l) => [l['Channel or band'], l.Leads, l.Booked, l['Booking rate'], l.Sample, l['Band min seconds'], l['Band max seconds']])).toEqual(
      json.bands.map((r: any) => [r.band, r.leads, r.booked, r.bookingRate, r.sample, r.minSeconds, r.maxSeconds].map(cell)),
    );
    const cost = Object.fromEntries(csv.filter((line) => line.Section === 'slow response cost').map((l) => [l.Metric, l.Value]));
    expect(cost).toEqual(Object.fromEntries(Object.entries<JsonCell>(json.slowResponseCost).map(([k, v]) => [k, cell(v)])));
  });

  it('missed calls', async () => {
    const json = (await get(manager, `/api/v1/reports/missed-calls?${RANGE}`)).body;
    const csv = await csvOf(`/api/v1/reports/missed-calls.csv?${RANGE}`);
    const counts = (l: Record<string, string>) => [l.Calls, l.Missed, l['Missed rate'], l.Sample];
    const jsonCounts = (c: any) => [c.calls, c.missed, c.missedRate, c.sample].map(cell);
    expect(counts(csv.find((l) => l.Section === 'total')!)).toEqual(jsonCounts(json.totals));
    expect(counts(csv.find((l) => l.Section === 'during hours')!)).toEqual(jsonCounts(json.duringHours));
    expect(counts(csv.find((l) => l.Section === 'after hours')!)).toEqual(jsonCounts(json.afterHours));
    const heat = csv.filter((l) => l.Section === 'heatmap');
    expect(heat.map((l) => [l.Weekday, l.Hour, ...counts(l)])).toEqual(json.heatmap.map((c: any) => [cell(c.weekday), cell(c.hour), ...jsonCounts(c)]));
    for (const [section, key] of [
      ['revenue lost', 'revenueLost'],
      ['callbacks', 'callbacks'],
    ] as const) {
      const metrics = Object.fromEntries(csv.filter((l) => l.Section === section).map((l) => [l.Metric, l.Value]));
      expect(metrics).toEqual(Object.fromEntries(Object.entries<JsonCell>(json[key]).map(([k, v]) => [k, cell(v)])));
    }
  });

  it('staff performance', async () => {
    const json = (await get(manager, `/api/v1/reports/staff-performance?${RANGE}`)).body;
    const csv = await csvOf(`/api/v1/reports/staff-performance.csv?${RANGE}`);
    const people = [...json.rows, json.totals];
    const rows = csv.filter((l) => l.Section === 'staff' || l.Section === 'total');
    expect(
      rows.map((l) => [
        l['Staff id'],
        l.Staff,
        l.Leads,
        l.Contacted,
        l.Booked,
        l['Not booked'],
        l.Conversion,
        l.Sample,
        l['Median response seconds'],
        l['Not booked: price'],
        l['Not booked: scheduling'],
        l['Not booked: insurance_out_of_network'],
      ]),
    ).toEqual(
      people.map((r: any) =>
        [
          r.staffId,
          r.displayName,
          r.leads,
          r.contacted,
          r.booked,
          r.notBooked,
          r.conversion,
          r.sample,
          r.medianResponseSeconds,
          r.reasons.price,
          r.reasons.scheduling,
          r.reasons.insurance_out_of_network,
        ].map(cell),
      ),
    );
    const months = csv.filter((l) => (l.Section ?? '').endsWith('month'));
    expect(months.map((l) => [l.Staff, l.Month, l.Leads, l.Booked, l.Conversion, l.Sample])).toEqual(
      people.flatMap((r: any) => r.trend.map((p: any) => [r.displayName, p.month, p.leads, p.booked, p.conversion, p.sample].map(cell))),
    );
  });
});

describe('CSV escaping', () => {
  it('a staff display name that looks like a formula comes out as text', async () => {
    await t.query(`UPDATE staff SET display_name = $2 WHERE id = $1`, [b.staff.Maya, '=HYPERLINK("http://x","y")']);
    try {
      const response = await fetch(`${t.url}/api/v1/reports/staff-performance.csv?${RANGE}`, { headers: { cookie: adminB.cookie } });
      const lines = parse<Record<string, string>>((await response.text()).replace(/^\uFEFF/, ''), { columns: true });
      expect(lines.find((l) => l.Section === 'staff')!.Staff).toBe(`'=HYPERLINK("http://x","y")`);
    } finally {
      await t.query(`UPDATE staff SET display_name = 'Maya' WHERE id = $1`, [b.staff.Maya]);
    }
  });
});

describe('a practice sees only its own data', () => {
  it("B's admin sees B's one lead and one call, and A's figures do not include B's", async () => {
    const funnelB = (await get(adminB, `/api/v1/reports/funnel?${RANGE}`)).body;
    expect(funnelB.totals).toMatchObject({ leads: 1, booked: 1 });
    const staffB = (await get(adminB, `/api/v1/reports/staff-performance?${RANGE}`)).body;
    expect(staffB.rows.map((r: any) => [r.staffId, r.leads])).toEqual([[b.staff.Maya, 1]]);
    const speedB = (await get(adminB, `/api/v1/reports/speed-to-lead?${RANGE}`)).body;
    expect(speedB.totals).toMatchObject({ leads: 1, responded: 1 });
    const missedB = (await get(adminB, `/api/v1/reports/missed-calls?${RANGE}`)).body;
    expect(missedB.totals).toEqual({ calls: 1, missed: 1, missedRate: 1, sample: 'small' });
    // A's staff id used as B's segment finds nothing of A's.
    const crossed = (await get(adminB, `/api/v1/reports/funnel?${RANGE}&staffId=${a.staff.Maya}`)).body;
    expect(crossed.totals.leads).toBe(0);
    // A's totals above (11 leads, 6 calls) are exact without B's lead and call.
  });
});
