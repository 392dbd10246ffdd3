import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ON_PACE_FORECASTER } from '../live/board-loader.js';
import { PracticesModule } from '../practices/practices.module.js';
import { ForecastController } from './forecast.controller.js';
import { ForecastStore } from './forecast-store.js';
import { ForecastLimits } from './forecast-limits.js';
import { LeadForecastService } from './lead-forecast.service.js';
import { RevenueForecastService } from './revenue-forecast.service.js';
import { StaffingController } from './staffing.controller.js';
import { StaffingService } from './staffing.service.js';

/** Forecasts (leads, revenue, staffing) and the on-pace curve the live board asks for at rebuild. */
@Module({
  imports: [AuthModule, PracticesModule],
  controllers: [ForecastController, StaffingController],
  providers: [
    ForecastStore,
    ForecastLimits,
    LeadForecastService,
    RevenueForecastService,
    StaffingService,
    { provide: ON_PACE_FORECASTER, useExisting: LeadForecastService },
  ],
  exports: [ForecastStore, LeadForecastService, RevenueForecastService, ON_PACE_FORECASTER],
})
export class ForecastModule {}
