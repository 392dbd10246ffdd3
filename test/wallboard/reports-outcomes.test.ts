// Data shaping of the lost-opportunities, growth and goals views: reason bars, the growth bridge as a
// waterfall that ends exactly at the current revenue, year over year, seasonality, goal progress.
import { describe, expect, it } from '@jest/globals';
import type { BridgeRow, GoalProgressRow, LostReasonRow, YearOverYear } from '../../server/reports/outcomes.contract.js';
import { MINUS } from '../../wallboard/src/manage/reports/lib/format.js';
import {
  bridgeAddsUp,
  bridgeColumns,
  bridgeSteps,
  forecastText,
  goalMonths,
  goalsByMonth,
  lostLeadColumns,
  lostReasonBars,
  parseTarget,
  progress,
  seasonalityBars,
  seasonalityText,
  trendPeriodLabel,
  trendTick,
  trendTickOf,
  volumeSeries,
  yoyRows,
} from '../../wallboard/src/manage/reports/lib/outcomes.js';

const basis = { estimated: 0, treatmentAverage: 0, practiceAverage: 0, none: 0 };

describe('lost opportunities', () => {
  it('orders reasons by revenue lost, with counts, and no bar for a reason nobody gave', () => {
    const reasons: LostReasonRow[] = [
      { reason: 'price', leads: 3, share: 0.75, estimatedRevenueLost: 4500, basis },
      { reason: 'scheduling', leads: 1, share: 0.25, estimatedRevenueLost: 800, basis },
      { reason: 'other', leads: 0, share: 0, estimatedRevenueLost: 0, basis },
    ];
    expect(lostReasonBars({ reasons, currency: 'USD' }).map((b) => [b.label, b.value, b.text])).toEqual([
      ['Price', 4500, '$4,500 · 3 leads'],
      ['Scheduling', 800, '$800 · 1 lead'],
      ['Other', null, 'none lost'],
    ]);
  });
  it('shows contact columns only when they were asked for', () => {
    expect(lostLeadColumns('USD', false).map((c) => c.id)).not.toContain('phone');
    const cols = lostLeadColumns('USD', true);
    expect(cols.map((c) => c.id).slice(-3)).toEqual(['name', 'phone', 'email']);
    const lead = {
      leadId: 'l',
      externalId: null,
      createdDate: '2026-11-19',
      channel: 'web_form',
      sourceName: 'Google Ads',
      campaignName: 'Implants',
      treatment: null,
      estimatedValue: 1500,
      reason: 'price' as const,
      staffName: null,
      doNotContact: true,
      contact: null,
    };
    expect(cols.find((c) => c.id === 'phone')!.text(lead)).toBe('—');
    expect(cols.find((c) => c.id === 'doNotContact')!.text(lead)).toBe('do not contact');
    expect(cols.find((c) => c.id === 'source')!.text(lead)).toBe('Google Ads › Implants');
  });
});

describe('growth', () => {
  const factors = (leads: number, bookings: number, revenue: number) => ({
    leads,
    bookings,
    conversion: leads ? bookings / leads : null,
    averageValue: bookings ? revenue / bookings : null,
    revenue,
  });
  const total: BridgeRow = {
    channel: 'total',
    base: factors(20, 8, 10000),
    current: factors(25, 9, 11700),
    change: 1700,
    volumeEffect: 2350.5,
    conversionEffect: -1100.25,
    valueEffect: 449.75,
    roundingAdjustment: 0,
  };
  it('turns the bridge into a waterfall that ends exactly at the current revenue', () => {
    const steps = bridgeSteps(total, 'USD');
    expect(steps.map((s) => [s.key, s.start, s.end, s.text])).toEqual([
      ['base', 0, 10000, '$10,000'],
      ['volume', 10000, 12350.5, '+$2,350.50'],
      ['conversion', 12350.5, 11250.25, `${MINUS}$1,100.25`],
      ['value', 11250.25, 11700, '+$449.75'],
      ['current', 0, 11700, '$11,700'],
    ]);
    expect(bridgeAddsUp(total)).toBe(true);
    expect(bridgeAddsUp({ ...total, valueEffect: 449.74 })).toBe(false);
  });
  it('has a table per channel with the same texts', () => {
    const cols = bridgeColumns('USD');
    expect(cols.find((c) => c.id === 'volumeEffect')!.text(total)).toBe('+$2,350.50');
    expect(cols.find((c) => c.id === 'conversionRates')!.text(total)).toBe('40% → 36%');
    expect(cols.find((c) => c.id === 'conversionRates')!.text({ ...total, base: factors(0, 0, 0) })).toBe('no leads → 36%');
    expect(cols[0]!.text(total)).toBe('All channels');
  });
  it('compares with last year in counts, points and money', () => {
    const m = (current: number | null, previous: number | null) => ({
      current,
      previous,
      change: current !== null && previous !== null ? current - previous : null,
      changeRate: current !== null && previous ? (current - previous) / previous : null,
    });
    const yoy: YearOverYear = {
      current: { from: '2026-10-29', to: '2026-11-27' },
      previous: { from: '2025-10-29', to: '2025-11-27' },
      leads: m(17, 0),
      bookings: m(8, 4),
      conversion: m(0.4706, null),
      bookedRevenue: m(12800, 10000),
      sample: { current: 'ok', previous: 'none' },
    };
    expect(yoyRows(yoy, 'USD').map((r) => [r.id, r.current, r.previous, r.change, r.changeRate])).toEqual([
      ['leads', '17', '0', '+17', '—'],
      ['bookings', '8', '4', '+4', '+100%'],
      ['conversion', '47.1%', 'no leads', '—', '—'],
      ['bookedRevenue', '$12,800', '$10,000', '+$2,800', '+28%'],
    ]);
  });
  it('labels periods and seasonality in words', () => {
    expect(trendTick({ period: '2026-11-02' })).toBe('Nov 2');
    expect(trendTick({ period: '2027-01' })).toBe('Jan 27');
    expect(trendPeriodLabel({ period: '2026-10-26', start: '2026-10-29', end: '2026-11-01', days: 4 })).toBe('Week of Oct 26, 2026 (part: 4 days)');
    expect(trendPeriodLabel({ period: '2026-10', start: '2026-10-01', end: '2026-10-31', days: 31 })).toBe('Oct 2026');
    expect(seasonalityText(1.12, 'month')).toBe('12% above a typical month');
    expect(seasonalityText(0.9, 'weekday')).toBe('10% below a typical weekday');
    expect(seasonalityText(null, 'month')).toBe('no history');
    const bars = seasonalityBars(
      [
        { month: 1, name: 'January', years: 2, averageLeads: 41.5, index: 1.1 },
        { month: 2, name: 'February', years: 0, averageLeads: null, index: null },
      ],
      'month',
    );
    expect(bars.map((b) => [b.value, b.text, b.flag])).toEqual([
      [41.5, '41.5 leads', '10% above a typical month'],
      [null, 'no history', null],
    ]);
  });
});

describe('goals', () => {
  const row = (month: string, metric: GoalProgressRow['metric'], partial: Partial<GoalProgressRow> = {}): GoalProgressRow => ({
    month,
    metric,
    status: 'current',
    target: null,
    actual: 0,
    percentOfTarget: null,
    forecast: null,
    forecastNote: null,
    ...partial,
  });
  it('shows progress as a capped bar and its percentage', () => {
    expect(progress(row('2026-11', 'leads', { target: 25, actual: 17, percentOfTarget: 0.68 }))).toEqual({ fill: 0.68, text: '68% of target' });
    expect(progress(row('2026-11', 'leads', { target: 10, actual: 12, percentOfTarget: 1.2 }))).toEqual({ fill: 1, text: '120% of target' });
    expect(progress(row('2026-11', 'leads'))).toEqual({ fill: 0, text: 'no target' });
    expect(progress(row('2026-11', 'leads', { target: 0 })).text).toBe('target is 0');
  });
  it('says the forecast finish with its 80% range, or why there is none', () => {
    const forecast = { expected: 118.4, lo80: 104.2, hi80: 131.6, lo95: 96, hi95: 140, percentOfTarget: 0.98 };
    expect(forecastText(row('2026-11', 'leads', { forecast }), 'USD')).toBe('118 (80%: 104 – 132)');
    expect(forecastText(row('2026-11', 'revenue', { forecast: { ...forecast, expected: 50210.5, lo80: 41000, hi80: 60000 } }), 'USD')).toBe(
      '$50,200 (80%: $41,000 – $60,000)',
    );
    expect(forecastText(row('2026-11', 'revenue', { forecast: { ...forecast, expected: 1234.56, lo80: 987.65, hi80: 1500.01 } }), 'USD')).toBe(
      '$1,230 (80%: $988 – $1,500)',
    );
    expect(forecastText(row('2026-11', 'bookings', { forecast: { ...forecast, lo80: null, hi80: null } }), 'USD')).toBe('118');
    expect(forecastText(row('2026-10', 'leads', { status: 'past' }), 'USD')).toBe('month over');
    expect(forecastText(row('2026-11', 'leads', { forecastNote: 'needs 8 weeks' }), 'USD', 'needs 8 weeks')).toBe('no forecast (see above)');
    expect(forecastText(row('2026-11', 'leads', { forecastNote: 'other' }), 'USD', 'needs 8 weeks')).toBe('other');
  });
  it('groups by month in metric order, reads targets, and asks for the months around the range', () => {
    const groups = goalsByMonth([row('2026-12', 'revenue'), row('2026-11', 'revenue'), row('2026-11', 'leads'), row('2026-11', 'bookings')]);
    expect(groups.map((g) => [g.month, g.rows.map((r) => r.metric)])).toEqual([
      ['2026-11', ['leads', 'bookings', 'revenue']],
      ['2026-12', ['revenue']],
    ]);
    expect(parseTarget('leads', '120')).toEqual({ ok: true, target: 120 });
    expect(parseTarget('leads', '12.5').ok).toBe(false);
    expect(parseTarget('revenue', '$50,000.50')).toEqual({ ok: true, target: 50000.5 });
    expect(parseTarget('revenue', '')).toEqual({ ok: true, target: null });
    expect(goalMonths('2026-10-29', '2026-11-27')).toEqual({ from: '2026-10', to: '2027-02' });
    expect(goalMonths('2022-01-01', '2026-11-27')).toEqual({ from: '2022-01', to: '2024-12' });
  });
});

describe('periods the range cuts short', () => {
  const week = (period: string, start: string, end: string, days: number, leads: number) =>
    ({ period, start, end, days, leads, bookings: 0, conversion: null, sample: 'none', bookedRevenue: 0 }) as const;
  // Nov 4 (a Wednesday) to Dec 3 (a Thursday): the first and last weeks are 5 and 4 days long.
  const points = [
    week('2026-11-02', '2026-11-04', '2026-11-08', 5, 3),
    week('2026-11-09', '2026-11-09', '2026-11-15', 7, 9),
    week('2026-11-30', '2026-11-30', '2026-12-03', 4, 2),
  ];
  it('marks the short first and last weeks partial, on the line and on the axis, and keeps the whole weeks solid', () => {
    const [leads] = volumeSeries(points);
    expect(leads!.points.map((p) => p.partial)).toEqual([true, false, true]);
    const tick = trendTickOf(points);
    expect([tick('2026-11-02'), tick('2026-11-09'), tick('2026-11-30')]).toEqual(['Nov 2 (part)', 'Nov 9', 'Nov 30 (part)']);
  });
  it('months: whole only from the 1st to the last day', () => {
    const month = (period: string, start: string, end: string, days: number) => ({ period, start, end, days });
    expect(trendPeriodLabel(month('2026-02', '2026-02-01', '2026-02-28', 28))).toBe('Feb 2026');
    expect(trendPeriodLabel(month('2026-03', '2026-03-01', '2026-03-28', 28))).toBe('Mar 2026 (part: 28 days)');
    expect(trendPeriodLabel(month('2026-03', '2026-03-02', '2026-03-31', 30))).toBe('Mar 2026 (part: 30 days)');
  });
});
