// Staff needed per interval of the week, inside opening hours only: inbound calls per interval
// forecast from the call history (daily call forecast for the next four weeks, averaged per weekday,
// × the quarter-hour-of-week profile of the last 12 weeks, summed into 15, 30 or 60-minute
// intervals), then Erlang A/C per open interval (staffingPlan). Calls outside opening hours are not
// staffed: they are counted apart (forecast and what really came in), as voicemail or an answering
// service takes them. The call forecast is cached until local midnight; the queueing maths runs per
// request (a few hundred small evaluations).

import { BadRequestException, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  forecastSeries,
  type IntervalMinutes,
  intervalSupport,
  type IntervalSupport,
  MIN_CALLS_PER_INTERVAL,
  openMinutesByQuarter,
  quarterOfWeekCounts,
  quarterOfWeekProfile,
  type StaffingResult,
  staffingPlan,
  type StaffingTarget,
  staffingWhatIf,
  type WeekHours,
  weekIntervals,
} from '../../forecasting/index.js';
import { WEEKDAYS, type OpeningHours } from '../domain/domain.contract.js';
import { addDays, localStart } from '../common/local-date.js';
import type { AccuracyView, StaffingAfterHours, StaffingIntervalChoice, StaffingIntervalView, StaffingResponse } from './forecast.contract.js';
import { accuracyView, LeadForecastService, MIN_HISTORY_DAYS, PROFILE_WEEKS } from './lead-forecast.service.js';

export type { StaffingResponse } from './forecast.contract.js';
import { NightlyCache } from './nightly-cache.js';
import { holidayDates, weekdayOf } from './practice-closures.js';
import { practiceCalendar } from '../practices/practice-calendar.js';
import type { StaffingQuery } from './forecast.schemas.js';

/** People scheduled in any open interval, even one with no calls forecast: someone has to pick up. */
const MIN_STAFF_WHEN_OPEN = 1;
/** Days ahead whose forecasts are averaged per weekday. */
const WEEKS_AHEAD = 4;

interface CallForecast {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  timeZone: string;
  historyDays: number;
  accuracy: AccuracyView | null;
  generatedAt: string;
  /** Opening hours the plan was made for (Monday first). */
  hours: WeekHours;
  /** Mean forecast inbound calls per weekday (Monday first) over the next weeks, holidays left out. */
  dayMeans: number[];
  /** Quarter-hour-of-week shares of each weekday's calls, and open minutes per quarter. */
  profile: Float64Array;
  openMinutes: Uint8Array;
  support: IntervalSupport[];
  afterHours: StaffingAfterHours['history'] | null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const LENGTH_WORDS: Record<IntervalMinutes, string> = { 15: 'quarter-hour', 30: 'half-hour', 60: 'hourly' };

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
    const compute = () => this.callForecast(practiceId).then((value) => ({ value, timeZone: value.timeZone }));
    const cached = await this.cache.get(practiceId, compute, query.refresh);
    // Too little history is not kept for the day: history imported (or the demo's seed finishing)
    // since then gives a plan on the next request. Finding out costs one history query.
    const calls = cached.status === 'ok' ? cached : await this.cache.get(practiceId, compute, true);
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
      openingHours: WEEKDAYS.map((weekday, day) => ({ weekday, ranges: (calls.hours[day] ?? []).map(([open, close]): [string, string] => [open, close]) })),
    };
    if (calls.status !== 'ok') return { ...base, interval: null, intervals: [], afterHours: null, totals: null };

    const interval = chooseInterval(query.interval, query.staff, calls.support);
    const minutes = interval.minutes;
    const week = weekIntervals(calls.dayMeans, calls.profile, calls.openMinutes, minutes);
    const open = week.map((cell) => cell.openMinutes > 0);
    const staffCounts = expandStaff(query.staff, minutes, open);
    // Erlang works on arrival rates: the open minutes' calls as calls per hour.
    const rates = week.map((cell) => (cell.openMinutes > 0 ? (cell.openCalls * 60) / cell.openMinutes : 0));
    const plan = staffingPlan(rates, target, open);
    const hoursPer = minutes / 60;
    const intervals = plan.map((needed, index): StaffingIntervalView => {
      const cell = week[index]!;
      const share = cell.openMinutes / 60; // hours of open time: turns per-hour figures into counts
      const staff = staffCounts?.[index] ?? null;
      const entered = staff === null || !needed.open ? null : atStaff(needed.callsPerHour, staff, target);
      return {
        weekday: WEEKDAYS[cell.day]!,
        hour: Math.floor(cell.minute / 60),
        minute: cell.minute % 60,
        start: clock(cell.minute),
        end: clock(cell.minute + minutes),
        open: needed.open,
        calls: round3(cell.openCalls),
        afterHoursCalls: round3(cell.afterHoursCalls),
        agentsNeeded: needed.agents,
        // Someone is at the desk whenever the practice is open, however quiet the forecast.
        recommendedStaff: needed.open ? Math.max(MIN_STAFF_WHEN_OPEN, needed.scheduled) : 0,
        serviceLevel: needed.open ? round3(needed.metrics.serviceLevel) : null,
        missedCalls: needed.open ? round3(needed.missedCallsPerHour * share) : 0,
        staff,
        staffServiceLevel: entered === null ? null : round3(entered.serviceLevel),
        staffMissedCalls: staff === null ? null : entered === null ? 0 : round3(entered.missedCalls * share),
      };
    });
    const sum = (f: (h: StaffingIntervalView) => number) => round3(intervals.reduce((s, h) => s + f(h), 0));
    const afterHoursCalls = sum((h) => h.afterHoursCalls);
    return {
      ...base,
      interval,
      intervals,
      afterHours: { forecastCallsPerWeek: afterHoursCalls, history: calls.afterHours! },
      totals: {
        calls: sum((h) => h.calls),
        recommendedStaffHours: sum((h) => h.recommendedStaff * hoursPer),
        missedAtRecommended: sum((h) => h.missedCalls),
        enteredStaffHours: staffCounts ? sum((h) => (h.staff ?? 0) * hoursPer) : null,
        missedAtEntered: staffCounts ? sum((h) => h.staffMissedCalls ?? 0) : null,
        afterHoursCalls,
      },
    };
  }

  private async callForecast(practiceId: string): Promise<CallForecast> {
    const history = await this.leads.loadHistory(practiceId, new Date(), 'calls');
    const { practice, today, firstDay, total } = history;
    const hours = weekHours(practice.openingHours);
    const empty = { dayMeans: [], profile: new Float64Array(0), openMinutes: new Uint8Array(0), support: [], afterHours: null };
    const base = { timeZone: practice.timeZone, historyDays: total.length, generatedAt: new Date().toISOString(), hours };
    if (!firstDay || total.length < MIN_HISTORY_DAYS) {
      return {
        ...base,
        ...empty,
        status: 'insufficient_history',
        message: `a staffing plan needs at least ${MIN_HISTORY_DAYS} days (8 weeks) of inbound call history; this practice has ${total.length}.`,
        accuracy: null,
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
    const profileFrom = addDays(today, -7 * PROFILE_WEEKS);
    const rows = await this.minuteCallCounts(practiceId, practice.timeZone, localStart(practice.timeZone, profileFrom), history.todayStart);
    const counts = quarterOfWeekCounts(rows.map((row) => ({ date: row.day, quarter: Math.floor(row.minute / 15), count: row.calls })));
    const openMinutes = openMinutesByQuarter(hours);
    // What really came in after hours: when the practice calendar says it was closed (outside the day's
    // opening hours to the minute, a closed weekday, a public holiday): the rule of a call's after-hours flag.
    const calendar = practiceCalendar(practice);
    const afterHours = { from: profileFrom, to: addDays(today, -1), weeks: PROFILE_WEEKS, calls: 0, newPatientCalls: 0, voicemails: 0 };
    for (const row of rows) {
      if (calendar.isOpenOn(row.day, row.minute)) continue;
      afterHours.calls += row.calls;
      afterHours.newPatientCalls += row.new_patient;
      afterHours.voicemails += row.voicemails;
    }
    return {
      ...base,
      status: 'ok',
      message: null,
      accuracy: forecast ? accuracyView(forecast.model, forecast.accuracy, forecast.longRangeModel) : null,
      dayMeans: perWeekday.map((day) => (day.days > 0 ? day.sum / day.days : 0)),
      profile: quarterOfWeekProfile(counts),
      openMinutes,
      support: intervalSupport(counts, openMinutes),
      afterHours,
    };
  }

  /** Inbound calls per local day and minute of the day in [from, to), with new-patient calls and voicemails. */
  private minuteCallCounts(
    practiceId: string,
    timeZone: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ day: string; minute: number; calls: number; new_patient: number; voicemails: number }>> {
    return this.db.query(
      `SELECT to_char(started_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day,
              (extract(hour FROM started_at AT TIME ZONE $2) * 60 + extract(minute FROM started_at AT TIME ZONE $2))::int AS minute,
              count(*)::int AS calls,
              count(*) FILTER (WHERE is_new_patient IS TRUE)::int AS new_patient,
              count(*) FILTER (WHERE status = 'voicemail')::int AS voicemails
         FROM call
        WHERE practice_id = $1 AND direction = 'inbound' AND started_at >= $3 AND started_at < $4
        GROUP BY 1, 2`,
      [practiceId, timeZone, from, to],
    );
  }
}

/** Opening hours Monday first, as the forecasting library takes them. */
function weekHours(hours: OpeningHours): WeekHours {
  return WEEKDAYS.map((weekday) => (hours[weekday] ?? []).map(([open, close]) => [open, close] as const));
}

/**
 * The interval length: the one asked for (or implied by 336 or 672 staff counts), else the finest
 * the history supports, else hourly; with a plain note on the choice.
 */
function chooseInterval(requested: StaffingQuery['interval'], staff: number[] | undefined, support: IntervalSupport[]): StaffingIntervalChoice {
  const implied = staff?.length === 336 ? 30 : staff?.length === 672 ? 15 : null;
  if (implied !== null && requested !== 'auto' && requested !== implied) {
    throw new BadRequestException(`staff: ${staff!.length} counts are ${LENGTH_WORDS[implied]} intervals, but interval=${requested} was asked for`);
  }
  const asked = implied ?? requested;
  const options = support.map(({ minutes, medianCalls, supported }) => ({ minutes, medianCalls: round3(medianCalls), supported }));
  const of = (minutes: IntervalMinutes) => options.find((option) => option.minutes === minutes)!;
  const rule = `at least ${MIN_CALLS_PER_INTERVAL} calls in the typical open interval over the last ${PROFILE_WEEKS} weeks`;
  const common = { requested: asked, minimumCalls: MIN_CALLS_PER_INTERVAL, options };
  if (asked !== 'auto') {
    const option = of(asked);
    const note = option.supported
      ? `${cap(LENGTH_WORDS[asked])} intervals, as asked: the history has ${rule} (${fmt(option.medianCalls)}).`
      : `${cap(LENGTH_WORDS[asked])} intervals, as asked, but the history is thin for them: the typical open interval had ${fmt(option.medianCalls)} calls over the last ${PROFILE_WEEKS} weeks (fewer than ${MIN_CALLS_PER_INTERVAL}), so the shape inside the hour is mostly chance.`;
    return { ...common, minutes: asked, supported: option.supported, note };
  }
  const finest = options.find((option) => option.supported && option.minutes !== 60);
  if (finest) {
    return {
      ...common,
      minutes: finest.minutes,
      supported: true,
      note: `${cap(LENGTH_WORDS[finest.minutes])} intervals: the finest the call history supports (${rule}; ${fmt(finest.medianCalls)} here).`,
    };
  }
  const half = of(30);
  const hourly = of(60);
  return {
    ...common,
    minutes: 60,
    supported: hourly.supported,
    note: `Hourly intervals: half-hours would need ${rule}, and this practice had ${fmt(half.medianCalls)}, so a half-hour plan would mostly follow chance.`,
  };
}

const cap = (text: string) => text[0]!.toUpperCase() + text.slice(1);
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Staff counts per interval: one number for every open interval (nobody when closed), 168 hourly
 * counts spread over their intervals, or one per interval. */
function expandStaff(staff: number[] | undefined, minutes: IntervalMinutes, open: boolean[]): number[] | null {
  if (!staff) return null;
  const cells = (7 * 24 * 60) / minutes;
  if (staff.length === 1) return open.map((isOpen) => (isOpen ? staff[0]! : 0));
  if (staff.length === cells) return staff;
  if (staff.length === 168) return Array.from({ length: cells }, (_, i) => staff[Math.floor((i * minutes) / 60)]!);
  throw new BadRequestException(`staff: ${staff.length} counts do not fit ${LENGTH_WORDS[minutes]} intervals (give 1, 168 or ${cells})`);
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
