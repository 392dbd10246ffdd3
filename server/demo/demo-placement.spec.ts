import { PracticeCalendar } from '../simulator/practice-calendar.js';
import { demoPracticeProfile } from '../simulator/practice-profile.js';
import { DEMO_PLACES, demoProfileIn, placeDemo } from './demo-placement.js';

const profile = demoPracticeProfile();

describe('placeDemo', () => {
  it('keeps Chicago when it is office hours there', () => {
    expect(placeDemo(profile, new Date('2026-12-03T16:00:00Z'))).toBe(profile); // Thursday 10:00 in Chicago
  });

  it("moves a demo created as Chicago opens to where the morning's traffic is already there to replay", () => {
    const now = new Date('2026-12-03T14:05:00Z'); // Thursday 08:05 in Chicago, 09:05 in New York
    const placed = placeDemo(profile, now);
    expect(placed.timeZone).toBe('America/New_York');
    // An hour after its 08:00 opening: the 60x catch-up replays that hour in the first minute.
    expect(new PracticeCalendar(placed).localMinutes(now.getTime())).toBeGreaterThanOrEqual(9 * 60);
  });

  it('moves a demo created at night in Chicago to where it is office hours, nearest mid-morning', () => {
    const placed = placeDemo(profile, new Date('2026-12-03T10:00:00Z')); // 04:00 Chicago, 10:00 London
    expect(placed).toMatchObject({ timeZone: 'Europe/London', currency: 'GBP', holidays: { country: 'GB', state: 'ENG' } });
    expect(new PracticeCalendar(placed).isOpen(Date.parse('2026-12-03T10:00:00Z'))).toBe(true);
  });

  it('finds an open place at every hour of a weekday', () => {
    for (let hour = 0; hour < 24; hour++) {
      const now = new Date(Date.UTC(2026, 11, 2, hour, 30)); // Wednesday, UTC
      const placed = placeDemo(profile, now);
      expect(new PracticeCalendar(placed).isOpen(now.getTime())).toBe(true);
    }
  });

  it('keeps its own place when nowhere is open (a Sunday)', () => {
    expect(placeDemo(profile, new Date('2026-12-06T12:00:00Z'))).toBe(profile);
  });

  it('finds the profile of a stored demo practice again from its time zone', () => {
    expect(demoProfileIn(profile, 'Australia/Sydney')).toMatchObject({ timeZone: 'Australia/Sydney', currency: 'AUD' });
    expect(demoProfileIn(profile, 'America/Chicago')).toBe(profile);
    expect(DEMO_PLACES[0]!.timeZone).toBe(profile.timeZone);
  });
});
