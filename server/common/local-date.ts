// Dates, in one place. Calendar days are 'YYYY-MM-DD' strings and their arithmetic is on plain dates
// (UTC, no time zone: a day is a day whatever the practice's daylight saving). Turning an instant into
// a practice-local day, or a day into its local midnight, needs the practice's IANA time zone: luxon.
// (forecasting/ keeps its own helpers: it imports nothing from server/.)

import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' plus n calendar days (n < 0: earlier). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The same date a year earlier (29 February becomes 28 February). */
export function yearEarlier(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(date, last)).padStart(2, '0')}`;
}

/** ISO weekday of a day: 1 (Monday) .. 7 (Sunday). */
export function isoWeekday(day: string): number {
  return ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The last day of a month 'YYYY-MM', as 'YYYY-MM-DD'. */
export function lastOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

/** The day ('YYYY-MM-DD') an instant falls on in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

/** Local midnight starting `day` in `timeZone`, as an instant. */
export function localStart(timeZone: string, day: string): Date {
  return DateTime.fromISO(day, { zone: timeZone }).startOf('day').toJSDate();
}
