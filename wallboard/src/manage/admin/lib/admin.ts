// The admin page's API calls and the pure helpers behind its forms (opening hours per weekday, the
// merge window in days, thresholds in minutes and percent). The server validates everything again;
// these checks only give the message before the round trip.

import type { SettingsView, UserView } from '$contracts/admin/admin';
import { WEEKDAYS, type BoardThresholds, type OpeningHours, type StaffRole, type UserRole, type Weekday } from '$contracts/domain/domain';
import { ApiError, requestJson, type Credentials } from '../../lib/api.js';

export type { CreatedDisplay, CreatedIngestKey, CredentialView, SettingsView, StaffView, UserView } from '$contracts/admin/admin';
export type { BoardThresholds, OpeningHours, StaffRole, UserRole, Weekday } from '$contracts/domain/domain';
/** The choices of the forms, in the vocabulary's order (weekdays Monday first). */
export { STAFF_ROLES, USER_ROLES, WEEKDAYS } from '$contracts/domain/domain';

export const PATHS = {
  me: '/api/v1/auth/me',
  users: '/api/v1/users',
  staff: '/api/v1/admin/staff',
  settings: '/api/v1/admin/settings',
  ingestKeys: '/api/v1/admin/ingest-keys',
  displays: '/api/v1/admin/displays',
} as const;

// The server's role and weekday types key these labels, so a role added there fails the build here.
export const USER_ROLE_LABELS: Record<UserRole, string> = { admin: 'Admin', manager: 'Manager', front_desk: 'Front desk' };

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  front_desk: 'Front desk',
  treatment_coordinator: 'Treatment coordinator',
  manager: 'Manager',
  clinician: 'Clinician',
  other: 'Other',
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const MIN_PASSWORD_LENGTH = 12;
export const DISPLAY_NAME_MAX = 40;

export interface Me {
  user: UserView;
}

export type SettingsPatch = Partial<Omit<SettingsView, 'id'>>;

/** One call of the page: JSON in, JSON out, or an ApiError with the server's message. */
export function call<T>(credentials: Credentials, method: string, path: string, body?: unknown, fetchFn: typeof fetch = fetch): Promise<T> {
  return requestJson<T>(path, credentials, { method, ...(body !== undefined ? { body } : {}), fetchFn });
}

/** What a failed call means for the page: the session is gone (sign in again), or a message to show. */
export function failureOf(error: unknown): { signedOut: boolean; message: string } {
  if (error instanceof ApiError) return { signedOut: error.status === 401, message: error.message };
  return { signedOut: false, message: error instanceof Error ? error.message : String(error) };
}

// --- opening hours ---

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A day's ranges as the form shows them: "08:00-12:00, 13:00-17:00"; "" when closed. */
export function dayText(ranges: ReadonlyArray<readonly [string, string]> | undefined): string {
  return (ranges ?? []).map(([open, close]) => `${open}-${close}`).join(', ');
}

/** The form's text of each weekday. */
export function hoursDraft(hours: OpeningHours): Record<Weekday, string> {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, dayText(hours[day])])) as Record<Weekday, string>;
}

/** Reads one day's text ("" or "closed": closed). A bad text gives the reason. */
export function parseDay(text: string): { ok: true; ranges: Array<[string, string]> } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'closed') return { ok: true, ranges: [] };
  const ranges: Array<[string, string]> = [];
  for (const part of trimmed.split(',').map((p) => p.trim())) {
    const [open, close, ...rest] = part.split('-').map((p) => p.trim());
    if (!open || !close || rest.length > 0 || !TIME.test(open) || !TIME.test(close)) {
      return { ok: false, error: `"${part}" is not a range like 08:00-17:00 (24-hour clock)` };
    }
    if (close <= open) return { ok: false, error: `${part}: closes before it opens` };
    ranges.push([open, close]);
  }
  ranges.sort((a, b) => a[0].localeCompare(b[0]));
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]![0] < ranges[i - 1]![1]) return { ok: false, error: `${ranges[i - 1]!.join('-')} and ${ranges[i]!.join('-')} overlap` };
  }
  return { ok: true, ranges };
}

/** The opening hours of the form's texts, or the reason per weekday. */
export function readHoursDraft(draft: Record<Weekday, string>): { hours: OpeningHours; errors: Partial<Record<Weekday, string>> } {
  const hours: OpeningHours = {};
  const errors: Partial<Record<Weekday, string>> = {};
  for (const day of WEEKDAYS) {
    const parsed = parseDay(draft[day]);
    if (!parsed.ok) errors[day] = parsed.error;
    else if (parsed.ranges.length > 0) hours[day] = parsed.ranges;
  }
  return { hours, errors };
}

// --- numbers shown in friendlier units ---

/** "12.5" -> 12.5; blank or not a number -> null. */
function number(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || !/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Trims a number for an input: 30 -> "30", 0.5 -> "0.5", 1/3 -> "0.33". */
export function shortNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The merge window as days for the form; stored in hours (0: merging off). */
export function mergeDays(hours: number): string {
  return shortNumber(hours / 24);
}

/** Days (0 to 365, decimals allowed: 0.5 is 12 hours) to whole hours. */
export function mergeHours(days: string): { ok: true; hours: number } | { ok: false; error: string } {
  const value = number(days);
  if (value === null || value < 0 || value > 365) return { ok: false, error: 'days from 0 (never merge) to 365' };
  return { ok: true, hours: Math.round(value * 24) };
}

export interface ThresholdsDraft {
  waitingAmberMinutes: string;
  waitingRedMinutes: string;
  missedAmberPercent: string;
  missedRedPercent: string;
}

export function thresholdsDraft(t: BoardThresholds): ThresholdsDraft {
  return {
    waitingAmberMinutes: shortNumber(t.waitingAmberSeconds / 60),
    waitingRedMinutes: shortNumber(t.waitingRedSeconds / 60),
    missedAmberPercent: shortNumber(t.missedRateAmber * 100),
    missedRedPercent: shortNumber(t.missedRateRed * 100),
  };
}

/** The thresholds of the form (minutes and percent), or the reason per field. */
export function readThresholds(draft: ThresholdsDraft): { thresholds: BoardThresholds | null; errors: Partial<Record<keyof ThresholdsDraft, string>> } {
  const errors: Partial<Record<keyof ThresholdsDraft, string>> = {};
  const minutes = (key: 'waitingAmberMinutes' | 'waitingRedMinutes') => {
    const value = number(draft[key]);
    if (value === null || value <= 0 || value > 24 * 60) {
      errors[key] = 'minutes, more than 0 and at most 1440';
      return null;
    }
    return Math.max(1, Math.round(value * 60));
  };
  const percent = (key: 'missedAmberPercent' | 'missedRedPercent') => {
    const value = number(draft[key]);
    if (value === null || value < 0 || value > 100) {
      errors[key] = 'a percentage from 0 to 100';
      return null;
    }
    return Math.round(value * 10) / 1000;
  };
  const waitingAmberSeconds = minutes('waitingAmberMinutes');
  const waitingRedSeconds = minutes('waitingRedMinutes');
  const missedRateAmber = percent('missedAmberPercent');
  const missedRateRed = percent('missedRedPercent');
  if (waitingAmberSeconds !== null && waitingRedSeconds !== null && waitingRedSeconds <= waitingAmberSeconds) {
    errors.waitingRedMinutes = 'must be more than the amber time';
  }
  if (missedRateAmber !== null && missedRateRed !== null && missedRateRed <= missedRateAmber) {
    errors.missedRedPercent = 'must be more than the amber rate';
  }
  if (Object.keys(errors).length > 0 || waitingAmberSeconds === null || waitingRedSeconds === null || missedRateAmber === null || missedRateRed === null) {
    return { thresholds: null, errors };
  }
  return { thresholds: { waitingAmberSeconds, waitingRedSeconds, missedRateAmber, missedRateRed }, errors };
}

// --- time zones and currencies ---

/** Whether this browser knows the IANA time zone (the server checks again). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The time zones this browser knows, for the input's suggestions. */
export function timeZoneOptions(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

// --- the settings form ---

export interface SettingsDraft {
  name: string;
  timeZone: string;
  currency: string;
  holidayRegion: string;
  hours: Record<Weekday, string>;
  mergeDays: string;
  thresholds: ThresholdsDraft;
}

export function settingsDraft(settings: SettingsView): SettingsDraft {
  return {
    name: settings.name,
    timeZone: settings.timeZone,
    currency: settings.currency,
    holidayRegion: settings.holidayRegion ?? '',
    hours: hoursDraft(settings.openingHours),
    mergeDays: mergeDays(settings.leadMergeWindowHours),
    thresholds: thresholdsDraft(settings.boardThresholds),
  };
}

export type SettingsErrors = Partial<Record<'name' | 'timeZone' | 'currency' | 'holidayRegion' | 'mergeDays', string>> & {
  hours?: Partial<Record<Weekday, string>>;
  thresholds?: Partial<Record<keyof ThresholdsDraft, string>>;
};

/** The PATCH body of the fields that changed, or the form's errors (nothing is sent then). */
export function settingsPatch(current: SettingsView, draft: SettingsDraft): { ok: true; patch: SettingsPatch } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const patch: SettingsPatch = {};
  const name = draft.name.trim();
  if (name.length < 1 || name.length > 200) errors.name = 'the practice name, 1 to 200 characters';
  else if (name !== current.name) patch.name = name;

  const timeZone = draft.timeZone.trim();
  if (!isTimeZone(timeZone)) errors.timeZone = `"${timeZone}" is not a time zone this browser knows: pick one from the list (e.g. America/Chicago)`;
  else if (timeZone !== current.timeZone) patch.timeZone = timeZone;

  const currency = draft.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'a 3-letter ISO 4217 code such as USD, EUR or GBP';
  else if (currency !== current.currency) patch.currency = currency;

  const region = draft.holidayRegion.trim().toUpperCase();
  if (region !== '' && !/^[A-Z]{2,3}(-[A-Z0-9]{1,4})?$/.test(region))
    errors.holidayRegion = 'a country code such as US, or country-state such as US-TX; empty for none';
  else if ((region || null) !== current.holidayRegion) patch.holidayRegion = region || null;

  const hours = readHoursDraft(draft.hours);
  if (Object.keys(hours.errors).length > 0) errors.hours = hours.errors;
  else if (JSON.stringify(hoursDraft(hours.hours)) !== JSON.stringify(hoursDraft(current.openingHours))) patch.openingHours = hours.hours;

  const merge = mergeHours(draft.mergeDays);
  if (!merge.ok) errors.mergeDays = merge.error;
  else if (merge.hours !== current.leadMergeWindowHours) patch.leadMergeWindowHours = merge.hours;

  const thresholds = readThresholds(draft.thresholds);
  if (!thresholds.thresholds) errors.thresholds = thresholds.errors;
  else if ((Object.keys(thresholds.thresholds) as Array<keyof BoardThresholds>).some((key) => thresholds.thresholds![key] !== current.boardThresholds[key])) {
    patch.boardThresholds = thresholds.thresholds;
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}

// --- dates ---

/** A date and time in the browser's locale and zone ("Nov 27, 2026, 2:05 PM" in en-US); "" for null. */
export function when(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
