/**
 * Timestamps of regular series. Dates are calendar labels without a time zone (the caller has
 * already converted to the practice's local time), handled as UTC milliseconds so arithmetic
 * never meets a daylight-saving jump.
 */

/** The spacing of a regular series. */
export type Frequency = 'quarter-hourly' | 'half-hourly' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export const FREQUENCIES: readonly Frequency[] = ['quarter-hourly', 'half-hourly', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

/**
 * Whether labels of this frequency carry a time of day.
 * Cost: O(1).
 *
 * @example
 * hasTimeOfDay('hourly'); // true
 */
export function hasTimeOfDay(frequency: Frequency): boolean {
  return frequency === 'hourly' || frequency === 'half-hourly' || frequency === 'quarter-hourly';
}

/**
 * The seasonal cycles (in steps) each frequency carries, shortest first: a day has 96 quarter
 * hours, 48 half hours or 24 hours, a week 672, 336 or 168; a week has 7 days and a year 365.25; a year has 52.18 weeks, 12 months, 4 quarters;
 * yearly data has none.
 */
export const SEASONAL_PERIODS: Readonly<Record<Frequency, readonly number[]>> = {
  'quarter-hourly': [96, 672],
  'half-hourly': [48, 336],
  hourly: [24, 168],
  daily: [7, 365.25],
  weekly: [365.25 / 7],
  monthly: [12],
  quarterly: [4],
  yearly: [],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A parsed timestamp: UTC milliseconds of the label, and whether it carried a time of day. */
export interface Timestamp {
  ms: number;
  hasTime: boolean;
}

const TIMESTAMP = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?)?)?$/;

/**
 * Parses `YYYY-MM`, `YYYY-MM-DD` and `YYYY-MM-DDTHH:mm[:ss][.sss][Z]` (also with `/` and a space
 * instead of `T`). Returns null for anything else, including impossible dates (2026-02-30) and
 * explicit UTC offsets other than Z (convert to local time before forecasting). Cost: O(length).
 * An empty string gives null.
 *
 * @example
 * parseTimestamp('2026-11-27'); // { ms: 1795737600000, hasTime: false }
 */
export function parseTimestamp(text: string): Timestamp | null {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { ms, hasTime: h !== undefined };
}

/**
 * Formats UTC milliseconds as `YYYY-MM-DD` or, with `withTime`, `YYYY-MM-DDTHH:mm`. Cost: O(1).
 * Years outside 1000-9999 go through Date. NaN gives a label of NaNs, not an error.
 *
 * @example
 * formatTimestamp(Date.UTC(2026, 10, 27, 9, 30), true); // '2026-11-27T09:30'
 */
export function formatTimestamp(ms: number, withTime: boolean): string {
  const days = Math.floor(ms / DAY);
  // Civil date from days since 1970-01-01 (Hinnant's days_from_civil inverse): no Date object,
  // a forecast formats a label for every step of its history.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) {
    const iso = new Date(ms).toISOString();
    return withTime ? iso.slice(0, 16) : iso.slice(0, 10);
  }
  const date = `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
  if (!withTime) return date;
  const minutes = Math.floor((ms - days * DAY) / 60_000);
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  return `${date}T${hour < 10 ? '0' : ''}${hour}:${minute < 10 ? '0' : ''}${minute}`;
}

/**
 * The timestamp `steps` steps after `ms` at the given frequency. Months keep the day of month,
 * clamped to the month's length (Jan 31 + 1 month = Feb 28/29). Cost: O(1).
 * 0 steps returns `ms` unchanged.
 *
 * @example
 * addSteps(Date.UTC(2026, 0, 31), 'monthly', 1) === Date.UTC(2026, 1, 28); // true
 */
export function addSteps(ms: number, frequency: Frequency, steps: number): number {
  switch (frequency) {
    case 'quarter-hourly':
      return ms + steps * (HOUR / 4);
    case 'half-hourly':
      return ms + steps * (HOUR / 2);
    case 'hourly':
      return ms + steps * HOUR;
    case 'daily':
      return ms + steps * DAY;
    case 'weekly':
      return ms + steps * 7 * DAY;
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const date = new Date(ms);
      const months = date.getUTCMonth() + steps * (frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12);
      const year = date.getUTCFullYear() + Math.floor(months / 12);
      const month = ((months % 12) + 12) % 12;
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      const day = Math.min(date.getUTCDate(), lastDay);
      return Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes());
    }
  }
}

/**
 * How many steps `ms` lies after `start`, or null when it is not on the grid (say, 10:30 in an
 * hourly series or the 15th in a monthly series that starts on the 1st). Cost: O(1).
 * Equal timestamps give 0.
 *
 * @example
 * stepsBetween(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 8), 'daily'); // 7
 */
export function stepsBetween(start: number, ms: number, frequency: Frequency): number | null {
  let steps: number;
  switch (frequency) {
    case 'quarter-hourly':
      steps = Math.round((ms - start) / (HOUR / 4));
      break;
    case 'half-hourly':
      steps = Math.round((ms - start) / (HOUR / 2));
      break;
    case 'hourly':
      steps = Math.round((ms - start) / HOUR);
      break;
    case 'daily':
      steps = Math.round((ms - start) / DAY);
      break;
    case 'weekly':
      steps = Math.round((ms - start) / (7 * DAY));
      break;
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const a = new Date(start);
      const b = new Date(ms);
      const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
      steps = frequency === 'monthly' ? months : Math.round(months / (frequency === 'quarterly' ? 3 : 12));
      break;
    }
  }
  return addSteps(start, frequency, steps) === ms ? steps : null;
}

/**
 * The frequency whose step matches the median gap between consecutive sorted timestamps, or
 * null for fewer than two timestamps or an unrecognised spacing. Cost: O(n log n).
 * An empty array gives null.
 *
 * @example
 * inferFrequency([Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1)]); // 'monthly'
 */
export function inferFrequency(sortedMs: readonly number[]): Frequency | null {
  if (sortedMs.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < sortedMs.length; i++) gaps.push((sortedMs[i] as number) - (sortedMs[i - 1] as number));
  gaps.sort((a, b) => a - b);
  const days = (gaps[Math.floor(gaps.length / 2)] as number) / DAY;
  if (Math.abs(days * 96 - 1) < 1e-9) return 'quarter-hourly';
  if (Math.abs(days * 48 - 1) < 1e-9) return 'half-hourly';
  if (Math.abs(days * 24 - 1) < 1e-9) return 'hourly';
  if (Math.abs(days - 1) < 1e-9) return 'daily';
  if (Math.abs(days - 7) < 1e-9) return 'weekly';
  if (days >= 28 && days <= 31) return 'monthly';
  if (days >= 89 && days <= 92) return 'quarterly';
  if (days >= 365 && days <= 366) return 'yearly';
  return null;
}
