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
// Estimated revenue lost to missed new-patient calls (method, also in the response; the one definition is
// MISSED_CALL_REVENUE_METHOD in server/metrics): only calls really lost count. Each missed new-patient call
// takes one outcome, in order: the caller booked (a lead of theirs, by the call's lead or the same phone
// number, merges followed, is booked), called back, lost for a recorded reason (their lead is marked not
// booked: lost opportunities counts it), else unrecovered. Unrecovered calls x the booking rate of
// NEW-PATIENT phone leads created in the range (the rounded rate shown) x the average estimated value of
// those booked. The phone leads take the same staff segment (as leads). It used to take every missed
// new-patient call, including the ones called back and the ones whose person booked, at the booking rate
// of all phone leads (existing patients book more often): an overstatement.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CallbackStats, CallCounts, HeatmapCell, MissedCallRevenue, MissedCallsReport } from './operations.contract.js';
import { MISSED_CALL_REVENUE_METHOD, REVENUE_LOST_ADDITIVITY, UNANSWERED_CALL_STATUSES, wholeSeconds } from '../metrics/metrics.definitions.js';
import { leadSegmentSql, money, rangeBoundsSql, rate, resolveReportRange, sampleOf, segmentView, type ReportQuery } from './report-query.js';

export const MISSED_REVENUE_METHOD = MISSED_CALL_REVENUE_METHOD;

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

/** The missed new-patient calls of the range by their one outcome (see the method). */
interface MissedNewOutcomes {
  missed_new: number;
  later_booked: number;
  called_back: number;
  lost_to_reason: number;
  unrecovered: number;
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
    const [{ cells, callbacks: back, outcomes }, phone] = await Promise.all([
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
    const expectedBookingsLost = phoneBookingRate === null ? null : money(outcomes.unrecovered * phoneBookingRate);
    const revenueLost: MissedCallRevenue = {
      method: MISSED_REVENUE_METHOD,
      additivity: REVENUE_LOST_ADDITIVITY,
      missedNewPatientCalls,
      laterBooked: outcomes.later_booked,
      calledBack: outcomes.called_back,
      lostToReason: outcomes.lost_to_reason,
      unrecoveredCalls: outcomes.unrecovered,
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

  private async callAggregates(
    practiceId: string,
    from: string,
    to: string,
    query: ReportQuery,
  ): Promise<{ cells: CallCell[]; callbacks: CallbackAggregate; outcomes: MissedNewOutcomes }> {
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
    const unanswered = `c.status IN (${UNANSWERED_CALL_STATUSES.map((status) => `'${status}'`).join(', ')})`;
    const [cells, callbacks, outcomes] = (await Promise.all([
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
      this.dataSource.query(
        `${bounds}, missed AS (
           SELECT c.id, c.lead_id, c.callback_at IS NOT NULL AS called_back,
                  (SELECT p.phone_key FROM patient p WHERE p.practice_id = $1 AND p.call_id = c.id AND p.phone_key IS NOT NULL LIMIT 1) AS phone_key
             FROM call c
             CROSS JOIN bounds b
            WHERE ${where} AND ${unanswered} AND c.is_new_patient IS TRUE
         ),
         -- The status of the caller's leads: the call's own lead and any lead with the caller's number, each
         -- as the person's lead (a merged lead takes the status of the lead it was merged into). Read here,
         -- row by row, rather than joining every lead of the practice afterwards: 15% faster on the bench
         -- data with a phone number on most leads and calls.
         person AS (
           SELECT m.id AS call_id, coalesce(t.status, l.status) AS status
             FROM missed m
             JOIN lead l ON l.practice_id = $1 AND l.id = m.lead_id
             LEFT JOIN lead t ON t.id = l.merged_into_lead_id
           UNION ALL
           SELECT m.id, coalesce(t.status, l.status)
             FROM missed m
             JOIN patient p ON p.practice_id = $1 AND p.phone_key = m.phone_key AND p.lead_id IS NOT NULL
             JOIN lead l ON l.practice_id = $1 AND l.id = p.lead_id
             LEFT JOIN lead t ON t.id = l.merged_into_lead_id
         ),
         outcome AS (
           SELECT m.id, m.called_back,
                  coalesce(bool_or(pe.status = 'booked'), false) AS booked,
                  coalesce(bool_or(pe.status = 'not_booked'), false) AS not_booked
             FROM missed m
             LEFT JOIN person pe ON pe.call_id = m.id
            GROUP BY m.id, m.called_back
         )
         SELECT count(*)::int AS missed_new,
                count(*) FILTER (WHERE booked)::int AS later_booked,
                count(*) FILTER (WHERE NOT booked AND called_back)::int AS called_back,
                count(*) FILTER (WHERE NOT booked AND NOT called_back AND not_booked)::int AS lost_to_reason,
                count(*) FILTER (WHERE NOT booked AND NOT called_back AND NOT not_booked)::int AS unrecovered
           FROM outcome`,
        params,
      ),
    ])) as [CallCell[], CallbackAggregate[], MissedNewOutcomes[]];
    return { cells, callbacks: callbacks[0]!, outcomes: outcomes[0]! };
  }

  private async phoneLeads(practiceId: string, from: string, to: string, query: ReportQuery): Promise<PhoneLeads> {
    const params: unknown[] = [practiceId, from, to];
    // New-patient phone leads, whatever the patient segment: the calls priced are new-patient calls.
    const where = leadSegmentSql({ ...query, channel: 'phone', patient: 'new', newPatientsOnly: false }, params);
    const [row] = await this.dataSource.query<PhoneLeads[]>(
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
    );
    return row ?? { leads: 0, booked: 0, average_booked_value: null };
  }
}
