// Lost opportunities on a small hand-computed fixture, through the real API. Leads are written straight
// into the tables (the report reads the tables; the ingest path is tested elsewhere). Practice in
// America/Chicago, range 2026-10-01..2026-10-31 (all CDT, UTC-5).
//
// Booked leads (they give the averages): B1 Implants 4000 (Maya), B2 implants 2000 (Maya), B3 Whitening
// 500 (Sam), B4 Invisalign without an estimate (nobody; left out of the averages).
//   implants average = (4000 + 2000) / 2 = 3000; whitening 500; practice average (4000 + 2000 + 500) / 3
//   = 2166.666... -> 2166.67. Invisalign has a booking but no value: no treatment average.
// Lost leads (value, basis):
//   N1 price, Implants, est 5000, Maya -> 5000 (estimated)
//   N2 price, IMPLANTS, no est, Sam -> 3000 (treatment average, case-insensitive)
//   N3 price, Veneers, no est, nobody, asked not to be contacted -> 2166.67 (practice average)
//   N4 scheduling, Whitening, no est, Maya -> 500 (treatment)
//   N5 no_response, no treatment, est 100, assigned Maya but first response by Sam -> Sam; 100 (estimated)
//   N6 insurance_out_of_network, Invisalign, no est, Maya -> 2166.67 (practice)
// O1 open, Whitening, Sam.
// Not counted: N7 price est 999 at 00:30 local on 1 November (out of range), N8 price est 777 merged into
// N1 (not a lead), and practice B's price lead (est 12345).
// Totals: 11 leads, 6 lost, lost rate 6/11 = 0.5455 (sample ok), revenue lost 5000 + 3000 + 2166.67 + 500
//   + 100 + 2166.67 = 12933.34; basis estimated 2 (N1, N5), treatment 2 (N2, N4), practice 2 (N3, N6).
// Reasons: price 3 (share 0.5) 10166.67; scheduling 1 (0.1667) 500; insurance 1 (0.1667) 2166.67;
//   no_response 1 (0.1667) 100; treatment_not_offered and other 0 (share 0).
// Staff: Maya B1 B2 N1 N4 N6: 5 leads, 3 lost (0.6), 7666.67, price 1 scheduling 1 insurance 1;
//   Sam B3 N2 N5 O1: 4 leads, 2 lost (0.5), 3100, price 1 no_response 1;
//   (nobody) B4 N3: 2 leads, 1 lost (0.5), 2166.67, price 1.
// Treatments: implants B1 B2 N1 N2: 4 leads, 2 lost, 8000; invisalign B4 N6: 2, 1, 2166.67; veneers N3:
//   1, 1, 2166.67 (tie on money and count: by name, Invisalign first); whitening B3 N4 O1: 3, 1, 500;
//   (no treatment) N5: 1, 1, 100.
// September (the CSV range): N9 price, treatment =HYPERLINK("http://x","y"), source Smith, "Dr" Referrals,
//   est 50, patient "Ann "A" Smith, Jr".

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const RANGE = 'from=2026-10-01&to=2026-10-31';
const HYPERLINK = '=HYPERLINK("http://x","y")';
const SMITH = 'Smith, "Dr" Referrals';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;
let adminB: Session;
const ids: Record<string, string> = {};

interface Spec {
  at: string;
  status?: 'open' | 'booked' | 'not_booked';
  reason?: string;
  treatment?: string;
  value?: number;
  staff?: string | null;
  responder?: string;
  merged?: string;
  dnc?: boolean;
  source?: string;
  channel?: string;
}

async function insertLead(practice: TestPractice, name: string, spec: Spec): Promise<string> {
  const [row] = await t.query<{ id: string }>(
    `INSERT INTO lead (practice_id, external_id, channel, is_new_patient, created_at, status, not_booked_reason, booked_at, treatment, estimated_value,
                       assigned_staff_id, first_response_staff_id, first_response_at, merged_into_lead_id, do_not_contact_at, source_id)
     VALUES ($1, $2, $3, true, $4::timestamptz, $5, $6, CASE WHEN $5 = 'booked' THEN $4::timestamptz + interval '1 hour' END, $7, $8,
             $9, $10, CASE WHEN $10::uuid IS NOT NULL THEN $4::timestamptz + interval '5 minutes' END, $11, CASE WHEN $12 THEN now() END, $13)
     RETURNING id`,
    [
      practice.practiceId,
      name,
      spec.channel ?? 'web_form',
      spec.at,
      spec.status ?? 'not_booked',
      spec.status && spec.status !== 'not_booked' ? null : (spec.reason ?? null),
      spec.treatment ?? null,
      spec.value ?? null,
      spec.staff ? practice.staff[spec.staff] : null,
      spec.responder ? practice.staff[spec.responder] : null,
      spec.merged ? ids[spec.merged] : null,
      spec.dnc ?? false,
      spec.source ?? null,
    ],
  );
  ids[name] = row!.id;
  return row!.id;
}

async function patient(practice: TestPractice, lead: string, name: string, phone: string, email: string) {
  await t.query(`INSERT INTO patient (practice_id, lead_id, name, phone, email) VALUES ($1, $2, $3, $4, $5)`, [
    practice.practiceId,
    ids[lead],
    name,
    phone,
    email,
  ]);
}

const get = (session: Session, path: string) => send(t, 'GET', path, { cookie: session.cookie });

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: 'America/Chicago' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'America/Chicago' });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  manager = await login(t, 'manager@a.test');
  adminB = await login(t, 'admin@b.test');

  const smith = (await t.practices.addSource(a.practiceId, SMITH)).id;
  await insertLead(a, 'B1', { at: '2026-10-02T10:00:00-05:00', status: 'booked', treatment: 'Implants', value: 4000, staff: 'Maya' });
  await insertLead(a, 'B2', { at: '2026-10-03T10:00:00-05:00', status: 'booked', treatment: 'implants', value: 2000, staff: 'Maya' });
  await insertLead(a, 'B3', { at: '2026-10-04T10:00:00-05:00', status: 'booked', treatment: 'Whitening', value: 500, staff: 'Sam' });
  await insertLead(a, 'B4', { at: '2026-10-05T10:00:00-05:00', status: 'booked', treatment: 'Invisalign' });
  await insertLead(a, 'N1', { at: '2026-10-06T10:00:00-05:00', reason: 'price', treatment: 'Implants', value: 5000, staff: 'Maya' });
  await insertLead(a, 'N2', { at: '2026-10-07T10:00:00-05:00', reason: 'price', treatment: 'IMPLANTS', staff: 'Sam' });
  await insertLead(a, 'N3', { at: '2026-10-08T10:00:00-05:00', reason: 'price', treatment: 'Veneers', dnc: true });
  await insertLead(a, 'N4', { at: '2026-10-09T10:00:00-05:00', reason: 'scheduling', treatment: 'Whitening', staff: 'Maya' });
  await insertLead(a, 'N5', { at: '2026-10-10T10:00:00-05:00', reason: 'no_response', value: 100, staff: 'Maya', responder: 'Sam' });
  await insertLead(a, 'N6', { at: '2026-10-31T23:30:00-05:00', reason: 'insurance_out_of_network', treatment: 'Invisalign', staff: 'Maya' });
  await insertLead(a, 'O1', { at: '2026-10-01T00:30:00-05:00', status: 'open', treatment: 'Whitening', staff: 'Sam' });
  await insertLead(a, 'N7', { at: '2026-11-01T00:30:00-05:00', reason: 'price', value: 999 });
  await insertLead(a, 'N8', { at: '2026-10-12T10:00:00-05:00', reason: 'price', value: 777, merged: 'N1' });
  await insertLead(b, 'BX', { at: '2026-10-12T10:00:00-05:00', reason: 'price', value: 12345 });
  await insertLead(a, 'N9', { at: '2026-09-10T10:00:00-05:00', reason: 'price', treatment: HYPERLINK, value: 50, source: smith });
  await patient(a, 'N1', 'Nora One', '+1 555 0101', 'nora@example.test');
  await patient(a, 'N2', 'Ned Two', '+1 555 0102', 'ned@example.test');
  await patient(a, 'N3', 'Nell Three', '+1 555 0103', 'nell@example.test');
  await patient(a, 'N8', 'Nate Merged', '+1 555 0108', 'nate@example.test');
  await patient(a, 'N9', 'Ann "A" Smith, Jr', '+1 555 0109', 'ann@example.test');
  await patient(b, 'BX', 'Bea Foreign', '+1 555 0999', 'bea@example.test');
});
afterAll(() => t.close());

const reasons = (counts: Partial<Record<string, number>>) => ({
  price: 0,
  scheduling: 0,
  insurance_out_of_network: 0,
  treatment_not_offered: 0,
  no_response: 0,
  other: 0,
  ...counts,
});

describe('lost opportunities', () => {
  it('has the hand-computed totals, reasons, staff and treatment rows', async () => {
    const response = await get(manager, `/api/v1/reports/lost-opportunities?${RANGE}`);
    expect(response.status).toBe(200);
    const r = response.body;
    expect(r).toMatchObject({
      from: '2026-10-01',
      to: '2026-10-31',
      timeZone: 'America/Chicago',
      currency: expect.any(String),
      segment: { channel: null, sourceId: null, campaignId: null, staffId: null, treatment: null, patient: 'all' },
      leads: 11,
      lostLeads: 6,
      lostRate: 0.5455,
      sample: 'ok',
      estimatedRevenueLost: 12933.34,
      practiceAverageBookedValue: 2166.67,
      basis: { estimated: 2, treatmentAverage: 2, practiceAverage: 2, none: 0 },
    });
    expect(r.valueBasis).toMatch(/same treatment/);
    expect(r.reasons).toEqual([
      { reason: 'price', leads: 3, share: 0.5, estimatedRevenueLost: 10166.67, basis: { estimated: 1, treatmentAverage: 1, practiceAverage: 1, none: 0 } },
      { reason: 'scheduling', leads: 1, share: 0.1667, estimatedRevenueLost: 500, basis: { estimated: 0, treatmentAverage: 1, practiceAverage: 0, none: 0 } },
      {
        reason: 'insurance_out_of_network',
        leads: 1,
        share: 0.1667,
        estimatedRevenueLost: 2166.67,
        basis: { estimated: 0, treatmentAverage: 0, practiceAverage: 1, none: 0 },
      },
      {
        reason: 'treatment_not_offered',
        leads: 0,
        share: 0,
        estimatedRevenueLost: 0,
        basis: { estimated: 0, treatmentAverage: 0, practiceAverage: 0, none: 0 },
      },
      { reason: 'no_response', leads: 1, share: 0.1667, estimatedRevenueLost: 100, basis: { estimated: 1, treatmentAverage: 0, practiceAverage: 0, none: 0 } },
      { reason: 'other', leads: 0, share: 0, estimatedRevenueLost: 0, basis: { estimated: 0, treatmentAverage: 0, practiceAverage: 0, none: 0 } },
    ]);
    expect(r.byStaff).toEqual([
      {
        key: a.staff.Maya,
        name: 'Maya',
        leads: 5,
        lostLeads: 3,
        lostRate: 0.6,
        sample: 'small',
        estimatedRevenueLost: 7666.67,
        reasons: reasons({ price: 1, scheduling: 1, insurance_out_of_network: 1 }),
      },
      {
        key: a.staff.Sam,
        name: 'Sam',
        leads: 4,
        lostLeads: 2,
        lostRate: 0.5,
        sample: 'small',
        estimatedRevenueLost: 3100,
        reasons: reasons({ price: 1, no_response: 1 }),
      },
      { key: null, name: '(nobody)', leads: 2, lostLeads: 1, lostRate: 0.5, sample: 'small', estimatedRevenueLost: 2166.67, reasons: reasons({ price: 1 }) },
    ]);
    expect(r.byTreatment.map((g: any) => [g.key, g.leads, g.lostLeads, g.estimatedRevenueLost])).toEqual([
      ['implants', 4, 2, 8000],
      ['invisalign', 2, 1, 2166.67],
      ['veneers', 1, 1, 2166.67],
      ['whitening', 3, 1, 500],
      [null, 1, 1, 100],
    ]);
    expect(r.byTreatment[0].name.toLowerCase()).toBe('implants');
    expect(r.byTreatment[4].name).toBe('(no treatment)');
    expect(r.byTreatment[0].reasons).toEqual(reasons({ price: 2 }));
  });

  it("filters by segment, a lead keeping its value (averages are the practice's, not the segment's)", async () => {
    const r = (await get(manager, `/api/v1/reports/lost-opportunities?${RANGE}&treatment=implants`)).body;
    expect(r).toMatchObject({ leads: 4, lostLeads: 2, estimatedRevenueLost: 8000, segment: { treatment: 'implants' } });
    const sam = (await get(manager, `/api/v1/reports/lost-opportunities?${RANGE}&staffId=${a.staff.Sam}`)).body;
    expect(sam).toMatchObject({ leads: 4, lostLeads: 2, estimatedRevenueLost: 3100 });
  });

  it('answers an empty range with zeros and nulls, never NaN', async () => {
    const r = (await get(manager, '/api/v1/reports/lost-opportunities?from=2025-01-01&to=2025-01-31')).body;
    expect(r).toMatchObject({
      leads: 0,
      lostLeads: 0,
      lostRate: null,
      sample: 'none',
      estimatedRevenueLost: 0,
      practiceAverageBookedValue: null,
      byStaff: [],
      byTreatment: [],
    });
    expect(r.reasons.every((row: any) => row.share === null && row.leads === 0)).toBe(true);
  });

  it('CSV carries the JSON numbers', async () => {
    const json = (await get(manager, `/api/v1/reports/lost-opportunities?${RANGE}`)).body;
    const csv = await get(manager, `/api/v1/reports/lost-opportunities.csv?${RANGE}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows: Array<Record<string, string>> = parse(csv.body, { columns: true, bom: true });
    const total = rows.find((row) => row.Group === 'total')!;
    expect([total.Leads, total['Lost leads'], total['Lost rate'], total['Estimated revenue lost']].map(Number)).toEqual([
      json.leads,
      json.lostLeads,
      json.lostRate,
      json.estimatedRevenueLost,
    ]);
    for (const reason of json.reasons) {
      const row = rows.find((r) => r.Group === 'reason' && r.Key === reason.reason)!;
      expect([Number(row['Lost leads']), row['Share of lost'] === '' ? null : Number(row['Share of lost']), Number(row['Estimated revenue lost'])]).toEqual([
        reason.leads,
        reason.share,
        reason.estimatedRevenueLost,
      ]);
    }
    for (const staff of json.byStaff) {
      const row = rows.find((r) => r.Group === 'staff' && r.Name === staff.name)!;
      expect([
        Number(row.Leads),
        Number(row['Lost leads']),
        Number(row['Lost rate']),
        Number(row['Estimated revenue lost']),
        Number(row['Lost: price']),
      ]).toEqual([staff.leads, staff.lostLeads, staff.lostRate, staff.estimatedRevenueLost, staff.reasons.price]);
    }
    expect(rows.filter((r) => r.Group === 'treatment')).toHaveLength(json.byTreatment.length);
  });
});

describe('leads lost to price (promotion list)', () => {
  it('lists the leads without patient details and without logging by default', async () => {
    const before = (await t.query(`SELECT count(*)::int AS n FROM phi_access_log`))[0].n;
    const response = await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}`);
    expect(response.status).toBe(200);
    const r = response.body;
    expect(r).toMatchObject({ from: '2026-10-01', to: '2026-10-31', reason: 'price', includeContacts: false, accessLogged: false, count: 3, truncated: false });
    expect(r.leads.map((l: any) => l.leadId)).toEqual([ids.N3, ids.N2, ids.N1]);
    expect(r.leads[2]).toEqual({
      leadId: ids.N1,
      externalId: 'N1',
      createdDate: '2026-10-06',
      channel: 'web_form',
      sourceName: null,
      campaignName: null,
      treatment: 'Implants',
      estimatedValue: 5000,
      reason: 'price',
      staffName: 'Maya',
      doNotContact: false,
      contact: null,
    });
    expect(r.leads[0]).toMatchObject({ leadId: ids.N3, doNotContact: true, estimatedValue: null, staffName: null });
    expect(JSON.stringify(r)).not.toMatch(/Nora|Ned|Nell|\+1 555|example\.test/);
    expect((await t.query(`SELECT count(*)::int AS n FROM phi_access_log`))[0].n).toBe(before);
  });

  it('adds patient details only when asked, and logs the access (who, what, which leads, the filters)', async () => {
    const before = (await t.query(`SELECT count(*)::int AS n FROM phi_access_log`))[0].n;
    const response = await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&includeContacts=true`);
    expect(response.status).toBe(200);
    const r = response.body;
    expect(r).toMatchObject({ includeContacts: true, accessLogged: true, count: 3 });
    const byId = Object.fromEntries(r.leads.map((l: any) => [l.leadId, l]));
    expect(byId[ids.N1!].contact).toEqual({ name: 'Nora One', phone: '+1 555 0101', email: 'nora@example.test' });
    expect(byId[ids.N2!].contact).toEqual({ name: 'Ned Two', phone: '+1 555 0102', email: 'ned@example.test' });
    expect(byId[ids.N3!].contact).toBeNull(); // asked not to be contacted
    expect(JSON.stringify(r)).not.toMatch(/Nell|Nate|Bea/);
    const logs = await t.query(`SELECT practice_id, user_id, action, lead_ids, detail FROM phi_access_log ORDER BY at DESC LIMIT 5`);
    expect((await t.query(`SELECT count(*)::int AS n FROM phi_access_log`))[0].n).toBe(before + 1);
    expect(logs[0]).toMatchObject({ practice_id: a.practiceId, user_id: manager.user.id, action: 'reports.lost_leads.view' });
    expect([...logs[0].lead_ids].sort()).toEqual([ids.N1, ids.N2].sort());
    expect(logs[0].detail).toMatchObject({ from: '2026-10-01', to: '2026-10-31', reason: 'price', rows: 3 });
    expect(JSON.stringify(logs[0].detail)).not.toMatch(/Nora|\+1 555/); // the phones, not a UUID that happens to hold 555
  });

  it('takes reason=scheduling', async () => {
    const r = (await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&reason=scheduling`)).body;
    expect(r.leads.map((l: any) => l.leadId)).toEqual([ids.N4]);
    expect((await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&reason=cheap`)).status).toBe(400);
  });

  it("never shows another practice's leads", async () => {
    const r = (await get(adminB, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&includeContacts=true`)).body;
    expect(r.leads.map((l: any) => l.leadId)).toEqual([ids.BX]);
    expect(JSON.stringify(r)).not.toMatch(/Nora|Ned|Nell|Ann/);
    const report = (await get(adminB, `/api/v1/reports/lost-opportunities?${RANGE}`)).body;
    expect(report).toMatchObject({ leads: 1, lostLeads: 1, estimatedRevenueLost: 12345 });
    const aList = (await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&includeContacts=true`)).body;
    expect(JSON.stringify(aList)).not.toMatch(/Bea|12345/);
    const [log] = await t.query(`SELECT practice_id, lead_ids FROM phi_access_log WHERE practice_id = $1`, [b.practiceId]);
    expect(log.lead_ids).toEqual([ids.BX]);
  });

  it('exports a CSV safe to open in a spreadsheet, with details logged as an export', async () => {
    const plain = await get(manager, '/api/v1/reports/lost-opportunities/price-objections.csv?from=2026-09-01&to=2026-09-30');
    expect(plain.status).toBe(200);
    expect(plain.body).not.toMatch(/Patient name|Ann/);
    const csv = await get(manager, '/api/v1/reports/lost-opportunities/price-objections.csv?from=2026-09-01&to=2026-09-30&includeContacts=true');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="lost-price_2026-09-01_2026-09-30.csv"/);
    const rows: string[][] = parse(csv.body, { bom: true });
    expect(rows[0]).toEqual([
      'Lead id',
      'External id',
      'Created',
      'Channel',
      'Source',
      'Campaign',
      'Treatment',
      'Estimated value',
      'Reason',
      'Staff',
      'Do not contact',
      'Patient name',
      'Phone',
      'Email',
    ]);
    expect(rows[1]).toEqual([
      ids.N9,
      'N9',
      '2026-09-10',
      'web_form',
      SMITH,
      '',
      `'${HYPERLINK}`,
      '50',
      'price',
      '',
      'false',
      'Ann "A" Smith, Jr',
      "'+1 555 0109",
      'ann@example.test',
    ]);
    // A phone number starting with + is neutralised like any formula-like cell (toCsv's rule): shown as text.
    const [log] = await t.query(`SELECT action, lead_ids FROM phi_access_log WHERE action = 'reports.lost_leads.export'`);
    expect(log.lead_ids).toEqual([ids.N9]);
  });

  it('neutralises a formula-like treatment in the lost-opportunities CSV', async () => {
    const csv = await get(manager, '/api/v1/reports/lost-opportunities.csv?from=2026-09-01&to=2026-09-30');
    const rows: Array<Record<string, string>> = parse(csv.body, { columns: true, bom: true });
    expect(rows.find((r) => r.Group === 'treatment')).toMatchObject({
      Name: `'${HYPERLINK}`,
      Key: `'${HYPERLINK.toLowerCase()}`,
      'Estimated revenue lost': '50',
    });
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('refuses bad parameters naming the field', async () => {
    const bad = await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&includeContacts=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/includeContacts/);
    expect((await get(manager, `/api/v1/reports/lost-opportunities/price-objections?${RANGE}&limit=0`)).body.message).toMatch(/limit/);
  });
});
