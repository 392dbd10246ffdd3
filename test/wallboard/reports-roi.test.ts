// The Marketing ROI view's data shaping: every column sortable (no-spend rows last either way), campaigns
// kept under their source, the bar chart's bars, the spend form's targets and amounts. The fixture rows are
// those of the hand-computed API test (test/reports/marketing-roi.test.ts), in the API's order.
import { describe, expect, it } from '@jest/globals';
import type { MarketingRoiReport, MarketingRoiRow } from '../../server/reports/marketing-roi.contract.js';
import { MINUS } from '../../wallboard/src/manage/reports/lib/format.js';
import { parseAmount, roiBars, roiColumns, roiRowKey, roiSummary, sortRoiRows, sortSpend, spendTargets } from '../../wallboard/src/manage/reports/lib/roi.js';
import { ariaSort, compareValues, nextSort, parseSort, sortRows } from '../../wallboard/src/manage/reports/lib/table.js';

function row(partial: Partial<MarketingRoiRow> & Pick<MarketingRoiRow, 'sourceName'>): MarketingRoiRow {
  return {
    level: 'source',
    sourceId: partial.sourceName.toLowerCase().replace(/\W+/g, '-'),
    campaignId: null,
    campaignName: null,
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
    roiMultiple: null,
    roiMultipleActual: null,
    ...partial,
  };
}

const billboard = row({ sourceName: 'Billboard', spend: 1500, spendEntered: true, roi: -1 });
const facebook = row({ sourceName: 'Facebook', leads: 2, bookings: 1, conversion: 0.5, sample: 'small', estimatedRevenue: 800 });
const google = row({
  sourceName: 'Google Ads',
  leads: 6,
  bookings: 3,
  conversion: 0.5,
  sample: 'small',
  estimatedRevenue: 4500,
  actualRevenue: 3700,
  spend: 750,
  spendEntered: true,
  costPerLead: 125,
  costPerBooking: 250,
  roi: 5,
  roiActual: 3.9333,
});
const implants = row({
  level: 'campaign',
  sourceName: 'Google Ads',
  sourceId: 'google-ads',
  campaignId: 'implants',
  campaignName: 'Implants Fall',
  leads: 2,
  bookings: 1,
  conversion: 0.5,
  sample: 'small',
  estimatedRevenue: 3000,
  actualRevenue: 2500,
  spend: 300,
  spendEntered: true,
  costPerLead: 150,
  costPerBooking: 300,
  roi: 9,
  roiActual: 7.3333,
});
const smith = row({
  sourceName: 'Smith, "Dr" Referrals',
  leads: 1,
  bookings: 1,
  conversion: 1,
  sample: 'small',
  estimatedRevenue: 200,
  spend: 0,
  spendEntered: true,
  costPerLead: 0,
  costPerBooking: 0,
});
const none = row({ sourceName: '(no source)', sourceId: null, leads: 2, bookings: 1, conversion: 0.5, sample: 'small', estimatedRevenue: 100 });
const rows = [billboard, facebook, google, implants, smith, none];
const report: Pick<MarketingRoiReport, 'rows' | 'currency'> = { rows, currency: 'USD' };
const columns = roiColumns('USD');
const text = (r: MarketingRoiRow, id: string) => columns.find((c) => c.id === id)!.text(r);

describe('ROI table columns', () => {
  it('shows every number through the shared formatter, "no spend entered" where there is none', () => {
    expect(columns.map((c) => c.id)).toEqual([
      'name',
      'leads',
      'bookings',
      'conversion',
      'estimatedRevenue',
      'actualRevenue',
      'spend',
      'costPerLead',
      'costPerBooking',
      'roi',
      'roiActual',
    ]);
    expect(text(google, 'roi')).toBe('+500%');
    expect(text(google, 'roiActual')).toBe('+393.3%');
    expect(text(google, 'costPerBooking')).toBe('$250');
    expect(text(facebook, 'roi')).toBe('no spend entered');
    expect(text(facebook, 'spend')).toBe('no spend entered');
    expect(text(facebook, 'costPerLead')).toBe('no spend entered');
    expect(text(smith, 'roi')).toBe('spend was 0');
    expect(text(billboard, 'conversion')).toBe('no leads');
    expect(text(billboard, 'roi')).toBe(`${MINUS}100%`);
    expect(text(billboard, 'costPerBooking')).toBe('no bookings');
    expect(text(billboard, 'roiActual')).toBe('no actual revenue');
    expect(columns.find((c) => c.id === 'conversion')!.flag!(facebook)).toBe('small sample (n=2)');
    expect(text(implants, 'name')).toBe('Implants Fall');
  });
  it('sorts any column with campaigns under their source and rows without a value last, both ways', () => {
    const byRoi = sortRoiRows(rows, columns, '-roi').map(roiRowKey);
    expect(byRoi).toEqual([google, implants, billboard, facebook, smith, none].map(roiRowKey));
    const byRoiUp = sortRoiRows(rows, columns, 'roi').map((r) => r.sourceName);
    expect(byRoiUp.slice(0, 3)).toEqual(['Billboard', 'Google Ads', 'Google Ads']);
    expect(byRoiUp.slice(3)).toEqual(['Facebook', 'Smith, "Dr" Referrals', '(no source)']);
    expect(sortRoiRows(rows, columns, '-leads').map((r) => r.sourceName)).toEqual([
      'Google Ads',
      'Google Ads',
      'Facebook',
      '(no source)',
      'Smith, "Dr" Referrals',
      'Billboard',
    ]);
    expect(sortRoiRows(rows, columns, 'name').map((r) => r.sourceName)[0]).toBe('(no source)');
    expect(sortRoiRows(rows, columns, null)).toEqual(rows);
    expect(sortRoiRows(rows, columns, '-unknown')).toEqual(rows);
  });
});

describe('ROI chart', () => {
  it('has one bar per source, best ROI first, no bar (and the words) without spend', () => {
    const bars = roiBars(report, 'roi');
    expect(bars.map((b) => [b.label, b.value, b.text, b.tone])).toEqual([
      ['Google Ads', 5, '+500%', 'good'],
      ['Billboard', -1, `${MINUS}100%`, 'bad'],
      ['Facebook', null, 'no spend entered', 'neutral'],
      ['Smith, "Dr" Referrals', null, 'spend was 0', 'neutral'],
      ['(no source)', null, 'no spend entered', 'neutral'],
    ]);
    expect(bars[0]!.flag).toBe('small sample (n=6)');
    const cost = roiBars(report, 'costPerBooking');
    expect(cost.map((b) => b.text)).toEqual(['$0', '$250', 'no bookings', 'no spend entered', 'no spend entered']);
    expect(roiSummary(report)).toBe('1 source earned more than it cost, 1 source cost more than it earned, 2 sources without spend entered.');
  });
});

describe('spend form', () => {
  it('offers every source and campaign with an id, from the report and the spend entered', () => {
    const targets = spendTargets(rows, [
      { id: '1', sourceId: 'radio', sourceName: 'Radio', campaignId: 'xmas', campaignName: 'Xmas', month: '2026-10', amount: 5 },
    ]);
    expect(targets.map((t) => t.label)).toEqual([
      'Billboard',
      'Facebook',
      'Google Ads',
      'Google Ads › Implants Fall',
      'Radio',
      'Radio › Xmas',
      'Smith, "Dr" Referrals',
    ]);
    expect(targets.find((t) => t.label === 'Google Ads › Implants Fall')).toMatchObject({
      sourceId: 'google-ads',
      campaignId: 'implants',
      value: 'google-ads/implants',
    });
  });
  it('also offers the sources and campaigns without leads or spend in the range', () => {
    const targets = spendTargets(rows, [], [{ id: 'tv', name: 'TV', defaultChannel: 'phone', campaigns: [{ id: 'spring', name: 'Spring' }] }]);
    expect(targets.filter((t) => t.sourceId === 'tv')).toEqual([
      { value: 'tv', label: 'TV', sourceId: 'tv', campaignId: null },
      { value: 'tv/spring', label: 'TV › Spring', sourceId: 'tv', campaignId: 'spring' },
    ]);
  });
  it('reads amounts as people type them, refusing what the API refuses', () => {
    expect(parseAmount('1,250.50')).toEqual({ ok: true, amount: 1250.5 });
    expect(parseAmount('$300')).toEqual({ ok: true, amount: 300 });
    expect(parseAmount(' 0 ')).toEqual({ ok: true, amount: 0 });
    expect(parseAmount('-5').ok).toBe(false);
    expect(parseAmount('12.345').ok).toBe(false);
    expect(parseAmount('abc').ok).toBe(false);
    expect(parseAmount('99999999999').ok).toBe(false);
  });
  it('lists spend newest month first', () => {
    const e = (month: string, sourceName: string, campaignName: string | null = null) => ({
      id: month + sourceName + campaignName,
      sourceId: 's',
      sourceName,
      campaignId: null,
      campaignName,
      month,
      amount: 1,
    });
    expect(
      sortSpend([e('2026-09', 'B'), e('2026-10', 'B'), e('2026-10', 'A', 'z'), e('2026-10', 'A')]).map(
        (x) => `${x.month} ${x.sourceName} ${x.campaignName ?? ''}`,
      ),
    ).toEqual(['2026-10 A ', '2026-10 A z', '2026-10 B ', '2026-09 B ']);
  });
});

describe('sortable tables', () => {
  const cols = [
    { id: 'name', label: 'Name', numeric: false, value: (r: { name: string; n: number | null }) => r.name, text: (r: { name: string }) => r.name },
    { id: 'n', label: 'N', numeric: true, value: (r: { n: number | null }) => r.n, text: (r: { n: number | null }) => String(r.n) },
  ];
  it('clicks: numbers biggest first, text A→Z, a second click flips', () => {
    expect(nextSort(null, cols[1]!)).toBe('-n');
    expect(nextSort('-n', cols[1]!)).toBe('n');
    expect(nextSort('n', cols[1]!)).toBe('-n');
    expect(nextSort('-n', cols[0]!)).toBe('name');
    expect(parseSort('-roi')).toEqual({ id: 'roi', descending: true });
    expect(ariaSort('-n', 'n')).toBe('descending');
    expect(ariaSort('-n', 'name')).toBe('none');
  });
  it('puts nulls last in both directions and keeps ties in the API order', () => {
    const data = [
      { name: 'b', n: 2 },
      { name: 'a', n: null },
      { name: 'c', n: 2 },
      { name: 'd', n: 5 },
    ];
    expect(sortRows(data, cols, '-n').map((r) => r.name)).toEqual(['d', 'b', 'c', 'a']);
    expect(sortRows(data, cols, 'n').map((r) => r.name)).toEqual(['b', 'c', 'd', 'a']);
    expect(compareValues(null, null, true)).toBe(0);
  });
});
