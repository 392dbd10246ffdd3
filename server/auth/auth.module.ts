import { Module } from '@nestjs/common';
import { BoardReaderGuard, IngestKeyGuard } from './auth.guards.js';
import { AuthService } from './auth.service.js';

@Module({
  providers: [AuthService, IngestKeyGuard, BoardReaderGuard],
  exports: [AuthService, IngestKeyGuard, BoardReaderGuard],
})
export class AuthModule {}
