// The forecast API's response shapes: the one definition the server builds and the manager pages
// read (imported there with `import type`), so the two can never drift. Types only: no runtime
// imports, nothing a browser build could not take.

export interface AccuracyView {
  model: string;
  mase: number | null;
  mae: number | null;
  smape: number | null;
  coverage80: number | null;
  coverage95: number | null;
  seasonalNaiveMase: number | null;
}

/** Which seasonal patterns the model behind a forecast used. */
export interface SeasonalPatternsView {
  weekly: boolean;
  /** `shrunk`: used, but pulled toward flat because the history is short (13-23 months). */
  yearly: 'full' | 'shrunk' | 'none';
  /** Days of history the model had. */
  historyDays: number;
}

/** How a group of backtested monthly totals went (see MonthlyAccuracyView). */
export interface MonthlyScoreView {
  /** Monthly totals scored. */
  tested: number;
  /** Of them, how many fell inside the 80% (95%) range. */
  within80: number;
  within95: number;
  /** Median |forecast − actual| / actual (0.07 = 7%); null when no month had an actual above 0. */
  typicalMissShare: number | null;
  /** Median |forecast − actual| in leads. */
  typicalMiss: number;
  /** Mean (forecast − actual) / actual: above 0, forecasts ran high. */
  bias: number | null;
}

/**
 * Rolling-origin backtest of MONTHLY TOTALS, the figure the growth page shows: the model trained
 * to the end of each of the last 6 months (the model chosen today, refitted there), its sample
 * paths summed per month, scored on the next 1-3 complete months.
 */
export interface MonthlyAccuracyView {
  /** Totals forecast 1 month ahead. */
  nextMonth: MonthlyScoreView;
  /** Totals forecast 2-3 months ahead (null when none could be scored). */
  later: MonthlyScoreView | null;
  months: Array<{ trainedTo: string; month: string; ahead: number; actual: number; mean: number; lo80: number; hi80: number }>;
}

export interface IntervalView {
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface DailyPointView extends IntervalView {
  date: string;
  closed: boolean;
}

export interface MonthlyTotalView extends IntervalView {
  /** 'YYYY-MM'. */
  month: string;
  /** Days of this month inside the forecast horizon. */
  forecastDays: number;
  /** Leads already counted this month before the forecast starts (the current month only); included in the totals. */
  actualToDate: number;
}

export interface WeeklyTotalView extends IntervalView {
  /** Monday of the ISO week, 'YYYY-MM-DD'. */
  week: string;
  /** Days of this week inside the forecast (fewer for the current week). */
  forecastDays: number;
}

export interface SeriesForecastView {
  /** 'total' or a channel. */
  series: string;
  /** Backtest of the daily forecast (days). */
  accuracy: AccuracyView | null;
  /** Backtest of monthly totals: the total series only (null for channels, or with under ~3 months of history). */
  monthlyAccuracy: MonthlyAccuracyView | null;
  patterns: SeasonalPatternsView;
  daily: DailyPointView[];
  /** Weeks the horizon covers to their end (the current week from today). Ranges from summed sample paths. */
  weekly: WeeklyTotalView[];
  /** Months the horizon covers to their end (the current month from today). Ranges from summed sample paths. */
  monthly: MonthlyTotalView[];
}

export interface LeadForecastResponse {
  status: 'ok' | 'insufficient_history';
  /** Why there is no forecast, when status is insufficient_history. */
  message: string | null;
  practice: { timeZone: string; holidayRegion: string | null };
  generatedAt: string;
  /** The practice-local day the forecasts were made on: one forecast per series and day, whatever the horizon asked. */
  forecastDay: string;
  horizon: number;
  history: {
    firstDay: string | null;
    lastDay: string;
    days: number;
    minimumDays: number;
    /** New-patient leads per month of the history (the last 24 months, the current month to yesterday). */
    monthly: Array<{ month: string; leads: number; days: number }>;
  };
  closedDays: { weekdays: string[]; holidays: boolean };
  total: SeriesForecastView | null;
  /** With by=channel: one forecast per channel seen in the last year. */
  channels: SeriesForecastView[] | null;
}

export type Goals = { leads: number | null; bookings: number | null; revenue: number | null };

export interface RevenueMonthView {
  month: string;
  forecastDays: number;
  leads: IntervalView;
  /** Expected bookings from the forecast leads (leads × booking rate, per channel). */
  bookings: number;
  revenue: IntervalView;
  goals: Goals;
  /** Current month only: what already happened before today (new-patient leads created, their bookings and booked value). */
  actualToDate: { leads: number; bookings: number; revenue: number } | null;
}

export interface RevenueForecastResponse {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  currency: string;
  generatedAt: string;
  months: number;
  assumptions: {
    /** Leads created in this window (local days, inclusive) give the booking rates and values. */
    window: { from: string; to: string };
    channels: Array<{ channel: string; leads: number; booked: number; observedRate: number | null; bookingRate: number; valuePerBooked: number }>;
  } | null;
  /** Accuracy of the total lead forecast behind the projection (daily backtest). */
  accuracy: AccuracyView | null;
  /** Backtest of the monthly lead totals behind the projection. */
  monthlyAccuracy: MonthlyAccuracyView | null;
  /** Seasonal patterns the total lead model used. */
  patterns: SeasonalPatternsView | null;
  forecastDay: string;
  monthly: RevenueMonthView[];
  total: IntervalView | null;
  /** Last 24 months of history (the current month up to yesterday): leads, bookings among them, booked value. */
  history: Array<{ month: string; leads: number; bookings: number; revenue: number; goals: Goals }>;
}

export interface StaffingHourView {
  weekday: string;
  hour: number;
  /** Forecast inbound calls in this hour. */
  calls: number;
  /** Agents on the phones needed for the target, and the staff to schedule for them after shrinkage. */
  agentsNeeded: number;
  recommendedStaff: number;
  /** At the recommended staffing. */
  serviceLevel: number;
  missedCalls: number;
  /** At the staffing entered (null without `staff`). */
  staff: number | null;
  staffServiceLevel: number | null;
  staffMissedCalls: number | null;
}

export interface StaffingResponse {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  timeZone: string;
  generatedAt: string;
  target: { ahtSeconds: number; targetSeconds: number; serviceLevel: number; patienceSeconds: number | null; shrinkage: number; model: 'erlang-a' | 'erlang-c' };
  forecast: { historyDays: number; minimumDays: number; accuracy: AccuracyView | null };
  hours: StaffingHourView[];
  totals: {
    calls: number;
    recommendedStaffHours: number;
    missedAtRecommended: number;
    enteredStaffHours: number | null;
    missedAtEntered: number | null;
  } | null;
}
