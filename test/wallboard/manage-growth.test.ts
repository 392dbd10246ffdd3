import type { LeadForecastResponse, RevenueForecastResponse } from '../../wallboard/src/manage/lib/api-types.js';
import { addMonths, fanMax, fanTable, historyNote, leadHorizon, leadsFan, monthLabel, revenueFan } from '../../wallboard/src/manage/lib/growth.js';

const noGoals = { leads: null, bookings: null, revenue: null };
const interval = (mean: number) => ({ mean, lo80: mean * 0.8, hi80: mean * 1.2, lo95: mean * 0.6, hi95: mean * 1.4 });

// Today 2026-11-27: history from 2026-08-15 (August partial), the current month partial.
const leads: LeadForecastResponse = {
  status: 'ok',
  message: null,
  practice: { timeZone: 'America/Chicago', holidayRegion: null },
  generatedAt: '2026-11-27T06:00:00Z',
  forecastDay: '2026-11-27',
  horizon: 338,
  history: {
    firstDay: '2026-08-15',
    lastDay: '2026-11-26',
    days: 104,
    minimumDays: 56,
    monthly: [
      { month: '2026-08', leads: 50, days: 17 },
      { month: '2026-09', leads: 100, days: 30 },
      { month: '2026-10', leads: 110, days: 31 },
      { month: '2026-11', leads: 90, days: 26 },
    ],
  },
  closedDays: { weekdays: ['sun'], holidays: false },
  channels: null,
  total: {
    series: 'total',
    accuracy: null,
    monthlyAccuracy: null,
    patterns: { weekly: true, yearly: 'none', historyDays: 104 },
    daily: [],
    weekly: [],
    monthly: [
      { month: '2026-11', ...interval(104), forecastDays: 4, actualToDate: 90 },
      { month: '2026-12', ...interval(95), forecastDays: 31, actualToDate: 0 },
      { month: '2027-01', ...interval(120), forecastDays: 12, actualToDate: 0 },
    ],
  },
};

const revenue: RevenueForecastResponse = {
  status: 'ok',
  message: null,
  currency: 'USD',
  generatedAt: '2026-11-27T06:00:00Z',
  forecastDay: '2026-11-27',
  months: 2,
  assumptions: null,
  accuracy: null,
  monthlyAccuracy: null,
  patterns: null,
  monthly: [
    {
      month: '2026-11',
      forecastDays: 4,
      leads: interval(14),
      bookings: 5,
      revenue: interval(7000),
      goals: { ...noGoals, revenue: 40000 },
      actualToDate: { leads: 90, bookings: 30, revenue: 30000 },
    },
    { month: '2026-12', forecastDays: 31, leads: interval(95), bookings: 31, revenue: interval(38000), goals: { ...noGoals, leads: 100 }, actualToDate: null },
  ],
  total: interval(45000),
  history: [
    { month: '2026-08', leads: 50, bookings: 17, revenue: 17000, goals: noGoals },
    { month: '2026-09', leads: 100, bookings: 33, revenue: 33000, goals: { ...noGoals, revenue: 35000 } },
    { month: '2026-10', leads: 110, bookings: 36, revenue: 36000, goals: noGoals },
    { month: '2026-11', leads: 90, bookings: 30, revenue: 30000, goals: { ...noGoals, revenue: 40000 } },
  ],
};

describe('leadsFan', () => {
  const series = leadsFan(leads, revenue);
  it('draws full months of history only (not a partial first month, not the current one)', () => {
    expect(series.actuals).toEqual([
      { month: '2026-09', value: 100 },
      { month: '2026-10', value: 110 },
    ]);
  });
  it('starts the fan at the last actual month and leaves out a month the horizon only partly covers', () => {
    expect(series.fan.map((p) => [p.month, p.anchor])).toEqual([
      ['2026-10', true],
      ['2026-11', false],
      ['2026-12', false],
    ]);
    expect(series.fan[0]).toMatchObject({ mean: 110, lo95: 110, hi95: 110 });
    expect(series.fan[1]).toMatchObject({ mean: 104, lo80: 104 * 0.8, hi95: 104 * 1.4 });
  });
  it('carries the leads goals and every month on the axis', () => {
    expect(series.goals).toEqual([{ month: '2026-12', value: 100 }]);
    expect(series.months).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    expect(fanMax(series)).toBeCloseTo(104 * 1.4);
  });
  it('tables each month once, the anchor as an actual', () => {
    const rows = fanTable(series);
    expect(rows.map((r) => [r.month, r.actual, r.forecast?.mean ?? null, r.goal])).toEqual([
      ['2026-09', 100, null, null],
      ['2026-10', 110, null, null],
      ['2026-11', null, 104, null],
      ['2026-12', null, 95, 100],
    ]);
  });
  it('shows the history without a fan when there is too little of it', () => {
    const short = leadsFan({ ...leads, status: 'insufficient_history', total: null }, null);
    expect(short.fan).toEqual([]);
    expect(short.actuals).toHaveLength(2);
  });
});

describe('revenueFan', () => {
  const series = revenueFan(revenue, leads);
  it('adds what is already booked this month to every bound of the current month', () => {
    expect(series.fan.map((p) => p.month)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(series.fan[1]).toMatchObject({ mean: 37000, lo80: 7000 * 0.8 + 30000, hi95: 7000 * 1.4 + 30000 });
    expect(series.fan[2]).toMatchObject({ mean: 38000 });
  });
  it('keeps full months of history and the revenue goals', () => {
    expect(series.actuals.map((a) => a.month)).toEqual(['2026-09', '2026-10']);
    expect(series.goals).toEqual([
      { month: '2026-09', value: 35000 },
      { month: '2026-11', value: 40000 },
    ]);
  });
  it('has no fan without enough history', () => {
    expect(revenueFan({ ...revenue, status: 'insufficient_history', monthly: [], total: null }, leads).fan).toEqual([]);
  });
});

describe('helpers', () => {
  it('asks for a horizon reaching the end of the 12th month, at most 365 days', () => {
    expect(leadHorizon('2026-11-27')).toBe(339);
    expect(leadHorizon('2027-01-01')).toBe(365);
  });
  it('labels months and adds across years', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(monthLabel('2027-01')).toBe('Jan 2027');
    expect(monthLabel('2027-01', true)).toBe('Jan 27');
  });
  it('says honestly when there is little or no history', () => {
    expect(historyNote(0, 56)).toBe('No lead history yet: a forecast needs 8 weeks of it.');
    expect(historyNote(20, 56)).toBe('Not enough history yet: needs 8 weeks; this practice has 2 weeks.');
    expect(historyNote(5, 56)).toBe('Not enough history yet: needs 8 weeks; this practice has 5 days.');
    expect(historyNote(100, 56)).toMatch(/only 14 weeks/);
    expect(historyNote(400, 56)).toBeNull();
  });
});
