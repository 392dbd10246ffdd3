import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { FollowUpsModule } from '../followups/followups.module.js';
import { FollowUpCountsService } from '../followups/follow-up-counts.service.js';
import { ForecastModule } from '../forecast/forecast.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { BoardController } from './board.controller.js';
import { BoardGateway } from './board.gateway.js';
import { BoardLoader } from './board-loader.js';
import { FOLLOW_UP_COUNTER, LiveBoardService } from './live-board.service.js';

@Module({
  imports: [AuthModule, ForecastModule, FollowUpsModule, PracticesModule],
  controllers: [BoardController],
  providers: [BoardLoader, LiveBoardService, BoardGateway, { provide: FOLLOW_UP_COUNTER, useExisting: FollowUpCountsService }],
  exports: [LiveBoardService],
})
export class LiveModule {}
