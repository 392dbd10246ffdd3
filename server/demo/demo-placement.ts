// Where the demo practice sits: chosen once, when the demo is created, so that it is office hours
// there now. The first thing a new user sees is then a practice's working day, at its real pace,
// whatever the hour where they are; and the history stays true to that place (its time zone,
// holidays and currency never change afterwards, so nothing already written is reinterpreted).

import { PracticeCalendar } from '../simulator/practice-calendar.js';
import type { PracticeProfile } from '../simulator/practice-profile.js';

export interface DemoPlace {
  timeZone: string;
  currency: string;
  holidays: PracticeProfile['holidays'];
}

/** Real places around the clock (the profile's own place first): with opening hours 08:00-18:00
 * on weekdays, at least one of them is open at any hour of a weekday in UTC. */
export const DEMO_PLACES: readonly DemoPlace[] = [
  { timeZone: 'America/Chicago', currency: 'USD', holidays: { country: 'US' } },
  { timeZone: 'America/New_York', currency: 'USD', holidays: { country: 'US' } },
  { timeZone: 'America/Los_Angeles', currency: 'USD', holidays: { country: 'US' } },
  { timeZone: 'Pacific/Honolulu', currency: 'USD', holidays: { country: 'US' } },
  { timeZone: 'Australia/Sydney', currency: 'AUD', holidays: { country: 'AU', state: 'NSW' } },
  { timeZone: 'Asia/Singapore', currency: 'SGD', holidays: { country: 'SG' } },
  { timeZone: 'Europe/London', currency: 'GBP', holidays: { country: 'GB', state: 'ENG' } },
];

/** Mid-morning: most of the working day still ahead, and a morning's traffic on the board. */
const IDEAL_MINUTE = 10 * 60 + 30;
/** The profile's own place is kept while its clock is this near mid-morning (09:00-12:00): a demo
 * started there at 08:05 would open on an empty board, one at 16:45 on a day about to end. */
const OWN_PLACE_MINUTES = 90;

/**
 * The profile moved to the place where the practice is open at `now`, nearest mid-morning (the
 * profile's own place when it is open there and near mid-morning). A profile already somewhere else,
 * or a moment when no place is open (weekends), keeps the profile's own place.
 */
export function placeDemo(profile: PracticeProfile, now: Date): PracticeProfile {
  let best: { profile: PracticeProfile; distance: number } | null = null;
  for (const place of DEMO_PLACES) {
    const candidate = onPlace(profile, place);
    const calendar = calendarOf(profile, candidate);
    if (!calendar.isOpen(now.getTime())) continue;
    const distance = Math.abs(calendar.localMinutes(now.getTime()) - IDEAL_MINUTE);
    if (place.timeZone === profile.timeZone && distance <= OWN_PLACE_MINUTES) return profile;
    if (!best || distance < best.distance) best = { profile: candidate, distance };
  }
  return best?.profile ?? profile;
}

/** The profile at the demo place of `timeZone` (the stored practice's), or unchanged if it is not one. */
export function demoProfileIn(profile: PracticeProfile, timeZone: string): PracticeProfile {
  if (timeZone === profile.timeZone) return profile;
  const place = DEMO_PLACES.find((candidate) => candidate.timeZone === timeZone);
  return place ? onPlace(profile, place) : { ...profile, timeZone };
}

/** Calendars per base profile and place: building one loads the holiday rules, which is slow. */
const calendars = new WeakMap<PracticeProfile, Map<string, PracticeCalendar>>();

function calendarOf(base: PracticeProfile, placed: PracticeProfile): PracticeCalendar {
  let byZone = calendars.get(base);
  if (!byZone) calendars.set(base, (byZone = new Map<string, PracticeCalendar>()));
  let calendar = byZone.get(placed.timeZone);
  if (!calendar) byZone.set(placed.timeZone, (calendar = new PracticeCalendar(placed)));
  return calendar;
}

function onPlace(profile: PracticeProfile, place: DemoPlace): PracticeProfile {
  if (place.timeZone === profile.timeZone) return profile;
  // Holiday names are the country's own: elsewhere the practice closes on every public holiday.
  return { ...profile, timeZone: place.timeZone, currency: place.currency, holidays: place.holidays };
}
