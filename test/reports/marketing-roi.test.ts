// Marketing ROI on a small hand-computed fixture, through the real API: leads posted with createdAt in the
// past, bookings through the events API, spend through PUT /api/v1/marketing-spend. Practice in
// America/Chicago; the range 2026-09-16..2026-10-15 is all CDT (UTC-5) and covers half of September
// (15 of 30 days) and 15 of October's 31 days, so spend is prorated by 1/2 and 15/31.
//
// Hand computation (E = estimated value of booked leads, A = actual value):
//   Google Ads (source): 6 leads in range (L1..L6), 3 booked (L1 1000, L2 500, L4 3000) -> E 4500,
//     A 1200 + 2500 = 3700. Spend: source Sep 600 x 15/30 = 300, source Oct 310 x 15/31 = 150, campaign
//     Oct 620 x 15/31 = 300 -> 750 (Aug and Nov spend are outside). CPL 750/6 = 125, CPB 750/3 = 250,
//     ROI (4500 - 750)/750 = 5, ROI actual (3700 - 750)/750 = 3.9333.
//   Google Ads / Implants Fall: L4, L5: 2 leads, 1 booked, E 3000, A 2500, spend 300, CPL 150, CPB 300,
//     ROI 9, ROI actual (2500 - 300)/300 = 7.3333.
//   Facebook: L9 (00:30 local on the first day: in), L10 (booked 800, existing patient): 2 leads, 1 booked,
//     no spend -> spend, CPL, CPB, ROI all null.
//   =HYPERLINK(...): 1 lead, 0 booked: conversion 0 (a small sample, not "none").
//   Smith, "Dr" Referrals: 1 lead booked 200, spend entered as 0: CPL 0, CPB 0, ROI null (not Infinity).
//   Billboard: no leads, Oct spend 3100 x 15/31 = 1500: conversion null (sample none), ROI -1.
//   (no source): 2 leads, 1 booked (100).
//   Totals: 12 leads, 6 booked, conversion 0.5 (sample ok), E 5600, A 3700, spend 2250, CPL 187.5,
//     CPB 375, ROI 3350/2250 = 1.4889, ROI actual 1450/2250 = 0.6444.
// Out of range: L7 (00:30 local the day after `to`, booked 9999) and L8 (23:30 local the day before `from`).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, login, send, type Session } from '../users/users-support.js';

const RANGE = 'from=2026-09-16&to=2026-10-15';
const HYPERLINK = '=HYPERLINK("http://x","y")';
const SMITH = 'Smith, "Dr" Referrals';

let t: TestApp;
let a: TestPractice;
let b: TestPractice;
let manager: Session;
let admin: Session;
let adminB: Session;
const sourceIds: Record<string, string> = {};
let campaignId: string;

interface LeadSpec {
  at: string;
  source?: string;
  campaign?: string;
  value?: number;
  booked?: boolean;
  actual?: number;
  existingPatient?: boolean;
}

const LEADS: Record<string, LeadSpec> = {
  L1: { at: '2026-09-20T10:00:00-05:00', source: 'Google Ads', value: 1000, booked: true, actual: 1200 },
  L2: { at: '2026-10-01T09:00:00-05:00', source: 'Google Ads', value: 500, booked: true },
  L3: { at: '2026-10-02T09:00:00-05:00', source: 'Google Ads', value: 2000 },
  L4: { at: '2026-10-05T11:00:00-05:00', source: 'Google Ads', campaign: 'Implants Fall', value: 3000, booked: true, actual: 2500 },
  L5: { at: '2026-10-06T11:00:00-05:00', source: 'Google Ads', campaign: 'Implants Fall', value: 1500 },
  L6: { at: '2026-10-15T23:30:00-05:00', source: 'Google Ads' },
  L7: { at: '2026-10-16T00:30:00-05:00', source: 'Google Ads', value: 9999, booked: true, actual: 9999 },
  L8: { at: '2026-09-15T23:30:00-05:00', source: 'Facebook', value: 700, booked: true },
  L9: { at: '2026-09-16T00:30:00-05:00', source: 'Facebook' },
  L10: { at: '2026-09-25T15:00:00-05:00', source: 'Facebook', value: 800, booked: true, existingPatient: true },
  L11: { at: '2026-10-03T12:00:00-05:00', source: HYPERLINK },
  L12: { at: '2026-10-04T12:00:00-05:00', source: SMITH, value: 200, booked: true },
  L13: { at: '2026-09-30T08:00:00-05:00' },
  L14: { at: '2026-10-10T08:00:00-05:00', value: 100, booked: true },
};

const get = (session: Session | null, path: string) => send(t, 'GET', path, session ? { cookie: session.cookie } : {});
const put = (session: Session, body: unknown) => send(t, 'PUT', '/api/v1/marketing-spend', { body, cookie: session.cookie, csrf: session.csrfToken });

function row(report: any, sourceName: string, campaignName: string | null = null) {
  const found = [...report.rows, report.totals].find((r: any) => r.sourceName === sourceName && r.campaignName === campaignName);
  if (!found) throw new Error(`no row ${sourceName} / ${campaignName}`);
  return found;
}

beforeAll(async () => {
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  a = await t.createPractice({ name: 'Practice A', timeZone: 'America/Chicago' });
  b = await t.createPractice({ name: 'Practice B', timeZone: 'America/Chicago' });
  await createUser(t, a.practiceId, 'manager@a.test', 'manager');
  await createUser(t, a.practiceId, 'admin@a.test', 'admin');
  await createUser(t, b.practiceId, 'admin@b.test', 'admin');
  manager = await login(t, 'manager@a.test');
  admin = await login(t, 'admin@a.test');
  adminB = await login(t, 'admin@b.test');

  for (const [name, lead] of Object.entries(LEADS)) {
    const created = await t.post('/api/v1/leads', a.ingestKey, {
      externalId: name,
      channel: 'web_form',
      createdAt: lead.at,
      ...(lead.source ? { source: lead.source } : {}),
      ...(lead.campaign ? { campaign: lead.campaign } : {}),
      ...(lead.value !== undefined ? { estimatedValue: lead.value } : {}),
      isNewPatient: !lead.existingPatient,
    });
    expect(created.status).toBe(201);
    if (lead.booked) {
      const at = new Date(Date.parse(lead.at) + 3600_000).toISOString();
      expect((await t.post(`/api/v1/leads/${created.body.id}/events`, a.ingestKey, { type: 'booked', at })).status).toBe(201);
    }
    // No API sets the actual value yet (it comes with the practice-management integration).
    if (lead.actual !== undefined) await t.query(`UPDATE lead SET actual_value = $2 WHERE id = $1`, [created.body.id, lead.actual]);
  }
  await t.practices.addSource(a.practiceId, 'Billboard');
  for (const source of await t.query(`SELECT id, name FROM marketing_source WHERE practice_id = $1`, [a.practiceId])) sourceIds[source.name] = source.id;
  campaignId = (await t.query(`SELECT id FROM campaign WHERE practice_id = $1 AND name = 'Implants Fall'`, [a.practiceId]))[0].id;
  const google = sourceIds['Google Ads'];
  const spend = [
    { sourceId: google, month: '2026-08', amount: 500 }, // outside the range
    { sourceId: google, month: '2026-09', amount: 600 },
    { sourceId: google, month: '2026-10', amount: 310 },
    { sourceId: google, month: '2026-11', amount: 1000 }, // outside the range
    { sourceId: google, campaignId, month: '2026-10', amount: 620 },
    { sourceId: sourceIds[SMITH], month: '2026-10', amount: 0 },
    { sourceId: sourceIds.Billboard, month: '2026-10', amount: 3100 },
  ];
  for (const body of spend) expect((await put(manager, body)).status).toBe(200);
});
afterAll(() => t.close());

describe('Marketing ROI report', () => {
  it('has exact hand-computed numbers for every column, spend prorated by days', async () => {
    // patient=all: the hand computation above takes every patient (the default is new patients, below).
    const response = await get(manager, `/api/v1/reports/marketing-roi?${RANGE}&patient=all`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ from: '2026-09-16', to: '2026-10-15', timeZone: 'America/Chicago', newPatientsOnly: false });
    expect(report.rows.map((r: any) => [r.level, r.sourceName, r.campaignName])).toEqual([
      ['source', HYPERLINK, null],
      ['source', 'Billboard', null],
      ['source', 'Facebook', null],
      ['source', 'Google Ads', null],
      ['campaign', 'Google Ads', 'Implants Fall'],
      ['source', SMITH, null],
      ['source', '(no source)', null],
    ]);
    const pick = (r: any) => {
      const { level: _l, sourceId: _s, campaignId: _c, sourceName: _n, campaignName: _m, ...metrics } = r;
      return metrics;
    };
    // The ROI multiple is revenue per 1 spent: roi + 1 (2 decimals), null where roi is.
    const multiple = (value: number | null) => (value === null ? null : Math.round((value + 1) * 100) / 100);
    const metrics = (
      leads: number,
      bookings: number,
      conversion: number | null,
      sample: string,
      estimatedRevenue: number,
      actualRevenue: number | null,
      spend: number | null,
      costPerLead: number | null,
      costPerBooking: number | null,
      roi: number | null,
      roiActual: number | null,
    ) => ({
      leads,
      bookings,
      conversion,
      sample,
      estimatedRevenue,
      actualRevenue,
      spend,
      spendEntered: spend !== null,
      costPerLead,
      costPerBooking,
      roi,
      roiActual,
      roiMultiple: multiple(roi),
      roiMultipleActual: multiple(roiActual),
    });
    expect(pick(row(report, 'Google Ads'))).toEqual(metrics(6, 3, 0.5, 'small', 4500, 3700, 750, 125, 250, 5, 3.9333));
    expect(pick(row(report, 'Google Ads', 'Implants Fall'))).toEqual(metrics(2, 1, 0.5, 'small', 3000, 2500, 300, 150, 300, 9, 7.3333));
    expect(pick(row(report, 'Facebook'))).toEqual(metrics(2, 1, 0.5, 'small', 800, null, null, null, null, null, null));
    expect(pick(row(report, HYPERLINK))).toEqual(metrics(1, 0, 0, 'small', 0, null, null, null, null, null, null));
    expect(pick(row(report, SMITH))).toEqual(metrics(1, 1, 1, 'small', 200, null, 0, 0, 0, null, null));
    expect(pick(row(report, 'Billboard'))).toEqual(metrics(0, 0, null, 'none', 0, null, 1500, null, null, -1, null));
    expect(pick(row(report, '(no source)'))).toEqual(metrics(2, 1, 0.5, 'small', 100, null, null, null, null, null, null));
    expect(report.totals).toMatchObject({ level: 'total', sourceName: 'Total' });
    expect(pick(report.totals)).toEqual(metrics(12, 6, 0.5, 'ok', 5600, 3700, 2250, 187.5, 375, 1.4889, 0.6444));
    expect(row(report, 'Google Ads').sourceId).toBe(sourceIds['Google Ads']);
    expect(row(report, 'Google Ads', 'Implants Fall').campaignId).toBe(campaignId);
    expect(row(report, '(no source)').sourceId).toBeNull();
  });

  it('counts a lead at 23:30 local on the last day and not one at 00:30 the next day', async () => {
    const lastDay = (await get(manager, '/api/v1/reports/marketing-roi?from=2026-10-15&to=2026-10-15')).body;
    expect(row(lastDay, 'Google Ads').leads).toBe(1); // L6
    const nextDay = (await get(manager, '/api/v1/reports/marketing-roi?from=2026-10-16&to=2026-10-16')).body;
    expect(row(nextDay, 'Google Ads')).toMatchObject({ leads: 1, bookings: 1, estimatedRevenue: 9999 }); // L7
    const firstDay = (await get(manager, '/api/v1/reports/marketing-roi?from=2026-09-16&to=2026-09-16')).body;
    expect(row(firstDay, 'Facebook').leads).toBe(1); // L9, not L8
    // One day of October: 620/31 + 310/31 = 30 for Google Ads; 3100/31 = 100 for Billboard.
    expect(row(lastDay, 'Google Ads').spend).toBe(30);
    expect(row(lastDay, 'Billboard').spend).toBe(100);
  });

  it('filters new patients only', async () => {
    const report = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}&newPatientsOnly=true`)).body;
    expect(report.newPatientsOnly).toBe(true);
    expect(row(report, 'Facebook')).toMatchObject({ leads: 1, bookings: 0, conversion: 0, estimatedRevenue: 0 });
    expect(report.totals).toMatchObject({ leads: 11, bookings: 5, spend: 2250 });
  });

  it('counts new patients by default, and gives the ROI multiple beside the percentage', async () => {
    // Totals for new patients (L10, the existing patient's 800 booking, left out): 11 leads, 5 booked,
    // E 5600 - 800 = 4800, spend 2250: CPB 2250 / 5 = 450 (against 375 with the existing patient),
    // ROI (4800 - 2250) / 2250 = 1.1333 (+113.3%, against +148.9%), multiple 4800 / 2250 = 2.13
    // ("$2.13 back per $1"). Google Ads: E 4500, spend 750 -> multiple 6 (ROI 5 = +500%).
    const byDefault = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}`)).body;
    expect(byDefault.newPatientsOnly).toBe(true);
    expect(byDefault.segment.patient).toBe('new');
    expect(byDefault.totals).toMatchObject({
      leads: 11,
      bookings: 5,
      estimatedRevenue: 4800,
      spend: 2250,
      costPerBooking: 450,
      roi: 1.1333,
      roiMultiple: 2.13,
    });
    expect(row(byDefault, 'Google Ads')).toMatchObject({ roi: 5, roiMultiple: 6, roiActual: 3.9333, roiMultipleActual: 4.93 });
    expect(row(byDefault, 'Billboard')).toMatchObject({ roi: -1, roiMultiple: 0 });
    expect(row(byDefault, SMITH)).toMatchObject({ roi: null, roiMultiple: null }); // spend 0: no multiple, not Infinity
    const explicit = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}&patient=new`)).body;
    expect(explicit.totals).toEqual(byDefault.totals);
    const everyone = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}&patient=all`)).body;
    expect(everyone.totals).toMatchObject({ leads: 12, bookings: 6, costPerBooking: 375, roi: 1.4889, roiMultiple: 2.49 });
  });

  it('answers a range without leads or spend with nulls, never Infinity or NaN', async () => {
    const response = await get(manager, '/api/v1/reports/marketing-roi?from=2025-01-01&to=2025-01-31');
    expect(response.status).toBe(200);
    expect(response.body.rows).toEqual([]);
    expect(response.body.totals).toMatchObject({
      leads: 0,
      bookings: 0,
      conversion: null,
      sample: 'none',
      estimatedRevenue: 0,
      actualRevenue: null,
      spend: null,
      spendEntered: false,
      costPerLead: null,
      costPerBooking: null,
      roi: null,
      roiActual: null,
    });
    const csv = await get(manager, '/api/v1/reports/marketing-roi.csv?from=2025-01-01&to=2025-01-31');
    expect(csv.body).not.toMatch(/Infinity|NaN/);
  });

  it('defaults to the last 90 days, practice-local', async () => {
    const [{ today }] = await t.query(`SELECT (now() AT TIME ZONE 'America/Chicago')::date::text AS today`);
    const report = (await get(manager, '/api/v1/reports/marketing-roi')).body;
    expect(report.to).toBe(today);
    expect((Date.parse(report.to) - Date.parse(report.from)) / 86_400_000).toBe(89);
  });

  it.each([
    ['from=2026-02-30&to=2026-03-01', /from: must be a real date/],
    ['from=2026-9-1', /from: must be a date YYYY-MM-DD/],
    ['from=2026-10-02&to=2026-10-01', /to: is before from/],
    ['to=yesterday', /to: must be a date/],
    ['newPatientsOnly=maybe', /newPatientsOnly/],
    ['form=2026-01-01', /form/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    for (const path of ['/api/v1/reports/marketing-roi', '/api/v1/reports/marketing-roi.csv']) {
      const response = await get(manager, `${path}?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
    }
  });

  it('agrees with independent SQL on leads, bookings and revenue per source', async () => {
    const report = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}&patient=all`)).body;
    // The plain definition: the lead's local calendar date in the range.
    const expected: Array<{ name: string; leads: number; bookings: number; revenue: string }> = await t.query(
      `SELECT coalesce(s.name, '(no source)') AS name, count(*)::int AS leads, count(*) FILTER (WHERE l.booked_at IS NOT NULL)::int AS bookings,
              coalesce(sum(CASE WHEN l.booked_at IS NOT NULL THEN l.estimated_value END), 0)::text AS revenue
         FROM lead l JOIN practice p ON p.id = l.practice_id LEFT JOIN marketing_source s ON s.id = l.source_id
        WHERE l.practice_id = $1 AND (l.created_at AT TIME ZONE p.time_zone)::date BETWEEN '2026-09-16' AND '2026-10-15'
        GROUP BY 1`,
      [a.practiceId],
    );
    for (const source of expected) {
      expect(row(report, source.name)).toMatchObject({ leads: source.leads, bookings: source.bookings, estimatedRevenue: Number(source.revenue) });
    }
  });
});

describe('Marketing ROI CSV', () => {
  it('carries the same numbers as the JSON, with RFC 4180 quoting and formulas neutralised', async () => {
    const json = (await get(manager, `/api/v1/reports/marketing-roi?${RANGE}`)).body;
    const csv = await get(manager, `/api/v1/reports/marketing-roi.csv?${RANGE}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="marketing-roi_2026-09-16_2026-10-15.csv"');
    const text: string = csv.body;
    expect(text).toContain('\r\n');
    // The formula comes out as text: quoted (it has commas and quotes), quotes doubled, an apostrophe first.
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(`"Smith, ""Dr"" Referrals"`);
    const records: string[][] = parse(text, { bom: true });
    const [header, ...rows] = records;
    expect(header).toEqual([
      'Level',
      'Source',
      'Campaign',
      'Leads',
      'Bookings',
      'Conversion',
      'Sample',
      'Estimated revenue',
      'Actual revenue',
      'Spend',
      'Spend entered',
      'Cost per lead',
      'Cost per booking',
      'ROI',
      'ROI (actual revenue)',
      'Revenue per 1 spent',
      'Revenue per 1 spent (actual revenue)',
    ]);
    const all = [...json.rows, json.totals];
    expect(rows).toHaveLength(all.length);
    const cell = (value: string | number | boolean | null) => (value === null ? '' : String(value));
    all.forEach((r: any, i: number) => {
      const source = r.sourceName.startsWith('=') ? `'${r.sourceName}` : r.sourceName;
      expect(rows[i]).toEqual([
        r.level,
        source,
        cell(r.campaignName),
        cell(r.leads),
        cell(r.bookings),
        cell(r.conversion),
        r.sample,
        cell(r.estimatedRevenue),
        cell(r.actualRevenue),
        cell(r.spend),
        cell(r.spendEntered),
        cell(r.costPerLead),
        cell(r.costPerBooking),
        cell(r.roi),
        cell(r.roiActual),
        cell(r.roiMultiple),
        cell(r.roiMultipleActual),
      ]);
    });
    expect(rows.find((r) => r[1] === 'Billboard')?.[13]).toBe('-1'); // a negative number stays a number
    expect(rows.at(-1)?.slice(0, 2)).toEqual(['total', 'Total']);
    expect(rows.find((r) => r[1] === "'" + HYPERLINK)).toBeDefined();
    expect(rows.find((r) => r[1] === SMITH)).toBeDefined();
  });
});

describe('marketing spend entry', () => {
  it('upserts one row per source, campaign and month', async () => {
    const body = { sourceId: sourceIds.Facebook, month: '2025-03', amount: 100 };
    const first = await put(admin, body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ sourceId: sourceIds.Facebook, sourceName: 'Facebook', campaignId: null, month: '2025-03', amount: 100 });
    const second = await put(admin, { ...body, amount: 123.45 });
    expect(second.body).toMatchObject({ id: first.body.id, amount: 123.45 });
    const rows = await t.query(`SELECT amount::text FROM marketing_spend WHERE source_id = $1 AND month = '2025-03-01'`, [sourceIds.Facebook]);
    expect(rows).toEqual([{ amount: '123.45' }]);
    const list = await get(manager, '/api/v1/marketing-spend?from=2025-03&to=2025-03');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ from: '2025-03', to: '2025-03', spend: [{ ...first.body, amount: 123.45 }] });
  });

  it('lists the months asked for', async () => {
    const list = (await get(manager, '/api/v1/marketing-spend?from=2026-09&to=2026-10')).body;
    expect(list.spend.map((s: any) => [s.month, s.sourceName, s.campaignName, s.amount])).toEqual([
      ['2026-09', 'Google Ads', null, 600],
      ['2026-10', 'Billboard', null, 3100],
      ['2026-10', 'Google Ads', null, 310],
      ['2026-10', 'Google Ads', 'Implants Fall', 620],
      ['2026-10', SMITH, null, 0],
    ]);
  });

  it('lists every source of the practice with its campaigns, for the spend form (none of another practice)', async () => {
    const list = (await get(manager, '/api/v1/marketing-sources')).body;
    const google = list.find((source: { name: string }) => source.name === 'Google Ads');
    expect(google).toMatchObject({ id: sourceIds['Google Ads'], campaigns: [{ id: campaignId, name: 'Implants Fall' }] });
    expect(list.map((source: { name: string }) => source.name)).toContain(SMITH);
    const other = (await get(adminB, '/api/v1/marketing-sources')).body;
    expect(other.map((source: { id: string }) => source.id)).not.toContain(sourceIds['Google Ads']);
  });

  it("refuses sources and campaigns that are not this practice's, with a 422", async () => {
    const otherSource = (await t.practices.addSource(a.practiceId, 'Radio')).id;
    expect((await put(manager, { sourceId: otherSource, campaignId, month: '2026-10', amount: 1 })).status).toBe(422); // campaign of another source
    const foreign = await put(adminB, { sourceId: sourceIds['Google Ads'], month: '2026-10', amount: 1 });
    expect(foreign.status).toBe(422);
    expect(foreign.body.message).toMatch(/sourceId/);
    const foreignCampaign = (await t.practices.addSource(b.practiceId, 'B Ads')).id;
    expect((await put(adminB, { sourceId: foreignCampaign, campaignId, month: '2026-10', amount: 1 })).status).toBe(422);
  });

  it.each([
    [{ month: '2026-10', amount: 1 }, /sourceId/],
    [{ sourceId: 'x', month: '2026-10', amount: 1 }, /sourceId/],
    [{ sourceId: '00000000-0000-4000-8000-000000000000', month: '2026-13', amount: 1 }, /month/],
    [{ sourceId: '00000000-0000-4000-8000-000000000000', month: '2026-10', amount: -1 }, /amount/],
    [{ sourceId: '00000000-0000-4000-8000-000000000000', month: '2026-10', amount: 1.001 }, /amount/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const response = await put(manager, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });
});

describe('roles and practices', () => {
  const ROUTES = [
    ['GET', `/api/v1/reports/marketing-roi?${RANGE}`],
    ['GET', `/api/v1/reports/marketing-roi.csv?${RANGE}`],
    ['GET', '/api/v1/marketing-spend'],
  ] as const;

  it.each(ROUTES)('%s %s: manager and admin 200, display token 403, ingest key 403, nobody 401', async (method, path) => {
    expect((await send(t, method, path, { cookie: manager.cookie })).status).toBe(200);
    expect((await send(t, method, path, { cookie: admin.cookie })).status).toBe(200);
    expect((await send(t, method, path, { bearer: a.displayToken })).status).toBe(403);
    expect((await send(t, method, path, { bearer: a.ingestKey })).status).toBe(403);
    expect((await send(t, method, path)).status).toBe(401);
  });

  it('PUT spend: manager and admin only, with the CSRF token', async () => {
    const body = { sourceId: sourceIds.Facebook, month: '2024-01', amount: 1 };
    expect((await send(t, 'PUT', '/api/v1/marketing-spend', { body })).status).toBe(401);
    expect((await send(t, 'PUT', '/api/v1/marketing-spend', { body, bearer: a.displayToken })).status).toBe(403);
    expect((await send(t, 'PUT', '/api/v1/marketing-spend', { body, bearer: a.ingestKey })).status).toBe(403);
    expect((await send(t, 'PUT', '/api/v1/marketing-spend', { body, cookie: manager.cookie })).status).toBe(403); // no CSRF token
    expect((await put(manager, body)).status).toBe(200);
    expect((await put(admin, body)).status).toBe(200);
  });

  it("never shows practice B's admin practice A's data", async () => {
    const report = (await get(adminB, `/api/v1/reports/marketing-roi?${RANGE}`)).body;
    expect(report.rows).toEqual([]);
    expect(report.totals).toMatchObject({ leads: 0, spend: null });
    const csv = (await get(adminB, `/api/v1/reports/marketing-roi.csv?${RANGE}`)).body;
    expect(csv).not.toMatch(/Google|Facebook|Billboard/);
    const spend = (await get(adminB, '/api/v1/marketing-spend?from=2024-01&to=2026-12')).body;
    expect(spend.spend).toEqual([]);
  });
});
