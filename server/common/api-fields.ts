// The building blocks of the API's request bodies (zod): instants that refuse typos and the future,
// ids, names and money. Each feature's schemas (leads/lead.schemas.ts, calls/call.schema.ts, ...)
// are made of these, so one rule holds for every body.

import { z } from 'zod';

/** Timestamps before this are typos, not history. */
export const EARLIEST_ACCEPTED_TIME = Date.parse('2000-01-01T00:00:00Z');
/** Clock skew tolerated for timestamps "from the future". */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** An ISO 8601 instant with an offset or Z, not absurdly old and not in the future. Parsed to a Date. */
export const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:30:00Z' })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST_ACCEPTED_TIME, { message: 'is before the year 2000' })
  .refine((date) => date.getTime() <= Date.now() + MAX_CLOCK_SKEW_MS, { message: 'is in the future' });

/** Like `instant` but may lie in the future (appointments). */
export const futureInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:30:00Z' })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST_ACCEPTED_TIME, { message: 'is before the year 2000' })
  .refine((date) => date.getTime() <= Date.now() + 5 * 366 * 24 * 3600 * 1000, { message: 'is more than 5 years ahead' });

/** An id the sender chose (a lead's, an event's, a call's): trimmed, 1-200 characters. */
export const externalId = z.string().trim().min(1).max(200);
/** A name the sender chose (a source, a campaign): trimmed, 1-200 characters. */
export const nameField = z.string().trim().min(1).max(200);
/** An amount of money in the practice's currency: finite, 0 to 10 million. */
export const money = z.number().finite().min(0).max(10_000_000);
/** A staff member's id. */
export const staffId = z.uuid({ message: 'must be a staff id (UUID)' });
