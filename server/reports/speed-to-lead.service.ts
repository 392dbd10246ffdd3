// Speed-to-lead: how fast the practice first responds to a lead, by channel, and the practice's own
// evidence that it matters: the booking rate per response-time band, and the revenue slow responses cost.
//
// Why the SQL is shaped this way:
// - Only the channels where the lead waits for the practice to reach out (RESPONSE_TIME_CHANNELS, the
//   same list the live board's speed-to-lead uses): phone leads are answered live (their misses are the
//   missed-calls view) and walk-ins are in the room; their "response times" would flatter every band.
// - Two queries over the same leads (range bounds CTE on the bare created_at, `leadSegmentSql`), side by
//   side: the channel rows and the totals with GROUPING SETS ((), (channel)), and the band rows with a
//   plain GROUP BY band (a hash aggregate, no sort). Both count the same leads, so the bands add up to
//   the totals (the tests check it). Percentiles are percentile_cont (linear interpolation), which
//   ignores the NULL response time of leads never answered; the median and the p90 come from one
//   ordered-set aggregate with an array of fractions (one sort per group, not one per percentile);
//   rounded to whole seconds in numeric (half away from zero). The first version had the bands as a
//   third grouping set, with both percentiles worked out (and thrown away) for every band: 220-460 ms at
//   p95 on bench:reports (100,000 leads), against the 300 ms target.
// - Band edges are half-open, [lower, upper): a response at exactly 60 s is in "1-5 min", at exactly
//   300 s in "5-30 min". "Within 5 minutes" is the same edge: under 300 s. "Never" is no first response
//   recorded (yet): a lead created minutes before the range's end can still be answered.
//
// The revenue slow responses cost (method, also in the response):
//   fast = leads answered in under 5 minutes, slow = answered in 5 minutes or more, or never.
//   missed bookings = slow leads x fast booking rate - slow bookings (not below 0), where the fast booking
//   rate is the rounded rate shown; revenue = missed bookings x average estimated value of the booked
//   leads of the range (the same leads, whatever their band). Null when the fast sample is not 'ok'
//   (under 10 leads): a rate from 3 leads would make up a number.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { countsForResponseTimeSql, RESPONSE_TIME_CHANNELS, responseSecondsSql, REVENUE_LOST_ADDITIVITY, wholeSeconds } from '../metrics/metrics.definitions.js';
import type { ResponseBand, ResponseBandRow, SlowResponseCost, SpeedByChannelRow, SpeedToLeadReport } from './operations.contract.js';
import { leadSegmentSql, money, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type ReportQuery } from './report-query.js';

export const RESPONSE_BANDS: ReadonlyArray<{ band: ResponseBand; label: string; minSeconds: number | null; maxSeconds: number | null }> = [
  { band: 'under-1m', label: 'Under 1 min', minSeconds: 0, maxSeconds: 60 },
  { band: '1-5m', label: '1-5 min', minSeconds: 60, maxSeconds: 300 },
  { band: '5-30m', label: '5-30 min', minSeconds: 300, maxSeconds: 1800 },
  { band: '30-60m', label: '30-60 min', minSeconds: 1800, maxSeconds: 3600 },
  { band: '1-4h', label: '1-4 h', minSeconds: 3600, maxSeconds: 14_400 },
  { band: 'over-4h', label: 'Over 4 h', minSeconds: 14_400, maxSeconds: null },
  { band: 'never', label: 'Never', minSeconds: null, maxSeconds: null },
];
const FAST_BANDS: ReadonlySet<ResponseBand> = new Set(['under-1m', '1-5m']);

export const SLOW_RESPONSE_METHOD =
  'Leads answered in 5 minutes or more (or never) x the booking rate of leads answered in under 5 minutes, minus the bookings they had (not below 0), x the average estimated value of the booked leads in the range; null when fewer than 10 leads were answered in under 5 minutes.';

const BAND_SQL = `CASE WHEN secs IS NULL THEN 'never'
                       WHEN secs < 60 THEN 'under-1m'
                       WHEN secs < 300 THEN '1-5m'
                       WHEN secs < 1800 THEN '5-30m'
                       WHEN secs < 3600 THEN '30-60m'
                       WHEN secs < 14400 THEN '1-4h'
                       ELSE 'over-4h' END`;

interface Aggregate {
  grouping: number;
  channel: string | null;
  leads: number;
  responded: number;
  within5: number;
  /** [median, p90] in seconds (float8), or null when no lead was answered. */
  percentiles: number[] | null;
  average_booked_value: string | null;
}

export { wholeSeconds };

@Injectable()
export class SpeedToLeadService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: ReportQuery): Promise<SpeedToLeadReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const params: unknown[] = [practiceId, range.from, range.to, RESPONSE_TIME_CHANNELS];
    const where = leadSegmentSql(query, params);
    const base = `WITH bounds AS (${rangeBoundsSql('$2', '$3')}), base AS (
         SELECT l.channel, l.status, l.estimated_value, ${responseSecondsSql()} AS secs
           FROM lead l
           CROSS JOIN bounds b
          WHERE l.practice_id = $1
            AND l.created_at >= b.start_at
            AND l.created_at < b.end_at
            AND ${countsForResponseTimeSql('$4')}
            AND ${where}
       )`;
    const [rows, bandRows] = (await Promise.all([
      this.dataSource.query(
        `${base}
         SELECT GROUPING(channel)::int AS grouping, channel,
                count(*)::int AS leads,
                count(secs)::int AS responded,
                count(*) FILTER (WHERE secs < 300)::int AS within5,
                percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs) AS percentiles,
                round(avg(estimated_value) FILTER (WHERE status = 'booked'), 2)::text AS average_booked_value
           FROM base
          GROUP BY GROUPING SETS ((), (channel))`,
        params,
      ),
      this.dataSource.query(
        `${base}
         SELECT ${BAND_SQL} AS band, count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS booked
           FROM base
          GROUP BY 1`,
        params,
      ),
    ])) as [Aggregate[], Array<{ band: ResponseBand; leads: number; booked: number }>];

    const channelRow = (channel: string, row: Aggregate | undefined): SpeedByChannelRow => {
      const leads = row?.leads ?? 0;
      const responded = row?.responded ?? 0;
      const within5Min = row?.within5 ?? 0;
      return {
        channel,
        leads,
        responded,
        neverResponded: leads - responded,
        medianSeconds: wholeSeconds(row?.percentiles?.[0]),
        p90Seconds: wholeSeconds(row?.percentiles?.[1]),
        within5Min,
        within5MinRate: rate(within5Min, leads),
        within5MinSample: sampleOf(leads),
      };
    };
    // GROUPING(channel): 1 = the totals, 0 = a channel row.
    const total = rows.find((row) => row.grouping === 1);
    const byChannel = RESPONSE_TIME_CHANNELS.flatMap((channel) => {
      const row = rows.find((r) => r.grouping === 0 && r.channel === channel);
      return row ? [channelRow(channel, row)] : [];
    });
    const totals = channelRow('all', total);
    const bands: ResponseBandRow[] = RESPONSE_BANDS.map((definition) => {
      const row = bandRows.find((r) => r.band === definition.band);
      const leads = row?.leads ?? 0;
      const booked = row?.booked ?? 0;
      return { ...definition, leads, booked, bookingRate: rate(booked, leads), sample: sampleOf(leads) };
    });
    const averageBookedValue = total?.average_booked_value == null ? null : Number(total.average_booked_value);
    return {
      from: range.from,
      to: range.to,
      timeZone: range.timeZone,
      currency: range.currency,
      segment: segmentView(query),
      channels: [...RESPONSE_TIME_CHANNELS],
      byChannel: [...byChannel, totals],
      totals,
      bands,
      slowResponseCost: slowResponseCost(bands, averageBookedValue),
    };
  }
}

/** The revenue slow responses cost, from the band rows as shown (see the method at the top of the file). */
export function slowResponseCost(bands: ResponseBandRow[], averageBookedValue: number | null): SlowResponseCost {
  let fastLeads = 0;
  let fastBooked = 0;
  let slowLeads = 0;
  let slowBooked = 0;
  for (const band of bands) {
    if (FAST_BANDS.has(band.band)) {
      fastLeads += band.leads;
      fastBooked += band.booked;
    } else {
      slowLeads += band.leads;
      slowBooked += band.booked;
    }
  }
  const fastBookingRate = rate(fastBooked, fastLeads);
  const fastSample = sampleOf(fastLeads);
  const missedBookings = fastSample === 'ok' && fastBookingRate !== null ? money(Math.max(0, slowLeads * fastBookingRate - slowBooked)) : null;
  return {
    method: SLOW_RESPONSE_METHOD,
    additivity: REVENUE_LOST_ADDITIVITY,
    fastLeads,
    fastBooked,
    fastBookingRate,
    fastSample,
    slowLeads,
    slowBooked,
    slowBookingRate: rate(slowBooked, slowLeads),
    slowSample: sampleOf(slowLeads),
    missedBookings,
    averageBookedValue,
    revenueLost: missedBookings !== null && averageBookedValue !== null ? money(missedBookings * averageBookedValue) : null,
  };
}
