// The practice's calendar: whether it is open at an instant, on its own wall clock, by its opening
// hours AND its public holidays (date-holidays, the practice's `holiday_region`: closed on every public
// holiday of the region, as the follow-up cadence and the forecasts' calendar read it). One answer for
// every question "was the practice open then?": a call's after-hours flag, an appointment's time and the
// staffing plan's after-hours count all ask here, so a call on Thanksgiving is after hours everywhere.

import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from '../domain/domain.contract.js';
import { holidayDates } from '../forecast/practice-closures.js';
import type { PracticeRecord } from './practice-records.js';

export type CalendarPractice = Pick<PracticeRecord, 'timeZone' | 'openingHours' | 'holidayRegion'>;

/** Holiday names by local date, per region and year: building them loads date-holidays' rules. */
const holidaysByRegionYear = new Map<string, ReadonlySet<string>>();
const HOLIDAY_CACHE_LIMIT = 500;
/** How far ahead `nextOpening` looks (a practice closed for longer has no "opens at" to show). */
const NEXT_OPENING_DAYS = 14;

function holidaysIn(region: string | null, year: number): ReadonlySet<string> {
  if (!region) return new Set();
  const key = `${region}:${year}`;
  let dates = holidaysByRegionYear.get(key);
  if (!dates) {
    if (holidaysByRegionYear.size >= HOLIDAY_CACHE_LIMIT) holidaysByRegionYear.clear();
    dates = holidayDates(region, year, year);
    holidaysByRegionYear.set(key, dates);
  }
  return dates;
}

/** Public holidays of the region from `fromYear` to `toYear`, by local date: the follow-up cadence's
 * closed days, from the same cache as the calendar's own. */
export function holidaysBetween(region: string | null, fromYear: number, toYear: number): ReadonlySet<string> {
  if (!region) return new Set();
  const key = `${region}:${fromYear}-${toYear}`;
  let dates = holidaysByRegionYear.get(key);
  if (!dates) {
    const union = new Set<string>();
    for (let year = fromYear; year <= toYear; year++) for (const day of holidaysIn(region, year)) union.add(day);
    if (holidaysByRegionYear.size >= HOLIDAY_CACHE_LIMIT) holidaysByRegionYear.clear();
    holidaysByRegionYear.set(key, union);
    dates = union;
  }
  return dates;
}

/** Minutes since midnight of "HH:mm" ("24:00" is 1440). */
function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

export class PracticeCalendar {
  constructor(private readonly practice: CalendarPractice) {}

  /** Whether `day` ('YYYY-MM-DD', practice-local) is a public holiday of the practice's region. */
  isHoliday(day: string): boolean {
    return holidaysIn(this.practice.holidayRegion, Number(day.slice(0, 4))).has(day);
  }

  /** Whether the practice is open on local `day` at local wall-clock `minute` (0..1439): its opening
   * hours for that weekday, and not a public holiday. */
  isOpenOn(day: string, minute: number): boolean {
    if (this.isHoliday(day)) return false;
    const weekday = WEEKDAYS[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7] as Weekday;
    return (this.practice.openingHours[weekday] ?? []).some(([open, close]) => minute >= minutesOf(open) && minute < minutesOf(close));
  }

  /** Whether the practice is open at `instant`, on its wall clock. */
  isOpenAt(instant: Date): boolean {
    const local = DateTime.fromJSDate(instant, { zone: this.practice.timeZone });
    return this.isOpenOn(local.toISODate()!, local.hour * 60 + local.minute);
  }

  /**
   * When the practice next opens: `instant` itself when open then, else the start of the next opening
   * within two weeks (holidays skipped), else null (no opening hours, or closed for longer).
   */
  nextOpening(instant: Date): Date | null {
    if (this.isOpenAt(instant)) return instant;
    const local = DateTime.fromJSDate(instant, { zone: this.practice.timeZone });
    const minuteNow = local.hour * 60 + local.minute;
    for (let offset = 0; offset <= NEXT_OPENING_DAYS; offset++) {
      const date = local.startOf('day').plus({ days: offset });
      const day = date.toISODate()!;
      if (this.isHoliday(day)) continue;
      const ranges = [...(this.practice.openingHours[WEEKDAYS[date.weekday - 1]!] ?? [])].sort(([a], [b]) => minutesOf(a) - minutesOf(b));
      for (const [open] of ranges) {
        if (offset === 0 && minutesOf(open) <= minuteNow) continue;
        return DateTime.fromISO(`${day}T${open}`, { zone: this.practice.timeZone }).toJSDate();
      }
    }
    return null;
  }

  /** Whether any opening hours are set at all (a practice without them accepts any appointment time). */
  hasOpeningHours(): boolean {
    return Object.values(this.practice.openingHours ?? {}).some((ranges) => ranges && ranges.length > 0);
  }

  /** For messages: the practice-local time of `instant` ("Thu 2026-11-26 10:00") and why it is closed
   * then or what that day's hours are ("a public holiday", "Thu 08:00-18:00", "closed on Sun"). */
  describe(instant: Date): { local: string; hours: string } {
    const local = DateTime.fromJSDate(instant, { zone: this.practice.timeZone });
    const weekday = WEEKDAYS[local.weekday - 1]!;
    const ranges = this.practice.openingHours[weekday] ?? [];
    const day = local.toFormat('ccc');
    const hours = this.isHoliday(local.toISODate()!)
      ? `closed: a public holiday in ${this.practice.holidayRegion}`
      : ranges.length === 0
        ? `closed on ${day}`
        : `${day} ${ranges.map(([open, close]) => `${open}-${close}`).join(', ')}`;
    return { local: local.toFormat('ccc yyyy-MM-dd HH:mm'), hours };
  }
}

/** The calendar of a practice (cheap: holiday dates are cached per region and year). */
export const practiceCalendar = (practice: CalendarPractice): PracticeCalendar => new PracticeCalendar(practice);
