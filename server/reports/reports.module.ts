import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ForecastModule } from '../forecast/forecast.module.js';
import { RevenueForecastService } from '../forecast/revenue-forecast.service.js';
import { MarketingRoiService } from './marketing-roi.service.js';
import { MarketingSpendService } from './marketing-spend.service.js';
import { MarketingSpendController, ReportsController } from './reports.controller.js';
import { FunnelService } from './funnel.service.js';
import { MissedCallsService } from './missed-calls.service.js';
import { OperationsReportsController } from './operations-reports.controller.js';
import { SpeedToLeadService } from './speed-to-lead.service.js';
import { StaffPerformanceService } from './staff-performance.service.js';
import { ActualValuesService } from './actual-values.service.js';
import { GoalsService } from './goals.service.js';
import { GrowthService } from './growth.service.js';
import { LostOpportunitiesService } from './lost-opportunities.service.js';
import { GoalsController, LeadActualValueController, OutcomesReportsController } from './outcomes-reports.controller.js';

/** Leadership reports (Marketing ROI so far) and the marketing spend they need. */
@Module({
  // ForecastModule exports LeadForecastService; RevenueForecastService (goals' forecast finish) is not exported
  // there, so this module provides its own instance (its own nightly cache) on top of the shared LeadForecastService.
  imports: [AuthModule, ForecastModule],
  controllers: [ReportsController, MarketingSpendController, OperationsReportsController, OutcomesReportsController, GoalsController, LeadActualValueController],
  providers: [MarketingRoiService, MarketingSpendService, FunnelService, SpeedToLeadService, MissedCallsService, StaffPerformanceService,
    LostOpportunitiesService, GrowthService, GoalsService, ActualValuesService, RevenueForecastService],
})
export class ReportsModule {}
