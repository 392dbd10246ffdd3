// Reads the history the forecasts are made from: counts per practice-local day or hour, always
// scoped by practice_id. Days are labelled 'YYYY-MM-DD' in the practice's time zone by PostgreSQL
// (AT TIME ZONE), so a day with 23 or 25 hours is still one day.

import { DataSource } from 'typeorm';
import { daysBetween } from '../common/local-date.js';

export interface DailyCountRow {
  day: string;
  channel: string;
  count: number;
}

export interface HourlyCountRow {
  day: string;
  hour: number;
  count: number;
}

/** New-patient leads per local day and channel in [from, to) (instants). */
export function dailyLeadCounts(db: DataSource, practiceId: string, timeZone: string, from: Date, to: Date): Promise<DailyCountRow[]> {
  return db.query(
    `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, channel, count(*)::int AS count
       FROM lead
      WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at >= $3 AND created_at < $4
      GROUP BY 1, 2`,
    [practiceId, timeZone, from, to],
  );
}

/** New-patient leads per local day and wall-clock hour in [from, to). */
export function hourlyLeadCounts(db: DataSource, practiceId: string, timeZone: string, from: Date, to: Date): Promise<HourlyCountRow[]> {
  return db.query(
    `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day,
            extract(hour FROM created_at AT TIME ZONE $2)::int AS hour, count(*)::int AS count
       FROM lead
      WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at >= $3 AND created_at < $4
      GROUP BY 1, 2`,
    [practiceId, timeZone, from, to],
  );
}

/** Inbound calls per local day in [from, to) (channel is always 'phone'). */
export function dailyCallCounts(db: DataSource, practiceId: string, timeZone: string, from: Date, to: Date): Promise<DailyCountRow[]> {
  return db.query(
    `SELECT to_char(started_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, 'phone' AS channel, count(*)::int AS count
       FROM call
      WHERE practice_id = $1 AND direction = 'inbound' AND started_at >= $3 AND started_at < $4
      GROUP BY 1`,
    [practiceId, timeZone, from, to],
  );
}

/** The first new-patient lead's instant, or null when the practice has none before `before`. */
export async function firstLeadAt(db: DataSource, practiceId: string, before: Date): Promise<Date | null> {
  const [row]: Array<{ first: Date | null }> = await db.query(
    `SELECT min(created_at) AS first FROM lead WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at < $2`,
    [practiceId, before],
  );
  return row?.first ?? null;
}

/** The first inbound call's instant, or null. */
export async function firstCallAt(db: DataSource, practiceId: string, before: Date): Promise<Date | null> {
  const [row]: Array<{ first: Date | null }> = await db.query(
    `SELECT min(started_at) AS first FROM call WHERE practice_id = $1 AND direction = 'inbound' AND started_at < $2`,
    [practiceId, before],
  );
  return row?.first ?? null;
}

/** A regular daily series [first, last] from sparse rows: days without rows are 0 (nothing arrived). */
export function dailySeries(rows: readonly { day: string; count: number }[], first: string, last: string): number[] {
  const length = Math.max(0, daysBetween(first, last) + 1);
  const values = new Array<number>(length).fill(0);
  for (const row of rows) {
    const index = daysBetween(first, row.day);
    if (index >= 0 && index < length) values[index] = (values[index] as number) + row.count;
  }
  return values;
}

/** Booking history per channel of new-patient leads created in [from, to) (instants): leads, booked, booked values. */
export async function channelBookingHistory(
  db: DataSource,
  practiceId: string,
  from: Date,
  to: Date,
): Promise<Array<{ channel: string; leads: number; booked: number; bookedValues: number[] }>> {
  const rows: Array<{ channel: string; leads: number; booked: number; values: Array<string | number> | null }> = await db.query(
    `SELECT channel, count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS booked,
            array_agg(coalesce(actual_value, estimated_value)) FILTER (WHERE status = 'booked' AND coalesce(actual_value, estimated_value) IS NOT NULL) AS values
       FROM lead
      WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at >= $2 AND created_at < $3
      GROUP BY channel`,
    [practiceId, from, to],
  );
  return rows.map((row) => ({ channel: row.channel, leads: row.leads, booked: row.booked, bookedValues: (row.values ?? []).map(Number) }));
}
