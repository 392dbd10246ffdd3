import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ForecastModule } from '../forecast/forecast.module.js';
import { BoardController } from './board.controller.js';
import { BoardGateway } from './board.gateway.js';
import { BoardLoader } from './board-loader.js';
import { LiveBoardService } from './live-board.service.js';

@Module({
  imports: [AuthModule, ForecastModule],
  controllers: [BoardController],
  providers: [BoardLoader, LiveBoardService, BoardGateway],
  exports: [LiveBoardService],
})
export class LiveModule {}
