import { describe, expect, it } from '@jest/globals';
import { PracticeDay } from './practice-day.js';

describe('PracticeDay', () => {
  it('has 24 hours on an ordinary day, starting at local midnight', () => {
    const day = PracticeDay.of('America/Chicago', '2026-06-10');
    expect(day.start.toISOString()).toBe('2026-06-10T05:00:00.000Z');
    expect(day.hours).toHaveLength(24);
    expect(day.hours[9]!.label).toBe('09:00');
  });

  it('has 23 hours on the spring-forward day, with no 02:00', () => {
    const day = PracticeDay.of('America/Chicago', '2026-03-08');
    expect(day.hours).toHaveLength(23);
    expect(day.hours.map((h) => h.label)).not.toContain('02:00');
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * 3600_000);
    // 09:30 local is 14:30Z after the change: it lands in the 09:00 bucket.
    expect(day.hours[day.hourIndex(new Date('2026-03-08T14:30:00Z'))]!.label).toBe('09:00');
  });

  it('has 25 hours on the fall-back day, with 01:00 twice', () => {
    const day = PracticeDay.of('America/Chicago', '2026-11-01');
    expect(day.hours).toHaveLength(25);
    expect(day.hours.filter((h) => h.label === '01:00')).toHaveLength(2);
    // 09:30 local is 15:30Z after the change.
    expect(day.hours[day.hourIndex(new Date('2026-11-01T15:30:00Z'))]!.label).toBe('09:00');
  });

  it('knows which day an instant belongs to in the practice zone', () => {
    // 03:30Z on 10 June is still 9 June in Chicago and already 10 June in Sydney.
    expect(PracticeDay.containing('America/Chicago', new Date('2026-06-10T03:30:00Z')).date).toBe('2026-06-09');
    expect(PracticeDay.containing('Australia/Sydney', new Date('2026-06-10T03:30:00Z')).date).toBe('2026-06-10');
  });

  it('takes "same time last week" on the wall clock across a DST change', () => {
    const day = PracticeDay.of('America/Chicago', '2026-03-10');
    // Tuesday 10:00 CDT (15:00Z) -> Tuesday 3 March 10:00 CST (16:00Z).
    expect(day.sameTimeLastWeek(new Date('2026-03-10T15:00:00Z')).toISOString()).toBe('2026-03-03T16:00:00.000Z');
    expect(day.weekBefore().date).toBe('2026-03-03');
  });
});
