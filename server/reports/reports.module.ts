import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ForecastModule } from '../forecast/forecast.module.js';
import { LeadsModule } from '../leads/leads.module.js';
import { MarketingRoiService } from './marketing-roi.service.js';
import { MarketingSpendService } from './marketing-spend.service.js';
import { MarketingSourcesController, MarketingSpendController, ReportsController } from './reports.controller.js';
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

/** Leadership reports (the eight views), the marketing spend, goals and actual values they need. The goals'
 * forecast finish comes from the forecast module's services (and their nightly cache). */
@Module({
  imports: [AuthModule, ForecastModule, LeadsModule],
  controllers: [
    ReportsController,
    MarketingSpendController,
    MarketingSourcesController,
    OperationsReportsController,
    OutcomesReportsController,
    GoalsController,
    LeadActualValueController,
  ],
  providers: [
    MarketingRoiService,
    MarketingSpendService,
    FunnelService,
    SpeedToLeadService,
    MissedCallsService,
    StaffPerformanceService,
    LostOpportunitiesService,
    GrowthService,
    GoalsService,
    ActualValuesService,
  ],
})
export class ReportsModule {}
