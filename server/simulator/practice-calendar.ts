// The practice's clock: local days, opening hours, public holidays and staff shifts as instants.
// Everything the simulator asks about time goes through here, so a day with 23 or 25 hours is
// handled in one place and the rest of the simulator only adds milliseconds.

import Holidays from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';
import { addDays } from '../common/local-date.js';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../domain/domain.contract.js';
import type { PracticeProfile } from './practice-profile.js';

/** A half-open span of time [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** One practice-local day, resolved to instants. */
export interface CalendarDay {
  /** 'YYYY-MM-DD', practice-local. */
  day: string;
  weekday: Weekday;
  /** Local midnight and the next local midnight: 23, 24 or 25 hours apart. */
  start: number;
  end: number;
  /** Name of the public holiday the practice closes for, if any. */
  holiday: string | undefined;
  /** Opening intervals, empty on a closed day. */
  open: readonly Interval[];
  /** Working intervals per staff member, in the order of `profile.staff`; empty on holidays. */
  shifts: ReadonlyArray<readonly Interval[]>;
}

const DAY_MS = 86_400_000;
/** How far ahead `nextOpening` looks before concluding the practice never opens. */
const MAX_CLOSED_DAYS = 14;
/** Days kept resolved; a live simulator running for months must not grow without bound. */
const CACHE_LIMIT = 2_000;

/** Minutes since midnight of a local "HH:mm" ("24:00" is 1440). */
export function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** A substitute day is named "<holiday> (substitute day)"; it closes with its holiday. */
function baseName(holiday: string): string {
  return holiday.replace(/ \(substitute day\)$/, '');
}

function contains(intervals: readonly Interval[], at: number): boolean {
  return intervals.some((interval) => at >= interval.start && at < interval.end);
}

/**
 * Resolves a profile's local rules to instants, day by day (memoised). Construction throws on an
 * unknown time zone. All methods are O(1) per call after the day is resolved.
 */
export class PracticeCalendar {
  private readonly zone: IANAZone;
  private readonly holidays: Holidays;
  private readonly closedOn: ReadonlySet<string> | undefined;
  private readonly holidaysByYear = new Map<number, ReadonlyMap<string, string>>();
  private readonly days = new Map<string, CalendarDay>();
  /** UTC offset (minutes) per UTC day, or null on a day the offset changes. Asking the zone costs
   * microseconds (Intl), and the simulator asks hundreds of times per simulated day. */
  private readonly offsets = new Map<number, number | null>();
  /** 'YYYY-MM-DD' by local day number (days since 1970-01-01 on the local calendar). */
  private readonly dayNames = new Map<number, string>();

  constructor(private readonly profile: PracticeProfile) {
    if (!IANAZone.isValidZone(profile.timeZone)) throw new RangeError(`unknown time zone "${profile.timeZone}"`);
    this.zone = IANAZone.create(profile.timeZone);
    const { country, state, closedOn } = profile.holidays;
    this.holidays = state ? new Holidays(country, state, { types: ['public'] }) : new Holidays(country, { types: ['public'] });
    this.closedOn = closedOn && new Set(closedOn);
    // A misspelt holiday would silently keep the practice open: refuse it.
    const known = new Set(this.holidays.getHolidays(2026).map((holiday) => baseName(holiday.name)));
    const unknown = closedOn?.filter((name) => !known.has(name)) ?? [];
    if (unknown.length > 0) {
      throw new RangeError(`unknown holiday ${unknown.map((name) => `"${name}"`).join(', ')}; ${country} has: ${[...known].join(', ')}`);
    }
  }

  /** The practice-local date of an instant. */
  dayOf(at: number): string {
    const localDay = Math.floor((at + this.offset(at) * 60_000) / DAY_MS);
    let day = this.dayNames.get(localDay);
    if (day === undefined) {
      if (this.dayNames.size >= CACHE_LIMIT) this.dayNames.clear();
      day = new Date(localDay * DAY_MS).toISOString().slice(0, 10);
      this.dayNames.set(localDay, day);
    }
    return day;
  }

  /** Minutes since local midnight on the wall clock (so 01:30 twice on the day clocks go back). */
  localMinutes(at: number): number {
    const local = at + this.offset(at) * 60_000;
    return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  }

  /** One local day resolved to instants. Opening and shift times skipped by a clock change move
   * forward, as luxon does ("02:30" on a spring-forward day is 03:30). */
  day(day: string): CalendarDay {
    const cached = this.days.get(day);
    if (cached) return cached;
    if (this.days.size >= CACHE_LIMIT) this.days.clear();
    const resolved = this.resolve(day);
    this.days.set(day, resolved);
    return resolved;
  }

  isOpen(at: number): boolean {
    return contains(this.day(this.dayOf(at)).open, at);
  }

  /** `at` if open then, else the start of the next opening within two weeks (undefined if none). */
  nextOpening(at: number): number | undefined {
    let day = this.dayOf(at);
    for (let i = 0; i <= MAX_CLOSED_DAYS; i++, day = addDays(day, 1)) {
      for (const interval of this.day(day).open) {
        if (interval.end > at) return Math.max(interval.start, at);
      }
    }
    return undefined;
  }

  /** The opening interval containing `at`, if the practice is open then. */
  openingAt(at: number): Interval | undefined {
    return this.day(this.dayOf(at)).open.find((interval) => at >= interval.start && at < interval.end);
  }

  /** Indices (into `profile.staff`) of the staff working at `at`. */
  staffOnShift(at: number): number[] {
    const shifts = this.day(this.dayOf(at)).shifts;
    const working: number[] = [];
    shifts.forEach((intervals, index) => {
      if (contains(intervals, at)) working.push(index);
    });
    return working;
  }

  /** The zone's UTC offset in minutes at an instant. */
  private offset(at: number): number {
    const utcDay = Math.floor(at / DAY_MS);
    let constant = this.offsets.get(utcDay);
    if (constant === undefined) {
      if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
      const start = this.zone.offset(utcDay * DAY_MS);
      constant = start === this.zone.offset((utcDay + 1) * DAY_MS) ? start : null;
      this.offsets.set(utcDay, constant);
    }
    return constant ?? this.zone.offset(at);
  }

  private resolve(day: string): CalendarDay {
    const midnight = DateTime.fromISO(day, { zone: this.zone });
    if (!midnight.isValid) throw new RangeError(`not a date: "${day}"`);
    const weekday = WEEKDAYS[midnight.weekday - 1] as Weekday;
    const holiday = this.holidaysOf(midnight.year).get(day);
    const start = midnight.toMillis();
    const end = DateTime.fromISO(addDays(day, 1), { zone: this.zone }).toMillis();
    // On an ordinary day local time is midnight plus minutes; only a clock-change day needs luxon.
    const ordinary = end - start === DAY_MS && this.offset(start) === this.offset(end - 1);
    const at = (time: string): number =>
      ordinary ? start + minutesOf(time) * 60_000 : time === '24:00' ? end : DateTime.fromISO(`${day}T${time}`, { zone: this.zone }).toMillis();
    const toIntervals = (hours: OpeningHours): Interval[] =>
      holiday !== undefined ? [] : (hours[weekday] ?? []).map(([open, close]) => ({ start: at(open), end: at(close) }));
    return {
      day,
      weekday,
      start,
      end,
      holiday,
      open: toIntervals(this.profile.openingHours),
      shifts: this.profile.staff.map((member) => toIntervals(member.shifts)),
    };
  }

  /** The holidays the practice closes for in a year, by local date. */
  private holidaysOf(year: number): ReadonlyMap<string, string> {
    let byDate = this.holidaysByYear.get(year);
    if (!byDate) {
      const entries: Array<[string, string]> = [];
      for (const holiday of this.holidays.getHolidays(year)) {
        if (!this.closedOn || this.closedOn.has(baseName(holiday.name))) entries.push([holiday.date.slice(0, 10), holiday.name]);
      }
      byDate = new Map(entries);
      this.holidaysByYear.set(year, byDate);
    }
    return byDate;
  }
}
