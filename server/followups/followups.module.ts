import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { LeadsModule } from '../leads/leads.module.js';
import { FollowUpsController } from './followups.controller.js';
import { FollowUpsService } from './followups.service.js';

/** Working leads: the follow-up queue, cadences, and the board's follow-up counts
 * (FollowUpsService.counts, exported for the live board). */
@Module({
  imports: [AuthModule, LeadsModule, CallsModule],
  controllers: [FollowUpsController],
  providers: [FollowUpsService],
  exports: [FollowUpsService],
})
export class FollowUpsModule {}
