import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import type { BoardSnapshotV1 } from './board.contract.js';
import { LiveBoardService } from './live-board.service.js';

@ApiTags('board')
@ApiBearerAuth()
@Roles('display', 'ingest', 'admin', 'manager')
@Controller('api/v1/board')
export class BoardController {
  constructor(private readonly live: LiveBoardService) {}

  @Get()
  @ApiOperation({ summary: "Today's board, as a TV's board:snapshot (display token, ingest key, or an admin's or manager's session)" })
  snapshot(@CurrentPracticeId() practiceId: string): Promise<BoardSnapshotV1> {
    return this.live.snapshot(practiceId);
  }
}
