// Which days a practice is closed: weekdays without opening hours and public holidays of its
// `holiday_region` (date-holidays). Leads still arrive on some closed days (web forms on a Sunday),
// so the calendar is checked against the history: a kind of closed day (a closed weekday, or
// holidays as a whole) is treated as closed only when its days averaged under CLOSED_SHARE of an open
// day's volume. Closed days are skipped when fitting and forecast as 0 by the forecasting library.

import Holidays from 'date-holidays';
import { WEEKDAYS, type OpeningHours } from '../domain/domain.contract.js';

/** A calendar-closed kind of day with more than this share of an open day's volume is treated as open. */
export const CLOSED_SHARE = 0.2;

export interface ClosedCalendar {
  isClosed: (day: string) => boolean;
  /** Weekdays (mon..sun) treated as closed. */
  closedWeekdays: string[];
  /** Whether public holidays are treated as closed. */
  holidaysClosed: boolean;
}

/** Holiday dates ('YYYY-MM-DD') for a region like "US" or "US-TX"; empty for null or an unknown region. */
export function holidayDates(region: string | null, fromYear: number, toYear: number): Set<string> {
  const dates = new Set<string>();
  if (!region) return dates;
  const [country, state] = region.split('-');
  if (!country) return dates;
  let calendar: Holidays;
  try {
    calendar = state ? new Holidays(country, state, { types: ['public'] }) : new Holidays(country, { types: ['public'] });
  } catch {
    return dates;
  }
  for (let year = fromYear; year <= toYear; year++) {
    for (const holiday of calendar.getHolidays(year) || []) dates.add(holiday.date.slice(0, 10));
  }
  return dates;
}

/** Monday = 0 ... Sunday = 6 of a 'YYYY-MM-DD'. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * The closed-day calendar for a history (`values[i]` is day `first` + i) and what follows it.
 * Cost: O(days).
 */
export function closedCalendar(
  openingHours: OpeningHours,
  holidayRegion: string | null,
  first: string,
  values: readonly number[],
  lastForecastDay: string,
): ClosedCalendar {
  const holidays = holidayDates(holidayRegion, Number(first.slice(0, 4)), Number(lastForecastDay.slice(0, 4)));
  const calendarClosedWeekday = WEEKDAYS.map((weekday) => (openingHours[weekday] ?? []).length === 0);
  const sums = { open: 0, openDays: 0, weekday: new Array<number>(7).fill(0), weekdayDays: new Array<number>(7).fill(0), holiday: 0, holidayDays: 0 };
  const start = Date.parse(`${first}T00:00:00Z`);
  values.forEach((value, i) => {
    const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const weekday = weekdayOf(day);
    if (holidays.has(day)) {
      sums.holiday += value;
      sums.holidayDays++;
    } else if (calendarClosedWeekday[weekday]) {
      sums.weekday[weekday]! += value;
      sums.weekdayDays[weekday]!++;
    } else {
      sums.open += value;
      sums.openDays++;
    }
  });
  const openMean = sums.openDays > 0 ? sums.open / sums.openDays : 0;
  // A kind of day never seen in the history is trusted to the calendar.
  const quiet = (total: number, days: number) => days === 0 || openMean === 0 || total / days < CLOSED_SHARE * openMean;
  const closedWeekday = calendarClosedWeekday.map((closed, weekday) => closed && quiet(sums.weekday[weekday]!, sums.weekdayDays[weekday]!));
  // Never close every day of the week: a practice whose hours say "never open" still gets leads.
  if (closedWeekday.every(Boolean)) closedWeekday.fill(false);
  const holidaysClosed = holidays.size > 0 && quiet(sums.holiday, sums.holidayDays);
  return {
    isClosed: (day) => closedWeekday[weekdayOf(day)]! || (holidaysClosed && holidays.has(day)),
    closedWeekdays: WEEKDAYS.filter((_, i) => closedWeekday[i]),
    holidaysClosed,
  };
}
