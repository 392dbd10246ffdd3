// New-patient lead forecasts per practice (total and per channel), daily and monthly, with the
// backtest accuracy beside each; cached in memory per practice until its next local midnight, then
// refreshed in the background (and on demand). Also gives the live board today's expected curve.

import { Injectable, Logger, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import {
  aggregateForecast,
  type BucketTotal,
  type ForecastPoint,
  type ChosenAccuracy,
  expectedArrivalsByHour,
  forecastSeries,
  hourOfWeekProfile,
  monthBucket,
  onPace,
  type SeriesForecast,
} from '../../forecasting/index.js';
import type { OnPaceCurve, OnPaceForecaster } from '../live/practice-board.js';
import type { PracticeDay } from '../live/practice-day.js';
import { Practice } from '../practices/practice.entity.js';
import {
  addDays,
  dailyCallCounts,
  dailyLeadCounts,
  dailySeries,
  daysBetween,
  firstCallAt,
  firstLeadAt,
  hourlyLeadCounts,
  type DailyCountRow,
} from './forecast.history.js';
import { closedCalendar, type ClosedCalendar } from './practice-closures.js';
import type { AccuracyView, DailyPointView, IntervalView, LeadForecastResponse, MonthlyTotalView, SeriesForecastView } from './forecast.contract.js';

export type { LeadForecastResponse } from './forecast.contract.js';

/** Fewer days of history than this (8 weeks) gives no forecast: weekly seasonality needs several weeks. */
export const MIN_HISTORY_DAYS = 56;
/** History used for fitting: three years covers yearly seasonality and keeps fits fast. */
export const MAX_HISTORY_DAYS = 3 * 365 + 1;
/** Weeks of hourly history behind the hour-of-week profile. */
export const PROFILE_WEEKS = 12;
/** Sample paths behind monthly totals. */
export const MONTHLY_PATHS = 1000;
/** A cached forecast unused for this long is dropped instead of refreshed. */
const IDLE_DROP_MS = 7 * 86_400_000;
const REFRESH_CHECK_MS = 10 * 60_000;

interface CacheEntry {
  promise: Promise<LeadForecastResponse>;
  expiresAt: number;
  lastUsedAt: number;
  practiceId: string;
  options: LeadForecastOptions;
}

export interface LeadForecastOptions {
  horizon: number;
  byChannel: boolean;
}

/** What a practice's lead history looks like, loaded once per computation. */
export interface LeadHistory {
  practice: Practice;
  today: string;
  todayStart: Date;
  firstDay: string | null;
  lastDay: string;
  rows: DailyCountRow[];
  total: number[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

@Injectable()
export class LeadForecastService implements OnApplicationShutdown, OnPaceForecaster {
  private readonly logger = new Logger(LeadForecastService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {
    this.timer = setInterval(() => this.refreshExpired(), REFRESH_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The practice's lead forecast, from the cache unless it expired (local midnight) or `refresh`. */
  async leads(practiceId: string, options: LeadForecastOptions, refresh = false): Promise<LeadForecastResponse> {
    const key = `${practiceId}|${options.horizon}|${options.byChannel}`;
    const cached = this.cache.get(key);
    const now = Date.now();
    if (cached && !refresh && cached.expiresAt > now) {
      cached.lastUsedAt = now;
      return cached.promise;
    }
    const entry: CacheEntry = { promise: this.compute(practiceId, options), expiresAt: Infinity, lastUsedAt: now, practiceId, options };
    this.cache.set(key, entry);
    try {
      const result = await entry.promise;
      entry.expiresAt = nextLocalMidnight(result.practice.timeZone, new Date(now));
      return result;
    } catch (error) {
      if (this.cache.get(key) === entry) this.cache.delete(key);
      throw error;
    }
  }

  /** Today's expected cumulative new-patient leads per quarter hour, with the 80% band; null without enough history. */
  async todayCurve(practiceId: string, day: PracticeDay): Promise<OnPaceCurve | null> {
    const history = await this.loadHistory(practiceId, day.start);
    if (history.total.length < MIN_HISTORY_DAYS) return null;
    const closed = closedCalendar(history.practice.openingHours, history.practice.holidayRegion, history.firstDay!, history.total, addDays(history.today, 14));
    const forecast = forecastSeries({ start: history.firstDay!, frequency: 'daily', values: history.total }, { horizon: 14, closed: closed.isClosed });
    if (!forecast) return null;
    const mean = forecast.points[0]?.mean ?? 0;
    const variance = pathVariance(forecast, `${practiceId}:${history.today}`);
    const profileFrom = addDays(history.today, -7 * PROFILE_WEEKS);
    const hourly = await hourlyLeadCounts(this.db, practiceId, history.practice.timeZone, localStart(history.practice.timeZone, profileFrom), history.todayStart);
    const profile = hourOfWeekProfile(hourly.map((row) => ({ date: row.day, hour: row.hour, count: row.count })));
    const points = Array.from({ length: 97 }, (_, quarter) => {
      const pace = onPace(profile, history.today, quarter / 4, { mean, variance }, [80]);
      const band = pace.intervals[0];
      return { expected: round2(pace.expected), low: band?.lower ?? 0, high: band?.upper ?? 0 };
    });
    // A weekday the profile has never seen (no leads on it in 12 weeks) spreads nothing: say so with 0.
    const expectedToday = expectedArrivalsByHour([{ date: history.today, mean }], profile).reduce((s, h) => s + h.mean, 0);
    return { date: history.today, expectedToday: round2(expectedToday), points };
  }

  private async compute(practiceId: string, options: LeadForecastOptions): Promise<LeadForecastResponse> {
    const history = await this.loadHistory(practiceId, new Date());
    const { practice, firstDay, lastDay, total } = history;
    const base = {
      practice: { timeZone: practice.timeZone, holidayRegion: practice.holidayRegion },
      generatedAt: new Date().toISOString(),
      horizon: options.horizon,
      history: {
        firstDay,
        lastDay,
        days: total.length,
        minimumDays: MIN_HISTORY_DAYS,
        monthly: firstDay ? monthlyHistory(total, firstDay).slice(-24) : [],
      },
    };
    if (!firstDay || total.length < MIN_HISTORY_DAYS) {
      return {
        ...base,
        status: 'insufficient_history',
        message: `a forecast needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of new-patient lead history; this practice has ${total.length}. Import past leads (POST /api/v1/imports/leads) or wait.`,
        closedDays: { weekdays: [], holidays: false },
        total: null,
        channels: null,
      };
    }
    const lastForecastDay = addDays(history.today, options.horizon - 1);
    const closed = closedCalendar(practice.openingHours, practice.holidayRegion, firstDay, total, lastForecastDay);
    const monthToDate = monthToDateOf(total, firstDay, history.today);
    const forecastOf = (name: string, values: number[]) =>
      this.seriesView(practiceId, name, values, firstDay, options.horizon, closed, monthToDate(values));
    let channels: SeriesForecastView[] | null = null;
    if (options.byChannel) {
      const yearAgo = addDays(history.today, -365);
      const names = [...new Set(history.rows.filter((row) => row.day >= yearAgo).map((row) => row.channel))].sort();
      channels = [];
      for (const channel of names) {
        const values = dailySeries(history.rows.filter((row) => row.channel === channel), firstDay, lastDay);
        const view = forecastOf(channel, values);
        if (view) channels.push(view);
        await yieldToEventLoop();
      }
    }
    return {
      ...base,
      status: 'ok',
      message: null,
      closedDays: { weekdays: closed.closedWeekdays, holidays: closed.holidaysClosed },
      total: forecastOf('total', total),
      channels,
    };
  }

  private seriesView(
    practiceId: string,
    name: string,
    values: number[],
    firstDay: string,
    horizon: number,
    closed: ClosedCalendar,
    actualToDate: number,
  ): SeriesForecastView | null {
    const forecast = forecastSeries({ start: firstDay, frequency: 'daily', values }, { horizon, closed: closed.isClosed });
    if (!forecast) return null;
    const daily = forecast.points.map((point) => ({
      date: point.date,
      closed: closed.isClosed(point.date),
      ...interval(point),
    }));
    const firstMonth = monthBucket(forecast.points[0]!.date);
    const monthly = aggregateForecast(forecast, monthBucket, { paths: MONTHLY_PATHS, seed: `${practiceId}:${name}` }).map((bucket) => {
      const actual = bucket.bucket === firstMonth ? actualToDate : 0;
      const shifted = interval(bucket);
      return {
        month: bucket.bucket,
        forecastDays: bucket.steps,
        actualToDate: actual,
        mean: round2(shifted.mean + actual),
        lo80: shifted.lo80 + actual,
        hi80: shifted.hi80 + actual,
        lo95: shifted.lo95 + actual,
        hi95: shifted.hi95 + actual,
      };
    });
    return { series: name, accuracy: accuracyView(forecast.model, forecast.accuracy), daily, monthly };
  }

  /** The practice's daily history of new-patient leads (or inbound calls) up to yesterday, at most three years. */
  async loadHistory(practiceId: string, now: Date, kind: 'leads' | 'calls' = 'leads'): Promise<LeadHistory> {
    const practice = await this.db.getRepository(Practice).findOneBy({ id: practiceId });
    if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
    const local = DateTime.fromJSDate(now, { zone: practice.timeZone }).startOf('day');
    const today = local.toISODate()!;
    const todayStart = local.toJSDate();
    const lastDay = addDays(today, -1);
    const earliest = addDays(today, -MAX_HISTORY_DAYS);
    const first = await (kind === 'leads' ? firstLeadAt : firstCallAt)(this.db, practiceId, todayStart);
    if (!first) return { practice, today, todayStart, firstDay: null, lastDay, rows: [], total: [] };
    const firstLocal = DateTime.fromJSDate(first, { zone: practice.timeZone }).toISODate()!;
    const firstDay = firstLocal < earliest ? earliest : firstLocal;
    const counts = kind === 'leads' ? dailyLeadCounts : dailyCallCounts;
    const rows = await counts(this.db, practiceId, practice.timeZone, localStart(practice.timeZone, firstDay), todayStart);
    return { practice, today, todayStart, firstDay, lastDay, rows, total: dailySeries(rows, firstDay, lastDay) };
  }

  /** The closed-day calendar of a loaded history through `lastForecastDay`. */
  closedDays(history: LeadHistory, lastForecastDay: string): ClosedCalendar {
    return closedCalendar(history.practice.openingHours, history.practice.holidayRegion, history.firstDay ?? history.today, history.total, lastForecastDay);
  }

  private refreshExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.cache) {
      if (entry.expiresAt > now) continue;
      if (now - entry.lastUsedAt > IDLE_DROP_MS) {
        this.cache.delete(key);
        continue;
      }
      this.leads(entry.practiceId, entry.options, true).catch((error: Error) => {
        this.logger.warn(`nightly forecast refresh failed for practice ${entry.practiceId}: ${error.message}`);
      });
    }
  }
}

function interval(point: ForecastPoint | BucketTotal): IntervalView {
  return { mean: round2(point.mean), lo80: point.lo80 ?? 0, hi80: point.hi80 ?? 0, lo95: point.lo95 ?? 0, hi95: point.hi95 ?? 0 };
}

export function accuracyView(model: string, accuracy: ChosenAccuracy | null): AccuracyView | null {
  if (!accuracy) return null;
  const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    model,
    mase: r(accuracy.mase),
    mae: r(accuracy.mae),
    smape: r(accuracy.smape),
    coverage80: r(accuracy.coverage80),
    coverage95: r(accuracy.coverage95),
    seasonalNaiveMase: r(accuracy.seasonalNaiveMase),
  };
}

/** Variance of the first forecast day across seeded sample paths. */
export function pathVariance(forecast: SeriesForecast, seed: string): number {
  const paths = forecast.samplePaths(2000, seed);
  let sum = 0;
  let sumSq = 0;
  for (const path of paths) {
    const x = path[0] ?? 0;
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / paths.length;
  return Math.max(0, sumSq / paths.length - mean * mean);
}

function monthlyHistory(values: readonly number[], firstDay: string): Array<{ month: string; leads: number; days: number }> {
  const months = new Map<string, { leads: number; days: number }>();
  values.forEach((value, i) => {
    const month = addDays(firstDay, i).slice(0, 7);
    const entry = months.get(month) ?? { leads: 0, days: 0 };
    entry.leads += value;
    entry.days++;
    months.set(month, entry);
  });
  return [...months.entries()].map(([month, entry]) => ({ month, ...entry }));
}

/** The leads of the current month before today, for a series of the history. */
function monthToDateOf(total: readonly number[], firstDay: string, today: string): (values: readonly number[]) => number {
  const monthStart = `${today.slice(0, 7)}-01`;
  const from = Math.max(0, daysBetween(firstDay, monthStart));
  return (values) => values.slice(from, total.length).reduce((s, v) => s + v, 0);
}

/** Local midnight starting `day` in `timeZone`, as an instant. */
export function localStart(timeZone: string, day: string): Date {
  return DateTime.fromISO(day, { zone: timeZone }).startOf('day').toJSDate();
}

/** Shortly after the practice's next local midnight (a few minutes, so the day's last events are in). */
export function nextLocalMidnight(timeZone: string, now: Date): number {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: 1, minutes: 5 }).toMillis();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
