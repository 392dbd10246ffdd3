// The growth view's SQL. Why it is shaped this way: ONE scan of the segment's leads over the span
// covering every period the view needs (the range, a year earlier, the bridge's base, the seasonality
// history), counted per local day and channel (one time-zone conversion per lead, a few thousand
// groups, MATERIALIZED), and every table summed from those daily rows in the same statement (UNION
// ALL; GROUPING SETS for a period's channels and total). The range comparison is on the bare
// created_at (rangeBoundsSql), so lead_practice_created_idx is used. Money is summed in numeric and
// read as text.

import type { DataSource } from 'typeorm';
import { addDays } from '../common/local-date.js';
import { leadSegmentSql, rangeBoundsSql, type Segment } from './report-query.js';

/** One row of the view's single query (loadGrowthRows). */
export interface GrowthRow {
  kind: 'week' | 'month' | 'current' | 'previous' | 'base' | 'season_month' | 'season_dow';
  /** Week's Monday, month, ISO weekday; 'total' for a period's total row; null for a period's channel row. */
  key: string | null;
  channel: string | null;
  leads: number;
  bookings: number;
  revenue: string;
}

/** The periods one load covers; each from..to is practice-local days, inclusive. */
export interface GrowthPeriods {
  current: { from: string; to: string };
  previous: { from: string; to: string };
  base: { from: string; to: string };
  /** The seasonality history's first day; null without history. */
  historyFrom: string | null;
}

const SUMS = `sum(leads)::int AS leads, sum(bookings)::int AS bookings, coalesce(sum(revenue), 0)::text AS revenue`;

/** The local day of the practice's first (unmerged) lead, or null without leads. */
export async function firstLeadDay(dataSource: DataSource, practiceId: string): Promise<string | null> {
  const [first] = await dataSource.query<Array<{ day: string | null }>>(
    `SELECT to_char((SELECT min(l.created_at) FROM lead l WHERE l.practice_id = $1 AND l.merged_into_lead_id IS NULL) AT TIME ZONE p.time_zone, 'YYYY-MM-DD') AS day
       FROM practice p
      WHERE p.id = $1`,
    [practiceId],
  );
  return first?.day ?? null;
}

/**
 * Everything the view shows from ONE scan of the segment's leads: counted per local day and channel
 * (one time-zone conversion per lead, a few thousand groups), over the span that covers the range, the
 * year-earlier period, the bridge's base period and the seasonality history; then summed from those
 * daily rows into weeks and months of the range, the three periods (per channel and in total:
 * GROUPING SETS) and the seasonality's months and weekdays.
 */
export function loadGrowthRows(dataSource: DataSource, practiceId: string, segment: Segment, periods: GrowthPeriods): Promise<GrowthRow[]> {
  const { current, previous, base, historyFrom } = periods;
  const starts = [current.from, previous.from, base.from, ...(historyFrom ? [historyFrom] : [])].sort();
  const ends = [current.to, previous.to, base.to].sort();
  const params: unknown[] = [practiceId, starts[0], ends[ends.length - 1]];
  const where = leadSegmentSql(segment, params);
  const at = (value: string) => {
    params.push(value);
    return `$${params.length}::date`;
  };
  const inCurrent = `day BETWEEN ${at(current.from)} AND ${at(current.to)}`;
  const totals = (kind: string, from: string, to: string) =>
    `SELECT '${kind}' AS kind, CASE WHEN GROUPING(channel) = 1 THEN 'total' END AS key, channel, ${SUMS}
       FROM daily WHERE day BETWEEN ${at(from)} AND ${at(to)} GROUP BY GROUPING SETS ((channel), ())`;
  // Seasonality over [historyFrom, to]; without history, an empty span.
  const history = `day BETWEEN ${at(historyFrom ?? addDays(current.to, 1))} AND ${at(current.to)}`;
  return dataSource.query(
    `WITH bounds AS (${rangeBoundsSql('$2', '$3')}),
     daily AS MATERIALIZED (
       SELECT (l.created_at AT TIME ZONE b.time_zone)::date AS day, l.channel,
              count(*) AS leads,
              count(*) FILTER (WHERE l.status = 'booked') AS bookings,
              sum(l.estimated_value) FILTER (WHERE l.status = 'booked') AS revenue
         FROM lead l
         CROSS JOIN bounds b
        WHERE l.practice_id = $1
          AND l.created_at >= b.start_at
          AND l.created_at < b.end_at
          AND ${where}
        GROUP BY 1, 2
     )
     SELECT 'week' AS kind, date_trunc('week', day)::date::text AS key, NULL AS channel, ${SUMS} FROM daily WHERE ${inCurrent} GROUP BY 2
     UNION ALL
     SELECT 'month', to_char(day, 'YYYY-MM'), NULL, ${SUMS} FROM daily WHERE ${inCurrent} GROUP BY 2
     UNION ALL
     ${totals('current', current.from, current.to)}
     UNION ALL
     ${totals('previous', previous.from, previous.to)}
     UNION ALL
     ${totals('base', base.from, base.to)}
     UNION ALL
     SELECT 'season_month', to_char(day, 'YYYY-MM'), NULL, ${SUMS} FROM daily WHERE ${history} GROUP BY 2
     UNION ALL
     SELECT 'season_dow', extract(isodow FROM day)::int::text, NULL, ${SUMS} FROM daily WHERE ${history} GROUP BY 2`,
    params,
  );
}
