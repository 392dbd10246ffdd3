// New-patient lead forecasts per practice (total and per channel): daily, weekly and monthly, with
// the backtest accuracy beside each (daily, and monthly totals for the total). Every horizon is a
// slice of the practice-day's one forecast (ForecastStore), so the same month has the same figure
// whatever the window. Also gives the live board today's expected curve from that same forecast.

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type BucketSummary,
  type ChosenAccuracy,
  type DailySeriesSummary,
  expectedArrivalsByHour,
  type ForecastPoint,
  hourOfWeekProfile,
  type MonthlyBacktest,
  onPace,
} from '../../forecasting/index.js';
import type { OnPaceCurve, OnPaceForecaster } from '../live/practice-board.js';
import type { PracticeDay } from '../live/practice-day.js';
import { addDays, localStart } from '../common/local-date.js';
import { hourlyLeadCounts } from './forecast.history.js';
import { ForecastStore, type LeadHistory, MIN_HISTORY_DAYS, type PracticeDayForecast } from './forecast-store.js';
import { closedCalendar, type ClosedCalendar } from './practice-closures.js';
import type { AccuracyView, IntervalView, LeadForecastResponse, MonthlyAccuracyView, SeriesForecastView } from './forecast.contract.js';

export type { LeadForecastResponse } from './forecast.contract.js';
export { MAX_HISTORY_DAYS, MIN_HISTORY_DAYS, type LeadHistory } from './forecast-store.js';

/** Weeks of hourly history behind the hour-of-week profile. */
export const PROFILE_WEEKS = 12;

export interface LeadForecastOptions {
  horizon: number;
  byChannel: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

@Injectable()
export class LeadForecastService implements OnPaceForecaster {
  constructor(
    private readonly db: DataSource,
    private readonly store: ForecastStore,
  ) {}

  /** The practice's lead forecast for `horizon` days: a slice of today's forecast (recomputed first with `refresh`). */
  async leads(practiceId: string, options: LeadForecastOptions, refresh = false): Promise<LeadForecastResponse> {
    return leadResponse(await this.store.practiceDay(practiceId, refresh), options);
  }

  /** Today's expected cumulative new-patient leads per quarter hour, with the 80% band; null without enough history. */
  async todayCurve(practiceId: string, day: PracticeDay): Promise<OnPaceCurve | null> {
    const forecast = await this.store.practiceDay(practiceId);
    const total = forecast.forecast?.total;
    // The board may rebuild for a day the store has not reached (a rebuild a moment before midnight).
    if (!total || forecast.day !== day.date) return null;
    const mean = total.points[0]?.mean ?? 0;
    const variance = total.firstDayVariance;
    const tz = forecast.practice.timeZone;
    const hourly = await hourlyLeadCounts(this.db, practiceId, tz, localStart(tz, addDays(forecast.day, -7 * PROFILE_WEEKS)), localStart(tz, forecast.day));
    const profile = hourOfWeekProfile(hourly.map((row) => ({ date: row.day, hour: row.hour, count: row.count })));
    const points = Array.from({ length: 97 }, (_, quarter) => {
      const pace = onPace(profile, forecast.day, quarter / 4, { mean, variance }, [80]);
      const band = pace.intervals[0];
      return { expected: round2(pace.expected), low: band?.lower ?? 0, high: band?.upper ?? 0 };
    });
    // A weekday the profile has never seen (no leads on it in 12 weeks) spreads nothing: say so with 0.
    const expectedToday = expectedArrivalsByHour([{ date: forecast.day, mean }], profile).reduce((s, h) => s + h.mean, 0);
    return { date: forecast.day, expectedToday: round2(expectedToday), points };
  }

  /** The practice's daily history of new-patient leads (or inbound calls) up to yesterday, at most three years. */
  loadHistory(practiceId: string, now: Date, kind: 'leads' | 'calls' = 'leads'): Promise<LeadHistory> {
    return this.store.loadHistory(practiceId, now, kind);
  }

  /** The closed-day calendar of a loaded history through `lastForecastDay`. */
  closedDays(history: LeadHistory, lastForecastDay: string): ClosedCalendar {
    return closedCalendar(history.practice.openingHours, history.practice.holidayRegion, history.firstDay ?? history.today, history.total, lastForecastDay);
  }
}

/** The lead API's answer for `options`, sliced from a practice-day forecast. */
export function leadResponse(day: PracticeDayForecast, options: LeadForecastOptions): LeadForecastResponse {
  const base = {
    practice: { timeZone: day.practice.timeZone, holidayRegion: day.practice.holidayRegion },
    generatedAt: day.generatedAt,
    forecastDay: day.day,
    horizon: options.horizon,
    history: { ...day.history, minimumDays: MIN_HISTORY_DAYS },
  };
  if (!day.forecast?.total) {
    return {
      ...base,
      status: 'insufficient_history',
      message: `a forecast needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of new-patient lead history; this practice has ${day.history.days}. Import past leads (POST /api/v1/imports/leads) or wait.`,
      closedDays: { weekdays: [], holidays: false },
      total: null,
      channels: null,
    };
  }
  const closed = day.closedDates;
  return {
    ...base,
    status: 'ok',
    message: null,
    closedDays: day.closedDays,
    total: seriesView(day.forecast.total, options.horizon, day.monthToDate.total ?? 0, closed),
    channels: options.byChannel
      ? day.forecast.channels.map((channel) => seriesView(channel, options.horizon, day.monthToDate[channel.name] ?? 0, closed))
      : null,
  };
}

/**
 * One series' view for `horizon` days: the first `horizon` daily points, and the weeks and months
 * the horizon covers to their end (the current ones from today; the current month adds the leads
 * already counted this month). A month or week cut by the horizon is left out: its total would
 * not be a month's.
 */
export function seriesView(summary: DailySeriesSummary, horizon: number, actualToDate: number, closed: ReadonlySet<string>): SeriesForecastView {
  const daily = summary.points.slice(0, horizon).map((point) => ({ date: point.date, closed: closed.has(point.date), ...interval(point) }));
  const covered = (buckets: BucketSummary[]) => {
    let days = 0;
    return buckets.filter((bucket) => (days += bucket.steps) <= horizon);
  };
  const monthly = covered(summary.monthly).map((bucket, i) => {
    const actual = i === 0 ? actualToDate : 0;
    const range = interval(bucket);
    return {
      month: bucket.bucket,
      forecastDays: bucket.steps,
      actualToDate: actual,
      mean: round2(range.mean + actual),
      lo80: range.lo80 + actual,
      hi80: range.hi80 + actual,
      lo95: range.lo95 + actual,
      hi95: range.hi95 + actual,
    };
  });
  const weekly = covered(summary.weekly).map((bucket) => ({ week: bucket.bucket, forecastDays: bucket.steps, ...interval(bucket) }));
  return {
    series: summary.name,
    accuracy: accuracyView(summary.model, summary.accuracy, summary.longRangeModel),
    monthlyAccuracy: monthlyAccuracyView(summary.monthlyBacktest),
    patterns: summary.patterns,
    daily,
    weekly,
    monthly,
  };
}

export function monthlyAccuracyView(backtest: MonthlyBacktest | null): MonthlyAccuracyView | null {
  if (!backtest) return null;
  const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  const score = (s: MonthlyBacktest['nextMonth']) => ({ ...s, typicalMissShare: r(s.typicalMissShare), typicalMiss: round2(s.typicalMiss), bias: r(s.bias) });
  return {
    nextMonth: score(backtest.nextMonth),
    later: backtest.later ? score(backtest.later) : null,
    months: backtest.rows.map((row) => ({
      trainedTo: row.trainedTo,
      month: row.month,
      ahead: row.ahead,
      actual: row.actual,
      mean: round2(row.mean),
      lo80: row.lo80,
      hi80: row.hi80,
    })),
  };
}

function interval(point: ForecastPoint | BucketSummary): IntervalView {
  return { mean: round2(point.mean), lo80: point.lo80 ?? 0, hi80: point.hi80 ?? 0, lo95: point.lo95 ?? 0, hi95: point.hi95 ?? 0 };
}

export function accuracyView(model: string, accuracy: ChosenAccuracy | null, longRangeModel: string | null = null): AccuracyView | null {
  if (!accuracy) return null;
  const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    model,
    longRangeModel,
    mase: r(accuracy.mase),
    mae: r(accuracy.mae),
    smape: r(accuracy.smape),
    coverage80: r(accuracy.coverage80),
    coverage95: r(accuracy.coverage95),
    seasonalNaiveMase: r(accuracy.seasonalNaiveMase),
  };
}
