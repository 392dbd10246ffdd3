// Goals: monthly targets for new-patient leads, bookings and revenue (PUT /api/v1/goals), and their
// progress with the forecast finish (GET /api/v1/reports/goals).
//
// What each metric's actual counts (per calendar month, practice-local; unmerged NEW-PATIENT leads only,
// like the forecasting engine that gives the forecast finish and like the revenue forecast that shows the
// goals beside its months; goals are practice-wide, so no segment applies):
// - leads: leads created in the month;
// - bookings: bookings made in the month (booked_at in the month, whenever the lead came in);
// - revenue: the sum of estimated_value of those bookings (booked revenue; a booking without an estimate
//   adds 0). actual_value is not used: it arrives months later and would make a month's progress move
//   after the month is over.
//
// Forecast finish (current and future months): actual before today + the forecasting engine's expected
// remainder from today to the month's end (RevenueForecastService: leads per day per channel, x the
// booking rate, x the value per booked patient, with 80/95% ranges). Today's own leads are left out of
// the actual part because the engine forecasts today whole. The engine's bookings are those of the
// leads still to come (a cohort, not booked_at); for a practice whose bookings follow soon after the
// lead it is the month's expected bookings, and it comes without a range. With too little history
// (under 8 weeks) the engine says so, and the finish is null with its reason.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { z } from 'zod';
import { GOAL_METRICS, type GoalMetric } from '../domain/domain.contract.js';
import { FORECAST_MONTHS } from '../forecast/forecast-store.js';
import { RevenueForecastService } from '../forecast/revenue-forecast.service.js';
import type { RevenueForecastResponse } from '../forecast/forecast.contract.js';
import type { GoalForecastFinish, GoalProgressRow, GoalsReport, GoalView } from './outcomes.contract.js';
import { localMonth, money, rate, segmentView } from './report-query.js';

/** The forecast engine projects at most this many months, the current one first (one forecast a day, sliced per window). */
export { FORECAST_MONTHS };
export const MAX_GOAL_MONTHS = 36;

export const GOAL_DEFINITIONS: Record<GoalMetric, string> = {
  leads: 'New-patient leads created in the month (merged duplicates not counted).',
  bookings: 'Bookings made in the month (booked_at in the month) of new-patient leads, whenever the lead came in.',
  revenue: 'Booked revenue: the sum of the estimated value of the bookings made in the month.',
};

const twoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6;

export const putGoalSchema = z
  .strictObject({
    month: localMonth.meta({ description: 'Calendar month YYYY-MM (practice-local).' }),
    metric: z.enum(GOAL_METRICS),
    target: z
      .number()
      .finite()
      .min(0, { message: 'must be at least 0' })
      .max(999_999_999_999.99, { message: 'is too large' })
      .refine(twoDecimals, { message: 'must have at most 2 decimals' })
      .nullable()
      .meta({ description: 'The target; null removes the goal. Leads and bookings: a whole number.' }),
  })
  .superRefine((goal, ctx) => {
    if (goal.target !== null && goal.metric !== 'revenue' && !Number.isInteger(goal.target)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `must be a whole number for ${goal.metric}` });
    }
  });
export type PutGoalInput = z.infer<typeof putGoalSchema>;

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** A month YYYY-MM; a date YYYY-MM-DD is taken as its month (so a page's date-range picker can be passed as it is). */
const monthOrDate = z
  .string()
  .transform((text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text.slice(0, 7) : text))
  .pipe(localMonth);

export const goalsQuerySchema = z
  .strictObject({
    from: monthOrDate.optional().meta({
      description: 'First month YYYY-MM (a date counts as its month). Default: January of the current year (or `to` - 11 months when only `to` is given).',
    }),
    to: monthOrDate
      .optional()
      .meta({ description: 'Last month YYYY-MM (a date counts as its month). Default: December of the `from` year (or of the current year).' }),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.to < query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
    else if (query.from && query.to && monthIndex(query.to) - monthIndex(query.from) >= MAX_GOAL_MONTHS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `spans more than ${MAX_GOAL_MONTHS} months from from` });
    }
  });
export type GoalsQuery = z.infer<typeof goalsQuerySchema>;

interface ActualRow {
  month: string;
  leads: number;
  leads_before: number;
  bookings: number;
  bookings_before: number;
  revenue: string;
  revenue_before: string;
}

@Injectable()
export class GoalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly revenueForecast: RevenueForecastService,
  ) {}

  /** Sets (or, with target null, removes) one month's goal for one metric. */
  async put(practiceId: string, input: PutGoalInput): Promise<GoalView> {
    if (input.target === null) {
      await this.dataSource.query(`DELETE FROM goal WHERE practice_id = $1 AND month = $2::date AND metric = $3`, [
        practiceId,
        `${input.month}-01`,
        input.metric,
      ]);
      return { month: input.month, metric: input.metric, target: null };
    }
    const [row] = await this.dataSource.query<Array<{ target: string }>>(
      `INSERT INTO goal (practice_id, month, metric, target) VALUES ($1, $2::date, $3, $4)
       ON CONFLICT (practice_id, month, metric) DO UPDATE SET target = excluded.target
       RETURNING target::text AS target`,
      [practiceId, `${input.month}-01`, input.metric, input.target],
    );
    return { month: input.month, metric: input.metric, target: Number(row!.target) };
  }

  async report(practiceId: string, query: GoalsQuery): Promise<GoalsReport> {
    const [practice] = await this.dataSource.query<Array<{ time_zone: string; currency: string; today: string }>>(
      `SELECT time_zone, currency, to_char(now() AT TIME ZONE time_zone, 'YYYY-MM-DD') AS today FROM practice WHERE id = $1`,
      [practiceId],
    );
    if (!practice) throw new Error(`practice ${practiceId} not found`);
    const thisMonth = practice.today.slice(0, 7);
    const from = query.from ?? (query.to ? monthOf(monthIndex(query.to) - 11) : `${thisMonth.slice(0, 4)}-01`);
    const to = query.to ?? `${from.slice(0, 4)}-12`;

    const goals: Array<{ month: string; metric: GoalMetric; target: string }> = await this.dataSource.query(
      `SELECT to_char(month, 'YYYY-MM') AS month, metric, target::text AS target
         FROM goal WHERE practice_id = $1 AND month >= $2::date AND month <= $3::date`,
      [practiceId, `${from}-01`, `${to}-01`],
    );
    const actuals = await this.actuals(practiceId, from, to);

    const needsForecast = to >= thisMonth;
    let forecast: RevenueForecastResponse | null = null;
    if (needsForecast) {
      const months = Math.min(FORECAST_MONTHS, monthIndex(to) - monthIndex(thisMonth) + 1);
      forecast = await this.revenueForecast.revenue(practiceId, months);
    }
    const forecastOk = forecast?.status === 'ok';

    const rows: GoalProgressRow[] = [];
    for (let i = monthIndex(from); i <= monthIndex(to); i++) {
      const month = monthOf(i);
      const status: GoalProgressRow['status'] = month < thisMonth ? 'past' : month === thisMonth ? 'current' : 'future';
      const actual = actuals.find((row) => row.month === month);
      const projected = forecastOk ? forecast!.monthly.find((m) => m.month === month) : undefined;
      for (const metric of GOAL_METRICS) {
        const goal = goals.find((g) => g.month === month && g.metric === metric);
        const target = goal ? Number(goal.target) : null;
        const value = metric === 'revenue' ? Number(actual?.revenue ?? 0) : (actual?.[metric] ?? 0);
        const before = metric === 'revenue' ? Number(actual?.revenue_before ?? 0) : (actual?.[`${metric}_before`] ?? 0);
        let finish: GoalForecastFinish | null = null;
        let note: string | null = null;
        if (status === 'past') {
          note = null;
        } else if (!forecast || forecast.status !== 'ok') {
          note = forecast?.message ?? 'no forecast';
        } else if (!projected) {
          note = `beyond the forecast horizon (${FORECAST_MONTHS} months from the current one)`;
        } else {
          finish = finishOf(metric, before, projected, target);
          if (metric === 'bookings') note = "expected bookings of the leads still to come (the engine's booking rate); no range";
        }
        rows.push({ month, metric, status, target, actual: value, percentOfTarget: target ? rate(value, target) : null, forecast: finish, forecastNote: note });
      }
    }

    return {
      from,
      to,
      timeZone: practice.time_zone,
      currency: practice.currency,
      segment: segmentView({ patient: 'new', newPatientsOnly: false }),
      today: practice.today,
      definitions: GOAL_DEFINITIONS,
      forecastStatus: !needsForecast ? 'not_needed' : forecast!.status,
      forecastMessage: needsForecast ? forecast!.message : null,
      rows,
    };
  }

  /** Per month from..to: the actuals, and the part of them before today (local). */
  private actuals(practiceId: string, from: string, to: string): Promise<ActualRow[]> {
    // Each month's local bounds as instants, then one index range scan per month and measure
    // (lead_practice_created_idx, lead_practice_booked_idx): ~100 ms for two years of a 100,000-lead
    // practice. The planner cannot tell how many months generate_series gives (it assumes 1,000), so
    // the estimated cost crosses jit_above_cost and PostgreSQL would spend ~0.6 s compiling the query
    // with JIT: JIT is turned off for this one statement (SET LOCAL, in its own transaction, which on the
    // embedded database takes its turn like every other: hence the unit of work).
    return this.unitOfWork.run(async ({ manager }) => {
      await manager.query('SET LOCAL jit = off');
      return manager.query(
        `WITH p AS (SELECT time_zone FROM practice WHERE id = $1),
         months AS (
           SELECT m::date AS month,
                  m::timestamp AT TIME ZONE p.time_zone AS start_at,
                  (m + interval '1 month')::timestamp AT TIME ZONE p.time_zone AS end_at,
                  (now() AT TIME ZONE p.time_zone)::date::timestamp AT TIME ZONE p.time_zone AS today_at
             FROM p, generate_series($2::date, $3::date, interval '1 month') m
         )
         SELECT to_char(m.month, 'YYYY-MM') AS month,
                c.leads, c.leads_before, b.bookings, b.bookings_before, b.revenue, b.revenue_before
           FROM months m
           CROSS JOIN LATERAL (
             SELECT count(*)::int AS leads, count(*) FILTER (WHERE l.created_at < m.today_at)::int AS leads_before
               FROM lead l
              WHERE l.practice_id = $1 AND l.created_at >= m.start_at AND l.created_at < m.end_at
                AND l.merged_into_lead_id IS NULL AND l.is_new_patient
           ) c
           CROSS JOIN LATERAL (
             SELECT count(*)::int AS bookings, count(*) FILTER (WHERE l.booked_at < m.today_at)::int AS bookings_before,
                    coalesce(sum(l.estimated_value), 0)::text AS revenue,
                    coalesce(sum(l.estimated_value) FILTER (WHERE l.booked_at < m.today_at), 0)::text AS revenue_before
               FROM lead l
              WHERE l.practice_id = $1 AND l.booked_at >= m.start_at AND l.booked_at < m.end_at
                AND l.merged_into_lead_id IS NULL AND l.is_new_patient AND l.status = 'booked'
           ) b
          ORDER BY m.month`,
        [practiceId, `${from}-01`, `${to}-01`],
      );
    });
  }
}

function finishOf(metric: GoalMetric, before: number, projected: RevenueForecastResponse['monthly'][number], target: number | null): GoalForecastFinish {
  const percent = (expected: number) => (target ? rate(expected, target) : null);
  if (metric === 'bookings') {
    const expected = money(before + projected.bookings);
    return { expected, lo80: null, hi80: null, lo95: null, hi95: null, percentOfTarget: percent(expected) };
  }
  const range = metric === 'leads' ? projected.leads : projected.revenue;
  const expected = money(before + range.mean);
  return {
    expected,
    lo80: money(before + range.lo80),
    hi80: money(before + range.hi80),
    lo95: money(before + range.lo95),
    hi95: money(before + range.hi95),
    percentOfTarget: percent(expected),
  };
}
