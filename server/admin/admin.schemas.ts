// Request bodies of the admin API. Every field is checked here, so a bad one is a 400 naming it
// (`timeZone: "Mars/Olympus" is not an IANA time zone ...`) before anything is written.

import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { STAFF_ROLES, WEEKDAYS, type BoardThresholds, type OpeningHours, type Weekday } from '../domain/domain.contract.js';
import { parseOpeningHours } from '../practices/opening-hours.js';

/** A name for a key or a TV, to tell them apart in the list. */
export const credentialNameSchema = z.strictObject({
  name: z.string().trim().min(1, 'a name of 1 to 100 characters (e.g. "Website form" or "Front desk TV")').max(100),
});
export type CredentialNameInput = z.infer<typeof credentialNameSchema>;

/** What a TV shows of a person: a first name or initials, never a full name. */
const displayName = z
  .string()
  .trim()
  .min(1, 'a first name or initials, 1 to 40 characters (shown on the TV)')
  .max(40, 'a first name or initials, 1 to 40 characters (shown on the TV)');

export const createStaffSchema = z.strictObject({
  displayName,
  role: z.enum(STAFF_ROLES).default('front_desk'),
});
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

export const updateStaffSchema = z
  .strictObject({
    displayName: displayName.optional(),
    role: z.enum(STAFF_ROLES).optional(),
    active: z.boolean().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'nothing to change: send displayName, role or active' });
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** More ranges than this on one day is a typo, not a practice. */
const MAX_RANGES_PER_DAY = 6;

/**
 * Opening hours as the CLI's compact text (`"mon-fri 08:00-18:00; sat 09:00-13:00"`) or as the stored
 * JSON shape (`{"mon": [["08:00", "18:00"]], ...}`; a day left out or empty is closed). Ranges of a
 * day must close after they open and not overlap. Throws with a message that says what is wrong.
 */
export function readOpeningHours(value: unknown): OpeningHours {
  const hours = typeof value === 'string' ? parseOpeningHours(value) : value;
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
    throw new Error('expected the weekdays\' hours, e.g. {"mon": [["08:00", "18:00"]]}, or text such as "mon-fri 08:00-18:00; sat 09:00-13:00"');
  }
  const result: OpeningHours = {};
  for (const [day, ranges] of Object.entries(hours)) {
    if (!WEEKDAYS.includes(day as Weekday)) throw new Error(`"${day}" is not a weekday (${WEEKDAYS.join(', ')})`);
    if (!Array.isArray(ranges)) throw new Error(`${day}: expected a list of ["HH:mm", "HH:mm"] ranges ([] for closed)`);
    if (ranges.length > MAX_RANGES_PER_DAY) throw new Error(`${day}: at most ${MAX_RANGES_PER_DAY} ranges a day`);
    const checked: Array<[string, string]> = [];
    for (const range of ranges as unknown[]) {
      if (!Array.isArray(range) || range.length !== 2 || typeof range[0] !== 'string' || typeof range[1] !== 'string') {
        throw new Error(`${day}: each range is ["HH:mm", "HH:mm"], got ${JSON.stringify(range)}`);
      }
      const [open, close] = range as [string, string];
      if (!TIME.test(open) || !TIME.test(close) || close <= open) {
        throw new Error(`${day}: bad time range "${open}-${close}" (expected HH:mm-HH:mm, closing after opening)`);
      }
      checked.push([open, close]);
    }
    checked.sort((x, y) => x[0].localeCompare(y[0]));
    for (let i = 1; i < checked.length; i++) {
      if (checked[i]![0] < checked[i - 1]![1]) throw new Error(`${day}: ranges ${checked[i - 1]!.join('-')} and ${checked[i]!.join('-')} overlap`);
    }
    if (checked.length > 0) result[day as Weekday] = checked;
  }
  return result;
}

const openingHours = z.unknown().transform((value, ctx): OpeningHours => {
  try {
    return readOpeningHours(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^opening hours: /, '') });
    return z.NEVER;
  }
});

const holidayCalendar = new Holidays();

/** Whether date-holidays knows the region: a country ("US") or a country and a state ("US-TX"). */
export function isHolidayRegion(region: string): boolean {
  const [country, state, ...rest] = region.split('-');
  if (!country || rest.length > 0) return false;
  const countries = holidayCalendar.getCountries() ?? {};
  if (!(country in countries)) return false;
  if (state === undefined) return true;
  const states = holidayCalendar.getStates(country) ?? {};
  return state in states;
}

const currencies = new Set(Intl.supportedValuesOf('currency'));

const seconds = z
  .number()
  .int('whole seconds')
  .min(1)
  .max(24 * 3600);
const rate = z.number().min(0).max(1, 'a share between 0 and 1 (0.1 is 10%)');

export const boardThresholdsSchema = z
  .strictObject({ waitingAmberSeconds: seconds, waitingRedSeconds: seconds, missedRateAmber: rate, missedRateRed: rate })
  .superRefine((t, ctx) => {
    if (t.waitingRedSeconds <= t.waitingAmberSeconds) {
      ctx.addIssue({ code: 'custom', path: ['waitingRedSeconds'], message: `must be more than waitingAmberSeconds (${t.waitingAmberSeconds})` });
    }
    if (t.missedRateRed <= t.missedRateAmber) {
      ctx.addIssue({ code: 'custom', path: ['missedRateRed'], message: `must be more than missedRateAmber (${t.missedRateAmber})` });
    }
  }) satisfies z.ZodType<BoardThresholds>;

export const SETTINGS_FIELDS = ['name', 'timeZone', 'currency', 'holidayRegion', 'openingHours', 'boardThresholds', 'leadMergeWindowHours'] as const;

export const updateSettingsSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'the practice name, 1 to 200 characters').max(200),
    timeZone: z
      .string()
      .trim()
      .refine((zone) => IANAZone.isValidZone(zone), { error: (issue) => `"${String(issue.input)}" is not an IANA time zone (e.g. America/Chicago)` }),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((code) => /^[A-Z]{3}$/.test(code) && currencies.has(code), {
        error: (issue) => `"${String(issue.input)}" is not an ISO 4217 currency code (e.g. USD, EUR, GBP)`,
      }),
    holidayRegion: z
      .string()
      .trim()
      .toUpperCase()
      .transform((region) => (region === '' ? null : region))
      .refine((region) => region === null || isHolidayRegion(region), {
        error: (issue) =>
          `"${String(issue.input)}" is not a known public-holiday region: a country code such as US, or a country and state such as US-TX (empty or null for none)`,
      })
      .nullable(),
    openingHours,
    boardThresholds: boardThresholdsSchema,
    leadMergeWindowHours: z.number().int('whole hours').min(0, '0 (off) to 8760 hours (a year)').max(8760, '0 (off) to 8760 hours (a year)'),
  })
  .partial()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: `nothing to change: send one or more of ${SETTINGS_FIELDS.join(', ')}`,
  });
export type UpdateSettingsInput = z.infer<typeof updateSettingsSchema>;
