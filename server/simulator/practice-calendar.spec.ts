import { addDays } from '../common/local-date.js';
import { PracticeCalendar } from './practice-calendar.js';
import { demoPracticeProfile } from './practice-profile.js';

const HOUR = 3_600_000;

describe('PracticeCalendar (America/Chicago demo practice)', () => {
  const calendar = new PracticeCalendar(demoPracticeProfile());

  it('has 23 hours on the spring-forward day and 25 on the fall-back day', () => {
    const spring = calendar.day('2026-03-08');
    const fall = calendar.day('2026-11-01');
    expect(spring.end - spring.start).toBe(23 * HOUR);
    expect(fall.end - fall.start).toBe(25 * HOUR);
    expect(new Date(spring.start).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(new Date(fall.end).toISOString()).toBe('2026-11-02T06:00:00.000Z');
  });

  it('opens at local 08:00 on both sides of a clock change', () => {
    const before = calendar.day('2026-03-06'); // Friday, CST
    const after = calendar.day('2026-03-09'); // Monday, CDT
    expect(new Date(before.open[0]!.start).toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(new Date(after.open[0]!.start).toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(calendar.localMinutes(after.open[0]!.start)).toBe(8 * 60);
  });

  it('reads the wall clock on the fall-back day, where 01:30 happens twice', () => {
    const fall = calendar.day('2026-11-01');
    expect(calendar.localMinutes(fall.start + 1.5 * HOUR)).toBe(90);
    expect(calendar.localMinutes(fall.start + 2.5 * HOUR)).toBe(90);
    expect(calendar.dayOf(fall.end - 1)).toBe('2026-11-01');
    expect(calendar.dayOf(fall.end)).toBe('2026-11-02');
  });

  it("closes on every public holiday of its region, as the server's practice calendar does", () => {
    // The demo practice is stored with holiday_region 'US' and no list: the server closes it on every
    // US public holiday, so the simulated desk must too (a call on Columbus Day is after hours there).
    expect(calendar.day('2026-10-12').holiday).toBe('Columbus Day');
    expect(calendar.day('2026-10-12').open).toEqual([]);
    expect(calendar.day('2026-01-19').open).toEqual([]); // Martin Luther King Jr. Day
  });

  it('closes on the holidays a profile lists, and on a substitute day', () => {
    const calendar = new PracticeCalendar({
      ...demoPracticeProfile(),
      holidays: { country: 'US', closedOn: ["New Year's Day", 'Memorial Day', 'Independence Day', 'Labor Day', 'Thanksgiving Day', 'Christmas Day'] },
    });
    expect(calendar.day('2026-11-26').holiday).toBe('Thanksgiving Day');
    expect(calendar.day('2026-11-26').open).toEqual([]);
    expect(calendar.day('2026-11-26').shifts.every((shift) => shift.length === 0)).toBe(true);
    expect(calendar.day('2026-07-03').holiday).toMatch(/Independence Day/); // July 4th is a Saturday
    expect(calendar.day('2026-09-07').holiday).toBe('Labor Day');
    expect(calendar.day('2026-10-12').holiday).toBeUndefined(); // Columbus Day: open
    expect(calendar.day('2026-10-12').open).toHaveLength(1);
  });

  it('finds the next opening across a weekend and a holiday', () => {
    const saturdayAfternoon = calendar.day('2026-11-21').start + 15 * HOUR;
    expect(calendar.isOpen(saturdayAfternoon)).toBe(false);
    expect(new Date(calendar.nextOpening(saturdayAfternoon)!).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    const thanksgivingEve = calendar.day('2026-11-25').start + 20 * HOUR;
    expect(calendar.dayOf(calendar.nextOpening(thanksgivingEve)!)).toBe('2026-11-27');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('knows who is on shift, and that Sunday nobody is', () => {
    const mondayMorning = calendar.day('2026-11-23').start + 8.5 * HOUR;
    const names = calendar.staffOnShift(mondayMorning).map((index) => demoPracticeProfile().staff[index]!.name);
    expect(names).toEqual(['Maya', 'Sam', 'Alex']);
    expect(calendar.staffOnShift(calendar.day('2026-11-22').start + 10 * HOUR)).toEqual([]);
  });

  it('refuses an unknown time zone, and a holiday name it cannot find', () => {
    expect(() => new PracticeCalendar({ ...demoPracticeProfile(), timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => new PracticeCalendar({ ...demoPracticeProfile(), holidays: { country: 'US', closedOn: ['Labour Day'] } })).toThrow(
      /unknown holiday "Labour Day"/,
    );
  });
});
