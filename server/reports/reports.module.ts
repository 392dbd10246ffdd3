import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MarketingRoiService } from './marketing-roi.service.js';
import { MarketingSpendService } from './marketing-spend.service.js';
import { MarketingSpendController, ReportsController } from './reports.controller.js';

/** Leadership reports (Marketing ROI so far) and the marketing spend they need. */
@Module({
  imports: [AuthModule],
  controllers: [ReportsController, MarketingSpendController],
  providers: [MarketingRoiService, MarketingSpendService],
})
export class ReportsModule {}
