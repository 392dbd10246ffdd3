// Missed calls: when inbound calls go unanswered (a weekday x hour heatmap, practice-local), opening
// hours vs after hours, the revenue the missed new-patient calls likely cost, and how fast missed callers
// are called back.
//
// Why the SQL is shaped this way:
// - Inbound calls that have an outcome: status 'ringing' (a call still in progress) is left out. Missed
//   means status missed, voicemail or abandoned: the caller did not reach a person.
// - A call is in the range when its started_at falls on a practice-local day from `from` to `to` (the
//   same bounds CTE as the lead views, so call_practice_started_idx is used). Weekday (ISO, 1 = Monday)
//   and hour come from `started_at AT TIME ZONE practice.time_zone`: local wall-clock time, whatever the
//   daylight-saving offset that day.
// - Two queries over the same calls, side by side: the counts per (weekday, hour, opening hours) cell,
//   a plain GROUP BY answered by a hash aggregate (at most 336 groups), of which the totals, the heatmap
//   and the opening-hours split are sums (exact integers, so they cannot disagree); and the callback
//   figures over the missed calls only (percentile_cont over the called-back ones: it ignores NULLs).
//   The first version answered everything from one GROUPING SETS scan with the callback percentiles in
//   every set, which sorts every call for each set: 230-290 ms at p95 on the bench (80,000 calls over
//   two years), too close to the 300 ms target.
// - Segments: a call is not a lead, so only the segments that a call carries apply: staffId (the call's
//   staff member), patient (call.is_new_patient; a call not flagged either way is in neither 'new' nor
//   'existing') and channel=phone. sourceId, campaignId, treatment and any other channel are refused with
//   a 400 (see missedCallsQuerySchema) rather than silently ignored.
//
// Estimated revenue lost to missed new-patient calls (method, also in the response):
//   missed inbound calls flagged new patient x the booking rate of the phone leads created in the range
//   (booked / phone leads, the rounded rate shown) x the average estimated value of the booked phone
//   leads in the range. The phone leads take the same staff and patient segment (as leads).

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CallbackStats, CallCounts, HeatmapCell, MissedCallRevenue, MissedCallsReport } from './operations.contract.js';
import { wholeSeconds } from './speed-to-lead.service.js';
import { leadSegmentSql, money, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type ReportQuery } from './report-query.js';

export const MISSED_REVENUE_METHOD =
  'Missed inbound new-patient calls x the booking rate of phone leads created in the range x the average estimated value of the booked phone leads in the range.';

/** Inbound calls of one (weekday, hour, after hours) cell. */
interface CallCell {
  weekday: number;
  hour: number;
  after_hours: boolean;
  calls: number;
  missed: number;
  missed_new: number;
}

interface CallbackAggregate {
  missed: number;
  called_back: number;
  /** [median, p90] in seconds, or null when none was called back. */
  percentiles: number[] | null;
  within15: number;
  within60: number;
  same_day: number;
}

interface PhoneLeads {
  leads: number;
  booked: number;
  average_booked_value: string | null;
}

/** The counts of a set of cells, with the rate and its sample flag. */
const callCounts = (cells: CallCell[]): CallCounts => {
  let calls = 0;
  let missed = 0;
  for (const cell of cells) {
    calls += cell.calls;
    missed += cell.missed;
  }
  return { calls, missed, missedRate: rate(missed, calls), sample: sampleOf(calls) };
};

@Injectable()
export class MissedCallsService {
  constructor(private readonly dataSource: DataSource) {}

  async report(practiceId: string, query: ReportQuery): Promise<MissedCallsReport> {
    const range = await resolveReportRange(this.dataSource, practiceId, query.from, query.to);
    const [{ cells, callbacks: back }, phone] = await Promise.all([
      this.callAggregates(practiceId, range.from, range.to, query),
      this.phoneLeads(practiceId, range.from, range.to, query),
    ]);

    const heatmap: HeatmapCell[] = [];
    for (let weekday = 1; weekday <= 7; weekday += 1) {
      for (let hour = 0; hour < 24; hour += 1) {
        heatmap.push({ weekday, hour, ...callCounts(cells.filter((cell) => cell.weekday === weekday && cell.hour === hour)) });
      }
    }

    const phoneBookingRate = rate(phone.booked, phone.leads);
    const averageBookedValue = phone.average_booked_value == null ? null : Number(phone.average_booked_value);
    const missedNewPatientCalls = cells.reduce((sum, cell) => sum + cell.missed_new, 0);
    const expectedBookingsLost = phoneBookingRate === null ? null : money(missedNewPatientCalls * phoneBookingRate);
    const revenueLost: MissedCallRevenue = {
      method: MISSED_REVENUE_METHOD,
      missedNewPatientCalls,
      phoneLeads: phone.leads,
      phoneBooked: phone.booked,
      phoneBookingRate,
      phoneBookingRateSample: sampleOf(phone.leads),
      averageBookedValue,
      expectedBookingsLost,
      estimatedRevenueLost: expectedBookingsLost !== null && averageBookedValue !== null ? money(expectedBookingsLost * averageBookedValue) : null,
    };

    const missed = back.missed;
    const calledBack = back.called_back;
    const within15Min = back.within15;
    const within1Hour = back.within60;
    const sameDay = back.same_day;
    const callbacks: CallbackStats = {
      missed,
      calledBack,
      neverCalledBack: missed - calledBack,
      calledBackRate: rate(calledBack, missed),
      calledBackSample: sampleOf(missed),
      medianSeconds: wholeSeconds(back.percentiles?.[0]),
      p90Seconds: wholeSeconds(back.percentiles?.[1]),
      within15Min,
      within15MinRate: rate(within15Min, missed),
      within1Hour,
      within1HourRate: rate(within1Hour, missed),
      sameDay,
      sameDayRate: rate(sameDay, missed),
      sample: sampleOf(missed),
    };

    return {
      from: range.from,
      to: range.to,
      timeZone: range.timeZone,
      currency: range.currency,
      segment: segmentView(query),
      totals: callCounts(cells),
      duringHours: callCounts(cells.filter((cell) => !cell.after_hours)),
      afterHours: callCounts(cells.filter((cell) => cell.after_hours)),
      heatmap,
      revenueLost,
      callbacks,
    };
  }

  private async callAggregates(practiceId: string, from: string, to: string, query: ReportQuery): Promise<{ cells: CallCell[]; callbacks: CallbackAggregate }> {
    const params: unknown[] = [practiceId, from, to];
    const conditions: string[] = [];
    if (query.staffId) {
      params.push(query.staffId);
      conditions.push(`c.staff_id = $${params.length}::uuid`);
    }
    const patient = query.newPatientsOnly ? 'new' : query.patient;
    if (patient === 'new') conditions.push('c.is_new_patient IS TRUE');
    if (patient === 'existing') conditions.push('c.is_new_patient IS FALSE');
    const where = `c.practice_id = $1
            AND c.started_at >= b.start_at
            AND c.started_at < b.end_at
            AND c.direction = 'inbound'
            AND c.status <> 'ringing'
            ${conditions.map((condition) => `AND ${condition}`).join(' ')}`;
    const bounds = `WITH bounds AS (${rangeBoundsSql('$2', '$3')})`;
    const [cells, callbacks] = (await Promise.all([
      this.dataSource.query(
        `${bounds}
         SELECT extract(isodow FROM c.started_at AT TIME ZONE b.time_zone)::int AS weekday,
                extract(hour FROM c.started_at AT TIME ZONE b.time_zone)::int AS hour,
                c.after_hours,
                count(*)::int AS calls,
                count(*) FILTER (WHERE c.status IN ('missed', 'voicemail', 'abandoned'))::int AS missed,
                count(*) FILTER (WHERE c.status IN ('missed', 'voicemail', 'abandoned') AND c.is_new_patient IS TRUE)::int AS missed_new
           FROM call c
           CROSS JOIN bounds b
          WHERE ${where}
          GROUP BY 1, 2, 3`,
        params,
      ),
      this.dataSource.query(
        `${bounds}, missed AS (
           SELECT extract(epoch FROM c.callback_at - c.started_at) AS secs,
                  (c.callback_at AT TIME ZONE b.time_zone)::date = (c.started_at AT TIME ZONE b.time_zone)::date AS same_day
             FROM call c
             CROSS JOIN bounds b
            WHERE ${where}
              AND c.status IN ('missed', 'voicemail', 'abandoned')
         )
         SELECT count(*)::int AS missed,
                count(secs)::int AS called_back,
                -- median and p90 from one ordered-set aggregate: one sort, not two
                percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs) AS percentiles,
                count(*) FILTER (WHERE secs < 900)::int AS within15,
                count(*) FILTER (WHERE secs < 3600)::int AS within60,
                count(*) FILTER (WHERE same_day)::int AS same_day
           FROM missed`,
        params,
      ),
    ])) as [CallCell[], CallbackAggregate[]];
    return { cells, callbacks: callbacks[0]! };
  }

  private async phoneLeads(practiceId: string, from: string, to: string, query: ReportQuery): Promise<PhoneLeads> {
    const params: unknown[] = [practiceId, from, to];
    const where = leadSegmentSql({ ...query, channel: 'phone' }, params);
    const [row] = (await this.dataSource.query(
      `WITH bounds AS (${rangeBoundsSql('$2', '$3')})
       SELECT count(*)::int AS leads,
              count(*) FILTER (WHERE l.status = 'booked')::int AS booked,
              round(avg(l.estimated_value) FILTER (WHERE l.status = 'booked'), 2)::text AS average_booked_value
         FROM lead l
         CROSS JOIN bounds b
        WHERE l.practice_id = $1
          AND l.created_at >= b.start_at
          AND l.created_at < b.end_at
          AND ${where}`,
      params,
    )) as PhoneLeads[];
    return row ?? { leads: 0, booked: 0, average_booked_value: null };
  }
}
