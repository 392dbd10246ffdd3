import { formatTimestamp } from './calendar.js';

describe('formatTimestamp', () => {
  it('labels every step as the ISO date (and time) would, across centuries and leap days', () => {
    const iso = (ms: number, withTime: boolean): string => new Date(ms).toISOString().slice(0, withTime ? 16 : 10);
    // Steps of 28 h 1 min from 1700 to 2200: most days, every hour, many minutes; leap days below.
    const wrong: string[] = [];
    for (let ms = Date.UTC(1700, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 3_600_000 * 7 + 60_000 * 13 * 97) {
      if (formatTimestamp(ms, false) !== iso(ms, false) || formatTimestamp(ms, true) !== iso(ms, true)) wrong.push(iso(ms, true));
    }
    expect(wrong).toEqual([]);
    for (const ms of [Date.UTC(999, 11, 31, 23, 30), Date.UTC(2000, 1, 29, 23, 59), Date.UTC(1900, 1, 28), -1, 0]) {
      expect(formatTimestamp(ms, true)).toBe(iso(ms, true));
    }
    expect(formatTimestamp(Date.UTC(2026, 11, 3, 9, 5), true)).toBe('2026-12-03T09:05');
  });
});
