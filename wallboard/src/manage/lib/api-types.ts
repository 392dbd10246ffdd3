// The JSON the manager pages read from the forecast API. A copy of the server's response types
// (server/forecast/*.service.ts), written out here because those files carry NestJS decorators the
// browser build must not see; test/wallboard/manage-api-types.test.ts assigns the server types to
// these, so `npm run typecheck` fails the day they drift.

export interface AccuracyView {
  model: string;
  mase: number | null;
  mae: number | null;
  smape: number | null;
  coverage80: number | null;
  coverage95: number | null;
  seasonalNaiveMase: number | null;
}

export interface IntervalView {
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface StaffingHourView {
  weekday: string;
  hour: number;
  calls: number;
  agentsNeeded: number;
  recommendedStaff: number;
  serviceLevel: number;
  missedCalls: number;
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

export interface MonthlyTotalView extends IntervalView {
  month: string;
  forecastDays: number;
  actualToDate: number;
}

export interface SeriesForecastView {
  series: string;
  accuracy: AccuracyView | null;
  monthly: MonthlyTotalView[];
}

export interface LeadForecastResponse {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  generatedAt: string;
  horizon: number;
  history: {
    firstDay: string | null;
    lastDay: string;
    days: number;
    minimumDays: number;
    monthly: Array<{ month: string; leads: number; days: number }>;
  };
  total: SeriesForecastView | null;
}

export interface Goals {
  leads: number | null;
  bookings: number | null;
  revenue: number | null;
}

export interface RevenueMonthView {
  month: string;
  forecastDays: number;
  leads: IntervalView;
  bookings: number;
  revenue: IntervalView;
  goals: Goals;
  actualToDate: { leads: number; bookings: number; revenue: number } | null;
}

export interface RevenueForecastResponse {
  status: 'ok' | 'insufficient_history';
  message: string | null;
  currency: string;
  generatedAt: string;
  months: number;
  accuracy: AccuracyView | null;
  monthly: RevenueMonthView[];
  total: IntervalView | null;
  history: Array<{ month: string; leads: number; bookings: number; revenue: number; goals: Goals }>;
}
