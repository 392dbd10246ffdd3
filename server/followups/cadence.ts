// Follow-up cadences and their due times: pure functions, no database, no NestJS (unit-tested in
// test/followups/cadence.test.ts).
//
// A cadence is an ordered list of steps and a cap:
//
//   { steps: [ { kind: 'call',  after: { minutes: 0 } },              // call now
//              { kind: 'text',  after: { minutes: 60 } },             // text 1 hour after that
//              { kind: 'call',  after: { nextOpeningMorning: true } },// call the next morning
//              { kind: 'email', after: { days: 3 } } ],               // email on day 3
//     maxAttempts: 5 }                                               // stop after 5 attempts
//
// Step i is the (i+1)-th attempt at reaching the lead. Which step is next is decided by how many
// attempts the lead has had (a first response recorded without an attempt counts as one), so an extra
// call made on the spot moves the cadence on. When do the step rules fall due?
//
// - `{ minutes: n }`: n minutes (elapsed time, whatever the clocks do) after the previous attempt, or
//   after the lead arrived for the first step. `{ minutes: 0 }` is "now".
// - `{ nextOpeningMorning: true }`: the practice's first opening on a later practice-local day than the
//   previous attempt (Friday evening: Monday's opening when the weekend is closed).
// - `{ days: n }`: the practice's first opening on the practice-local date n days after the date the
//   lead arrived (the arrival day is day 0), and never before the previous attempt.
//
// Whatever the rule gives, a due time at which the practice is closed (outside its opening hours, a
// closed weekday, a public holiday) moves to the next opening time. All wall-clock reasoning happens in
// the practice's IANA time zone with luxon, so the days the clocks change are handled.
//
// The cadence ends (no next step) when the lead is booked or marked not booked, asked not to be
// contacted, was merged into another lead, has had maxAttempts attempts, or has done every step.

import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  CADENCE_STEP_KINDS,
  WEEKDAYS,
  type CadenceStepKind,
  type CadenceTarget,
  type Channel,
  type LeadStatus,
  type OpeningHours,
} from '../domain/domain.contract.js';
import type { Cadence } from './followups.contract.js';

/** The cadence every practice has until it configures its own: the example. */
export const DEFAULT_CADENCE: Cadence = {
  steps: [
    { kind: 'call', after: { minutes: 0 } },
    { kind: 'text', after: { minutes: 60 } },
    { kind: 'call', after: { nextOpeningMorning: true } },
    { kind: 'email', after: { days: 3 } },
  ],
  maxAttempts: 5,
};

const afterSchema = z.union(
  [
    z.strictObject({
      minutes: z
        .number({ message: 'must be a number of minutes' })
        .int({ message: 'must be a whole number of minutes' })
        .min(0, { message: 'must be at least 0' })
        .max(30 * 24 * 60, { message: 'must be at most 43200 (30 days)' }),
    }),
    z.strictObject({ nextOpeningMorning: z.literal(true, { message: 'must be true' }) }),
    z.strictObject({
      days: z
        .number({ message: 'must be a number of days' })
        .int({ message: 'must be a whole number of days' })
        .min(1, { message: 'must be at least 1' })
        .max(90, { message: 'must be at most 90' }),
    }),
  ],
  { message: 'must be one of {"minutes": n}, {"nextOpeningMorning": true}, {"days": n}' },
);

export const cadenceSchema = z.strictObject({
  steps: z
    .array(z.strictObject({ kind: z.enum(CADENCE_STEP_KINDS), after: afterSchema }), { message: 'must be a list of steps' })
    .min(1, { message: 'needs at least one step' })
    .max(20, { message: 'at most 20 steps' }),
  maxAttempts: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(20, { message: 'must be at most 20' }),
});

/** What the due time of a lead's next step depends on. */
export interface LeadFacts {
  createdAt: Date;
  status: LeadStatus;
  firstResponseAt: Date | null;
  doNotContactAt: Date | null;
  mergedIntoLeadId?: string | null;
}

/** Attempts so far: either each attempt's time, or their count and the last one's time. */
export type AttemptFacts = readonly { at: Date }[] | { count: number; lastAt: Date | null };

export interface PracticeCalendar {
  timeZone: string;
  openingHours: OpeningHours;
  /** Practice-local dates ('YYYY-MM-DD') when the practice is closed all day (public holidays). */
  closedDates?: ReadonlySet<string>;
  /** Precomputed local midnights and opening intervals (see `calendarIndex`): the same answers, without
   * time-zone arithmetic per lead. Instants outside its range fall back to the direct computation. */
  index?: CalendarIndex;
}

export interface NextStep {
  due: Date;
  kind: CadenceStepKind;
  /** 0-based index of the step in the cadence; equals the attempts made so far. */
  index: number;
}

/** Attempts counted for the cadence: the attempts logged, and at least 1 once the lead had a first response. */
export function attemptsSoFar(lead: Pick<LeadFacts, 'firstResponseAt'>, attempts: AttemptFacts): { count: number; lastAt: Date | null } {
  let count: number;
  let lastAt: Date | null;
  if ('count' in attempts) {
    count = attempts.count;
    lastAt = attempts.lastAt;
  } else {
    count = attempts.length;
    lastAt = null;
    for (const attempt of attempts) if (!lastAt || attempt.at > lastAt) lastAt = attempt.at;
  }
  if (lead.firstResponseAt) {
    count = Math.max(count, 1);
    if (!lastAt || lead.firstResponseAt > lastAt) lastAt = lead.firstResponseAt;
  }
  return { count, lastAt };
}

/**
 * The next step of a lead's cadence and when it is due, or null when the cadence has ended (booked,
 * not booked, do-not-contact, merged, maxAttempts reached, steps done). The due time may be in the past
 * (overdue). Cost: O(steps) plus a walk over at most a year of days when the practice is closed; with
 * `practice.index`, two binary searches.
 */
export function nextStep(lead: LeadFacts, attempts: AttemptFacts, cadence: Cadence, practice: PracticeCalendar): NextStep | null {
  if (lead.status === 'booked' || lead.status === 'not_booked' || lead.doNotContactAt || lead.mergedIntoLeadId) return null;
  const done = attemptsSoFar(lead, attempts);
  if (done.count >= cadence.maxAttempts || done.count >= cadence.steps.length) return null;
  const step = cadence.steps[done.count]!;
  const previous = done.lastAt && done.lastAt > lead.createdAt ? done.lastAt.getTime() : lead.createdAt.getTime();
  const after = step.after;
  let raw: number;
  if ('minutes' in after) {
    // Elapsed time: what luxon's plus({ minutes }) does too, whatever the clocks do.
    raw = previous + after.minutes * 60_000;
  } else if ('nextOpeningMorning' in after) {
    raw = firstOpeningOfDay(localDayStart(previous, 1, practice), practice);
  } else {
    raw = Math.max(firstOpeningOfDay(localDayStart(lead.createdAt.getTime(), after.days, practice), practice), previous);
  }
  return { due: new Date(nextOpening(raw, practice)), kind: step.kind, index: done.count };
}

/** When the lead's next attempt is due, or null when its cadence has ended. See `nextStep`. */
export function nextDue(lead: LeadFacts, attempts: AttemptFacts, cadence: Cadence, practice: PracticeCalendar): Date | null {
  return nextStep(lead, attempts, cadence, practice)?.due ?? null;
}

/** A practice-local 'HH:mm' on the date of `day`; '24:00' is the next midnight. A time that does not
 * exist that day (the hour the clocks skip) is moved forward by luxon to the first that does. */
function atClock(day: DateTime, clock: string): DateTime {
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  if (hour === 24 && minute === 0) return day.startOf('day').plus({ days: 1 });
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: day.zone });
}

const CLOCK = /^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The day's opening ranges, sorted; a range with a malformed time is ignored rather than trusted. */
function rangesOn(day: DateTime, practice: PracticeCalendar): Array<[string, string]> {
  if (practice.closedDates?.has(day.toISODate()!)) return [];
  const ranges = practice.openingHours[WEEKDAYS[day.weekday - 1]!] ?? [];
  return ranges.filter(([open, close]) => CLOCK.test(open) && CLOCK.test(close)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function neverOpen(practice: PracticeCalendar): boolean {
  return WEEKDAYS.every((weekday) => (practice.openingHours[weekday] ?? []).length === 0);
}

/** Days searched for an opening before giving up (a practice closed for longer is treated as never open). */
const SEARCH_DAYS = 400;

/**
 * The earliest instant at or after `instant` when the practice is open: `instant` itself when it is
 * open then. A practice with no opening hours at all (or none within SEARCH_DAYS) is treated as
 * always open: the instant is returned unchanged.
 */
export function nextOpeningAt(instant: Date, practice: PracticeCalendar): Date {
  return new Date(nextOpening(instant.getTime(), practice));
}

function nextOpening(ms: number, practice: PracticeCalendar): number {
  const index = practice.index;
  if (index && ms >= index.from && ms < index.to) {
    const { intervals } = index;
    // First interval that closes after ms.
    let lo = 0;
    let hi = intervals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (intervals[mid]![1] > ms) hi = mid;
      else lo = mid + 1;
    }
    const found = intervals[lo];
    if (found) return Math.max(ms, found[0]);
  }
  if (neverOpen(practice)) return ms;
  const at = DateTime.fromMillis(ms, { zone: practice.timeZone });
  const first = at.startOf('day');
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = first.plus({ days: i });
    for (const [open, close] of rangesOn(day, practice)) {
      const opens = atClock(day, open).toMillis();
      const closes = atClock(day, close).toMillis();
      // A range inside the hour the clocks skip is empty that day.
      if (closes > opens && ms < closes) return Math.max(ms, opens);
    }
  }
  return ms;
}

/** The start (local midnight) of the practice-local day `plusDays` after the day of `ms`. */
function localDayStart(ms: number, plusDays: number, practice: PracticeCalendar): number {
  const index = practice.index;
  if (index && ms >= index.from && ms < index.to) {
    const { midnights } = index;
    // Last midnight at or before ms.
    let lo = 0;
    let hi = midnights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (midnights[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    const target = midnights[lo + plusDays];
    if (target !== undefined) return target;
  }
  return DateTime.fromMillis(ms, { zone: practice.timeZone }).startOf('day').plus({ days: plusDays }).toMillis();
}

/** The first opening at or after a local midnight; 09:00 that day for a practice that is never open. */
function firstOpeningOfDay(midnight: number, practice: PracticeCalendar): number {
  if (neverOpen(practice)) return DateTime.fromMillis(midnight, { zone: practice.timeZone }).set({ hour: 9 }).toMillis();
  return nextOpening(midnight, practice);
}

/** Local midnights and opening intervals (UTC ms) of a stretch of days, for `PracticeCalendar.index`. */
export interface CalendarIndex {
  /** The first midnight covered. */
  from: number;
  /** The midnight ending the last day covered. */
  to: number;
  /** Every local midnight from `from` to `to`, ascending (both included). */
  midnights: number[];
  /** Opening intervals [opens, closes), ascending. */
  intervals: Array<[number, number]>;
}

/**
 * Precomputes the practice's local days and opening intervals from the day of `from` to the day of
 * `to`, so that due times of many leads need no time-zone arithmetic. Cost: O(days) luxon operations.
 */
export function calendarIndex(practice: Omit<PracticeCalendar, 'index'>, from: Date, to: Date): CalendarIndex {
  let day = DateTime.fromJSDate(from, { zone: practice.timeZone }).startOf('day');
  const end = to.getTime();
  const midnights: number[] = [];
  const intervals: Array<[number, number]> = [];
  while (day.toMillis() <= end) {
    midnights.push(day.toMillis());
    for (const [open, close] of rangesOn(day, practice)) {
      const opens = atClock(day, open).toMillis();
      const closes = atClock(day, close).toMillis();
      if (closes <= opens) continue;
      // Ranges come sorted by opening time; overlapping ones merge, so closing times stay ascending.
      const last = intervals[intervals.length - 1];
      if (last && opens <= last[1]) last[1] = Math.max(last[1], closes);
      else intervals.push([opens, closes]);
    }
    day = day.plus({ days: 1 });
  }
  midnights.push(day.toMillis());
  return { from: midnights[0]!, to: day.toMillis(), midnights, intervals };
}

/** The cadence that applies to a channel: its override, else the practice default, else DEFAULT_CADENCE. */
export function cadenceFor(channel: Channel, configured: ReadonlyMap<CadenceTarget, Cadence>): Cadence {
  return configured.get(channel) ?? configured.get('default') ?? DEFAULT_CADENCE;
}
