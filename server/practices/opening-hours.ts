import { DateTime } from 'luxon';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../domain/domain.constants.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Parses the CLI's compact form: `"mon-fri 08:00-18:00; sat 09:00-13:00"`. Days not named are closed;
 * a day may have several ranges (`"mon 08:00-12:00,13:00-18:00"`). Throws with a message that says
 * what is wrong.
 */
export function parseOpeningHours(text: string): OpeningHours {
  const hours: OpeningHours = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z]{3})(?:-([a-z]{3}))?\s+(.+)$/i.exec(part);
    if (!match) throw new Error(`opening hours: cannot read "${part}" (expected e.g. "mon-fri 08:00-18:00")`);
    const from = WEEKDAYS.indexOf(match[1]!.toLowerCase() as Weekday);
    const to = match[2] ? WEEKDAYS.indexOf(match[2].toLowerCase() as Weekday) : from;
    if (from < 0 || to < 0 || to < from) throw new Error(`opening hours: bad day range in "${part}"`);
    const ranges = match[3]!.split(',').map((range) => {
      const [open, close] = range.trim().split('-');
      if (!open || !close || !TIME.test(open) || !TIME.test(close) || close <= open) {
        throw new Error(`opening hours: bad time range "${range.trim()}" (expected HH:mm-HH:mm, closing after opening)`);
      }
      return [open, close] as [string, string];
    });
    for (let day = from; day <= to; day++) hours[WEEKDAYS[day]!] = ranges;
  }
  return hours;
}

/** Whether the practice is open at `instant`, reading the wall clock in `timeZone`. */
export function isOpenAt(hours: OpeningHours, timeZone: string, instant: Date): boolean {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const ranges = hours[WEEKDAYS[local.weekday - 1]!] ?? [];
  const clock = local.toFormat('HH:mm');
  return ranges.some(([open, close]) => clock >= open && clock < close);
}

/** For messages: the practice-local time of `instant` ("Thu 2026-12-03 03:00") and that weekday's
 * opening hours ("Thu 08:00-18:00", or "closed on Sun"). */
export function openingHoursOn(hours: OpeningHours, timeZone: string, instant: Date): { local: string; hours: string } {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const weekday = WEEKDAYS[local.weekday - 1]!;
  const ranges = hours[weekday] ?? [];
  const day = local.toFormat('ccc');
  return {
    local: local.toFormat('ccc yyyy-MM-dd HH:mm'),
    hours: ranges.length === 0 ? `closed on ${day}` : `${day} ${ranges.map(([open, close]) => `${open}-${close}`).join(', ')}`,
  };
}
