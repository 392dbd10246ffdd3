import { hourOfWeekProfile } from './intraday.js';
import {
  intervalSupport,
  isOpenMinute,
  openMinutesByQuarter,
  quarterOfWeekCounts,
  quarterOfWeekProfile,
  QUARTERS_PER_WEEK,
  type WeekHours,
  weekIntervals,
} from './staffing-intervals.js';

// Monday 2026-11-23 .. Sunday 2026-11-29.
const MONDAY = '2026-11-23';
const weekdays: WeekHours = [
  [
    ['08:10', '12:00'],
    ['13:00', '18:00'],
  ],
  [['08:00', '18:00']],
  [],
  [],
  [],
  [['09:00', '13:00']],
  [],
];

describe('quarter-hour week', () => {
  const rows = [
    { date: MONDAY, quarter: 36, count: 6 }, // 09:00
    { date: MONDAY, quarter: 37, count: 2 }, // 09:15
    { date: MONDAY, quarter: 42, count: 4 }, // 10:30
    { date: '2026-11-24', quarter: 40, count: 5 }, // Tuesday 10:00
    { date: 'nonsense', quarter: 40, count: 5 },
    { date: MONDAY, quarter: 96, count: 5 },
  ];

  it('counts by weekday and quarter, skipping bad rows', () => {
    const counts = quarterOfWeekCounts(rows);
    expect(counts).toHaveLength(QUARTERS_PER_WEEK);
    expect(counts[36]).toBe(6);
    expect(counts[96 + 40]).toBe(5);
    expect(counts.reduce((s, x) => s + x, 0)).toBe(17);
  });

  it('sums to the hour-of-week profile, hour by hour, with the same smoothing', () => {
    const quarters = quarterOfWeekProfile(quarterOfWeekCounts(rows));
    const hourly = hourOfWeekProfile(rows.slice(0, 4).map((row) => ({ date: row.date, hour: Math.floor(row.quarter / 4), count: row.count })));
    for (let day = 0; day < 7; day++) {
      for (let hour = 0; hour < 24; hour++) {
        const sum = [0, 1, 2, 3].reduce((s, q) => s + (quarters[day * 96 + hour * 4 + q] as number), 0);
        expect(sum).toBeCloseTo(hourly[day * 24 + hour] as number, 12);
      }
    }
    // Unsmoothed: Monday 09:00 holds 6 of Monday's 12 calls.
    expect(quarterOfWeekProfile(quarterOfWeekCounts(rows), 0)[36]).toBeCloseTo(0.5, 12);
  });

  it('counts open minutes per quarter by the after-hours rule (open <= t < close)', () => {
    const open = openMinutesByQuarter(weekdays);
    expect(open[32]).toBe(5); // Monday 08:00-08:14: open from 08:10
    expect(open[33]).toBe(15);
    expect(open[48]).toBe(0); // Monday 12:00 lunch
    expect(open[96 + 71]).toBe(15); // Tuesday 17:45
    expect(open[96 + 72]).toBe(0); // Tuesday 18:00
    expect(open.slice(2 * 96, 3 * 96).every((m) => m === 0)).toBe(true); // Wednesday closed
    expect(isOpenMinute(weekdays, 0, 8 * 60 + 9)).toBe(false);
    expect(isOpenMinute(weekdays, 0, 8 * 60 + 10)).toBe(true);
    expect(isOpenMinute(weekdays, 5, 13 * 60)).toBe(false);
  });

  it('splits each interval between open and after-hours calls, adding up to the day means', () => {
    const profile = quarterOfWeekProfile(quarterOfWeekCounts(rows));
    const means = [12, 5, 0, 0, 0, 0, 0];
    const open = openMinutesByQuarter(weekdays);
    for (const minutes of [15, 30, 60] as const) {
      const week = weekIntervals(means, profile, open, minutes);
      expect(week).toHaveLength((7 * 24 * 60) / minutes);
      const total = week.reduce((s, cell) => s + cell.openCalls + cell.afterHoursCalls, 0);
      expect(total).toBeCloseTo(17, 9);
    }
    // Monday 08:00-08:59 with 3 calls in each quarter; the practice opens at 08:10.
    const even = new Float64Array(QUARTERS_PER_WEEK);
    for (let q = 32; q < 36; q++) even[q] = 3;
    const hourly = weekIntervals([12, 0, 0, 0, 0, 0, 0], quarterOfWeekProfile(even, 0), open, 60);
    expect(hourly[8]).toMatchObject({ day: 0, minute: 480, openMinutes: 50 });
    expect(hourly[8]!.afterHoursCalls).toBeCloseTo(2, 12); // 10 closed minutes of the first quarter's 3 calls
    expect(hourly[8]!.openCalls).toBeCloseTo(10, 12);
    expect(hourly[12]).toMatchObject({ openMinutes: 0, openCalls: 0 });
  });

  it('supports an interval length when its typical open interval had enough calls', () => {
    const counts = new Float64Array(QUARTERS_PER_WEEK);
    const open = openMinutesByQuarter([[['08:00', '10:00']], [], [], [], [], [], []]);
    for (let q = 32; q < 40; q++) counts[q] = 6; // 6 calls in each quarter of 08:00-10:00
    const support = intervalSupport(counts, open);
    expect(support).toEqual([
      { minutes: 15, medianCalls: 6, supported: false },
      { minutes: 30, medianCalls: 12, supported: true },
      { minutes: 60, medianCalls: 24, supported: true },
    ]);
  });
});
