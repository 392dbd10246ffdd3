// The forecast API's responses, as the server defines them: one contract, imported as types only.
export type {
  AccuracyView,
  Goals,
  IntervalView,
  LeadForecastResponse,
  MonthlyAccuracyView,
  MonthlyScoreView,
  MonthlyTotalView,
  RevenueForecastResponse,
  RevenueMonthView,
  SeasonalPatternsView,
  SeriesForecastView,
  StaffingIntervalView,
  StaffingResponse,
  WeeklyTotalView,
} from '$contracts/forecast/forecast';
