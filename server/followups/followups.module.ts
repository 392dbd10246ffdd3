import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { LeadsModule } from '../leads/leads.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { FollowUpActionsService } from './follow-up-actions.service.js';
import { FollowUpCadencesService } from './follow-up-cadences.service.js';
import { FollowUpCalendars } from './follow-up-calendars.js';
import { FollowUpCountsCache } from './follow-up-counts-cache.js';
import { FollowUpCountsService } from './follow-up-counts.service.js';
import { FollowUpQueueService } from './follow-up-queue.service.js';
import { FollowUpsController } from './followups.controller.js';

/** Working leads: the follow-up queue, its actions (written through the leads and calls modules),
 * cadences, and the board's follow-up counts (FollowUpCountsService, exported for the live board). */
@Module({
  imports: [AuthModule, LeadsModule, CallsModule, PracticesModule],
  controllers: [FollowUpsController],
  providers: [FollowUpQueueService, FollowUpActionsService, FollowUpCadencesService, FollowUpCalendars, FollowUpCountsCache, FollowUpCountsService],
  exports: [FollowUpCountsService],
})
export class FollowUpsModule {}
