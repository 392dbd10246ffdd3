import { DateTime } from 'luxon';

export interface PracticeHour {
  start: Date;
  /** Wall-clock label, `HH:00`; repeats on the day the clocks go back. */
  label: string;
  /** Wall-clock hour 0-23, for matching the typical profile. */
  hourOfDay: number;
}

/**
 * A calendar day in a practice's time zone: where it starts and ends as instants, and its clock hours.
 * On daylight-saving days the day is 23 or 25 hours long and has that many hours.
 */
export class PracticeDay {
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
  readonly hours: PracticeHour[];
  /** Luxon weekday, 1 = Monday. */
  readonly weekday: number;

  private constructor(
    readonly timeZone: string,
    private readonly local: DateTime,
  ) {
    this.date = local.toISODate()!;
    this.weekday = local.weekday;
    this.start = local.toJSDate();
    this.end = local.plus({ days: 1 }).toJSDate();
    this.hours = [];
    // Step in absolute hours, not wall-clock hours, so a 25-hour day gets its repeated hour.
    for (let t = this.start.getTime(); t < this.end.getTime(); t += 3600_000) {
      const wall = DateTime.fromMillis(t, { zone: timeZone });
      this.hours.push({ start: new Date(t), label: wall.toFormat('HH:00'), hourOfDay: wall.hour });
    }
  }

  /** The practice-local day containing `instant`. */
  static containing(timeZone: string, instant: Date): PracticeDay {
    return new PracticeDay(timeZone, DateTime.fromJSDate(instant, { zone: timeZone }).startOf('day'));
  }

  /** The practice-local day `YYYY-MM-DD`. */
  static of(timeZone: string, date: string): PracticeDay {
    const local = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
    if (!local.isValid) throw new Error(`not a date: ${date}`);
    return new PracticeDay(timeZone, local);
  }

  /** Index into `hours` of the hour containing `instant`, or -1 outside the day. */
  hourIndex(instant: Date): number {
    if (instant < this.start || instant >= this.end) return -1;
    return Math.floor((instant.getTime() - this.start.getTime()) / 3600_000);
  }

  /** The same weekday a week earlier. */
  weekBefore(weeks = 1): PracticeDay {
    return new PracticeDay(this.timeZone, this.local.minus({ weeks }));
  }

  /** The instant a week before `now` at the same wall-clock time (DST-aware). */
  sameTimeLastWeek(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: this.timeZone }).minus({ weeks: 1 }).toJSDate();
  }

  next(): PracticeDay {
    return new PracticeDay(this.timeZone, this.local.plus({ days: 1 }));
  }
}
