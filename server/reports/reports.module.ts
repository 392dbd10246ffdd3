import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MarketingRoiService } from './marketing-roi.service.js';
import { MarketingSpendService } from './marketing-spend.service.js';
import { MarketingSpendController, ReportsController } from './reports.controller.js';
import { FunnelService } from './funnel.service.js';
import { MissedCallsService } from './missed-calls.service.js';
import { OperationsReportsController } from './operations-reports.controller.js';
import { SpeedToLeadService } from './speed-to-lead.service.js';
import { StaffPerformanceService } from './staff-performance.service.js';

/** Leadership reports (Marketing ROI so far) and the marketing spend they need. */
@Module({
  imports: [AuthModule],
  controllers: [ReportsController, MarketingSpendController, OperationsReportsController],
  providers: [MarketingRoiService, MarketingSpendService, FunnelService, SpeedToLeadService, MissedCallsService, StaffPerformanceService],
})
export class ReportsModule {}
