// One forecast per series and practice-day. Each practice's new-patient lead series (the total and
// every channel seen in the last year) are forecast ONCE per practice-local day, at the longest
// horizon any view needs (to the end of the 24th month, the current one first), with the revenue
// projection over the channels' joint monthly lead paths. Every view (lead API at any horizon,
// revenue API and Goals view at any number of months, the growth page, the board's on-pace tile)
// slices that one result, so two windows never disagree about the same month. The entry expires
// just after the practice's local midnight and is recomputed in the background while in use
// (NightlyCache); the computation runs on the library's worker pool (ForecastPool).

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ForecastPool, type ChannelHistory, type PracticeForecast } from '../../forecasting/index.js';
import { addDays, daysBetween, localDay, localStart } from '../common/local-date.js';
import type { PracticeRecord } from '../practices/practice-records.js';
import { PracticesService } from '../practices/practices.service.js';
import { channelBookingHistory, dailyCallCounts, dailyLeadCounts, dailySeries, firstCallAt, firstLeadAt, type DailyCountRow } from './forecast.history.js';
import { NightlyCache } from './nightly-cache.js';
import { closedCalendar } from './practice-closures.js';

/** Fewer days of history than this (8 weeks) gives no forecast: weekly seasonality needs several weeks. */
export const MIN_HISTORY_DAYS = 56;
/** History used for fitting: three years covers yearly seasonality and keeps fits fast. */
export const MAX_HISTORY_DAYS = 3 * 365 + 1;
/** Months forecast every day (the current one first): the longest window any view offers. */
export const FORECAST_MONTHS = 24;
/** Leads younger than this are left out of booking rates: their bookings may still come. */
export const BOOKING_MATURITY_DAYS = 30;
/** The window booking rates and values are measured over. */
export const RATE_WINDOW_DAYS = 365;

/** What a practice's daily history looks like, loaded once per computation. */
export interface LeadHistory {
  practice: PracticeRecord;
  today: string;
  todayStart: Date;
  firstDay: string | null;
  lastDay: string;
  rows: DailyCountRow[];
  total: number[];
}

/** A practice's forecasts for one local day, and what they were made from. */
export interface PracticeDayForecast {
  /** The practice-local day the forecasts start on (today when made). */
  day: string;
  generatedAt: string;
  practice: { timeZone: string; holidayRegion: string | null; currency: string };
  history: { firstDay: string | null; lastDay: string; days: number; monthly: Array<{ month: string; leads: number; days: number }> };
  /** Days forecast from `day` (to the end of the FORECAST_MONTHS-th month). */
  horizon: number;
  closedDays: { weekdays: string[]; holidays: boolean };
  /** The closed days among the forecast days (forecast as 0). */
  closedDates: ReadonlySet<string>;
  /** Per series ('total' or a channel): its leads this month before today. */
  monthToDate: Record<string, number>;
  /** Leads created in this window give the booking rates and values. */
  rateWindow: { from: string; to: string };
  rateHistory: ChannelHistory[];
  /** Null with under MIN_HISTORY_DAYS of history. */
  forecast: PracticeForecast | null;
}

@Injectable()
export class ForecastStore implements OnApplicationShutdown {
  private readonly cache = new NightlyCache<PracticeDayForecast>(new Logger(ForecastStore.name));
  // Leave a core to the event loop and the database driver; a nightly refresh of many practices
  // still spreads over the rest.
  private readonly pool = new ForecastPool({ threads: Math.max(1, availableParallelism() - 1) });

  constructor(
    private readonly db: DataSource,
    private readonly practices: PracticesService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.cache.close();
    await this.pool.close();
  }

  /** The practice's forecasts for its current local day (computed once per day, or now with `refresh`). */
  async practiceDay(practiceId: string, refresh = false): Promise<PracticeDayForecast> {
    const compute = () => this.compute(practiceId).then((value) => ({ value, timeZone: value.practice.timeZone }));
    const value = await this.cache.get(practiceId, compute, refresh);
    // Just after midnight, before the nightly refresh has run, the cached day is yesterday's.
    const today = localDay(new Date(), value.practice.timeZone);
    return value.day === today || refresh ? value : this.cache.get(practiceId, compute, true);
  }

  /** The practice's daily history of new-patient leads (or inbound calls) up to yesterday, at most three years. */
  async loadHistory(practiceId: string, now: Date, kind: 'leads' | 'calls' = 'leads'): Promise<LeadHistory> {
    const practice = await this.practices.getPractice(practiceId);
    const local = DateTime.fromJSDate(now, { zone: practice.timeZone }).startOf('day');
    const today = local.toISODate()!;
    const todayStart = local.toJSDate();
    const lastDay = addDays(today, -1);
    const earliest = addDays(today, -MAX_HISTORY_DAYS);
    const first = await (kind === 'leads' ? firstLeadAt : firstCallAt)(this.db, practiceId, todayStart);
    if (!first) return { practice, today, todayStart, firstDay: null, lastDay, rows: [], total: [] };
    const firstLocal = localDay(first, practice.timeZone);
    const firstDay = firstLocal < earliest ? earliest : firstLocal;
    const counts = kind === 'leads' ? dailyLeadCounts : dailyCallCounts;
    const rows = await counts(this.db, practiceId, practice.timeZone, localStart(practice.timeZone, firstDay), todayStart);
    return { practice, today, todayStart, firstDay, lastDay, rows, total: dailySeries(rows, firstDay, lastDay) };
  }

  private async compute(practiceId: string): Promise<PracticeDayForecast> {
    const history = await this.loadHistory(practiceId, new Date());
    const { practice, today, firstDay, lastDay, total } = history;
    const tz = practice.timeZone;
    const horizon = forecastHorizon(today);
    const rateWindow = { from: addDays(today, -RATE_WINDOW_DAYS), to: addDays(today, -BOOKING_MATURITY_DAYS - 1) };
    const base = {
      day: today,
      generatedAt: new Date().toISOString(),
      practice: { timeZone: tz, holidayRegion: practice.holidayRegion, currency: practice.currency },
      history: { firstDay, lastDay, days: total.length, monthly: firstDay ? monthlyHistory(total, firstDay).slice(-24) : [] },
      horizon,
      rateWindow,
    };
    if (!firstDay || total.length < MIN_HISTORY_DAYS) {
      return { ...base, closedDays: { weekdays: [], holidays: false }, closedDates: new Set(), monthToDate: {}, rateHistory: [], forecast: null };
    }
    const lastForecastDay = addDays(today, horizon - 1);
    const closed = closedCalendar(practice.openingHours, practice.holidayRegion, firstDay, total, lastForecastDay);
    const closedDates: string[] = [];
    for (let day = firstDay; day <= lastForecastDay; day = addDays(day, 1)) if (closed.isClosed(day)) closedDates.push(day);
    const yearAgo = addDays(today, -365);
    const names = [...new Set(history.rows.filter((row) => row.day >= yearAgo).map((row) => row.channel))].sort();
    const channels = names.map((name) => ({
      name,
      values: dailySeries(
        history.rows.filter((row) => row.channel === name),
        firstDay,
        lastDay,
      ),
    }));
    const rateHistory = await channelBookingHistory(this.db, practiceId, localStart(tz, rateWindow.from), localStart(tz, addDays(rateWindow.to, 1)));
    const forecast = await this.pool.run({
      start: firstDay,
      total,
      channels,
      calls: null,
      horizon,
      closedDates,
      seed: `${practiceId}:${today}`,
      revenue: { history: rateHistory },
    });
    const monthFrom = Math.max(0, daysBetween(firstDay, `${today.slice(0, 7)}-01`));
    const toDate = (values: readonly number[]) => values.slice(monthFrom).reduce((s, v) => s + v, 0);
    const monthToDate: Record<string, number> = { total: toDate(total) };
    for (const channel of channels) monthToDate[channel.name] = toDate(channel.values);
    return {
      ...base,
      closedDays: { weekdays: closed.closedWeekdays, holidays: closed.holidaysClosed },
      closedDates: new Set(closedDates.filter((day) => day >= today)),
      monthToDate,
      rateHistory,
      forecast,
    };
  }
}

/** Days from `today` to the end of the FORECAST_MONTHS-th month (the current month first). */
export function forecastHorizon(today: string): number {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1 + FORECAST_MONTHS, 1)).toISOString().slice(0, 10);
  return daysBetween(today, end);
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
