// The forecast API's responses, as the server defines them: one contract, imported as types only.
export type {
  AccuracyView,
  Goals,
  IntervalView,
  LeadForecastResponse,
  MonthlyTotalView,
  RevenueForecastResponse,
  RevenueMonthView,
  SeriesForecastView,
  StaffingIntervalView,
  StaffingResponse,
} from '../../../../server/forecast/forecast.contract.js';
