// Staff needed per hour of the week: inbound calls per hour of week forecast from the call history
// (daily call forecast for the next four weeks, averaged per weekday, × the hour-of-week profile of
// the last 12 weeks), then Erlang A/C per hour (staffingPlan), and the expected missed calls at the
// staffing entered and at the recommended one. The call forecast is cached until local midnight;
// the queueing maths runs per request (168 small evaluations).

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { forecastSeries, hourOfWeekProfile, type StaffingResult, staffingPlan, type StaffingTarget, staffingWhatIf } from '../../forecasting/index.js';
import { WEEKDAYS } from '../domain/domain.constants.js';
import { addDays, hourlyCallCounts } from './forecast.history.js';
import type { AccuracyView, StaffingHourView, StaffingResponse } from './forecast.contract.js';
import { accuracyView, LeadForecastService, localStart, MIN_HISTORY_DAYS, PROFILE_WEEKS } from './lead-forecast.service.js';

export type { StaffingResponse } from './forecast.contract.js';
import { NightlyCache } from './nightly-cache.js';
import { holidayDates, weekdayOf } from './practice-closures.js';
import type { StaffingQuery } from './forecast.schemas.js';

/** Days ahead whose forecasts are averaged per weekday. */
const WEEKS_AHEAD = 4;

interface CallForecast {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  timeZone: string;
  historyDays: number;
  accuracy: AccuracyView | null;
  /** 168 forecast inbound calls per hour of week, Monday 00:00 first. */
  callsPerHour: number[];
  generatedAt: string;
}


const round3 = (x: number) => Math.round(x * 1000) / 1000;

@Injectable()
export class StaffingService implements OnApplicationShutdown {
  private readonly cache = new NightlyCache<CallForecast>(new Logger(StaffingService.name));

  constructor(
    private readonly db: DataSource,
    private readonly leads: LeadForecastService,
  ) {}

  onApplicationShutdown(): void {
    this.cache.close();
  }

  async staffing(practiceId: string, query: StaffingQuery): Promise<StaffingResponse> {
    const calls = await this.cache.get(practiceId, () => this.callForecast(practiceId).then((value) => ({ value, timeZone: value.timeZone })), query.refresh);
    const target: StaffingTarget = {
      ahtSeconds: query.ahtSeconds,
      targetSeconds: query.targetSeconds,
      serviceLevel: query.serviceLevel,
      shrinkage: query.shrinkage,
      ...(query.patienceSeconds === undefined ? {} : { patienceSeconds: query.patienceSeconds }),
    };
    const base = {
      status: calls.status,
      message: calls.message,
      timeZone: calls.timeZone,
      generatedAt: calls.generatedAt,
      target: {
        ahtSeconds: query.ahtSeconds,
        targetSeconds: query.targetSeconds,
        serviceLevel: query.serviceLevel,
        patienceSeconds: query.patienceSeconds ?? null,
        shrinkage: query.shrinkage,
        model: query.patienceSeconds === undefined ? ('erlang-c' as const) : ('erlang-a' as const),
      },
      forecast: { historyDays: calls.historyDays, minimumDays: MIN_HISTORY_DAYS, accuracy: calls.accuracy },
    };
    if (calls.status !== 'ok') return { ...base, hours: [], totals: null };

    const plan = staffingPlan(calls.callsPerHour, target);
    const hours = plan.map((needed, index): StaffingHourView => {
      const staff = query.staff?.[index] ?? null;
      const entered = staff === null ? null : atStaff(needed.callsPerHour, staff, target);
      return {
        weekday: WEEKDAYS[Math.floor(index / 24)]!,
        hour: index % 24,
        calls: round3(needed.callsPerHour),
        agentsNeeded: needed.agents,
        recommendedStaff: needed.scheduled,
        serviceLevel: round3(needed.metrics.serviceLevel),
        missedCalls: round3(needed.missedCallsPerHour),
        staff,
        staffServiceLevel: entered === null ? null : round3(entered.serviceLevel),
        staffMissedCalls: entered === null ? null : round3(entered.missedCalls),
      };
    });
    const sum = (f: (h: StaffingHourView) => number) => round3(hours.reduce((s, h) => s + f(h), 0));
    return {
      ...base,
      hours,
      totals: {
        calls: sum((h) => h.calls),
        recommendedStaffHours: sum((h) => h.recommendedStaff),
        missedAtRecommended: sum((h) => h.missedCalls),
        enteredStaffHours: query.staff ? sum((h) => h.staff ?? 0) : null,
        missedAtEntered: query.staff ? sum((h) => h.staffMissedCalls ?? 0) : null,
      },
    };
  }

  private async callForecast(practiceId: string): Promise<CallForecast> {
    const history = await this.leads.loadHistory(practiceId, new Date(), 'calls');
    const { practice, today, firstDay, total } = history;
    const base = { timeZone: practice.timeZone, historyDays: total.length, generatedAt: new Date().toISOString() };
    if (!firstDay || total.length < MIN_HISTORY_DAYS) {
      return {
        ...base,
        status: 'insufficient_history',
        message: `a staffing plan needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of inbound call history; this practice has ${total.length}.`,
        accuracy: null,
        callsPerHour: [],
      };
    }
    const horizon = 7 * WEEKS_AHEAD;
    const lastDay = addDays(today, horizon - 1);
    const closed = this.leads.closedDays(history, lastDay);
    const forecast = forecastSeries({ start: firstDay, frequency: 'daily', values: total }, { horizon, closed: closed.isClosed });
    // A typical week: each weekday's mean forecast over the next weeks, public holidays left out.
    const holidays = holidayDates(practice.holidayRegion, Number(today.slice(0, 4)), Number(lastDay.slice(0, 4)));
    const perWeekday = Array.from({ length: 7 }, () => ({ sum: 0, days: 0 }));
    for (const point of forecast?.points ?? []) {
      if (holidays.has(point.date)) continue;
      const entry = perWeekday[weekdayOf(point.date)]!;
      entry.sum += point.mean;
      entry.days++;
    }
    const hourly = await hourlyCallCounts(this.db, practiceId, practice.timeZone, localStart(practice.timeZone, addDays(today, -7 * PROFILE_WEEKS)), history.todayStart);
    const profile = hourOfWeekProfile(hourly.map((row) => ({ date: row.day, hour: row.hour, count: row.count })));
    const callsPerHour = Array.from({ length: 168 }, (_, index) => {
      const day = perWeekday[Math.floor(index / 24)]!;
      return (day.days > 0 ? day.sum / day.days : 0) * (profile[index] ?? 0);
    });
    return { ...base, status: 'ok', message: null, accuracy: forecast ? accuracyView(forecast.model, forecast.accuracy) : null, callsPerHour };
  }
}

/**
 * Service level and missed calls with `staff` on shift: staff × (1 − shrinkage) agents on the phones,
 * interpolated between the whole numbers around it (a person on the phones 70% of the hour helps 70%).
 */
function atStaff(callsPerHour: number, staff: number, target: StaffingTarget): { serviceLevel: number; missedCalls: number } {
  const agents = staff * (1 - (target.shrinkage ?? 0));
  const low = Math.floor(agents + 1e-9);
  const share = Math.max(0, agents - low);
  const at = (n: number): StaffingResult => staffingWhatIf(callsPerHour, n, target);
  const a = at(low);
  if (share < 1e-9) return { serviceLevel: a.metrics.serviceLevel, missedCalls: a.missedCallsPerHour };
  const b = at(low + 1);
  return {
    serviceLevel: a.metrics.serviceLevel * (1 - share) + b.metrics.serviceLevel * share,
    missedCalls: a.missedCallsPerHour * (1 - share) + b.missedCallsPerHour * share,
  };
}
