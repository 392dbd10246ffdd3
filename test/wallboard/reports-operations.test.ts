// Data shaping of the funnel, speed-to-lead, missed-calls and staff views: the texts the tables and the
// charts show (the same for both), empty periods and small samples labelled, the heatmap grid.
import { describe, expect, it } from '@jest/globals';
import type { FunnelCounts, FunnelPeriodRow, HeatmapCell, ResponseBandRow, StaffRow } from '../../server/reports/operations.contract.js';
import {
  bandBars,
  callSegment,
  funnelStages,
  funnelTrendColumns,
  funnelTrendSeries,
  missedGrid,
  periodLabel,
  periodTick,
  reasonMix,
  speedChannelColumns,
  staffBars,
  staffColumns,
  staffKey,
} from '../../wallboard/src/manage/reports/lib/operations.js';
import { EMPTY_SEGMENT } from '../../wallboard/src/manage/reports/lib/state.js';

const counts = (leads: number, contacted: number, booked: number, notBooked: number): FunnelCounts => {
  const s = (n: number) => (n === 0 ? 'none' : n < 10 ? 'small' : 'ok');
  const r = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
  return {
    leads,
    contacted,
    booked,
    notBooked,
    open: leads - booked - notBooked,
    contactRate: r(contacted, leads),
    contactRateSample: s(leads),
    bookingRate: r(booked, leads),
    bookingRateSample: s(leads),
    contactedBookingRate: r(booked, contacted),
    contactedBookingRateSample: s(contacted),
  };
};

describe('funnel', () => {
  it('draws the stages with their counts and shares of the leads', () => {
    const stages = funnelStages(counts(17, 16, 8, 4));
    expect(stages.map((s) => [s.key, s.value, s.text])).toEqual([
      ['leads', 17, '17'],
      ['contacted', 16, '16 (94.1%)'],
      ['booked', 8, '8 (47.1%)'],
      ['notBooked', 4, '4'],
      ['open', 5, '5'],
    ]);
    expect(funnelStages(counts(3, 2, 1, 1))[2]).toMatchObject({ text: '1 (33.3%)', flag: 'small sample (n=3)' });
    expect(funnelStages(counts(0, 0, 0, 0))[2]!.text).toBe('0 (no leads)');
  });
  it('leaves an empty week as a gap labelled "no leads", never 0%', () => {
    const period = (p: string, start: string, c: FunnelCounts, partial = false): FunnelPeriodRow => ({ ...c, period: p, start, end: start, partial });
    const trend = [
      period('2026-W44', '2026-10-29', counts(0, 0, 0, 0), true),
      period('2026-W45', '2026-11-02', counts(4, 3, 1, 1)),
      period('2026-W46', '2026-11-09', counts(12, 12, 6, 2)),
    ];
    const [booking, contact] = funnelTrendSeries(trend);
    expect(booking!.points.map((p) => [p.y, p.text, p.flag ?? null])).toEqual([
      [null, 'no leads', null],
      [0.25, '25%', 'small sample (n=4)'],
      [0.5, '50%', null],
    ]);
    expect(contact!.points[1]!.text).toBe('75%');
    // The week the range cuts short is marked, so the chart draws it hollow on a dashed line.
    expect(booking!.points.map((p) => p.partial)).toEqual([true, false, false]);
    const rate = funnelTrendColumns().find((c) => c.id === 'bookingRate')!;
    expect(rate.text(trend[0]!)).toBe('no leads');
    expect(periodLabel(trend[0]!)).toBe('Week of Oct 29, 2026 (part)');
    expect(periodLabel({ period: '2026-03', start: '2026-03-01', partial: false })).toBe('Mar 2026');
    expect(periodTick(trend[1]!)).toBe('Nov 2');
    expect(periodTick({ period: '2027-01', start: '2027-01-01' })).toBe('Jan 27');
  });
});

describe('speed-to-lead', () => {
  const band = (b: ResponseBandRow['band'], label: string, leads: number, booked: number): ResponseBandRow => ({
    band: b,
    label,
    minSeconds: null,
    maxSeconds: null,
    leads,
    booked,
    bookingRate: leads ? Math.round((booked / leads) * 10_000) / 10_000 : null,
    sample: leads === 0 ? 'none' : leads < 10 ? 'small' : 'ok',
  });
  it('shows the booking rate per band, "no leads" without a bar for an empty band, small samples flagged', () => {
    const bars = bandBars([
      band('under-1m', 'Under 1 min', 30, 18),
      band('1-5m', '1-5 min', 7, 4),
      band('30-60m', '30-60 min', 0, 0),
      band('never', 'Never', 1, 0),
    ]);
    expect(bars.map((b) => [b.key, b.value, b.text, b.flag ?? null])).toEqual([
      ['under-1m', 0.6, '60%', null],
      ['1-5m', 0.5714, '57.1%', 'small sample (n=7)'],
      ['30-60m', null, 'no leads', null],
      ['never', 0, '0%', 'small sample (n=1)'],
    ]);
  });
  it('says durations per channel, "no responses" when nobody responded', () => {
    const cols = speedChannelColumns();
    const median = cols.find((c) => c.id === 'medianSeconds')!;
    const row = {
      channel: 'web_form',
      leads: 3,
      responded: 0,
      neverResponded: 3,
      medianSeconds: null,
      p90Seconds: null,
      within5Min: 0,
      within5MinRate: 0,
      within5MinSample: 'small' as const,
    };
    expect(median.text(row)).toBe('no responses');
    expect(median.text({ ...row, medianSeconds: 140 })).toBe('2 min 20 s');
    expect(cols[0]!.text(row)).toBe('Web form');
    expect(cols[0]!.text({ ...row, channel: 'all' })).toBe('All channels');
  });
});

describe('missed calls', () => {
  const heatmap: HeatmapCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) {
      const calls = weekday === 2 && hour >= 9 && hour <= 11 ? 4 : weekday === 6 && hour === 14 ? 2 : 0;
      const missed = calls && hour === 9 ? 3 : calls && hour === 14 ? 1 : 0;
      heatmap.push({ weekday, hour, calls, missed, missedRate: calls ? missed / calls : null, sample: calls ? 'small' : 'none' });
    }
  it('spans the hours with calls, Monday first, and counts missed calls', () => {
    const grid = missedGrid({ heatmap }, 'missed');
    expect(grid.hours).toEqual([9, 10, 11, 12, 13, 14]);
    expect(grid.rows).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(grid.cells).toHaveLength(7 * 6);
    expect(grid.cells.find((c) => c.row === 1 && c.hour === 9)).toMatchObject({ value: 3, label: '3' });
    expect(grid.max).toBe(3);
  });
  it('leaves cells without calls out of the missed rate (drawn empty), never 0%', () => {
    const grid = missedGrid({ heatmap }, 'missedRate');
    expect(grid.cells.map((c) => [c.row, c.hour, c.label])).toEqual([
      [1, 9, '75%'],
      [1, 10, '0%'],
      [1, 11, '0%'],
      [5, 14, '50%'],
    ]);
  });
  it('shows all 24 hours when there are no calls', () => {
    const empty = heatmap.map((c) => ({ ...c, calls: 0, missed: 0, missedRate: null, sample: 'none' as const }));
    expect(missedGrid({ heatmap: empty }, 'missed').hours).toHaveLength(24);
  });
  it('drops the segments calls do not have', () => {
    expect(callSegment({ ...EMPTY_SEGMENT, channel: 'web_form', sourceId: 's', campaignId: 'c', treatment: 'Implants', staffId: 'x', patient: 'new' })).toEqual(
      {
        segment: { ...EMPTY_SEGMENT, staffId: 'x', patient: 'new' },
        dropped: ['channel', 'source', 'campaign', 'treatment'],
      },
    );
    expect(callSegment({ ...EMPTY_SEGMENT, channel: 'phone' })).toEqual({ segment: { ...EMPTY_SEGMENT, channel: 'phone' }, dropped: [] });
  });
});

describe('staff performance', () => {
  const reasons = { price: 2, scheduling: 1, insurance_out_of_network: 0, treatment_not_offered: 0, no_response: 3, other: 0 };
  const person = (staffId: string | null, displayName: string, leads: number, booked: number): StaffRow => ({
    staffId,
    displayName,
    leads,
    contacted: leads,
    booked,
    notBooked: 6,
    conversion: leads ? Math.round((booked / leads) * 10_000) / 10_000 : null,
    sample: leads === 0 ? 'none' : leads < 10 ? 'small' : 'ok',
    medianResponseSeconds: leads ? 95 : null,
    reasons,
    trend: [],
  });
  it('reads the reasons mix most frequent first', () => {
    expect(reasonMix(reasons)).toBe('No response 3, Price 2, Scheduling 1');
    expect(reasonMix({ ...reasons, price: 0, scheduling: 0, no_response: 0 })).toBe('none lost');
  });
  it('shows conversion per person with small samples flagged and nobody judged on no leads', () => {
    const rows = [person('a', 'Maya', 20, 9), person('b', 'Sam', 4, 1), person(null, '(unassigned)', 0, 0)];
    expect(staffBars({ rows }).map((b) => [b.key, b.value, b.text, b.flag ?? null])).toEqual([
      ['a', 0.45, '45%', null],
      ['b', 0.25, '25%', 'small sample (n=4)'],
      ['unassigned', null, 'no leads', null],
    ]);
    const cols = staffColumns();
    expect(cols.find((c) => c.id === 'medianResponseSeconds')!.text(rows[0]!)).toBe('1 min 35 s');
    expect(cols.find((c) => c.id === 'medianResponseSeconds')!.text(rows[2]!)).toBe('no responses');
    expect(staffKey({ staffId: null, displayName: 'Total' })).toBe('total');
  });
});
