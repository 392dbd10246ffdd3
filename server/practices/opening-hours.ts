import { WEEKDAYS, type OpeningHours, type Weekday } from '../domain/domain.contract.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Parses the CLI's compact form: `"mon-fri 08:00-18:00; sat 09:00-13:00"`. Days not named are closed;
 * a day may have several ranges (`"mon 08:00-12:00,13:00-18:00"`). Throws with a message that says
 * what is wrong.
 */
export function parseOpeningHours(text: string): OpeningHours {
  const hours: OpeningHours = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
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

// Whether the practice is open at an instant (hours and public holidays): practice-calendar.ts.
