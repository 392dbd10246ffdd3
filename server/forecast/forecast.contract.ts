// The forecast API's response shapes: the one definition the server builds and the manager pages
// read (imported there with `import type`), so the two can never drift. Types only: no runtime
// imports, nothing a browser build could not take.

export interface AccuracyView {
  model: string;
  /** The model further ahead (beyond the backtest's weeks, blended in) when it differs; null otherwise. */
  longRangeModel: string | null;
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

/** One interval of the staffing plan's typical week (practice-local wall clock). */
export interface StaffingIntervalView {
  weekday: string;
  hour: number;
  /** Minute of the hour the interval starts at (0, 15, 30 or 45). */
  minute: number;
  /** 'HH:MM' start and end, practice-local. */
  start: string;
  end: string;
  /** Inside opening hours (at least partly). Closed intervals are never staffed. */
  open: boolean;
  /** Forecast inbound calls in the interval's open minutes (those the desk answers). */
  calls: number;
  /** Forecast calls in its closed minutes: voicemail or an answering service takes them. */
  afterHoursCalls: number;
  /** People answering the phones needed for the target, and the staff to schedule for them once
   * breaks and other work are allowed for (0 when closed). */
  agentsNeeded: number;
  recommendedStaff: number;
  /** Share answered within the target at the recommended staffing (null when closed). */
  serviceLevel: number | null;
  /** Calls expected to go unanswered at the recommended staffing (open minutes only). */
  missedCalls: number;
  /** At the staffing entered (null without `staff`; service level and missed calls null when closed). */
  staff: number | null;
  staffServiceLevel: number | null;
  staffMissedCalls: number | null;
}

/** The interval length of the plan, and why. */
export interface StaffingIntervalChoice {
  minutes: 15 | 30 | 60;
  requested: 'auto' | 15 | 30 | 60;
  /** The history has at least `minimumCalls` calls in the typical open interval at this length. */
  supported: boolean;
  minimumCalls: number;
  /** Per length: median calls per open interval of the week over the profile weeks. */
  options: Array<{ minutes: 15 | 30 | 60; medianCalls: number; supported: boolean }>;
  /** Plain words on the choice (why hourly, or that a requested length is thin). */
  note: string;
}

/** Calls outside opening hours: not staffed, shown apart. */
export interface StaffingAfterHours {
  /** Forecast calls per typical week outside opening hours (closed days and holidays have none in the typical week). */
  forecastCallsPerWeek: number;
  /** What actually came in after hours over the profile weeks (local days [from, to], closed days and holidays included). */
  history: { from: string; to: string; weeks: number; calls: number; newPatientCalls: number; voicemails: number };
}

export interface StaffingResponse {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  timeZone: string;
  generatedAt: string;
  target: {
    ahtSeconds: number;
    targetSeconds: number;
    serviceLevel: number;
    patienceSeconds: number | null;
    shrinkage: number;
    model: 'erlang-a' | 'erlang-c';
  };
  forecast: { historyDays: number; minimumDays: number; accuracy: AccuracyView | null };
  /** Opening hours the plan staffs, Monday first (practice-local). */
  openingHours: Array<{ weekday: string; ranges: Array<[open: string, close: string]> }>;
  interval: StaffingIntervalChoice | null;
  intervals: StaffingIntervalView[];
  afterHours: StaffingAfterHours | null;
  totals: {
    /** Forecast calls per week inside opening hours. */
    calls: number;
    recommendedStaffHours: number;
    missedAtRecommended: number;
    enteredStaffHours: number | null;
    missedAtEntered: number | null;
    /** Forecast calls per week after hours (also in `afterHours`). */
    afterHoursCalls: number;
  } | null;
}
