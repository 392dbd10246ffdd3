// Fast synthetic history for the forecast tests: leads (and inbound calls) written straight into the
// practice's tables with one INSERT ... SELECT each, a weekly pattern plus deterministic noise.
// Sundays get nothing (the default opening hours close them). A third of the leads are booked.

import type { TestApp } from '../support/test-app.js';

/** New-patient leads per weekday, ISO order (Mon = 1 ... Sun = 7): index 0 unused. */
const LEADS_PER_WEEKDAY = [0, 6, 5, 5, 5, 4, 2, 0];
const CHANNELS = ['phone', 'web_form', 'referral'];

export interface SeedOptions {
  /** Days of history, ending yesterday (practice-local). */
  days: number;
  timeZone?: string;
  /** Multiplies the weekday pattern. */
  scale?: number;
  calls?: boolean;
}

export async function seedLeadHistory(t: TestApp, practiceId: string, options: SeedOptions): Promise<number> {
  const timeZone = options.timeZone ?? 'America/Chicago';
  const scale = options.scale ?? 1;
  const [{ today }] = await t.query(`SELECT (now() AT TIME ZONE $1)::date::text AS today`, [timeZone]);
  const rows = await t.query(
    `WITH days AS (
       SELECT d::date AS day FROM generate_series($3::date - $4::int, $3::date - 1, interval '1 day') d
     ), leads AS (
       SELECT day, n, (n + extract(doy FROM day)::int) % 3 = 0 AS booked,
              ((day + make_interval(hours => 8 + (n * 7 + extract(doy FROM day)::int) % 10, mins => (n * 13) % 60))
                AT TIME ZONE $2) AS created_at
         FROM days
         CROSS JOIN LATERAL generate_series(1,
           greatest(0, round(($5::int[])[extract(isodow FROM day)::int] * $6::float8)::int
                       + CASE WHEN extract(isodow FROM day) = 7 THEN 0 ELSE abs(hashtext(day::text)) % 3 - 1 END)) n
     )
     INSERT INTO lead (practice_id, channel, is_new_patient, created_at, status, booked_at, estimated_value)
     SELECT $1, ($7::text[])[1 + n % 3], true, created_at,
            CASE WHEN booked THEN 'booked' ELSE 'open' END,
            CASE WHEN booked THEN created_at + interval '2 hours' END,
            CASE WHEN booked THEN 1000 + (n % 4) * 500 END
       FROM leads
     RETURNING 1`,
    [practiceId, timeZone, today, options.days, LEADS_PER_WEEKDAY.slice(1), scale, CHANNELS],
  );
  if (options.calls) {
    await t.query(
      `INSERT INTO call (practice_id, external_id, direction, status, started_at, after_hours)
       SELECT $1, 'seed-' || d::date || '-' || n, 'inbound',
              CASE WHEN n % 5 = 0 THEN 'missed' ELSE 'answered' END,
              ((d::date + make_interval(hours => 8 + (n * 5) % 9, mins => (n * 17) % 60)) AT TIME ZONE $2), false
         FROM generate_series($3::date - $4::int, $3::date - 1, interval '1 day') d
         CROSS JOIN LATERAL generate_series(1, CASE WHEN extract(isodow FROM d) = 7 THEN 0 ELSE 20 + abs(hashtext(d::text)) % 8 END) n`,
      [practiceId, timeZone, today, options.days],
    );
  }
  return rows.length;
}
