// Expected new-patient revenue per month: leads (forecast per channel) × P(book) × value per booked
// patient (both from the last year of history, shrunk by projectRevenue), with 80/95% ranges, and the
// practice's goals (leads, bookings, revenue) beside each month. Cached until the practice's next
// local midnight.

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { aggregateForecast, type ChannelHistory, forecastSeries, monthBucket, projectRevenue, type SeriesForecast } from '../../forecasting/index.js';
import { addDays, dailySeries } from './forecast.history.js';
import type { Goals, IntervalView, RevenueForecastResponse, RevenueMonthView } from './forecast.contract.js';
import { accuracyView, LeadForecastService, localStart, MIN_HISTORY_DAYS } from './lead-forecast.service.js';

export type { RevenueForecastResponse } from './forecast.contract.js';
import { NightlyCache } from './nightly-cache.js';

/** Leads younger than this are left out of booking rates: their bookings may still come. */
export const BOOKING_MATURITY_DAYS = 30;
/** The window booking rates and values are measured over. */
export const RATE_WINDOW_DAYS = 365;
const PATHS = 1000;


const round2 = (x: number) => Math.round(x * 100) / 100;

@Injectable()
export class RevenueForecastService implements OnApplicationShutdown {
  private readonly cache = new NightlyCache<RevenueForecastResponse>(new Logger(RevenueForecastService.name));

  constructor(
    private readonly db: DataSource,
    private readonly leads: LeadForecastService,
  ) {}

  onApplicationShutdown(): void {
    this.cache.close();
  }

  revenue(practiceId: string, months: number, refresh = false): Promise<RevenueForecastResponse> {
    return this.cache.get(`${practiceId}|${months}`, () => this.compute(practiceId, months), refresh);
  }

  private async compute(practiceId: string, months: number): Promise<{ value: RevenueForecastResponse; timeZone: string }> {
    const history = await this.leads.loadHistory(practiceId, new Date());
    const { practice, today, firstDay, lastDay, total } = history;
    const tz = practice.timeZone;
    const monthStart = `${today.slice(0, 7)}-01`;
    const endMonth = addMonths(monthStart, months); // exclusive
    const horizon = Math.round((Date.parse(`${endMonth}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    const goals = await this.goals(practiceId, addMonths(monthStart, -24), endMonth);
    const historyMonths = await this.monthlyHistory(practiceId, tz, addMonths(monthStart, -23), today, goals);
    const base = { currency: practice.currency, generatedAt: new Date().toISOString(), months, history: historyMonths };
    if (!firstDay || total.length < MIN_HISTORY_DAYS) {
      return {
        timeZone: tz,
        value: {
          ...base,
          status: 'insufficient_history',
          message: `a revenue projection needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of new-patient lead history; this practice has ${total.length}.`,
          assumptions: null,
          accuracy: null,
          monthly: [],
          total: null,
        },
      };
    }

    const closed = this.leads.closedDays(history, addDays(today, horizon - 1));
    const channels = [...new Set(history.rows.filter((row) => row.day >= addDays(today, -RATE_WINDOW_DAYS)).map((row) => row.channel))].sort();
    const channelForecasts: Array<{ channel: string; forecast: SeriesForecast }> = [];
    for (const channel of channels) {
      const values = dailySeries(history.rows.filter((row) => row.channel === channel), firstDay, lastDay);
      const forecast = forecastSeries({ start: firstDay, frequency: 'daily', values }, { horizon, closed: closed.isClosed });
      if (forecast) channelForecasts.push({ channel, forecast });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const totalForecast = forecastSeries({ start: firstDay, frequency: 'daily', values: total }, { horizon, closed: closed.isClosed });
    const monthLabels = Array.from({ length: months }, (_, i) => addMonths(monthStart, i).slice(0, 7));

    const window = { from: addDays(today, -RATE_WINDOW_DAYS), to: addDays(today, -BOOKING_MATURITY_DAYS - 1) };
    const rateHistory = await this.channelHistory(practiceId, tz, window.from, addDays(window.to, 1));
    const projection = projectRevenue(
      rateHistory,
      channelForecasts.map(({ channel, forecast }) => ({ channel, periods: monthlyMoments(forecast, monthLabels, `${practiceId}:${channel}`) })),
      { seed: practiceId, paths: 2000 },
    );
    const leadTotals = totalForecast ? aggregateForecast(totalForecast, monthBucket, { paths: PATHS, seed: `${practiceId}:total` }) : [];
    const actual = await this.monthlyHistory(practiceId, tz, monthStart, today, goals);
    const monthly = monthLabels.map((month, i) => {
      const leadTotal = leadTotals.find((bucket) => bucket.bucket === month);
      const bookings = channelForecasts.reduce((sum, { forecast }, c) => {
        const mean = forecast.points.filter((p) => p.date.startsWith(month)).reduce((s, p) => s + p.mean, 0);
        return sum + mean * (projection.channels[c]?.bookingRate ?? 0);
      }, 0);
      const range = projection.periods[i] ?? { mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 };
      const current = i === 0 ? actual[0] : undefined;
      return {
        month,
        forecastDays: leadTotal?.steps ?? 0,
        leads: leadTotal
          ? { mean: round2(leadTotal.mean), lo80: leadTotal.lo80 ?? 0, hi80: leadTotal.hi80 ?? 0, lo95: leadTotal.lo95 ?? 0, hi95: leadTotal.hi95 ?? 0 }
          : { mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 },
        bookings: round2(bookings),
        revenue: roundRange(range),
        goals: goalsOf(goals, month),
        actualToDate: current ? { leads: current.leads, bookings: current.bookings, revenue: current.revenue } : i === 0 ? { leads: 0, bookings: 0, revenue: 0 } : null,
      };
    });
    return {
      timeZone: tz,
      value: {
        ...base,
        status: 'ok',
        message: null,
        assumptions: {
          window,
          channels: projection.channels.map((assumption) => {
            const past = rateHistory.find((c) => c.channel === assumption.channel);
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
        accuracy: totalForecast ? accuracyView(totalForecast.model, totalForecast.accuracy) : null,
        monthly,
        total: roundRange(projection.total),
      },
    };
  }

  private async channelHistory(practiceId: string, tz: string, from: string, to: string): Promise<ChannelHistory[]> {
    const rows: Array<{ channel: string; leads: number; booked: number; values: Array<string | number> | null }> = await this.db.query(
      `SELECT channel, count(*)::int AS leads, count(*) FILTER (WHERE status = 'booked')::int AS booked,
              array_agg(coalesce(actual_value, estimated_value)) FILTER (WHERE status = 'booked' AND coalesce(actual_value, estimated_value) IS NOT NULL) AS values
         FROM lead
        WHERE practice_id = $1 AND is_new_patient AND merged_into_lead_id IS NULL AND created_at >= $2 AND created_at < $3
        GROUP BY channel`,
      [practiceId, localStart(tz, from), localStart(tz, to)],
    );
    return rows.map((row) => ({ channel: row.channel, leads: row.leads, booked: row.booked, bookedValues: (row.values ?? []).map(Number) }));
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
    return rows.map((row) => ({ month: row.month, leads: row.leads, bookings: row.bookings, revenue: round2(Number(row.revenue ?? 0)), goals: goalsOf(goals, row.month) }));
  }
}

/** Mean and variance of each month's total from the forecast's sample paths (0 for a month outside the horizon). */
function monthlyMoments(forecast: SeriesForecast, months: readonly string[], seed: string): Array<{ mean: number; variance: number }> {
  const index = forecast.points.map((p) => months.indexOf(p.date.slice(0, 7)));
  const sums = months.map(() => ({ sum: 0, sumSq: 0 }));
  const paths = forecast.samplePaths(PATHS, seed);
  for (const path of paths) {
    const totals = new Float64Array(months.length);
    path.forEach((value, h) => {
      const m = index[h]!;
      if (m >= 0) totals[m] = (totals[m] as number) + value;
    });
    totals.forEach((t, m) => {
      sums[m]!.sum += t;
      sums[m]!.sumSq += t * t;
    });
  }
  return months.map((month, m) => {
    const mean = forecast.points.filter((p) => p.date.startsWith(month)).reduce((s, p) => s + p.mean, 0);
    const pathMean = sums[m]!.sum / paths.length;
    return { mean, variance: Math.max(0, sums[m]!.sumSq / paths.length - pathMean * pathMean) };
  });
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
