// Expected new-patient revenue per month: leads (forecast per channel) × P(book) × value per booked
// patient (both from the last year of history, shrunk by projectRevenue), with 80/95% ranges, and the
// practice's goals (leads, bookings, revenue) beside each month. The projection is made once per
// practice-day over 24 months with today's forecasts (ForecastStore); any number of months is a slice
// of it (the total over the first k months is its running total), so windows never disagree.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Goals, IntervalView, RevenueForecastResponse } from './forecast.contract.js';
import { ForecastStore, MIN_HISTORY_DAYS } from './forecast-store.js';
import { localStart } from '../common/local-date.js';
import { accuracyView, monthlyAccuracyView } from './lead-forecast.service.js';

export type { RevenueForecastResponse } from './forecast.contract.js';
export { BOOKING_MATURITY_DAYS, RATE_WINDOW_DAYS } from './forecast-store.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

@Injectable()
export class RevenueForecastService {
  constructor(
    private readonly db: DataSource,
    private readonly store: ForecastStore,
  ) {}

  /** The first `months` months of today's projection (the current month first), with goals and history. */
  async revenue(practiceId: string, months: number, refresh = false): Promise<RevenueForecastResponse> {
    const day = await this.store.practiceDay(practiceId, refresh);
    const { day: today, practice } = day;
    const tz = practice.timeZone;
    const monthStart = `${today.slice(0, 7)}-01`;
    const endMonth = addMonths(monthStart, months); // exclusive
    const goals = await this.goals(practiceId, addMonths(monthStart, -24), endMonth);
    const historyMonths = await this.monthlyHistory(practiceId, tz, addMonths(monthStart, -23), today, goals);
    const base = { currency: practice.currency, generatedAt: day.generatedAt, forecastDay: today, months, history: historyMonths };
    const forecast = day.forecast;
    if (!forecast?.total || !forecast.revenue) {
      return {
        ...base,
        status: 'insufficient_history',
        message: `a revenue projection needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of new-patient lead history; this practice has ${day.history.days}.`,
        assumptions: null,
        accuracy: null,
        monthlyAccuracy: null,
        patterns: null,
        monthly: [],
        total: null,
      };
    }
    const { total, channels, revenue } = forecast;
    const actual = await this.monthlyHistory(practiceId, tz, monthStart, today, goals);
    const monthly = forecast.months.slice(0, months).map((month, i) => {
      const leads = total.monthly[i];
      const bookings = channels.reduce((sum, channel) => {
        const rate = revenue.channels.find((c) => c.channel === channel.name)?.bookingRate ?? 0;
        return sum + (channel.monthly.find((m) => m.bucket === month)?.mean ?? 0) * rate;
      }, 0);
      const current = i === 0 ? actual[0] : undefined;
      return {
        month,
        forecastDays: leads?.steps ?? 0,
        leads: leads
          ? { mean: round2(leads.mean), lo80: leads.lo80, hi80: leads.hi80, lo95: leads.lo95, hi95: leads.hi95 }
          : { mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 },
        bookings: round2(bookings),
        revenue: roundRange(revenue.periods[i] ?? { mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 }),
        goals: goalsOf(goals, month),
        actualToDate: current
          ? { leads: current.leads, bookings: current.bookings, revenue: current.revenue }
          : i === 0
            ? { leads: 0, bookings: 0, revenue: 0 }
            : null,
      };
    });
    return {
      ...base,
      status: 'ok',
      message: null,
      assumptions: {
        window: day.rateWindow,
        channels: revenue.channels.map((assumption) => {
          const past = day.rateHistory.find((c) => c.channel === assumption.channel);
          return {
            channel: assumption.channel,
            leads: past?.leads ?? 0,
            booked: past?.booked ?? 0,
            observedRate: assumption.observedRate === null ? null : round4(assumption.observedRate),
            bookingRate: round4(assumption.bookingRate),
            valuePerBooked: round2(assumption.valuePerBooked),
          };
        }),
      },
      accuracy: accuracyView(total.model, total.accuracy, total.longRangeModel),
      monthlyAccuracy: monthlyAccuracyView(total.monthlyBacktest),
      patterns: total.patterns,
      monthly,
      total: roundRange(revenue.runningTotals[monthly.length - 1] ?? { mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 }),
    };
  }

  private async goals(practiceId: string, from: string, to: string): Promise<Map<string, Goals>> {
    const rows: Array<{ month: string; metric: keyof Goals; target: string }> = await this.db.query(
      `SELECT to_char(month, 'YYYY-MM') AS month, metric, target FROM goal WHERE practice_id = $1 AND month >= $2 AND month < $3`,
      [practiceId, from, to],
    );
    const goals = new Map<string, Goals>();
    for (const row of rows) {
      const entry = goals.get(row.month) ?? { leads: null, bookings: null, revenue: null };
      entry[row.metric] = Number(row.target);
      goals.set(row.month, entry);
    }
    return goals;
  }

  /** Per month of lead creation in [from, to) local days: new-patient leads, how many booked, their value. */
  private async monthlyHistory(practiceId: string, tz: string, from: string, to: string, goals: Map<string, Goals>) {
    const rows: Array<{ month: string; leads: number; bookings: number; revenue: string | null }> = await this.db.query(
      `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM') AS month, count(*)::int AS leads,
              count(*) FILTER (WHERE status = 'booked')::int AS bookings,
              coalesce(sum(coalesce(actual_value, estimated_value)) FILTER (WHERE status = 'booked'), 0) AS revenue
         FROM lead
        WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at >= $3 AND created_at < $4
        GROUP BY 1 ORDER BY 1`,
      [practiceId, tz, localStart(tz, from), localStart(tz, to)],
    );
    return rows.map((row) => ({
      month: row.month,
      leads: row.leads,
      bookings: row.bookings,
      revenue: round2(Number(row.revenue ?? 0)),
      goals: goalsOf(goals, row.month),
    }));
  }
}

function goalsOf(goals: Map<string, Goals>, month: string): Goals {
  return goals.get(month) ?? { leads: null, bookings: null, revenue: null };
}

function roundRange(range: IntervalView): IntervalView {
  return { mean: round2(range.mean), lo80: round2(range.lo80), hi80: round2(range.hi80), lo95: round2(range.lo95), hi95: round2(range.hi95) };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** 'YYYY-MM-01' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}
